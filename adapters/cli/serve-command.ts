import { DEFAULT_DATA_DIR, createBot, createIllService, createJala, resolveDataDir, type FollowedLeadership } from '../../src/index.ts';
import { discordRequested } from '../discord/discord-env.ts';
import { httpSettings } from '../http/http-env.ts';
import { readSlackEnv, slackRequested } from '../slack/slack-env.ts';
import { discordGatewayDuty, followLead, harvestDuty, illTimersDuty, slackSocketDuty, type LeaderDuty } from './leader-duties.ts';

interface ServeFlags {
  dataDir?: string;
  z3950?: string;
}

/**
 * `jala serve`: everything configured, without a terminal chat — the HTTP listener (/sru, /oai,
 * /health; JALA_HTTP_PORT, default 8080; JALA_HTTP_HOST), Z39.50 through simple2zoom with
 * --z3950 PORT, Slack and Discord when their credentials are set, and the scheduled harvests.
 *
 * Several replicas may serve one consortium on one PostgreSQL database (JALA_DATABASE_URL): each
 * answers HTTP and Slack HTTP mode; one at a time — the leader, chosen by the database — runs the ILL
 * timers, the partner outbox, the scheduled harvests, the Discord gateway and Slack Socket Mode, and
 * another takes them over when it dies. With SQLite the one process leads.
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
  const jala = await createJala({ dataDir, ingestMissing: dataDir === DEFAULT_DATA_DIR, warmUp: true, onWaiting: (line) => void process.stderr.write(`${line}\n`) });
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  // every replica follows the catalog: another replica's harvest or a jala ingest reaches its index
  jala.followCatalog(say);
  const running: Array<{ stop(): Promise<void> }> = [];
  let leading: FollowedLeadership | undefined;
  try {
    const settings = http.value as { port: number; host: string };
    const ill = createIllService(jala);
    const { startCatalogListener } = await import('../http/catalog-listener.ts');
    const { iso18626Route, schedulePartnerDelivery } = await import('../http/iso18626-route.ts');
    // the partner outbox is the leader's to send (it has no per-message claim): a follower that receives
    // a partner's message leaves the answers it queued to the leader's next pass
    const routes = ill.partners ? [iso18626Route(ill.partners, { deliverAfterReceive: () => leading?.isLeader() ?? false })] : [];
    const listener = await startCatalogListener(jala, { ...settings, routes, ...(z3950Port !== undefined ? { z3950Port } : {}) });
    running.push(listener);
    say(`jala: HTTP listening on ${settings.host}:${listener.port} — SRU at /sru, OAI-PMH at /oai, health at /health${ill.partners ? `, ISO 18626 at /iso18626 (${ill.partners.settings.partners.length} partners)` : ''}`);
    if (listener.z3950Port !== undefined) say(`jala: Z39.50 (simple2zoom) on port ${listener.z3950Port}, databases "jala" and "Default"`);
    const slack = slackRequested(env);
    const discord = discordRequested(env);
    const bot = slack || discord ? createBot(jala, { ill }) : undefined;
    // every replica answers: HTTP, and Slack in HTTP mode (behind a load balancer)
    let slackHttp: { deliver(): Promise<void> } | undefined;
    const startSlackHere = async (): Promise<{ stop(): Promise<void>; deliver(): Promise<void> }> => {
      const { startSlack } = await import('../slack/start-slack.ts');
      // the ILL timers run in the leader's duties below, not in the Slack loop
      const s = await startSlack({ bot: bot!, jala, env, timerIntervalMs: 0 });
      say(`jala: Slack ${s.mode === 'http' ? `listening on port ${s.port}` : 'connected (Socket Mode)'}`);
      return s;
    };
    const slackSettings = slack ? readSlackEnv(env) : undefined;
    const slackIsSocket = slackSettings?.ok === true && slackSettings.settings.mode.type === 'socket';
    if (slack && !slackIsSocket) {
      const s = await startSlackHere();
      slackHttp = s;
      running.push(s);
    }
    // one replica at a time (the leader): the ILL timers, the partner outbox, the scheduled harvests,
    // the Discord gateway and Slack Socket Mode (one connection per app)
    let slackSocket: { deliver(): Promise<void> } | undefined;
    const duties: LeaderDuty[] = [
      illTimersDuty(ill, () => void (slackHttp ?? slackSocket)?.deliver(), say),
      ...(ill.partners ? [{ name: 'the ISO 18626 partner outbox', start: async () => schedulePartnerDelivery(ill.partners!) }] : []),
      ...harvestDuty(jala, say),
      ...(slackIsSocket ? [slackSocketDuty(startSlackHere, (s) => (slackSocket = s))] : []),
      ...(discord ? [discordGatewayDuty(bot!, jala, env, say)] : []),
    ];
    leading = await followLead(jala, duties, say);
  } catch (err) {
    await leading?.stop().catch(() => {});
    for (const r of running.reverse()) await r.stop().catch(() => {});
    jala.close();
    throw err;
  }
  await stopAsked;
  await leading.stop();
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await jala.reindex.idle();
  jala.close();
  return 0;
}
