import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { REQUESTER_STATES, SUPPLIER_STATES, TRANSITIONS, type RequesterState, type Side, type TransitionRow } from '../src/ill/ill-states.ts';
import type { IllEvent } from '../src/ill/ill-request.ts';
import { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { describeWithTools } from './support/system-tools.ts';
import type { ActionLine } from './support/ill-random-actor.ts';
import { sampleJala } from './support/sample-jala.ts';
import { illCommand } from './support/ill-request.ts';
import type { OutboxEvent } from '../src/bot/outbox-events.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const run = promisify(execFile);
const ACTOR_SCRIPT = path.join(PACKAGE_ROOT, 'test', 'support', 'ill-random-actor.ts');

/**
 * The ILL property across processes: several processes (the same composition as `jala say`) take
 * seeded random actions — every action name, from librarians of every library, the patrons, a
 * stranger and an admin, typed or as button presses with the version they last saw — on the same
 * few requests in one SQLite file (now and then placing another, or finding the others' new ones in
 * a queue), one process living weeks ahead and running the timers. Each process's choices come from
 * the seed (JALA_ILL_SEED, named in the test title); what they meet depends on the interleaving,
 * which is the operating system's. Afterwards the database must tell one consistent story.
 *
 * The same property runs twice: the processes sharing one SQLite file, and the processes sharing one
 * PostgreSQL database (JALA_DATABASE_URL, as replicas share it), where the ILL ports live in PostgreSQL.
 */
const SEED = Number(process.env.JALA_ILL_SEED ?? 20261124);
const WORKERS = 5;
const ACTIONS = 100;
const EXPECTED_ERRORS = new Set(['ill/not-requestable', 'ill/forbidden', 'ill/not-allowed-now', 'ill/stale', 'ill/needs-details', 'ill/bad-date', 'ill/usage']);

/** The side an event's actor took (the service's rule, from the event's own record of who and where). */
function sideOf(e: IllEvent, requester: string): Side {
  if (e.actorRole === 'system') return 'system';
  if (e.actorRole === 'patron') return 'requester';
  if (e.action === 'close' && e.actorRole === 'admin') return 'admin';
  if (e.actorLibrary === requester) return 'requester';
  if (e.supplier !== null && e.actorLibrary === e.supplier) return 'supplier';
  return 'admin';
}

type Backend = { name: 'SQLite' } | { name: 'PostgreSQL'; url: () => string };

function illPropertyAcrossProcesses(backend: Backend): void {
  it(`${backend.name}: ${WORKERS} processes taking ${WORKERS * ACTIONS} random actions (seed ${SEED}) on ten shared requests and those they place never leave the state table, and lose or double nothing`, async () => {
    const databaseUrl = backend.name === 'PostgreSQL' ? backend.url() : undefined;
    // the composition root reads JALA_DATABASE_URL (here and in the processes, which inherit it)
    const savedUrl = process.env.JALA_DATABASE_URL;
    if (databaseUrl === undefined) delete process.env.JALA_DATABASE_URL;
    else process.env.JALA_DATABASE_URL = databaseUrl;
    try {
      const jala = await sampleJala((c) => {
        c.conversation = { rateLimitPerMinute: 100_000 };
      });
      const dataDir = jala.dataDir;
      const ill = createIllService(jala);
      // works held by several libraries, so declines and time-outs have somewhere to go
      const multiHeld = jala
        .ask('jazz')
        .results.concat(jala.ask('indonesia').results, jala.ask('laskar pelangi').results, jala.ask('the rainbow troops').results)
        .filter((w) => w.libraries.length >= 2)
        .map((w) => w.workId);
      const works = [...new Set([...multiHeld, jala.ask('the rainbow troops').results[0]?.workId ?? ''])].filter(Boolean);
      expect(works.length).toBeGreaterThanOrEqual(2);
      const patrons = [{ userId: 'patron-ugm', library: 'UGM' }, { userId: 'patron-usu', library: 'USU' }, { userId: 'patron-ui', library: 'UI' }];
      const placers: BotActor[] = [
        { platform: 'cli', userId: 'placer-ugm', role: 'librarian', library: 'UGM' },
        { platform: 'cli', userId: 'placer-dki', role: 'librarian', library: 'DISPUSIP' },
        { platform: 'cli', userId: 'placer-usu', role: 'librarian', library: 'USU' },
        { platform: 'cli', userId: 'placer-ui', role: 'librarian', library: 'UI' },
        { platform: 'cli', userId: 'placer-ugm-2', role: 'librarian', library: 'UGM' },
        { platform: 'cli', userId: 'placer-dki-2', role: 'librarian', library: 'DISPUSIP' },
        { platform: 'cli', userId: 'placer-usu-2', role: 'librarian', library: 'USU' },
        ...patrons.map((p): BotActor => ({ platform: 'cli', userId: p.userId, role: 'patron', library: p.library, displayName: `Patron ${p.userId}` })),
      ];
      /** versions reached by transitions, per request, as the processes (and the placing here) report them */
      const claimed = new Map<number, number[]>();
      const claim = (request: number, version: number): void => void claimed.set(request, [...(claimed.get(request) ?? []), version]);
      const ids = placers.map((actor, i) => {
        // a library asking for a work only it holds is refused (nothing can be lent): take the next work then
        let r = ill.handleCommand({ actor, conversationId: 'setup', text: '' }, illCommand(`request ${works[i % works.length]}`), 'en');
        for (let k = 1; r.replies[0]?.error === 'ill/not-requestable' && k < works.length; k++) r = ill.handleCommand({ actor, conversationId: 'setup', text: '' }, illCommand(`request ${works[(i + k) % works.length]}`), 'en');
        const summary = r.replies[0]?.request;
        if (!summary || r.replies[0]?.error) throw new Error(`not placed: ${JSON.stringify(r.replies[0])}`);
        const id = Number(summary.id.slice(1));
        if (summary.version > 1) claim(id, summary.version); // a librarian's request is routed at once
        return id;
      });
      jala.close();

      const children = Array.from({ length: WORKERS }, (_, worker) =>
        run(process.execPath, [
          '--import', 'tsx', ACTOR_SCRIPT,
          '--data-dir', dataDir, '--seed', String(SEED), '--worker', String(worker), '--actions', String(ACTIONS),
          '--requests', ids.join(','), '--works', works.join(','), '--patrons', patrons.map((p) => `${p.userId}:${p.library}`).join(','),
          // the last process lives three weeks ahead: lender time-outs, overdue loans, reminders
          ...(worker === WORKERS - 1 ? ['--clock-days', '21'] : []),
        ], { cwd: PACKAGE_ROOT, maxBuffer: 16 * 1024 * 1024 }),
      );
      const outputs = await Promise.all(children);
      const lines = outputs.flatMap((o) => o.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ActionLine));

      // every action was taken and answered: a transition or one of the expected refusals
      expect(lines).toHaveLength(WORKERS * ACTIONS);
      const unexpected = lines.filter((l) => l.error !== undefined && !EXPECTED_ERRORS.has(l.error));
      expect(unexpected, 'errors other than refusals').toEqual([]);
      for (const l of lines) for (const t of l.transitions) claim(t.request, t.version);
      const transitions = lines.reduce((n, l) => n + l.transitions.length, 0);
      expect(transitions, 'transitions made').toBeGreaterThanOrEqual(20);

      const j = await createJala({ dataDir });
      const pg = databaseUrl === undefined ? undefined : new PgDatabase(databaseUrl);
      try {
        const store = j.stores.ill;
        // the requests placed here and those the processes placed on the way
        const all = store.openRequests([]).map((r) => r.id);
        const placedOnTheWay = lines.filter((l) => l.did.startsWith('/ill request') && !l.error).length;
        expect(all).toHaveLength(ids.length + placedOnTheWay);
        const outboxSql = "SELECT payload FROM outbox WHERE request_id = ? AND target_type = 'library' AND target = ? ORDER BY id";
        const requesterEvents = {
          all: (id: number, target: string): Array<{ payload: string }> =>
            pg ? pg.all<{ payload: string }>(outboxSql.replace('?', '$1').replace('?', '$2'), [id, target]) : (sqliteOf(j.store).prepare(outboxSql).all(id, target) as Array<{ payload: string }>),
        };
        const seenStates = new Set<string>();
        const seenActions = new Set<string>();
        for (const id of all) {
          const r = store.request(id);
          if (!r) throw new Error(`R${id} lost`);
          const events = store.events(id);
          seenStates.add(r.state);
          // the stored state is one of the table's, and so is the lender's side
          expect(REQUESTER_STATES).toContain(r.state);
          if (r.supplierState !== null) expect(SUPPLIER_STATES).toContain(r.supplierState);

          // the log starts with the placing, each event starts where the previous one ended, and each is a row of the table
          expect(events[0]?.action).toBe('place');
          expect(events[0]?.fromState).toBeNull();
          let state = events[0]?.toState as RequesterState;
          let prior: RequesterState | undefined;
          for (const [i, e] of events.entries()) {
            if (i === 0) continue;
            const where = `R${id} event ${i} (${e.action} ${e.fromState} → ${e.toState} by ${e.actorRole} ${e.actorLibrary ?? ''})`;
            expect(e.fromState, where).toBe(state);
            seenActions.add(e.action);
            if (e.action === 'route') {
              expect(e.fromState, where).toBe('SOURCING');
              expect(e.toState, where).toBe('SENT');
              expect(e.actorRole, where).toBe('system');
              state = e.toState as RequesterState;
              continue;
            }
            const side = sideOf(e, r.requester);
            const row: TransitionRow | undefined = TRANSITIONS.find(
              (t) => t.action === e.action && t.side === side && t.from.includes(e.fromState as RequesterState) && (e.actorRole !== 'patron' || t.patron === true),
            );
            expect(row, `${where}: no row of the state table`).toBeDefined();
            if (!row) continue;
            const allowed: string[] =
              row.to === 'ROUTE' ? ['SOURCING', 'LOCAL_REVIEW', 'UNFILLED']
              : row.to === 'NEXT_LENDER' ? ['SOURCING', 'UNFILLED']
              : row.to === 'PRIOR' ? [prior ?? '(nothing saved)']
              : row.to === 'SAME' ? [e.fromState as string]
              : [row.to];
            expect(allowed, where).toContain(e.toState);
            if (row.savePrior) prior = e.fromState as RequesterState;
            state = e.toState as RequesterState;
            // a move to another lender is followed by its routing
            if (e.toState === 'SOURCING') expect(events[i + 1]?.action, where).toBe('route');
          }
          // replaying the log gives the stored state and version (one version per transition)
          expect(state, `R${id} replayed`).toBe(r.state);
          const moves = events.filter((e) => e.action !== 'place' && e.action !== 'route');
          expect(r.version, `R${id} version`).toBe(1 + moves.length);
          expect(events.at(-1)?.supplierTo ?? null, `R${id} lender state`).toBe(r.supplierState);

          // nothing lost, nothing doubled: the versions the processes saw their transitions reach are exactly 2 … version
          const versions = [...(claimed.get(id) ?? [])].sort((a, b) => a - b);
          expect(versions, `R${id}: transitions reported by the processes`).toEqual(Array.from({ length: r.version - 1 }, (_, k) => k + 2));
          // and each transition told the requesting library once, with the version it reached
          // (the outbox holds events: a transition notice carries the request as it reached that version)
          const told = (requesterEvents.all(id, r.requester) as Array<{ payload: string }>)
            .map((row) => JSON.parse(row.payload) as OutboxEvent)
            .filter((e) => e.kind === 'ill-notice' && e.event.kind === 'transition')
            .map((e) => (e.kind === 'ill-notice' ? e.request.version : 0))
            .filter((v) => v > 1);
          expect(told, `R${id}: notifications to ${r.requester}`).toEqual(versions);
        }
        // the random walk went somewhere: several states and actions were reached
        expect(seenActions.size, [...seenActions].join(' ')).toBeGreaterThanOrEqual(5);
        expect(seenStates.size, [...seenStates].join(' ')).toBeGreaterThanOrEqual(2);
      } finally {
        pg?.close();
        j.close();
      }
    } finally {
      if (savedUrl === undefined) delete process.env.JALA_DATABASE_URL;
      else process.env.JALA_DATABASE_URL = savedUrl;
    }
  });
}

describe('ILL actions from several processes at once (property)', () => {
  illPropertyAcrossProcesses({ name: 'SQLite' });
});

describeWithTools([POSTGRES_TOOL], 'ILL actions from several processes sharing one PostgreSQL (property)', () => {
  const postgres = usePostgresServer();
  illPropertyAcrossProcesses({ name: 'PostgreSQL', url: () => postgres().createDatabase() });
});
