import { DEFAULT_DATA_DIR, createBot, createIllService, createJala, resolveDataDir, type FollowedLeadership, type Jala } from '../../src/index.ts';
import { discordRequested } from '../discord/discord-env.ts';
import { httpSettings } from '../http/http-env.ts';
import { readSlackEnv, slackRequested } from '../slack/slack-env.ts';
import { discordGatewayDuty, followLead, harvestDuty, illTimersDuty, slackSocketDuty, type LeaderDuty } from './leader-duties.ts';
import { runChat } from './chat-command.ts';

/**
 * `npm start`: Slack and/or Discord when their credentials are set (both may run at once), else
 * the terminal chat — on the data directory, building the configured (sample) libraries that are
 * missing first.
 */
export async function runStart(flags: { dataDir?: string; library?: string }): Promise<number> {
  const env = process.env;
  const slack = slackRequested(env);
  const discord = discordRequested(env);
  // the HTTP listener (SRU, OAI-PMH) runs beside whatever else when JALA_HTTP_PORT is set
  const http = httpSettings(env);
  if (!http.ok) {
    process.stderr.write(`jala: ${http.message}\n`);
    return 2;
  }
  const startHttp = async (jala: Jala): Promise<{ stop(): Promise<void> }> => {
    if (!http.value) return { stop: async () => {} };
    const { startCatalogListener } = await import('../http/catalog-listener.ts');
    // ISO 18626 partners answer on the same listener; their outbox is sent from here
    const partners = createIllService(jala).partners;
    const { iso18626Route, schedulePartnerDelivery } = await import('../http/iso18626-route.ts');
    const listener = await startCatalogListener(jala, { ...http.value, routes: partners ? [iso18626Route(partners)] : [] });
    process.stderr.write(`jala: HTTP listening on ${http.value.host}:${listener.port} — SRU at /sru, OAI-PMH at /oai, health at /health${partners ? ', ISO 18626 at /iso18626' : ''}\n`);
    if (!partners) return listener;
    const delivery = schedulePartnerDelivery(partners);
    return { stop: async () => { await delivery.stop(); await listener.stop(); } };
  };
  if (!slack && !discord) return runChat({ ...flags, ingestMissing: true, scheduleHarvests: true, services: startHttp });

  // a malformed platform payload must not end the process: log it and carry on
  process.on('unhandledRejection', (reason) => {
    const code = (reason as { code?: unknown } | undefined)?.code;
    process.stderr.write(`jala: unhandled rejection${typeof code === 'string' ? ` (${code})` : ''}: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  });

  const dataDir = resolveDataDir(flags.dataDir);
  const jala = await createJala({ dataDir, ingestMissing: dataDir === DEFAULT_DATA_DIR, warmUp: true, onWaiting: (line) => void process.stderr.write(`${line}\n`) });
  const ill = createIllService(jala);
  const bot = createBot(jala, { ill });
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  // a jala ingest beside the bot (or another replica's harvest) reaches the index without a restart
  jala.followCatalog(say);
  const running: Array<{ stop(): Promise<void> }> = [];
  let leading: FollowedLeadership | undefined;
  try {
    running.push(await startHttp(jala));
    const startSlackHere = async (): Promise<{ stop(): Promise<void>; deliver(): Promise<void> }> => {
      const { startSlack } = await import('../slack/start-slack.ts');
      // the ILL timers run once, in the leader's duties below
      const s = await startSlack({ bot, jala, env, timerIntervalMs: 0 });
      say(`jala: Slack ${s.mode === 'http' ? `listening on port ${s.port}` : 'connected (Socket Mode)'}`);
      return s;
    };
    const slackSettings = slack ? readSlackEnv(env) : undefined;
    const slackIsSocket = slackSettings?.ok === true && slackSettings.settings.mode.type === 'socket';
    let slackHere: { deliver(): Promise<void> } | undefined;
    // Slack in HTTP mode answers on every replica
    if (slack && !slackIsSocket) {
      const s = await startSlackHere();
      slackHere = s;
      running.push(s);
    }
    // the leader (with SQLite: this process) runs the timers, the scheduled harvest, Slack Socket Mode and the Discord gateway
    const duties: LeaderDuty[] = [
      illTimersDuty(ill, () => void slackHere?.deliver(), say),
      ...harvestDuty(jala, say),
      ...(slackIsSocket ? [slackSocketDuty(startSlackHere, (s) => (slackHere = s))] : []),
      ...(discord ? [discordGatewayDuty(bot, jala, env, say)] : []),
    ];
    leading = await followLead(jala, duties, say);
  } catch (err) {
    await leading?.stop().catch(() => {});
    for (const r of running) await r.stop().catch(() => {});
    jala.close();
    throw err;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await leading.stop();
  for (const r of running) await r.stop().catch(() => {});
  await jala.reindex.idle();
  jala.close();
  return 0;
}
