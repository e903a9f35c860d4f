/**
 * Two `jala reindex LIBRARY` processes harvesting two different libraries at once from two OAI-PMH
 * data providers (Node, on 127.0.0.1, test/support/oai-fixture-server.ts), against one PostgreSQL
 * database (JALA_DATABASE_URL, each process with its own data directory, as replicas) and against one
 * SQLite data directory. Half of each library's books are the other's too (same ISBN): the two
 * harvests place them at the same time, and each such book must end up in one work, not two.
 *
 * The overlap is forced, not hoped for: each provider holds page 2 of its list until the other
 * harvest has asked for its page 2 too, so both processes hold their library's lock at once (a
 * harvest that was refused or made to wait would never ask, and the held page is released after a
 * bound with the test failing). Then the catalog must equal (`jala stats --digest`) the one made by
 * harvesting the same two libraries one after the other. Waits are bounded and never measure speed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgDatabase } from '../src/store-postgres/pg-database.ts';
import { isbn13, marcxmlBook, OaiFixtureServer, type FixtureRecord } from './support/oai-fixture-server.ts';
import { tempDir } from './support/paths.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { howEnded, runJala, type JalaRun } from './support/run-jala.ts';
import { describeWithTools } from './support/system-tools.ts';
import { MIN_WAIT_MS } from './support/wait-for.ts';

/** records per library of books both libraries hold, and of books only one holds */
const SHARED = 60;
const OWN = 60;
const PAGE = 10;
/** how long a provider holds page 2 for the other harvest before giving up (a failure, not a speed) */
const OVERLAP_BOUND_MS = Math.max(MIN_WAIT_MS, 60_000);

const WORDS = ['Laut', 'Gunung', 'Hujan', 'Senja', 'Angin', 'Sungai', 'Bintang', 'Pelangi', 'Kabut', 'Ombak', 'Rimba', 'Fajar'];
const NAMES = ['Sari', 'Budi', 'Wulan', 'Agus', 'Intan', 'Joko', 'Ratna', 'Hendra', 'Dewi', 'Yusuf', 'Lestari', 'Bayu'];

/** Two words from a number (different for numbers below 144). */
const phrase = (list: readonly string[], n: number): string => `${list[n % 12]} ${list[Math.floor(n / 12) % 12]}`;

/**
 * A library's list: shared book k (every other record) has the same ISBN, title, author and year in
 * both libraries; a library's own books differ from every other book in ISBN, title, author and year
 * (every book has a year of its own, so no two books of different ISBN can pass as one).
 */
function libraryRecords(lib: 'A' | 'B'): FixtureRecord[] {
  const out: FixtureRecord[] = [];
  for (let i = 0; i < SHARED + OWN; i++) {
    const k = Math.floor(i / 2);
    const shared = i % 2 === 0;
    const n = shared ? k : SHARED + k + (lib === 'B' ? OWN : 0);
    const book = shared
      ? { isbn: isbn13(k), author: `${phrase(NAMES, k)}`, title: `Kisah ${phrase(WORDS, k)} bersama`, year: 1800 + k }
      : { isbn: isbn13(1000 + n), author: `${phrase(NAMES, n)} ${lib === 'A' ? 'Utara' : 'Selatan'}`, title: `Catatan ${phrase(WORDS, n)} ${lib === 'A' ? 'utara' : 'selatan'}`, year: 1870 + n };
    const id = `${lib.toLowerCase()}${i}`;
    out.push({ identifier: `oai:fixture-${lib.toLowerCase()}:${id}`, marcxml: marcxmlBook({ id, ...book, barcode: `${lib}-${id}` }) });
  }
  return out;
}

/** `jala …` as a child process with `env` added; killed if it hangs (a failure, not a speed). */
function jala(args: string[], env: Record<string, string | undefined>): Promise<JalaRun> {
  const { child, done } = runJala(args, { env: { ...process.env, ...env } });
  const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(MIN_WAIT_MS, 300_000));
  return done.finally(() => clearTimeout(timer));
}

/** A data directory whose consortium harvests library A and B from the two providers. */
function dataDir(a: OaiFixtureServer, b: OaiFixtureServer): string {
  const dir = tempDir('jala-harvest-replica-');
  const config = {
    name: 'Harvest replicas test',
    harvest: { timeoutSeconds: 300, retries: 0 },
    libraries: [
      { code: 'A', name: 'Perpustakaan A', oai: [{ baseUrl: a.baseUrl, metadataPrefix: 'marc21' }] },
      { code: 'B', name: 'Perpustakaan B', oai: [{ baseUrl: b.baseUrl, metadataPrefix: 'marc21' }] },
    ],
  };
  fs.writeFileSync(path.join(dir, 'consortium.json'), JSON.stringify(config));
  return dir;
}

/**
 * Two providers whose page 2 waits for both harvests to ask for it (when `meet` is set): the proof
 * that both processes were harvesting at the same moment. `met` tells whether they did.
 */
async function providers(meet: boolean): Promise<{ a: OaiFixtureServer; b: OaiFixtureServer; met: () => boolean; giveUp: () => void; stop: () => Promise<void> }> {
  let asked = 0;
  let met = false;
  let release: () => void = () => {};
  const bothAsked = new Promise<void>((resolve) => (release = resolve));
  const beforePage = async (page: number): Promise<void> => {
    if (!meet || page !== 2) return;
    if (++asked === 2) {
      met = true;
      release();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([bothAsked, new Promise((resolve) => (timer = setTimeout(resolve, OVERLAP_BOUND_MS)))]);
    clearTimeout(timer);
  };
  const a = await new OaiFixtureServer(libraryRecords('A'), { pageSize: PAGE, beforePage }).start();
  const b = await new OaiFixtureServer(libraryRecords('B'), { pageSize: PAGE, beforePage }).start();
  // a harvest that ended (refused, failed) will not ask: the other goes on at once
  return { a, b, met: () => met, giveUp: () => release(), stop: async () => void (await Promise.all([a.stop(), b.stop()])) };
}

interface Store {
  /** environment of a `jala` process of replica `n` */
  env: Record<string, string | undefined>;
  /** the data directory of replica `n` */
  dir: (n: number) => string;
  /** SQL on the store: rows */
  query: (sql: string) => Array<Record<string, unknown>>;
}

/** `jala reindex A` and `jala reindex B` at once; both must succeed. */
async function harvestAtOnce(store: Store, giveUp: () => void): Promise<void> {
  const [ra, rb] = await Promise.all([
    jala(['reindex', 'A', '--json', '--data-dir', store.dir(1)], store.env).finally(giveUp),
    jala(['reindex', 'B', '--json', '--data-dir', store.dir(2)], store.env).finally(giveUp),
  ]);
  for (const [lib, r] of [['A', ra], ['B', rb]] as const) {
    expect(r.code, `jala reindex ${lib}: ${howEnded(r)}: ${r.stderr} ${r.stdout.slice(0, 2000)}`).toBe(0);
    const report = JSON.parse(r.stdout) as { outcome: string; sources: Array<Record<string, unknown>> };
    expect(report.outcome).toBe('ok');
    expect(report.sources).toMatchObject([{ library: lib, kind: 'oai', outcome: 'ok', received: SHARED + OWN, ingested: SHARED + OWN, skipped: 0, pages: (SHARED + OWN) / PAGE }]);
  }
}

async function harvestInTurn(store: Store, order: ReadonlyArray<'A' | 'B'>): Promise<void> {
  for (const lib of order) {
    const r = await jala(['reindex', lib, '--json', '--data-dir', store.dir(1)], store.env);
    expect(r.code, `${howEnded(r)}: ${r.stderr}`).toBe(0);
  }
}

async function digest(store: Store): Promise<{ digest: string; works: number; records: number; items: number }> {
  const r = await jala(['stats', '--digest', '--json', '--data-dir', store.dir(1)], store.env);
  expect(r.code, `${howEnded(r)}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as { digest: string; works: number; records: number; items: number };
}

/** Works by how many libraries' records they hold, and works holding two records of one library. */
function workShapes(store: Store): { works: number; bothLibraries: number; sameLibraryTwice: number } {
  const [row] = store.query(`SELECT count(*) AS works, coalesce(sum(CASE WHEN libs = 2 THEN 1 ELSE 0 END), 0) AS both, coalesce(sum(CASE WHEN n > libs THEN 1 ELSE 0 END), 0) AS twice
    FROM (SELECT work_id, count(*) AS n, count(DISTINCT library) AS libs FROM records GROUP BY work_id) w`);
  return { works: Number(row!.works), bothLibraries: Number(row!.both), sameLibraryTwice: Number(row!.twice) };
}

function harvestRuns(store: Store): Array<{ library: string; startedAt: string; finishedAt: string; outcome: string }> {
  return store.query('SELECT library, started_at AS "startedAt", finished_at AS "finishedAt", outcome FROM harvest_runs ORDER BY library') as Array<{ library: string; startedAt: string; finishedAt: string; outcome: string }>;
}

/** Both harvests at once, then the same two one after the other (in both orders), compared. */
async function checkTwoLibrariesAtOnce(open: () => Store): Promise<void> {
  const at = await providers(true);
  try {
    const store = open();
    const config = dataDir(at.a, at.b);
    for (const n of [1, 2]) fs.copyFileSync(path.join(config, 'consortium.json'), path.join(store.dir(n), 'consortium.json'));
    await harvestAtOnce(store, at.giveUp);
    // they overlapped: each asked for page 2 while the other was harvesting, and their runs overlap
    expect(at.met(), 'both harvests asked for their page 2 at the same time').toBe(true);
    const runs = harvestRuns(store);
    expect(runs.map((r) => [r.library, r.outcome])).toEqual([['A', 'ok'], ['B', 'ok']]);
    const [ra, rb] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(ra.startedAt < rb.finishedAt && rb.startedAt < ra.finishedAt).toBe(true);
    expect(Number(store.query('SELECT count(*) AS n FROM harvest_locks')[0]!.n)).toBe(0);

    // every shared book in one work holding both libraries' records; no book twice
    expect(workShapes(store)).toEqual({ works: SHARED + 2 * OWN, bothLibraries: SHARED, sameLibraryTwice: 0 });
    const together = await digest(store);

    for (const order of [['A', 'B'], ['B', 'A']] as const) {
      const turn = await providers(false);
      try {
        const other = open();
        fs.copyFileSync(path.join(dataDir(turn.a, turn.b), 'consortium.json'), path.join(other.dir(1), 'consortium.json'));
        await harvestInTurn(other, order);
        expect(await digest(other), `harvested ${order.join(' then ')}`).toEqual(together);
      } finally {
        await turn.stop();
      }
    }
  } finally {
    await at.stop();
  }
}

describeWithTools([POSTGRES_TOOL], 'two replicas harvesting different libraries at once (PostgreSQL)', () => {
  const postgres = usePostgresServer();
  const closers: Array<() => void> = [];

  afterAll(() => {
    for (const c of closers) c();
  });

  it('both complete, each shared book is one work, and the catalog equals harvesting one library after the other', async () => {
    await checkTwoLibrariesAtOnce(() => {
      const url = postgres().createDatabase();
      const dirs = [tempDir('jala-replica-1-'), tempDir('jala-replica-2-')];
      const db = openPgDatabase(url);
      closers.push(() => db.close());
      return { env: { JALA_DATABASE_URL: url }, dir: (n) => dirs[n - 1]!, query: (sql) => db.all(sql) };
    });
  }, 900_000);
});

describe('two processes harvesting different libraries at once (one SQLite data directory)', () => {
  it('both complete, each shared book is one work, and the catalog equals harvesting one library after the other', async () => {
    await checkTwoLibrariesAtOnce(() => {
      const dir = tempDir('jala-sqlite-harvest-');
      return {
        env: { JALA_DATABASE_URL: undefined },
        dir: () => dir,
        query: (sql) => {
          const db = new Database(path.join(dir, 'jala.db'), { readonly: true });
          try {
            return db.prepare(sql).all() as Array<Record<string, unknown>>;
          } finally {
            db.close();
          }
        },
      };
    });
  }, 900_000);
});
