/**
 * `jala migrate-store`, end to end, as an operator runs it: the sample consortium (the one `npm start`
 * builds), with a patron's conversation, ILL requests that moved through several states, notices in
 * the outbox and their deliveries, card positions and a FAQ entry, copied into a real PostgreSQL and
 * back into a new data directory. Every table's counts and digests must be equal both ways, and so
 * must `jala stats --digest`; what the stores read back (a request with its events, a record's
 * original MARC) must be what was there before. A non-empty target is refused and left as it was; a
 * copy the target cannot take is rolled back; a bad or unreachable URL gets its code, never its password.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { MigrateStoreReport } from '../src/migrate-store/copy-store.ts';
import { createBot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import type { BotActor } from '../src/bot/bot-types.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { SqliteCatalogStore } from '../src/store/sqlite-catalog-store.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { PgCatalogStore } from '../src/store-postgres/pg-catalog-store.ts';
import { openPgDatabase, PgDatabase } from '../src/store-postgres/pg-database.ts';
import { PgIllStore } from '../src/store-postgres/pg-ill-store.ts';
import { JALA_BIN, tempDir } from './support/paths.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { runTool } from './support/run-tool.ts';
import { sampleJala } from './support/sample-jala.ts';
import { describeWithTools } from './support/system-tools.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const jala = (...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => runTool(process.execPath, [JALA_BIN, ...args], { timeoutMs: 600_000 });
const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

type Report = { ok: true } & MigrateStoreReport;

async function statsDigest(dataDir: string): Promise<string> {
  const r = await jala('stats', '--digest', '--json', '--data-dir', dataDir);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { digest: string }).digest;
}

const indexCount = (pg: PgDatabase): number => pg.get<{ n: number }>('SELECT count(*) AS n FROM pg_indexes WHERE schemaname = current_schema()')!.n;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describeWithTools([POSTGRES_TOOL], 'jala migrate-store between SQLite and PostgreSQL', () => {
  const postgres = usePostgresServer();
  let dataDir: string;
  let url: string;
  let forward: Report;
  let originalDigest: string;
  /** the request that went SENT → WILL_SUPPLY → SHIPPED, and a record kept as ISO 2709 bytes */
  let shippedId: number;
  let bytesRecord: string;
  /** the indexes of a database with Jala's schema and nothing in it */
  let freshIndexCount: number;

  beforeAll(async () => {
    const sample = await sampleJala((c) => {
      c.conversation = { rateLimitPerMinute: 100_000 };
    });
    dataDir = sample.dataDir;
    const bot = createBot(sample, { ill: createIllService(sample) });
    const patron: BotActor = { platform: 'slack', userId: 'U-ana', role: 'patron', library: 'UGM', displayName: 'Ana' };
    const librarian = (library: string): BotActor => ({ platform: 'slack', userId: `U-lib-${library}`, role: 'librarian', library });
    const say = (actor: BotActor, text: string, conversationId: string) => bot.handle({ actor, conversationId, text }).replies[0];
    // a patron's conversation, ending in a request placed from it
    say(patron, 'bumi manusia', 'thread-ana');
    say(patron, 'the second one', 'thread-ana');
    say(patron, 'request it', 'thread-ana');
    expect(say(patron, 'yes', 'thread-ana')?.request?.state).toBe('NEW');
    // a librarian's request that the lender accepts and ships
    const placed = say(librarian('UGM'), '/ill request the rainbow troops note:for a thesis', 'thread-ugm');
    expect(placed?.request?.state).toBe('SENT');
    shippedId = Number(placed?.request?.id.slice(1));
    say(librarian('UI'), `/ill accept R${shippedId}`, 'thread-ui');
    expect(say(librarian('UI'), `/ill ship R${shippedId} 2027-01-10`, 'thread-ui')?.request?.state).toBe('SHIPPED');
    // a FAQ entry, a card position, one notice delivered and one failed once
    sample.stores.faq.addFaq({ library: 'UGM', question: 'Jam buka perpustakaan?', answer: 'Senin–Jumat 08.00–16.00', createdBy: 'U-lib-UGM', now: '2026-12-01T08:00:00.000Z' });
    sample.stores.cards.saveCard('slack', `R${shippedId}`, 'C-UI', { channel: 'C-UI', messageId: '1765000000.000100', threadId: '1765000000.000100', shownVersion: 3 });
    const now = new Date().toISOString();
    const pending = sample.stores.outbox.pendingFor('slack', ['UGM', 'UI'], now, 10);
    expect(pending.length).toBeGreaterThanOrEqual(2);
    expect(sample.stores.outbox.claim(pending[0]!.id, 'slack', 'test', now, new Date(Date.now() + 60_000).toISOString())).toBe(true);
    sample.stores.outbox.markDelivered(pending[0]!.id, 'slack', now);
    sample.stores.outbox.markFailed(pending[1]!.id, 'slack', 'transport/unreachable', new Date(Date.now() + 60_000).toISOString());
    bytesRecord = (sqliteOf(sample.store).prepare("SELECT id FROM records WHERE typeof(marc) = 'blob' ORDER BY id LIMIT 1").pluck().get() as string | undefined) ?? '';
    expect(bytesRecord).not.toBe('');
    sample.close();
    url = postgres().createDatabase();
    const fresh = openPgDatabase(postgres().createDatabase());
    freshIndexCount = indexCount(fresh);
    fresh.close();
    originalDigest = await statsDigest(dataDir);
  }, 600_000);

  it('copies the sample consortium into PostgreSQL: every table equal in rows and digest, the catalog digest as jala stats --digest prints it', async () => {
    const r = await jala('migrate-store', '--data-dir', dataDir, '--to', url, '--json');
    expect(r.code, r.stderr).toBe(0);
    forward = JSON.parse(r.stdout) as Report;
    expect(forward.ok).toBe(true);
    const rows = Object.fromEntries(forward.tables.map((t) => [t.table, t.target.rows]));
    for (const t of ['ill_requests', 'ill_events', 'ill_rota', 'outbox', 'outbox_deliveries', 'conversation_contexts', 'faq_entries', 'card_refs', 'records', 'works', 'items', 'record_keys', 'libraries']) {
      expect(rows[t], t).toBeGreaterThan(0);
    }
    for (const t of forward.tables) {
      expect(t.target, t.table).toEqual(t.source);
      expect(t.equal).toBe(true);
    }
    expect(forward.catalog.source.digest).toBe(originalDigest);
    expect(forward.catalog.target.digest).toBe(originalDigest);

    // what PostgreSQL's own stores read back is what SQLite held
    const db = openDatabase(dataDir);
    const pg = new PgDatabase(url);
    try {
      const sqliteIll = new SqliteIllStore(db);
      const pgIll = new PgIllStore(pg);
      expect(pgIll.request(shippedId)).toEqual(sqliteIll.request(shippedId));
      expect(pgIll.request(shippedId)?.state).toBe('SHIPPED');
      expect(pgIll.events(shippedId)).toEqual(sqliteIll.events(shippedId));
      expect(new PgCatalogStore(pg).digest().digest).toBe(originalDigest);
      expect(new PgCatalogStore(pg).recordMarc(bytesRecord)).toEqual(new SqliteCatalogStore(db).recordMarc(bytesRecord));
      // the indexes set aside during the load are all back
      expect(indexCount(pg)).toBe(freshIndexCount);
      // ids go on after the copied ones: the next request is not R1 again
      expect(pg.get<{ n: number }>("SELECT nextval(pg_get_serial_sequence('ill_requests', 'id')) AS n")?.n).toBeGreaterThan(shippedId);
    } finally {
      pg.close();
      db.close();
    }
  }, 600_000);

  it('copies it back into a new data directory with the same digests, and jala stats --digest there equals the original', async () => {
    const back = tempDir('jala-migrated-back-');
    const r = await jala('migrate-store', '--from', url, '--to', back, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.tables.map((t) => [t.table, t.target.rows, t.target.digest])).toEqual(forward.tables.map((t) => [t.table, t.source.rows, t.source.digest]));
    expect(await statsDigest(back)).toBe(originalDigest);
    const a = openDatabase(dataDir);
    const b = openDatabase(back);
    try {
      expect(new SqliteIllStore(b).request(shippedId)).toEqual(new SqliteIllStore(a).request(shippedId));
      expect(new SqliteIllStore(b).events(shippedId)).toEqual(new SqliteIllStore(a).events(shippedId));
      // the original MARC bytes came back as bytes
      expect(b.prepare('SELECT marc FROM records WHERE id = ?').pluck().get(bytesRecord)).toEqual(a.prepare('SELECT marc FROM records WHERE id = ?').pluck().get(bytesRecord));
    } finally {
      a.close();
      b.close();
    }
    // and the patron's ILL request is there for jala say, in the new data directory
    const status = await jala('say', '--json', '--user', 'U-lib-UI', '--role', 'librarian', '--library', 'UI', '--data-dir', back, `/ill status R${shippedId}`);
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { replies: Array<{ request?: { state: string } }> }).replies[0]?.request?.state).toBe('SHIPPED');
  }, 600_000);

  it('refuses a target that already holds a consortium, leaving it as it was; --overwrite replaces it and prints the tables', async () => {
    const pg = new PgDatabase(url);
    const before = new PgCatalogStore(pg).digest().digest;
    const requestsBefore = pg.get<{ n: number }>('SELECT count(*) AS n FROM ill_requests')?.n;
    pg.close();
    const again = await jala('migrate-store', '--data-dir', dataDir, '--to', url);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('migrate-store/target-not-empty');
    expect(again.stderr).toContain('--overwrite');
    const pg2 = new PgDatabase(url);
    try {
      expect(new PgCatalogStore(pg2).digest().digest).toBe(before);
      expect(pg2.get<{ n: number }>('SELECT count(*) AS n FROM ill_requests')?.n).toBe(requestsBefore);
    } finally {
      pg2.close();
    }

    const back = tempDir('jala-migrated-twice-');
    expect((await jala('migrate-store', '--from', url, '--to', `sqlite:${back}`)).code).toBe(0);
    const file = path.join(back, 'jala.db');
    const hash = sha(file);
    const refused = await jala('migrate-store', '--from', url, '--to', back, '--json');
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { code: 'migrate-store/target-not-empty' } });
    expect(sha(file)).toBe(hash);
    expect(fs.readdirSync(back).filter((f) => f.includes('migrating'))).toEqual([]);

    const replaced = await jala('migrate-store', '--from', url, '--to', back, '--overwrite');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toMatch(/ill_requests\s+2\s+2\s+[0-9a-f]{16}\s+[0-9a-f]{16}\s+equal/);
    expect(replaced.stdout).toContain(`catalog (jala stats --digest): ${originalDigest} = ${originalDigest}`);
    expect(replaced.stdout).toContain('Overwrote what the target held');
    expect(await statsDigest(back)).toBe(originalDigest);
  }, 600_000);

  it('rolls back a copy PostgreSQL cannot take (a NUL character in a holding note): nothing is written, not even the tables before it', async () => {
    const copy = tempDir('jala-migrate-nul-');
    expect((await jala('migrate-store', '--data-dir', dataDir, '--to', copy)).code).toBe(0);
    const db = openDatabase(copy);
    db.prepare('UPDATE items SET note = ? WHERE id = (SELECT min(id) FROM items)').run('rusak\u0000');
    db.close();
    const target = postgres().createDatabase();
    const r = await jala('migrate-store', '--data-dir', copy, '--to', target);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('migrate-store/rejected');
    expect(r.stderr).toContain('items');
    const pg = new PgDatabase(target);
    try {
      // records, works, libraries were loaded before items in the same transaction: rolled back with it
      for (const t of ['records', 'works', 'libraries', 'ill_requests', 'items']) expect(pg.get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)?.n, t).toBe(0);
      expect(indexCount(pg)).toBe(freshIndexCount);
    } finally {
      pg.close();
    }
  }, 600_000);

  it('answers an unreachable or malformed PostgreSQL URL with its code and never prints the password', async () => {
    const port = await closedPort();
    const cases: Array<[string, string]> = [
      [`postgres://jala:Hunter2-Secret@127.0.0.1:${port}/jala`, 'store/unreachable-database'],
      [`postgres://jala:Hunter2-Secret@127.0.0.1:${port}/jala?sslmode=bogus`, 'store/unreachable-database'],
      ['postgres://jala:Hunter2@Secret@127.0.0.1:5432/jala', 'migrate-store/bad-location'],
      ['postgres://jala:Hunter2-Secret@127.0.0.1:99999/jala', 'migrate-store/bad-location'],
    ];
    for (const [bad, code] of cases) {
      for (const args of [['--to', bad], ['--from', bad, '--to', tempDir('jala-migrate-unreached-')]]) {
        const r = await jala('migrate-store', '--data-dir', dataDir, ...args, '--json');
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code } });
        expect(r.stderr).toContain(code);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/Hunter2|Secret/);
      }
    }
  }, 600_000);
});
