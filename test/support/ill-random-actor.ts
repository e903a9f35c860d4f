/**
 * One process of the cross-process ILL property test (test/ill-random-processes.test.ts): opens the
 * shared data directory like `jala say` does (createJala → createIllService → createBot) and takes
 * a seeded random sequence of ILL actions by random actors on the given requests — mostly a look at
 * the request (`/ill status`) and a press of one of the buttons its card offers that actor, with the
 * version it showed; otherwise any action name, typed or as a button with the version last seen —
 * printing one JSON line per action.
 * With --clock-days the process lives that many days ahead and runs the timers between actions
 * (lender time-outs, overdue loans, reminders, patron erasure).
 *
 *   node --import tsx test/support/ill-random-actor.ts --data-dir DIR --seed N --worker K --actions N --requests 1,2,3
 *     --works w1,w2 --patrons user:LIB,… [--clock-days D]
 *
 * Now and then it places a new request for one of the works, or looks at a library's queue and so
 * finds requests other processes placed.
 */
import { createBot, createIllService, createJala, type BotActor, type BotReply, type BotResult } from '../../src/index.ts';
import { ILL_ACTION_NAMES } from '../../src/ill/ill-states.ts';
import { seededPrng } from './seeded-prng.ts';

export interface ActionLine {
  worker: number;
  n: number;
  actor: string;
  /** what was asked: "/ill accept R3 …", "button ill:accept R3 v4", "timers" */
  did: string;
  /** the request the action was about, and the transitions it made: request number → version after */
  transitions: Array<{ request: number; version: number }>;
  error?: string;
}

const LIBRARIES = ['UGM', 'UI', 'USU', 'DISPUSIP'] as const;
/** what details an action may come with: none, a decline reason, a date, words */
/** the buttons that move a loan on (pressed eight times as often as the others) */
const FORWARD = new Set(['ill:approve', 'ill:accept', 'ill:ship', 'ill:receive', 'ill:return', 'ill:checkin', 'ill:renew']);
const DETAILS = [undefined, undefined, 'not-held', 'not-on-shelf', '2031-02-01', '2020-01-01', 'ok', 'a note from the test', 'bad-date-9999'] as const;


function args(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) out.set(String(argv[i]).replace(/^--/, ''), String(argv[i + 1]));
  return out;
}

/** The request a reply is about and its version, when the reply is a transition's card (no error). */
function transitionOf(reply: BotReply | undefined): { request: number; version: number } | undefined {
  if (!reply || reply.error || !reply.request) return undefined;
  return { request: Number(reply.request.id.slice(1)), version: reply.request.version };
}

/** Transitions made (by the timers, or a placing's routing): each notifies the requesting library with the event on the card. */
function notifiedTransitions(notifications: BotResult['notifications']): Array<{ request: number; version: number }> {
  return notifications.flatMap((n) => {
    const card = n.reply.blocks.find((b) => b.type === 'request-card');
    const r = n.reply.request;
    if (!card || card.type !== 'request-card' || !card.event || !r || n.target.type !== 'library' || n.target.library !== r.requester) return [];
    return [{ request: Number(r.id.slice(1)), version: r.version }];
  });
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const dataDir = a.get('data-dir') ?? '';
  const worker = Number(a.get('worker') ?? 0);
  const pick = seededPrng(Number(a.get('seed') ?? 1) * 1000 + worker);
  const count = Number(a.get('actions') ?? 50);
  const requests = (a.get('requests') ?? '').split(',').map(Number);
  const works = (a.get('works') ?? '').split(',').filter(Boolean);
  const clockDays = Number(a.get('clock-days') ?? 0);
  const patrons = (a.get('patrons') ?? '').split(',').filter(Boolean).map((p) => {
    const [userId = '', library = ''] = p.split(':');
    return { userId, library };
  });

  const now = (): Date => new Date(Date.now() + clockDays * 86_400_000);
  const jala = await createJala({ dataDir });
  const bot = createBot(jala, { ill: createIllService(jala, { now }), now });
  const one = <T>(list: readonly T[]): T => list[Math.floor(pick() * list.length)] as T;

  const actors: BotActor[] = [
    ...LIBRARIES.map((library): BotActor => ({ platform: 'cli', userId: `w${worker}-lib-${library}`, role: 'librarian', library })),
    ...patrons.map((p): BotActor => ({ platform: 'cli', userId: p.userId, role: 'patron', library: p.library, displayName: `Patron ${p.userId}` })),
    { platform: 'cli', userId: `w${worker}-stranger`, role: 'patron', library: 'USU' },
    { platform: 'cli', userId: `w${worker}-admin`, role: 'admin', library: 'DISPUSIP' },
  ];
  /** the version each request had when this process last saw it (stale presses come from here) */
  const seen = new Map<number, number>();
  /** each request's libraries, as this process last saw them */
  const parties = new Map<number, { requester: string; supplier?: string }>();
  const admin = actors.find((x) => x.role === 'admin') as BotActor;
  const learn = (replies: readonly BotReply[]): void => {
    for (const r of replies) {
      if (!r.request) continue;
      seen.set(Number(r.request.id.slice(1)), r.request.version);
      parties.set(Number(r.request.id.slice(1)), { requester: r.request.requester, ...(r.request.supplier ? { supplier: r.request.supplier } : {}) });
    }
  };
  const out = (line: ActionLine): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

  try {
    for (let n = 0; n < count; n++) {
      if (clockDays > 0 && pick() < 0.15) {
        const notifications = bot.runTimers();
        out({ worker, n, actor: 'system', did: 'timers', transitions: notifiedTransitions(notifications) });
        continue;
      }
      // now and then a library places a new request, or a librarian looks at the queue and finds the others' new ones
      const chance = pick();
      if (chance < 0.04) {
        const placer = one(actors.filter((x) => x.role === 'librarian'));
        const did = `/ill request ${one(works)}`;
        const placed = bot.handle({ actor: placer, conversationId: `cli:${placer.userId}`, text: did });
        learn(placed.replies);
        const summary = placed.replies[0]?.error ? undefined : placed.replies[0]?.request;
        if (summary) requests.push(Number(summary.id.slice(1)));
        // a librarian's request is routed at once, its first transition, which notifies the library (another process may
        // have found the new request and acted on it first, and then the routing is refused: no transition of ours)
        out({ worker, n, actor: `librarian:${placer.userId}`, did, transitions: notifiedTransitions(placed.notifications), ...(placed.replies[0]?.error ? { error: placed.replies[0].error } : {}) });
        continue;
      }
      if (chance < 0.1) {
        const looker = one(actors.filter((x) => x.role === 'librarian'));
        const queue = bot.handle({ actor: looker, conversationId: `cli:${looker.userId}`, text: '/ill queue' });
        for (const reply of queue.replies) {
          for (const b of reply.blocks) if (b.type === 'request-list') for (const r of b.requests) if (!requests.includes(Number(r.id.slice(1)))) requests.push(Number(r.id.slice(1)));
        }
        out({ worker, n, actor: `librarian:${looker.userId}`, did: '/ill queue', transitions: [] });
        continue;
      }
      const request = one(requests);
      let actor = one(actors);
      let result: BotResult | undefined;
      let did = '';
      if (pick() < 0.75) {
        // like a person at a card: someone involved (as far as this process knows) looks at the request and
        // presses one of the buttons it offers them — with the version it showed, which may be stale by then
        if (!parties.has(request)) learn(bot.handle({ actor: admin, conversationId: `cli:${admin.userId}`, text: `/ill status R${request}` }).replies);
        const known = parties.get(request);
        const involved = actors.filter((x) => x.role === 'patron' ? x.userId.startsWith('patron-') : x.library === known?.requester || x.library === known?.supplier);
        if (involved.length > 0) actor = one(involved);
        const status = bot.handle({ actor, conversationId: `cli:${actor.userId}`, text: `/ill status R${request}` });
        learn(status.replies);
        const buttons = status.replies.flatMap((r) => r.actions).filter((b) => b.id.startsWith('ill:') && b.id !== 'ill:request');
        // people mostly move a loan on; cancelling, declining, closing come now and then
        const weighted = buttons.flatMap((b) => (FORWARD.has(b.id) ? Array.from({ length: 8 }, () => b) : [b]));
        const button = weighted.length > 0 ? one(weighted) : undefined;
        if (button) {
          const kind = button.input?.kind;
          const input = kind === 'date' ? one(['2031-02-01', '', 'soon']) : kind === 'reason' ? one(['not-held', 'policy', '']) : kind === 'text' ? one(['ok', '']) : undefined;
          did = `press ${button.id} ${button.target} v${button.version}${input ? ` ${input}` : ''}`;
          result = bot.handle({ actor, conversationId: `cli:${actor.userId}`, action: { id: button.id, target: button.target, version: button.version, ...(input ? { input } : {}) } });
        }
      }
      if (!result) {
        const action = one(ILL_ACTION_NAMES);
        const details = one(DETAILS);
        if (pick() < 0.5) {
          did = `/ill ${action} R${request}${details ? ` ${details}` : ''}`;
          result = bot.handle({ actor, conversationId: `cli:${actor.userId}`, text: did });
        } else {
          const version = seen.get(request) ?? 1 + Math.floor(pick() * 4);
          did = `button ill:${action} R${request} v${version}${details ? ` ${details}` : ''}`;
          result = bot.handle({ actor, conversationId: `cli:${actor.userId}`, action: { id: `ill:${action}`, target: `R${request}`, version, ...(details ? { input: details } : {}) } });
        }
      }
      const first = result.replies[0];
      learn(result.replies);
      const t = transitionOf(first);
      out({ worker, n, actor: `${actor.role}:${actor.userId}`, did, transitions: t ? [t] : [], ...(first?.error ? { error: first.error } : {}) });
    }
  } finally {
    jala.close();
  }
}

await main();
