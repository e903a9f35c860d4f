import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIso2709Record, readIso2709 } from './iso2709-reader.ts';
import { writeIso2709 } from './iso2709-writer.ts';
import { isControlField } from './marc-record.ts';
import type { MarcField, MarcReadResult, MarcRecord } from './marc-record.ts';
import { marcFixtures } from '../../test/support/paths.ts';

const DATA = marcFixtures();

interface SourceRow {
  file: string;
  records: number;
  notes: string;
}

/** The ISO 2709 rows of SOURCES.md: file, record count (= number of 0x1D bytes), notes. */
function sourceRows(): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const line of readFileSync(join(DATA, 'SOURCES.md'), 'utf8').split('\n')) {
    const cells = line.split(' | ');
    const file = /^\| `([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!file || cells[5] !== 'ISO 2709') continue;
    rows.push({ file, records: Number(cells[4]), notes: (cells[10] ?? '').replace(/ \|$/, '') });
  }
  return rows;
}

/** The bytes of a file as chunks of `size` bytes. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function readAll(file: string, bytes: Uint8Array, chunkSize = 65536, maxRecordBytes?: number): Promise<MarcReadResult[]> {
  const out: MarcReadResult[] = [];
  const options = maxRecordBytes === undefined ? {} : { maxRecordBytes };
  for await (const r of readIso2709(file, chunked(bytes, chunkSize), options)) out.push(r);
  return out;
}

/** A record assembled by hand from (tag, content) pairs, with a correct directory. */
function rawRecord(fields: [string, string][], leader = 'nam a22', tail = ' a 4500'): Uint8Array {
  const enc = new TextEncoder();
  const data = fields.map(([, content]) => enc.encode(`${content}\u001e`));
  let directory = '';
  let start = 0;
  fields.forEach(([tag], k) => {
    const length = data[k]?.length ?? 0;
    directory += tag + String(length).padStart(4, '0') + String(start).padStart(5, '0');
    start += length;
  });
  const base = 24 + directory.length + 1;
  const total = base + start + 1;
  const head = enc.encode(`${String(total).padStart(5, '0')}${leader}${String(base).padStart(5, '0')}${tail}${directory}\u001e`);
  return new Uint8Array([...head, ...data.flatMap((d) => [...d]), 0x1d]);
}

const load = (file: string): Uint8Array => new Uint8Array(readFileSync(join(DATA, file)));
const oks = (results: MarcReadResult[]) => results.flatMap((r) => (r.ok ? [r] : []));
const problems = (results: MarcReadResult[]) => results.flatMap((r) => (r.ok ? [] : [r.problem]));

/** Every string of a record, for NFC checks. */
function strings(record: MarcRecord): string[] {
  return [record.leader, ...record.fields.flatMap((f: MarcField) => (isControlField(f) ? [f.tag, f.value] : [f.tag, f.ind1, f.ind2, ...f.subfields.flatMap((s) => [s.code, s.value])]))];
}

/**
 * Files SOURCES.md marks as malformed, or whose count of record terminators is not the number of
 * readable records, with what the reader is expected to make of them.
 */
const EXPECTED_DIFFERENTLY: Readonly<Record<string, { records: number; problems: number; why: string }>> = {
  'marc4j/008008027.mrc': { records: 19, problems: 0, why: 'cut at 64 KiB: 18 records and a truncated 19th, recovered from its field terminators' },
  'pymarc/bad_records.mrc': { records: 7, problems: 1, why: 'the 7th record has an empty directory' },
};

describe('readIso2709 on the shared data', () => {
  const rows = sourceRows();

  it('finds the ISO 2709 files of SOURCES.md', () => {
    expect(rows.length).toBeGreaterThan(150);
    expect(rows.find((r) => r.file === 'evergreen/jazz_1k.mrc')?.records).toBe(1000);
  });

  it('reads as many records as SOURCES.md counts, for every ISO 2709 file in evergreen/ and marc4j/ and a sample of others', async () => {
    const chosen = rows.filter(
      (r) =>
        r.file.startsWith('evergreen/') ||
        r.file.startsWith('marc4j/') ||
        [
          'Catmandu-MARC/bu_bibs.mrc',
          'qa-catalogue/000-line-seperated.mrc',
          'qa-catalogue/BooksAll.2014.part01-0001.mrc',
          'processing-marc/loc.mrc',
          'pymarc/regression45.dat',
          'pymarc/bad_records.mrc',
          'traject/test_data.utf8.mrc',
          'traject/batch.dat',
          'ruby-marc/utf8_multirecord.marc',
        ].includes(r.file),
    );
    expect(chosen.length).toBeGreaterThan(50);
    const counts: string[] = [];
    for (const row of chosen) {
      const results = await readAll(row.file, load(row.file));
      const expected = EXPECTED_DIFFERENTLY[row.file] ?? { records: row.records, problems: 0 };
      counts.push(`${row.file}: ${oks(results).length} records, ${problems(results).length} problems`);
      expect({ file: row.file, records: oks(results).length, problems: problems(results).length }).toEqual({
        file: row.file,
        records: expected.records,
        problems: expected.problems,
      });
    }
    console.info(`record counts\n  ${counts.join('\n  ')}`);
  });

  it('reports the malformed fixtures as problems with byte offsets or as repaired records, never by throwing', async () => {
    const malformed = rows.filter((r) => /malformed|deliberately broken/.test(r.notes));
    expect(malformed.length).toBeGreaterThan(15);
    for (const row of malformed) {
      const results = await readAll(row.file, load(row.file), 997);
      expect(results.length).toBeGreaterThan(0);
      for (const p of problems(results)) {
        expect(p.file).toBe(row.file);
        expect(p.position).toMatch(/^[0-9]+$/);
        expect(p.reason.length).toBeGreaterThan(5);
      }
    }
    const bad = await readAll('pymarc/bad_records.mrc', load('pymarc/bad_records.mrc'));
    expect(problems(bad)).toEqual([{ file: 'pymarc/bad_records.mrc', position: '764', code: 'marc/bad-structure', reason: 'no fields (empty directory)' }]);
    const repaired = oks(bad).filter((r) => r.source.warnings.length > 0);
    expect(repaired.map((r) => r.source.position)).toEqual(['127', '254', '381', '509', '637']);
    for (const r of oks(bad)) expect(r.record.fields.map((f) => f.tag)).toEqual(['245']);
  });

  it('recovers fields from the field terminators when the directory lies', async () => {
    // directory lengths counted in characters, not bytes (UTF-8 data declared MARC-8)
    const bu = oks(await readAll('Catmandu-MARC/bu_bibs.mrc', load('Catmandu-MARC/bu_bibs.mrc')));
    const recovered = bu.filter((r) => r.source.warnings.some((w) => w.includes('recovered from field terminators')));
    expect(recovered.length).toBe(16);
    for (const r of recovered) {
      expect(r.source.encoding).toBe('utf8');
      expect(r.source.encodingMismatch).toBe(true);
      const title = r.record.fields.find((f) => f.tag === '245');
      expect(title && !isControlField(title) && title.subfields[0]?.code).toBe('a');
    }
  });

  it('reads a 1.1 MB HathiTrust record whole', async () => {
    const hathi = oks(await readAll('marc4j/bad_hathi_records.mrc', load('marc4j/bad_hathi_records.mrc')));
    expect(hathi.map((r) => r.source.position)).toEqual(['0', '1293', '5259', '6343', '1103230']);
    expect(hathi[3]?.record.fields.length).toBeGreaterThan(1000);
  });

  it('gives the byte offset of each record and skips the newlines between records', async () => {
    const file = 'qa-catalogue/000-line-seperated.mrc';
    const bytes = load(file);
    const results = oks(await readAll(file, bytes, 333));
    expect(results.length).toBe(20);
    for (const r of results) {
      const at = Number(r.source.position);
      expect(bytes[at - 1] === undefined || bytes[at - 1] === 0x0a).toBe(true);
      expect(new TextDecoder().decode(bytes.subarray(at, at + 5))).toMatch(/^[0-9]{5}$/);
    }
  });

  it('gives the same results whatever the chunk size', async () => {
    for (const file of ['evergreen/hebrew.marc', 'pymarc/bad_records.mrc', 'marc4j/008008027.mrc']) {
      const bytes = load(file);
      const whole = await readAll(file, bytes, bytes.length);
      expect(await readAll(file, bytes, 1)).toEqual(whole);
      expect(await readAll(file, bytes, 7)).toEqual(whole);
    }
  });

  it('decodes MARC-8 and UTF-8 to NFC Unicode and says which it was', async () => {
    const hebrew = oks(await readAll('evergreen/hebrew.marc', load('evergreen/hebrew.marc')));
    expect(hebrew.every((r) => r.source.encoding === 'marc8' && !r.source.encodingMismatch)).toBe(true);
    const titles = hebrew.flatMap((r) => r.record.fields.filter((f) => f.tag === '880'));
    expect(titles.some((f) => !isControlField(f) && f.subfields.some((s) => /[\u05d0-\u05ea]/.test(s.value)))).toBe(true);

    const jazz = oks(await readAll('evergreen/jazz_1k.mrc', load('evergreen/jazz_1k.mrc')));
    expect(jazz.filter((r) => r.source.encoding === 'marc8').length).toBe(95);

    // leader/09 says UTF-8, the bytes are MARC-8
    const [accented] = oks(await readAll('ruby-marc/marc8_accented_chars.marc', load('ruby-marc/marc8_accented_chars.marc')));
    expect(accented?.source).toMatchObject({ encoding: 'marc8', encodingMismatch: true });
    const author = accented?.record.fields.find((f) => f.tag === '100');
    expect(author && !isControlField(author) && author.subfields[0]?.value).toBe('Serreau, Geneviève.');

    // leader/09 blank, the bytes are UTF-8
    const [utf8] = oks(await readAll('pymarc/utf8_without_leader_flag.dat', load('pymarc/utf8_without_leader_flag.dat')));
    expect(utf8?.source).toMatchObject({ encoding: 'utf8', encodingMismatch: true });

    for (const r of [...hebrew, ...jazz]) {
      expect(r.record.leader).toHaveLength(24);
      expect(r.record.leader.charAt(9)).toBe('a');
      for (const s of strings(r.record)) expect(s).toBe(s.normalize('NFC'));
    }
  });

  it('reads a trailing fragment and reports it when it is unusable', async () => {
    const one = load('traject/george_eliot.marc');
    const truncated = new Uint8Array([...one, 0x0a, ...one.subarray(0, 20)]);
    const results = await readAll('x.mrc', truncated);
    expect(results[0]?.ok).toBe(true);
    expect(problems(results)).toEqual([
      { file: 'x.mrc', position: String(one.length + 1), code: 'marc/truncated', reason: 'truncated record at end of file (leader too short (20 bytes))' },
    ]);
    const blankTail = await readAll('x.mrc', new Uint8Array([...one, 0x0d, 0x0a, 0x0a]));
    expect(blankTail.length).toBe(1);
  });

  it('reports an over-long record without a terminator and resynchronises at the next one', async () => {
    const one = load('traject/george_eliot.marc');
    const junk = new Uint8Array(5000).fill(0x41);
    const stream = new Uint8Array([...junk, 0x1d, ...one]);
    const results = await readAll('x.mrc', stream, 512, 4096);
    expect(problems(results)).toEqual([
      { file: 'x.mrc', position: '0', code: 'marc/too-long', reason: 'record longer than 4096 bytes without a record terminator; skipped to the next one' },
    ]);
    expect(oks(results).map((r) => r.source.position)).toEqual([String(junk.length + 1)]);
  });
});

describe('parseIso2709Record', () => {
  it('reads control fields, indicators and subfields', () => {
    const r = parseIso2709Record(load('traject/george_eliot.marc'), 'g.mrc', 0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toMatchObject({ file: 'g.mrc', position: '0', format: 'iso2709', encoding: 'utf8', encodingMismatch: false, warnings: [] });
    const f001 = r.record.fields[0];
    expect(f001 && isControlField(f001)).toBe(true);
    const title = r.record.fields.find((f) => f.tag === '245');
    expect(title && !isControlField(title) && title.subfields.length).toBeGreaterThan(0);
  });

  it('explains why a record cannot be read', () => {
    const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(parseIso2709Record(bytes('00012nam  2'), 'f', 42)).toEqual({
      ok: false,
      problem: { file: 'f', position: '42', code: 'marc/bad-structure', reason: 'leader too short (11 bytes)' },
    });
    expect(parseIso2709Record(bytes('00050nam a2200025 a 4500245000400000'), 'f', 0)).toMatchObject({
      ok: false,
      problem: { code: 'marc/bad-structure', reason: 'no field terminator after the directory' },
    });
    expect(parseIso2709Record(bytes('00026nam a2200025 a 4500\u001e\u001d'), 'f', 0)).toMatchObject({
      ok: false,
      problem: { code: 'marc/bad-structure', reason: 'no fields (empty directory)' },
    });
    expect(parseIso2709Record(bytes('00050nam a2200037 a 4500245xxxx00000\u001e'), 'f', 0)).toMatchObject({
      ok: false,
      problem: { reason: 'directory entry 1 is not numeric and the data area has no fields' },
    });
  });

  it('keeps a record without a 245', () => {
    const r = parseIso2709Record(load('openlibrary/bin_input/talis_no_title.mrc'), 'n.mrc', 0);
    expect(r.ok && r.record.fields.some((f) => f.tag === '245')).toBe(false);
    expect(r.ok).toBe(true);
  });

  it('pads missing indicators with blanks and splits subfields on the delimiter', () => {
    const r = parseIso2709Record(rawRecord([['001', 'id1'], ['500', '\u001fax\u001fby'], ['600', '1\u001fa\u001f\u001fcz']]), 'i', 0);
    expect(r.ok && r.record.fields).toEqual([
      { tag: '001', value: 'id1' },
      { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x' }, { code: 'b', value: 'y' }] },
      { tag: '600', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: '' }, { code: 'c', value: 'z' }] },
    ]);
  });

  it('treats a non-numeric tag as a control field unless it has subfields', () => {
    const r = parseIso2709Record(rawRecord([['FMT', 'BK'], ['CAT', '  \u001faX']]), 't', 0);
    expect(r.ok && r.record.fields).toEqual([
      { tag: 'FMT', value: 'BK' },
      { tag: 'CAT', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'X' }] },
    ]);
  });

  it('reads an ASCII record and the same record with UTF-8 in it alike, control characters and all', () => {
    const fields: [string, string][] = [['001', 'b12\u0001x'], ['245', '10\u001faTitle \u0007:\u001fbsub'], ['500', '\u001fa'], ['650', ' 0\u001fa\u001fxHistory\u001f']];
    const ascii = parseIso2709Record(rawRecord(fields), 'a', 0);
    const utf8 = parseIso2709Record(rawRecord([...fields, ['900', '  \u001faCaf\u00e9']]), 'a', 0);
    expect(ascii.ok && ascii.record.fields).toEqual([
      { tag: '001', value: 'b12\u0001x' },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Title \u0007:' }, { code: 'b', value: 'sub' }] },
      { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '' }] },
      { tag: '650', ind1: ' ', ind2: '0', subfields: [{ code: 'a', value: '' }, { code: 'x', value: 'History' }] },
    ]);
    expect(utf8.ok && utf8.record.fields.slice(0, 4)).toEqual(ascii.ok && ascii.record.fields);
    expect(utf8.ok && utf8.record.fields[4]).toEqual({ tag: '900', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Caf\u00e9' }] });
    expect(ascii.ok && ascii.source.warnings).toEqual([]);
  });

  it('takes a code point outside the BMP whole as an indicator or a subfield code', () => {
    const r = parseIso2709Record(rawRecord([['245', '\u{1d538}\u{1f600}\u001f\u{1f600}value\u001fbplain\u001f\u{1f600}']]), 'p', 0);
    expect(r.ok && r.record.fields).toEqual([
      { tag: '245', ind1: '\u{1d538}', ind2: '\u{1f600}', subfields: [{ code: '\u{1f600}', value: 'value' }, { code: 'b', value: 'plain' }, { code: '\u{1f600}', value: '' }] },
    ]);
    // the indicator count is in UTF-16 units, as it always was
    expect(r.ok && r.source.warnings).toEqual(['field 245 has 4 indicator characters']);
  });

  it('reads the fields where the directory puts them, whatever their order in the data area', () => {
    // two fields whose directory entries point at the data in reverse order
    const enc = new TextEncoder();
    const a = enc.encode('\u001faFirst\u001e');
    const b = enc.encode('10\u001faSecond\u001e');
    const directory = `500${String(a.length).padStart(4, '0')}${String(b.length).padStart(5, '0')}245${String(b.length).padStart(4, '0')}00000`;
    const base = 24 + directory.length + 1;
    const total = base + a.length + b.length + 1;
    const head = enc.encode(`${String(total).padStart(5, '0')}nam a22${String(base).padStart(5, '0')} a 4500${directory}\u001e`);
    const r = parseIso2709Record(new Uint8Array([...head, ...b, ...a, 0x1d]), 'd', 0);
    expect(r.ok && r.record.fields).toEqual([
      { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'First' }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Second' }] },
    ]);
    expect(r.ok && r.source.warnings).toEqual([]);
  });

  it('flags a leader that declares UTF-8 over bytes that are not', () => {
    const bytes = rawRecord([['245', '00\u001faCaf\u00e9']]);
    const latin1 = bytes.map((b) => b); // the é becomes the two bytes C3 A9 below; make one of them invalid
    const at = latin1.indexOf(0xc3);
    latin1[at + 1] = 0x41;
    const r = parseIso2709Record(latin1, 'u', 0);
    expect(r.ok && r.source).toMatchObject({ encoding: 'marc8', encodingMismatch: true });
  });
});

describe('robustness (property tests)', () => {
  const realRecords = ['traject/george_eliot.marc', 'evergreen/hebrew.marc', 'Catmandu-MARC/bu_bibs.mrc', 'marc4j/brkrtest.mrc'].flatMap((f) => {
    const bytes = load(f);
    const out: Uint8Array[] = [];
    let start = 0;
    for (let t = bytes.indexOf(0x1d); t >= 0 && out.length < 5; t = bytes.indexOf(0x1d, start)) {
      out.push(bytes.slice(start, t + 1));
      start = t + 1;
    }
    return out;
  });
  const aRealRecord = fc.constantFrom(...realRecords);

  const checkResult = (r: MarcReadResult): void => {
    if (r.ok) {
      expect(r.record.leader).toHaveLength(24);
      for (const s of strings(r.record)) expect(typeof s).toBe('string');
    } else {
      expect(r.problem.position).toMatch(/^[0-9]+$/);
    }
  };

  it('never throws on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        checkResult(parseIso2709Record(bytes, 'fuzz', 0));
        for (const r of await readAll('fuzz', bytes, chunk)) checkResult(r);
      }),
      { numRuns: 700 },
    );
  });

  it('never throws on arbitrary bytes shaped like a record (leader digits, terminators)', () => {
    const shaped = fc
      .array(fc.oneof(fc.constantFrom(0x1d, 0x1e, 0x1f, 0x30, 0x31, 0x32, 0x34, 0x35, 0x1b, 0xe2, 0xc3), fc.integer({ min: 0, max: 255 })), { maxLength: 300 })
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(shaped, (bytes) => checkResult(parseIso2709Record(bytes, 'fuzz', 0))),
      { numRuns: 400 },
    );
  });

  it('never throws on truncated real records', async () => {
    await fc.assert(
      fc.asyncProperty(aRealRecord, fc.double({ min: 0, max: 1, noNaN: true }), async (record, cut) => {
        const bytes = record.subarray(0, Math.floor(record.length * cut));
        checkResult(parseIso2709Record(bytes, 'cut', 0));
        for (const r of await readAll('cut', bytes, 100)) checkResult(r);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on real records with random byte flips', () => {
    const flips = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(aRealRecord, flips, (record, changes) => {
        const bytes = record.slice();
        for (const [where, value] of changes) bytes[Math.floor(where * bytes.length)] = value;
        checkResult(parseIso2709Record(bytes, 'flip', 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('writeIso2709', () => {
  const withoutLengths = (leader: string): string => leader.slice(5, 12) + leader.slice(17);

  it('round-trips every record of several real files through parseIso2709Record', async () => {
    for (const file of ['evergreen/hebrew.marc', 'evergreen/jazz_1k.mrc', 'traject/test_data.utf8.mrc', 'pymarc/regression45.dat', 'marc4j/bad_hathi_records.mrc']) {
      for (const r of oks(await readAll(file, load(file)))) {
        const written = writeIso2709(r.record);
        const back = parseIso2709Record(written, 'w', 0);
        expect(back.ok).toBe(true);
        if (!back.ok) continue;
        expect(back.record.fields).toEqual(r.record.fields.map(normaliseIndicators));
        expect(withoutLengths(back.record.leader)).toBe(withoutLengths(r.record.leader).replace(/^(.{5})../, '$122').replace(/.{4}$/, '4500'));
        expect(back.source.encoding).toBe('utf8');
        if (written.length <= 99999) expect(back.source.warnings.filter((w) => w.includes('recovered'))).toEqual([]);
      }
    }
  });

  it('writes a correct leader, directory and terminators', () => {
    const record: MarcRecord = {
      leader: '00000cam  2200000 a 4500',
      fields: [
        { tag: '001', value: 'x1' },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Café' }] },
      ],
    };
    const bytes = writeIso2709(record);
    const text = new TextDecoder().decode(bytes);
    // 001: "x1" + FT = 3 bytes; 245: "10" + US "a" + "Café" (5 bytes) + FT = 10 bytes
    expect(text).toBe('00063cam a2200049 a 4500001000300000245001000003\u001ex1\u001e10\u001faCafé\u001e\u001d');
    expect(bytes.length).toBe(63);
  });

  it('round-trips arbitrary records', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\u001d\u001e\u001f]/g, '').normalize('NFC'));
    const indicator = fc.constantFrom(' ', '0', '1', '4', 'a');
    const code = fc.constantFrom('a', 'b', 'c', '6', '8', 'z');
    const control = fc.record({ tag: fc.constantFrom('001', '003', '005', '008'), value: text });
    const data = fc.record({
      tag: fc.integer({ min: 10, max: 999 }).map((n) => String(n).padStart(3, '0')),
      ind1: indicator,
      ind2: indicator,
      subfields: fc.array(fc.record({ code, value: text }), { minLength: 1, maxLength: 5 }),
    });
    const record = fc.record({
      leader: fc.constantFrom('00000nam a2200000 a 4500', '01234cas  2200301 i 4500'),
      fields: fc.array(fc.oneof(control, data), { minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(record, (r: MarcRecord) => {
        const back = parseIso2709Record(writeIso2709(r), 'rt', 0);
        expect(back.ok && back.record.fields).toEqual(r.fields);
        expect(back.ok && back.source.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** What the writer does to indicators it cannot write (anything but one ASCII character). */
function normaliseIndicators(f: MarcField): MarcField {
  if (isControlField(f)) return f;
  const fix = (s: string): string => (/^[\x20-\x7e]$/.test(s) ? s : ' ');
  return { ...f, ind1: fix(f.ind1), ind2: fix(f.ind2) };
}

it('has test data to read', () => {
  expect(readdirSync(DATA)).toContain('SOURCES.md');
});
