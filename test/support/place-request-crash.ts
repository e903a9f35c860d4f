/**
 * One process of the placing kill test (test/place-request-crash.test.ts): opens a data directory as
 * `jala say` does (createJala → createIllService → createBot) and places one request through the bot,
 * counting every write the placing makes through the ILL store and outbox ports (and every end of a
 * transaction or savepoint). With --kill-at K it SIGKILLs itself just before the K-th of them, so a
 * crash lands at each step and each commit point in turn. This wrapper lives only in this test entry
 * point: production code has no crash hook.
 *
 *   node --import tsx test/support/place-request-crash.ts --data-dir DIR --as librarian|patron --work w3 [--kill-at K]
 *
 * Prints one JSON line: { steps: [...names], request?: "R1" }.
 */
import { createBot, createIllService, createJala, type BotActor, type BotReply } from '../../src/index.ts';

const WRITES = new Set(['insertRequest', 'appendEvent', 'insertRota', 'setRotaStatus', 'updateRequest', 'markReminded', 'enqueue']);

function args(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) out.set(String(argv[i]).replace(/^--/, ''), String(argv[i + 1]));
  return out;
}

const a = args(process.argv.slice(2));
const killAt = Number(a.get('kill-at') ?? 0);
const steps: string[] = [];
const step = (name: string): void => {
  if (steps.length + 1 === killAt) process.kill(process.pid, 'SIGKILL');
  steps.push(name);
};

/** The same port, each write (and each transaction's end) counted as a step first. */
function counted<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      const name = String(prop);
      if (name === 'transaction') {
        return <R>(fn: () => R): R => {
          const out = (v as (f: () => R) => R).call(t, fn);
          step('commit');
          return out;
        };
      }
      if (!WRITES.has(name)) return (v as (...x: unknown[]) => unknown).bind(t);
      return (...xs: unknown[]) => {
        step(name);
        return (v as (...x: unknown[]) => unknown).apply(t, xs);
      };
    },
  });
}

const jala = await createJala({ dataDir: a.get('data-dir') as string });
const stores = jala.stores as { ill: object; outbox: object };
stores.ill = counted(stores.ill);
stores.outbox = counted(stores.outbox);
const bot = createBot(jala, { ill: createIllService(jala) });
const work = a.get('work') as string;
const actor: BotActor =
  a.get('as') === 'patron'
    ? { platform: 'cli', userId: 'patron-crash', role: 'patron', library: 'UGM', displayName: 'Dewi' }
    : { platform: 'cli', userId: 'lib-crash', role: 'librarian', library: 'UGM' };
const conversationId = 'crash';
let reply: BotReply | undefined;
reply = bot.handle({ actor, conversationId, text: `/ill request ${work}` }).replies[0];
// a patron is shown the request for confirmation first (nothing placed), then confirms with the button
const confirm = reply?.actions.find((b) => b.id === 'ill:confirm');
if (confirm) reply = bot.handle({ actor, conversationId, action: { id: confirm.id, target: confirm.target, version: confirm.version } }).replies[0];
process.stdout.write(`${JSON.stringify({ steps, ...(reply?.request ? { request: reply.request.id } : {}), ...(reply?.error ? { error: reply.error } : {}) })}\n`);
jala.close();
