/**
 * One replica's outbox delivery, as a process of its own (for test/replicas-outbox.test.ts): the real
 * delivery loop (src/delivery/deliver-outbox.ts) with the real Slack transport, against the
 * PostgreSQL stores at JALA_DATABASE_URL and the Slack Web API at SLACK_API_URL. Library UGM has the
 * Slack channel CUGM. Timings come from the environment so the test can use short ones:
 * OUTBOX_LEASE_MS (the claim's lease), OUTBOX_TIMEOUT_MS (a Web API call's timeout). Runs until killed.
 */
import { webApi } from '@slack/bolt';
import { createSlackTransport } from '../../adapters/slack/slack-transport.ts';
import { openStores } from '../../src/app/open-stores.ts';
import { createIllCards } from '../../src/bot/ill-cards.ts';
import { createOutboxPort } from '../../src/bot/outbox-port.ts';
import { silentLogger } from '../../src/common/logger.ts';
import { createOutboxDelivery } from '../../src/delivery/deliver-outbox.ts';
import { tempDir } from './paths.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const { stores } = openStores(tempDir('jala-outbox-replica-'), { databaseUrl: env('JALA_DATABASE_URL') });
const port = createOutboxPort({ outbox: stores.outbox, cards: stores.cards, reachable: () => ['UGM'], rendering: { languageOf: () => 'en', cards: createIllCards((c) => c) }, now: () => new Date() });
const client = new webApi.WebClient(env('SLACK_BOT_TOKEN'), { slackApiUrl: env('SLACK_API_URL'), rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: Number(env('OUTBOX_TIMEOUT_MS')) });
const quiet = { info: () => {}, warn: () => {}, error: (...args: unknown[]) => console.error(...args) };
createOutboxDelivery({
  outbox: port,
  transport: createSlackTransport(client, quiet),
  libraries: [{ code: 'UGM', channels: { slack: ['CUGM'], discord: [] } }],
  log: silentLogger,
  intervalMs: 100,
  policy: { leaseMs: Number(env('OUTBOX_LEASE_MS')), backoff: { firstMs: 100, maxMs: 400 } },
});
console.log('delivering');
// the loop's timer does not hold the process open (it is unref'd): this does, until the process is killed
setInterval(() => {}, 60_000);
