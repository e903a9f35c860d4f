import { DEFAULT_DATA_DIR, createBot, createIllService, createJala, resolveDataDir, scheduleHarvests, type IllService } from '../../src/index.ts';
import { discordRequested } from '../discord/discord-env.ts';
import { httpSettings } from '../http/http-env.ts';
import { slackRequested } from '../slack/slack-env.ts';

interface ServeFlags {
  dataDir?: string;
  z3950?: string;
}

/**
 * `jala serve`: everything configured, without a terminal chat — the HTTP listener (/sru, /oai,
 * /health; JALA_HTTP_PORT, default 8080; JALA_HTTP_HOST), Z39.50 through simple2zoom with
 * --z3950 PORT, Slack and Discord when their credentials are set, and the scheduled harvests.
 */
export async function runServe(flags: ServeFlags): Promise<number> {
  const env = process.env;
  const http = httpSettings(env, 8080);
  if (!http.ok) {
    process.stderr.write(`jala serve: ${http.message}\n`);
    return 2;
  }
  let z3950Port: number | undefined;
  if (flags.z3950 !== undefined) {
    z3950Port = Number(flags.z3950);
    if (!Number.isInteger(z3950Port) || z3950Port < 1 || z3950Port > 65535) {
      process.stderr.write(`jala serve: --z3950 takes a port number (1-65535), not "${flags.z3950}"\n`);
      return 2;
    }
  }
  process.on('unhandledRejection', (reason) => {
    const code = (reason as { code?: unknown } | undefined)?.code;
    process.stderr.write(`jala: unhandled rejection${typeof code === 'string' ? ` (${code})` : ''}: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  });
  // a stop asked for while starting waits for the start to finish, then stops what was started (nothing left orphaned)
  const stopAsked = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const dataDir = resolveDataDir(flags.dataDir);
  const jala = await createJala({ dataDir, ingestMissing: dataDir === DEFAULT_DATA_DIR });
  const running: Array<{ stop(): Promise<void> }> = [];
  try {
    const settings = http.value as { port: number; host: string };
    const ill = createIllService(jala);
    const { startCatalogListener } = await import('../http/catalog-listener.ts');
    const { iso18626Route, schedulePartnerDelivery } = await import('../http/iso18626-route.ts');
    const routes = ill.partners ? [iso18626Route(ill.partners)] : [];
    const listener = await startCatalogListener(jala, { ...settings, routes, ...(z3950Port !== undefined ? { z3950Port } : {}) });
    running.push(listener);
    process.stderr.write(`jala: HTTP listening on ${settings.host}:${listener.port} — SRU at /sru, OAI-PMH at /oai, health at /health${ill.partners ? `, ISO 18626 at /iso18626 (${ill.partners.settings.partners.length} partners)` : ''}\n`);
    if (listener.z3950Port !== undefined) process.stderr.write(`jala: Z39.50 (simple2zoom) on port ${listener.z3950Port}, databases "jala" and "Default"\n`);
    const slack = slackRequested(env);
    const discord = discordRequested(env);
    if (ill.partners) {
      // the partner outbox, and (when no chat platform runs them) the ILL timers: lender timeouts reach partners too
      running.push(schedulePartnerDelivery(ill.partners));
      if (!slack && !discord) running.push(scheduleIllTimers(ill));
    }
    if (slack || discord) {
      const bot = createBot(jala, { ill });
      if (slack) {
        const { startSlack } = await import('../slack/start-slack.ts');
        const s = await startSlack({ bot, jala, env });
        process.stderr.write(`jala: Slack ${s.mode === 'http' ? `listening on port ${s.port}` : 'connected (Socket Mode)'}\n`);
        running.push(s);
      }
      if (discord) {
        const { startDiscord } = await import('../discord/start-discord.ts');
        running.push(await startDiscord({ bot, jala, env, ...(slack ? { timerIntervalMs: 0 } : {}) }));
        process.stderr.write('jala: Discord connected\n');
      }
    }
  } catch (err) {
    for (const r of running.reverse()) await r.stop().catch(() => {});
    jala.close();
    throw err;
  }
  const interval = jala.config.harvest.intervalMinutes;
  const stopSchedule = interval ? scheduleHarvests(jala.reindex, { intervalMinutes: interval }) : () => {};
  if (interval) process.stderr.write(`jala: harvesting every ${interval} minutes\n`);
  await stopAsked;
  stopSchedule();
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await jala.reindex.idle();
  jala.close();
  return 0;
}

/** The ILL timers once a minute, when no chat platform runs them. */
function scheduleIllTimers(ill: IllService): { stop(): Promise<void> } {
  const timer = setInterval(() => {
    try {
      ill.runTimers();
    } catch (err) {
      process.stderr.write(`jala: ILL timers failed (${(err as { code?: string }).code ?? (err as Error).name}): ${(err as Error).message}\n`);
    }
  }, 60_000);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}
