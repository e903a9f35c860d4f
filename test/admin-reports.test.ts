/**
 * The administration reports on the sample consortium, against numbers computed here independently:
 * straight from the stored MARC (parsed in the test, not through the report queries) and plain SQL.
 */
import { storedMarcRecord } from '../src/marc/stored-marc.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlapReport, uniqueReport } from '../src/reports/collection-overlap.ts';
import { qualityReport, type QualityCheck } from '../src/reports/quality-report.ts';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor, BotReply } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { JALA_BIN } from './support/paths.ts';
import { sampleJala } from './support/sample-jala.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const run = promisify(execFile);
const LIBRARIES = ['DISPUSIP', 'UGM', 'UI', 'USU'];

interface StoredRecord {
  id: string;
  library: string;
  workId: number;
  fields: Array<{ tag: string; value?: string; subfields?: Array<{ code: string; value: string }> }>;
}

let jala: Jala & { configPath: string };
let bot: Bot;
let records: StoredRecord[];
/** work id → libraries holding it */
let holders: Map<number, Set<string>>;
let formatOf: Map<number, string>;

beforeAll(async () => {
  jala = await sampleJala();
  bot = createBot(jala, { ill: createIllService(jala) });
  const rows = sqliteOf(jala.store).prepare('SELECT id, library, work_id AS workId, marc FROM records').all() as Array<{ id: string; library: string; workId: number; marc: string | Uint8Array }>;
  // the MARC as stored: ISO 2709 bytes as read, or JSON
  records = rows.map((r) => ({ id: r.id, library: r.library, workId: r.workId, fields: (storedMarcRecord(r.marc) as { fields: StoredRecord['fields'] }).fields }));
  holders = new Map();
  for (const r of records) holders.set(r.workId, (holders.get(r.workId) ?? new Set()).add(r.library));
  formatOf = new Map(
    (sqliteOf(jala.store).prepare('SELECT id, doc FROM works WHERE record_count > 0').all() as Array<{ id: number; doc: string }>).map((w) => [w.id, (JSON.parse(w.doc) as { format: string }).format]),
  );
});
afterAll(() => jala.close());

// ——— independent checks of the stored MARC ———

function isbnChecksumOk(digits: string): boolean {
  if (/^\d{9}[\dX]$/.test(digits)) {
    const sum = [...digits].reduce((s, c, i) => s + (c === 'X' ? 10 : Number(c)) * (10 - i), 0);
    return sum % 11 === 0;
  }
  if (/^\d{13}$/.test(digits)) {
    const sum = [...digits].reduce((s, c, i) => s + Number(c) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0;
  }
  return false;
}

const subfields = (r: StoredRecord, tag: string, codes: string): string[] =>
  r.fields.filter((f) => f.tag === tag && f.subfields).flatMap((f) => f.subfields!.filter((s) => codes.includes(s.code)).map((s) => s.value));

const expected: Record<QualityCheck, (r: StoredRecord) => boolean> = {
  'invalid-isbn': (r) =>
    subfields(r, '020', 'a').some((raw) => {
      if (!/\d/.test(raw) || /^\s*(ISSN\s*:?\s*)?\d{4}-?\d{3}[\dXx]\b/i.test(raw)) return false;
      const candidate = /[\dXx][\dXx\s-]{8,20}[\dXx]|[\dXx]{10,13}/.exec(raw)?.[0].replace(/[\s-]/g, '').toUpperCase() ?? '';
      return !isbnChecksumOk(candidate);
    }),
  'no-245': (r) => !r.fields.some((f) => f.tag === '245'),
  'no-001': (r) => !r.fields.some((f) => f.tag === '001'),
  'encoding-repaired': () => false, // from SQL below
  'language-name': (r) => subfields(r, '041', 'ad').some((v) => v.trim() !== '' && !/^([a-z]{3})+$/.test(v.trim()) && /[A-Za-z]{4,}/.test(v)),
  'title-key-match': () => false, // from SQL below
};

function expectedCount(check: QualityCheck, library: string | undefined): number {
  if (check === 'encoding-repaired' || check === 'title-key-match') {
    const where = check === 'encoding-repaired' ? 'encoding_mismatch = 1' : "matched_by = 'title'";
    return (sqliteOf(jala.store).prepare(`SELECT count(*) AS n FROM records WHERE ${where} AND (? IS NULL OR library = ?)`).get(library ?? null, library ?? null) as { n: number }).n;
  }
  return records.filter((r) => (library === undefined || r.library === library) && expected[check](r)).length;
}

describe('jala quality on the sample consortium', () => {
  it('counts each problem as the stored MARC shows it, per library and for the consortium', () => {
    const seen: Record<string, number> = {};
    for (const library of [undefined, ...LIBRARIES]) {
      const result = qualityReport(jala.stores, library ? { library } : {});
      if (!result.ok) throw new Error(result.error);
      expect(result.report.records).toBe(records.filter((r) => library === undefined || r.library === library).length);
      for (const f of result.report.findings) {
        expect(f.count, `${f.check} ${library ?? 'all'}`).toBe(expectedCount(f.check, library));
        expect(f.examples.length).toBe(Math.min(5, f.count));
        if (library === undefined) seen[f.check] = f.count;
      }
    }
    // the sample data has something to show for most checks
    expect(seen).toMatchObject({ 'invalid-isbn': 1, 'encoding-repaired': 70, 'language-name': 5, 'title-key-match': 11 });
    expect(seen['no-001']).toBeGreaterThan(0);
  });

  it('gives examples that say what is wrong', () => {
    const result = qualityReport(jala.stores, { library: 'ui' });
    if (!result.ok) throw new Error(result.error);
    expect(result.report.library).toBe('UI');
    const isbn = result.report.findings.find((f) => f.check === 'invalid-isbn');
    expect(isbn?.examples[0]).toMatchObject({ recordId: 'UI.000538891', detail: '020$a "5-02-016536-2"' });
    const all = qualityReport(jala.stores);
    if (!all.ok) throw new Error(all.error);
    const dup = all.report.findings.find((f) => f.check === 'title-key-match');
    expect(dup?.examples[0]?.detail).toMatch(/^joined w\d+ on title and author alone, with [A-Z]+\./);
    expect(qualityReport(jala.stores, { library: 'NOPE' })).toMatchObject({ ok: false, error: 'report/unknown-library' });
  });
});

describe('jala overlap and jala unique on the sample consortium', () => {
  it('counts shared and unshared works of every pair of libraries, per format', () => {
    for (const a of LIBRARIES) {
      for (const b of LIBRARIES) {
        if (a >= b) continue;
        const result = overlapReport(jala.stores, a, b);
        if (!result.ok) throw new Error(result.error);
        const r = result.report;
        const works = [...holders].filter(([, libs]) => libs.has(a) || libs.has(b));
        const both = works.filter(([, libs]) => libs.has(a) && libs.has(b));
        expect([r.shared, r.onlyFirst, r.onlySecond], `${a} ${b}`).toEqual([both.length, works.filter(([, l]) => !l.has(b)).length, works.filter(([, l]) => !l.has(a)).length]);
        expect(r.held).toEqual([works.filter(([, l]) => l.has(a)).length, works.filter(([, l]) => l.has(b)).length]);
        expect(r.rows).toHaveLength(works.length);
        for (const g of r.byFormat) {
          const inFormat = works.filter(([w]) => formatOf.get(w) === g.key);
          expect(g.shared + g.onlyFirst + g.onlySecond, `${a} ${b} ${g.key}`).toBe(inFormat.length);
          expect(g.shared).toBe(inFormat.filter(([, l]) => l.has(a) && l.has(b)).length);
        }
      }
    }
    // the sample consortium shares some works between UGM… and UI (the Indonesian titles)
    const ugmUi = overlapReport(jala.stores, 'UGM', 'UI');
    expect(ugmUi.ok && ugmUi.report.shared).toBeGreaterThan(0);
    expect(overlapReport(jala.stores, 'UGM', 'ugm')).toMatchObject({ ok: false, error: 'report/same-library' });
  });

  it('finds the works only one library holds (last copies), per format', () => {
    for (const lib of LIBRARIES) {
      const result = uniqueReport(jala.stores, lib);
      if (!result.ok) throw new Error(result.error);
      const r = result.report;
      const mine = [...holders].filter(([, l]) => l.has(lib));
      const alone = mine.filter(([, l]) => l.size === 1);
      expect([r.held, r.unique], lib).toEqual([mine.length, alone.length]);
      expect(r.rows.map((w) => w.workId).sort()).toEqual(alone.map(([w]) => `w${w}`).sort());
      for (const g of r.byFormat) expect(g.unique).toBe(alone.filter(([w]) => formatOf.get(w) === g.key).length);
      const items = sqliteOf(jala.store).prepare("SELECT count(*) AS n, coalesce(sum(i.status = 'available'), 0) AS a FROM items i JOIN records r ON r.id = i.record_id JOIN works w ON w.id = r.work_id WHERE r.library = ? AND w.library_count = 1").get(lib) as { n: number; a: number };
      expect(r.rows.reduce((s, w) => s + w.items, 0)).toBe(items.n);
      expect(r.rows.reduce((s, w) => s + w.available, 0)).toBe(items.a);
    }
  });
});

describe('the reports from chat', () => {
  const librarian: BotActor = { platform: 'cli', userId: 'lib-ui', role: 'librarian', library: 'UI' };
  const patron: BotActor = { platform: 'cli', userId: 'pat-ui', role: 'patron', library: 'UI' };
  const say = (actor: BotActor, text: string): BotReply => bot.handle({ actor, conversationId: `r-${actor.userId}`, text }).replies[0]!;
  const textOf = (r: BotReply): string => r.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');

  it('answers librarians with the quality report and refuses patrons', () => {
    const r = say(librarian, '/jala quality UI');
    expect(r.error).toBeUndefined();
    expect(textOf(r)).toMatch(/Invalid ISBNs in 020\$a: 1\n\s+UI\.000538891/);
    expect(textOf(r)).toMatch(new RegExp(`MARC-8/UTF-8 mismatches repaired \\(leader/09 wrong\\): ${expectedCount('encoding-repaired', 'UI')}`));
    expect(say(patron, '/jala quality').error).toBe('admin/forbidden');
    expect(say(librarian, '/jala quality NOPE').error).toBe('report/unknown-library');
  });

  it('attaches the overlap and the unique works as CSV', () => {
    const r = say(librarian, '/jala overlap UGM UI');
    expect(r.file).toMatchObject({ name: 'overlap-UGM-UI.csv', mediaType: 'text/csv' });
    const csv = Buffer.from(r.file!.base64, 'base64').toString('utf8').trimEnd().split('\r\n');
    const report = overlapReport(jala.stores, 'UGM', 'UI');
    if (!report.ok) throw new Error(report.error);
    expect(csv[0]).toBe('work,title,author,year,format,subject,holders,overlap');
    expect(csv.slice(1).filter((l) => l.endsWith(',both'))).toHaveLength(report.report.shared);
    expect(csv).toHaveLength(1 + report.report.rows.length);
    const u = say(librarian, '/jala unique DISPUSIP');
    expect(textOf(u)).toMatch(/^DISPUSIP holds \d+ works; \d+ of them no other member library holds/);
    expect(u.file?.name).toBe('unique-DISPUSIP.csv');
    expect(say(librarian, '/jala unique').error).toBe('bot/usage');
    expect(say(librarian, '/jala overlap UGM NOPE').error).toBe('report/unknown-library');
  });

  it('returns a work’s MARC as a file for copy cataloguing', () => {
    const shared = [...holders].find(([, l]) => l.size > 1)!;
    const r = say(librarian, `/jala export w${shared[0]}`);
    expect(r.file).toMatchObject({ name: `w${shared[0]}.xml`, mediaType: 'application/marcxml+xml' });
    const xml = Buffer.from(r.file!.base64, 'base64').toString('utf8');
    const ids = records.filter((x) => x.workId === shared[0]);
    expect((xml.match(/<record[ >]/g) ?? []).length).toBe(ids.length);
    for (const rec of ids) {
      const f001 = rec.fields.find((f) => f.tag === '001')?.value;
      if (f001) expect(xml).toContain(`>${f001}</`);
    }
    expect(say(librarian, '/jala export w999999').error).toBe('catalog/not-found');
  });
});

describe('the reports from the terminal', () => {
  it('jala overlap --csv, jala unique --json, and jala stats with the last harvest after jala reindex', async () => {
    const env = { ...process.env, JALA_CONFIG: jala.configPath };
    const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [JALA_BIN, ...args, '--data-dir', jala.dataDir], { env })).stdout;
    const csv = (await cli('overlap', 'UI', 'USU', '--csv')).trimEnd().split('\r\n');
    const report = overlapReport(jala.stores, 'UI', 'USU');
    if (!report.ok) throw new Error(report.error);
    expect(csv).toHaveLength(1 + report.report.rows.length);
    expect(csv.filter((l) => l.endsWith(',only UI'))).toHaveLength(report.report.onlyFirst);

    const unique = JSON.parse(await cli('unique', 'USU', '--json')) as { unique: number };
    expect(unique.unique).toBe([...holders].filter(([, l]) => l.size === 1 && l.has('USU')).length);

    const reindex = JSON.parse(await cli('reindex', 'DISPUSIP', '--json')) as { outcome: string; sources: Array<{ library: string; unchanged: number }> };
    expect(reindex).toMatchObject({ outcome: 'ok', sources: [{ library: 'DISPUSIP', unchanged: 61 }] });
    const stats = JSON.parse(await cli('stats', '--json')) as { records: number; perLibrary: Array<{ library: string; lastHarvest?: { outcome: string; source: string } }> };
    expect(stats.records).toBe(records.length);
    expect(stats.perLibrary.find((l) => l.library === 'DISPUSIP')?.lastHarvest).toMatchObject({ outcome: 'ok', source: 'files' });
    expect(stats.perLibrary.find((l) => l.library === 'UGM')?.lastHarvest).toBeUndefined();
  });
});
