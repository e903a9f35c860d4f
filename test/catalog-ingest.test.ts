import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMarcFiles, type IngestSummary } from '../src/ingest/ingest-marc-files.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { SqliteCatalogStore } from '../src/store/sqlite-catalog-store.ts';
import { JALA_BIN, listFiles, marcFixtures, sourcesRecordCounts, tempDir } from './support/paths.ts';
import { itWithTools, TOOLS } from './support/system-tools.ts';
import { MIN_WAIT_MS } from './support/wait-for.ts';

const shared = marcFixtures();

/** Fixtures that are broken on purpose (by their names and SOURCES.md notes). */
const DELIBERATELY_BROKEN = /bad|broken|invalid|error|mangled|messed|missing|cruel|non-numeric|incomplete|oversize|too_long|unordered|wrong|record-type|008008027|namespace-test/i;

function open(dir: string): { store: SqliteCatalogStore; close: () => void } {
  const db = openDatabase(dir);
  return { store: new SqliteCatalogStore(db), close: () => db.close() };
}

function runJala(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [JALA_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('ingesting every shared MARC file, one library per file', () => {
  const dir = tempDir();
  const results = new Map<string, IngestSummary>();
  let catalog: ReturnType<typeof open>;

  beforeAll(async () => {
    catalog = open(dir);
    const files = listFiles(shared).filter((f) => !f.endsWith('.md') && !f.endsWith('.sql'));
    for (const [i, file] of files.entries()) {
      results.set(file, await ingestMarcFiles({ store: catalog.store, library: `L${i}`, paths: [path.join(shared, file)] }));
    }
  });
  afterAll(() => catalog.close());

  it('reads every file without a crash and reports every skipped record with file, position and reason', () => {
    expect(results.size).toBeGreaterThan(200);
    for (const [file, s] of results) {
      expect(s.fatal, file).toEqual([]);
      const skippedProblems = s.problems.filter((p) => p.file.endsWith(file));
      expect(skippedProblems.length, file).toBeGreaterThanOrEqual(s.skipped);
      for (const p of s.problems) {
        expect(p.reason.length, file).toBeGreaterThan(3);
        expect(p.position, file).not.toBe('');
      }
    }
  });

  it('reads exactly the records SOURCES.md counts for every well-formed file, storing each or saying why not', () => {
    const counts = sourcesRecordCounts();
    let checked = 0;
    const mismatches: unknown[] = [];
    for (const [file, s] of results) {
      const expected = counts.get(file);
      if (expected === undefined || DELIBERATELY_BROKEN.test(file)) continue;
      const stored = s.ingested + s.updated + s.unchanged;
      if (s.read !== expected || stored + s.skipped !== expected) mismatches.push({ file, expected, read: s.read, stored, problems: s.problems.map((p) => p.reason) });
      checked++;
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(180);
    // what is skipped from well-formed files is not MARC 21 bibliographic data (UNIMARC, authority, holdings records)
    const totalStored = [...results.values()].reduce((n, s) => n + s.ingested, 0);
    expect(totalStored).toBeGreaterThan(2200);
  });

  it('reports the deliberately broken fixtures instead of losing them silently', () => {
    const broken = ['Catmandu-MARC/broken.xml', 'koha/koha_misc4dev_sample_bib369_invalid.marcxml', 'ruby-marc/three-records-second-bad.xml'];
    for (const file of broken) {
      const s = results.get(file);
      expect(s, file).toBeDefined();
      if (!s) continue;
      // every record is either stored or reported
      expect(s.ingested + s.skipped + s.warnings, file).toBeGreaterThan(0);
      expect(s.problems.length + s.warnings, file).toBeGreaterThan(0);
    }
  });

  it('keeps the database consistent', () => {
    expect(catalog.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(catalog.store.db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('deduplication across libraries and formats', () => {
  itWithTools([TOOLS.yazMarcdump], 'merges MARC-8 ISO 2709 from one library with yaz-marcdump\'s UTF-8 MARCXML of the same records from another: one work each, same titles, authors and ISBNs', async () => {
    const dir = tempDir();
    const iso = path.join(shared, 'evergreen', 'lul_fre_100.mrc');
    const xmlFile = path.join(dir, 'converted.xml');
    // an independent converter: yaz-marcdump (installed by .ci/run), MARC-8 → UTF-8, leader/09 set to 'a'
    fs.writeFileSync(xmlFile, execFileSync('yaz-marcdump', ['-f', 'MARC-8', '-t', 'UTF-8', '-l', '9=97', '-o', 'marcxml', iso]));
    const { store, close } = open(dir);
    try {
      const a = await ingestMarcFiles({ store, library: 'A', paths: [iso] });
      const b = await ingestMarcFiles({ store, library: 'B', paths: [xmlFile] });
      expect(a.ingested).toBe(100);
      expect(b.ingested).toBe(100);
      expect(store.stats().works).toBe(100);
      expect(b.sharedWorks).toBe(100);
      let diacritics = 0;
      for (const id of store.recordIdsOfLibrary('A')) {
        const docA = store.recordDoc(id);
        const docB = store.recordDoc(id.replace(/^A\./, 'B.'));
        expect(docB, id).toBeDefined();
        expect({ title: docA?.title, authors: docA?.authors, isbns: docA?.isbns }).toEqual({ title: docB?.title, authors: docB?.authors, isbns: docB?.isbns });
        expect(store.workOfRecord(id)).toBe(store.workOfRecord(id.replace(/^A\./, 'B.')));
        if (/[^\x00-\x7f]/.test(`${docA?.title}${JSON.stringify(docA?.authors)}`)) diacritics++;
      }
      expect(diacritics).toBeGreaterThan(20); // the comparison covered real MARC-8 diacritics
    } finally {
      close();
    }
  });

  it('keeps two editions of the same title by the same author as two works, and merges differently punctuated copies', async () => {
    const dir = tempDir();
    const rec = (id: string, title: string, year: string, isbn: string, edition?: string): string => `
      <record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">${id}</controlfield>
      <controlfield tag="008">050101s${year}    io            000 1 ind d</controlfield>
      ${isbn ? `<datafield tag="020" ind1=" " ind2=" "><subfield code="a">${isbn}</subfield></datafield>` : ''}
      <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Hirata, Andrea.</subfield></datafield>
      <datafield tag="245" ind1="1" ind2="0"><subfield code="a">${title}</subfield><subfield code="c">Andrea Hirata</subfield></datafield>
      ${edition ? `<datafield tag="250" ind1=" " ind2=" "><subfield code="a">${edition}</subfield></datafield>` : ''}
      <datafield tag="260" ind1=" " ind2=" "><subfield code="a">Yogyakarta :</subfield><subfield code="b">Bentang,</subfield><subfield code="c">${year}.</subfield></datafield>
      </record>`;
    fs.writeFileSync(path.join(dir, 'a.xml'), `<collection>${rec('a1', 'Laskar pelangi /', '2005', '979-3062-79-7')}${rec('a2', 'Laskar pelangi /', '2008', '', 'Cet. 20')}</collection>`);
    fs.writeFileSync(path.join(dir, 'b.xml'), `<collection>${rec('b1', 'Laskar Pelangi :', '2005', '')}</collection>`);
    const { store, close } = open(dir);
    try {
      await ingestMarcFiles({ store, library: 'A', paths: [path.join(dir, 'a.xml')] });
      await ingestMarcFiles({ store, library: 'B', paths: [path.join(dir, 'b.xml')] });
      const stats = store.stats();
      expect(stats.records).toBe(3);
      expect(stats.works).toBe(2);
      const w1 = store.workOfRecord('A.a1');
      expect(store.workOfRecord('B.b1')).toBe(w1);
      expect(store.workOfRecord('A.a2')).not.toBe(w1);
      const work = store.work(w1 as number);
      expect(work?.libraries.sort()).toEqual(['A', 'B']);
      expect(work?.isbns).toEqual(['9789793062792']);
    } finally {
      close();
    }
  });
});

describe('re-ingest, --replace and interrupted runs', () => {
  const koha = path.join(shared, 'koha', 'koha_misc4dev_sample_A.marcxml');

  it('changes nothing when the same file is ingested again, updates a changed record, and --replace removes what is gone', async () => {
    const dir = tempDir();
    const { store, close } = open(dir);
    try {
      const first = await ingestMarcFiles({ store, library: 'KOHA', paths: [koha] });
      expect(first.ingested).toBeGreaterThan(200);
      const before = store.stats();
      const again = await ingestMarcFiles({ store, library: 'KOHA', paths: [koha] });
      expect({ ingested: again.ingested, updated: again.updated, unchanged: again.unchanged }).toEqual({ ingested: 0, updated: 0, unchanged: first.ingested });
      expect(store.stats()).toEqual({ ...before, perLibrary: store.stats().perLibrary });

      // change one title, drop everything else with --replace
      const text = fs.readFileSync(koha, 'utf8');
      const firstRecord = /<record[\s\S]*?<\/record>/.exec(text.slice(text.indexOf('<record')))?.[0] ?? '';
      const changed = firstRecord.replace(/(<datafield tag="245"[^>]*>\s*<subfield code="a">)/, '$1Revised: ');
      const small = path.join(dir, 'small.xml');
      fs.writeFileSync(small, `<collection xmlns="http://www.loc.gov/MARC21/slim">${changed}</collection>`);
      const replaced = await ingestMarcFiles({ store, library: 'KOHA', paths: [small], replace: true });
      expect(replaced.updated).toBe(1);
      expect(replaced.deleted).toBe(first.ingested - 1);
      expect(store.stats().records).toBe(1);
      expect(store.stats().works).toBe(1);
    } finally {
      close();
    }
  });

  it('an ingest killed mid-way leaves a usable store, and a re-run converges to the uninterrupted result', async () => {
    const input = path.join(shared, 'evergreen');
    const clean = tempDir();
    expect(runJala(['ingest', '--library', 'EG', '--data-dir', clean, '--json', input]).code).toBe(0);
    const expected = runJala(['stats', '--json', '--data-dir', clean]);

    const dir = tempDir();
    // record by record (the bulk path of a first load has its own kill test: test/bulk-load.test.ts)
    const child = spawn(process.execPath, [JALA_BIN, 'ingest', '--no-bulk', '--library', 'EG', '--data-dir', dir, input], { stdio: 'ignore' });
    // kill it once it has committed something
    const dbFile = path.join(dir, 'jala.db');
    const deadline = Date.now() + MIN_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (fs.existsSync(dbFile)) {
        const { store, close } = open(dir);
        const n = store.stats().records;
        close();
        if (n > 0) break;
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const { store, close } = open(dir);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const partial = store.stats();
    close();
    expect(partial.records).toBeGreaterThan(0);

    expect(runJala(['ingest', '--library', 'EG', '--data-dir', dir, '--json', input]).code).toBe(0);
    const after = runJala(['stats', '--json', '--data-dir', dir]);
    const strip = (s: string): unknown => {
      const o = JSON.parse(s) as { perLibrary: Array<Record<string, unknown>> };
      return { ...o, perLibrary: o.perLibrary.map(({ lastIngest: _, ...rest }) => rest) };
    };
    expect(strip(after.stdout)).toEqual(strip(expected.stdout));
    // the same works, member records and holdings, not only the same counts
    const digest = (d: string): unknown => JSON.parse(runJala(['stats', '--digest', '--json', '--data-dir', d]).stdout);
    expect(digest(dir)).toEqual(digest(clean));
  });
});

describe('the jala command', () => {
  it('ingests with --json, reports problems, and exits non-zero only for an unreadable path', () => {
    const dir = tempDir();
    const ok = runJala(['ingest', '--library', 'RB', '--name', 'Ruby test library', '--data-dir', dir, '--json', path.join(shared, 'ruby-marc')]);
    expect(ok.code).toBe(0);
    const summary = JSON.parse(ok.stdout) as IngestSummary;
    for (const key of ['read', 'ingested', 'updated', 'unchanged', 'skipped', 'works', 'problems'] as const) expect(summary).toHaveProperty(key);
    expect(summary.ingested).toBeGreaterThan(10);
    expect(summary.problems.every((p) => typeof p.file === 'string' && typeof p.position === 'string' && typeof p.reason === 'string')).toBe(true);

    const missing = runJala(['ingest', '--library', 'RB', '--data-dir', dir, '--json', path.join(dir, 'no-such-file.mrc')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace

    const stats = runJala(['stats', '--json', '--data-dir', dir]);
    expect(JSON.parse(stats.stdout).perLibrary[0]).toMatchObject({ library: 'RB', name: 'Ruby test library' });
  });

  it('exports a record as MARCXML, ISO 2709 and JSON that read back to the same fields', () => {
    const dir = tempDir();
    runJala(['ingest', '--library', 'S', '--data-dir', dir, path.join(shared, 'marc4j', 'samples_summerland.mrc')]);
    const { store, close } = open(dir);
    const id = store.recordIdsOfLibrary('S')[0] as string;
    const work = store.workOfRecord(id) as number;
    close();
    const xml = runJala(['export', id, '--data-dir', dir]);
    expect(xml.code).toBe(0);
    expect(xml.stdout).toContain('<collection');
    expect(xml.stdout).toContain('Summerland');
    const json = runJala(['export', `w${work}`, '--format', 'json', '--data-dir', dir]);
    expect(JSON.parse(json.stdout)).toHaveProperty('leader');
    const iso = execFileSync(process.execPath, [JALA_BIN, 'export', id, '--format', 'iso2709', '--data-dir', dir]);
    expect(iso.at(-1)).toBe(0x1d);
    expect(runJala(['export', 'NOPE.1', '--data-dir', dir]).code).toBe(1);
  });

  itWithTools([TOOLS.yazMarcdump], 'exports ISO 2709 that an independent reader (yaz-marcdump) reads', () => {
    const dir = tempDir();
    runJala(['ingest', '--library', 'S', '--data-dir', dir, path.join(shared, 'marc4j', 'samples_summerland.mrc')]);
    const { store, close } = open(dir);
    const id = store.recordIdsOfLibrary('S')[0] as string;
    close();
    const iso = execFileSync(process.execPath, [JALA_BIN, 'export', id, '--format', 'iso2709', '--data-dir', dir]);
    fs.writeFileSync(path.join(dir, 'export.mrc'), iso);
    const yaz = execFileSync('yaz-marcdump', [path.join(dir, 'export.mrc')]).toString();
    expect(yaz).toContain('Summerland');
  });
});

describe('ingest reports what it does not read (issue 17)', () => {
  it('reports a FIFO inside a directory and NUL padding after the last record in problems, and goes on', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'in');
    fs.mkdirSync(src);
    const one = '00026nam a2200025 a 4500\x1e\x1d';
    fs.writeFileSync(path.join(src, 'a.mrc'), one);
    fs.writeFileSync(path.join(src, 'b.mrc'), Buffer.concat([Buffer.from(one), Buffer.alloc(3 * 1024 * 1024)]));
    execFileSync('mkfifo', [path.join(src, 'pipe.mrc')]);
    const { store, close } = open(path.join(dir, 'data'));
    try {
      const summary = await ingestMarcFiles({ store, library: 'A', paths: [src] });
      const reasons = summary.problems.map((p) => `${path.basename(p.file)} @${p.position}: ${p.reason}`);
      expect(reasons).toContain('pipe.mrc @file: a named pipe (FIFO), not a regular file; skipped');
      expect(reasons).toContain(`b.mrc @${one.length}: 3,145,728 NUL bytes after the last record; ignored`);
      expect(summary.fatal).toEqual([]);
    } finally {
      close();
    }
  });
});
