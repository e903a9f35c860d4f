import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { controlValue, dataFields, firstSubfield, type MarcReadResult } from './marc-record.ts';
import { DEFAULT_LEADER, readMarcXml } from './marcxml-reader.ts';

const DATA = '/work/shared/data/marc';
const LEADER = '01234cam a2200289 a 4500';

type Ok = Extract<MarcReadResult, { ok: true }>;
type Bad = Extract<MarcReadResult, { ok: false }>;

async function* chunks(bytes: Uint8Array, size = bytes.length || 1): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(input: string | Uint8Array, chunkSize?: number): Promise<{ records: Ok[]; problems: Bad[] }> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const records: Ok[] = [];
  const problems: Bad[] = [];
  for await (const r of readMarcXml('test.xml', chunks(bytes, chunkSize))) (r.ok ? records : problems).push(r as never);
  return { records, problems };
}

async function readFile(file: string): Promise<{ records: Ok[]; problems: Bad[] }> {
  const records: Ok[] = [];
  const problems: Bad[] = [];
  for await (const r of readMarcXml(file, createReadStream(file))) {
    if (r.ok) records.push(r);
    else problems.push(r);
  }
  return { records, problems };
}

function record(id: string, prefix = '', attrs = ''): string {
  const p = prefix === '' ? '' : `${prefix}:`;
  return (
    `<${p}record${attrs}><${p}leader>${LEADER}</${p}leader>` +
    `<${p}controlfield tag="001">${id}</${p}controlfield>` +
    `<${p}datafield tag="245" ind1="1" ind2="0"><${p}subfield code="a">Title ${id}</${p}subfield></${p}datafield>` +
    `</${p}record>`
  );
}

const ids = (records: Ok[]): (string | undefined)[] => records.map((r) => controlValue(r.record, '001'));

/** The MARCXML files of the developer set with the record counts SOURCES.md gives for them. */
function corpus(): { file: string; records: number; notes: string; wellFormed: boolean }[] {
  const rows = new Map<string, { records: number; notes: string; wellFormed: boolean }>();
  for (const line of readFileSync(join(DATA, 'SOURCES.md'), 'utf8').split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const name = cells[1]?.replace(/`/g, '') ?? '';
    rows.set(name, {
      records: Number(cells[5]),
      notes: cells[11] ?? '',
      wellFormed: !(cells[7] ?? '').includes('NOT well-formed'),
    });
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(xml|marcxml)$/.test(name)) files.push(path);
    }
  };
  walk(DATA);
  return files.map((file) => {
    const row = rows.get(relative(DATA, file));
    if (row === undefined) throw new Error(`${file} is not listed in SOURCES.md`);
    return { file, ...row };
  });
}

describe('readMarcXml on the developer set', () => {
  const files = corpus();
  /** SOURCES.md counts <record> start tags; here is where a start tag is not a MARC record. */
  const notMarcRecords: Record<string, number> = {
    // its only <record> is in the http://example.org/top namespace and holds no MARC fields
    'traject/namespace-test.xml': 0,
  };

  it('finds the MARCXML files listed in SOURCES.md', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  it('reads every file without throwing and recovers the number of records SOURCES.md lists', async () => {
    for (const { file, records: listed } of files) {
      const { records } = await readFile(file);
      const expected = notMarcRecords[relative(DATA, file)] ?? listed;
      expect(records.length, relative(DATA, file)).toBe(expected);
      for (const r of records) {
        expect(r.record.leader).toHaveLength(24);
        expect(r.source.format).toBe('marcxml');
        expect(r.source.file).toBe(file);
      }
    }
  });

  it('reports a problem or a warning for every deliberately broken or not well-formed file', async () => {
    // alphabetic tags (TSO, ISB…) are legal MARC: judging them is the mapper's business
    const fineForTheReader = new Set(['ruby-marc/non-numeric.xml']);
    const broken = files.filter(
      (f) => (!f.wellFormed || /broken|malformed/i.test(f.notes)) && !fineForTheReader.has(relative(DATA, f.file)),
    );
    expect(broken.length).toBeGreaterThanOrEqual(10);
    for (const { file } of broken) {
      const { records, problems } = await readFile(file);
      const warnings = records.flatMap((r) => r.source.warnings);
      expect(problems.length + warnings.length, relative(DATA, file)).toBeGreaterThan(0);
    }
  });

  it('reads the seven records concatenated without a <collection> and reports the extra roots once', async () => {
    const { records, problems } = await readFile(join(DATA, 'evergreen/serials_marc21.xml'));
    expect(records).toHaveLength(7);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.problem.reason).toMatch(/more than one root/);
    expect(problems[0]?.problem.position).toBe('line 117');
  });

  it('keeps the Koha record whose 001 holds a raw 0x1F, with U+FFFD and a warning', async () => {
    const { records, problems } = await readFile(join(DATA, 'koha/koha_misc4dev_sample_bib369_invalid.marcxml'));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(1);
    const rec = records[0]!;
    expect(controlValue(rec.record, '001')).toBe('00\uFFFDaD000015937');
    expect(rec.source.warnings.join(' ')).toMatch(/U\+001F/);
    expect(dataFields(rec.record, '952').length).toBeGreaterThan(0);
  });

  it('keeps the record with a control character in a subfield code and warns on that record only', async () => {
    const { records } = await readFile(join(DATA, 'ruby-marc/three-records-second-bad.xml'));
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.source.warnings.length > 0)).toEqual([false, true, false]);
    expect(records[1]?.source.position).toMatch(/^record 2, line \d+$/);
  });

  it('drops an empty datafield of the Catmandu broken fixture with a warning', async () => {
    const { records, problems } = await readFile(join(DATA, 'Catmandu-MARC/broken.xml'));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(10);
    expect(records[0]?.source.warnings).toContain('datafield 082 has no subfields; dropped');
  });

  it('reads non-Latin text as NFC and flags MARC-8-declared records holding non-ASCII text', async () => {
    const { records } = await readFile(join(DATA, 'traject/test_data.utf8.marc.xml'));
    for (const r of records) {
      for (const f of dataFields(r.record, '245', '880')) {
        for (const s of f.subfields) expect(s.value).toBe(s.value.normalize('NFC'));
      }
    }
    const { records: koha } = await readFile(join(DATA, 'koha/koha_misc4dev_sample_A.marcxml'));
    expect(koha.every((r) => !r.source.encodingMismatch)).toBe(true); // leader/09 'a'
  });
});

describe('readMarcXml document shapes', () => {
  it.each([
    ['no namespace', `<collection>${record('1')}${record('2')}</collection>`],
    ['default namespace', `<collection xmlns="http://www.loc.gov/MARC21/slim">${record('1')}${record('2')}</collection>`],
    [
      'marc: prefix',
      `<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">${record('1', 'marc')}${record('2', 'marc')}</marc:collection>`,
    ],
    ['any prefix', `<m21:collection xmlns:m21="http://www.loc.gov/MARC21/slim">${record('1', 'm21')}${record('2', 'm21')}</m21:collection>`],
    ['an undeclared prefix', `<marc:collection>${record('1', 'marc')}${record('2', 'marc')}</marc:collection>`],
    ['an XML declaration', `<?xml version="1.0" encoding="UTF-8"?>\n<collection>${record('1')}\n${record('2')}</collection>`],
  ])('reads a collection with %s', async (_name, xml) => {
    const { records, problems } = await read(xml);
    expect(problems).toEqual([]);
    expect(ids(records)).toEqual(['1', '2']);
    expect(records[0]?.record.leader).toBe(LEADER);
    expect(firstSubfield(dataFields(records[1]!.record, '245')[0]!, 'a')).toBe('Title 2');
    expect(records[0]?.source.warnings).toEqual([]);
  });

  it('reads a bare <record> root', async () => {
    const { records, problems } = await read(record('solo', 'marc', ' xmlns:marc="http://www.loc.gov/MARC21/slim"'));
    expect(problems).toEqual([]);
    expect(ids(records)).toEqual(['solo']);
  });

  it('reads a document with a UTF-8 BOM and leading whitespace before the XML declaration', async () => {
    const body = new TextEncoder().encode(` \r\n\t<?xml version="1.0" encoding="UTF-8"?>\n<collection>${record('é')}</collection>`);
    const { records, problems } = await read(new Uint8Array([0xef, 0xbb, 0xbf, ...body]));
    expect(problems).toEqual([]);
    expect(ids(records)).toEqual(['é']);
  });

  it('reads UTF-16 with a BOM and a declared ISO-8859-1 document', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(`<?xml version="1.0" encoding="UTF-16"?><collection>${record('ü16')}</collection>`, 'utf16le')]);
    expect(ids((await read(utf16, 7)).records)).toEqual(['ü16']);
    const latin1 = new Uint8Array(Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><collection>${record('ç1')}</collection>`, 'latin1'));
    expect(ids((await read(latin1)).records)).toEqual(['ç1']);
  });

  it('finds MARC records inside OAI-PMH wrappers and skips deleted OAI records silently', async () => {
    const xml =
      `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>` +
      `<record><header><identifier>oai:x:1</identifier></header><metadata>${record('a', 'marc', ' xmlns:marc="http://www.loc.gov/MARC21/slim"')}</metadata></record>` +
      `<record><header status="deleted"><identifier>oai:x:2</identifier></header></record>` +
      `<record><header><identifier>oai:x:3</identifier></header><metadata>${record('b', '', ' xmlns="http://www.loc.gov/MARC21/slim"')}</metadata></record>` +
      `</ListRecords></OAI-PMH>`;
    const { records, problems } = await read(xml);
    expect(problems).toEqual([]);
    expect(ids(records)).toEqual(['a', 'b']);
    expect(records.map((r) => r.source.position)).toEqual(['record 1, line 1', 'record 2, line 1']);
    expect(records[0]?.source.warnings).toEqual([]);
  });

  it('gives positions as the record ordinal and the line it starts on', async () => {
    const { records } = await read(`<collection>\n${record('1')}\n\n${record('2')}\n</collection>`);
    expect(records.map((r) => r.source.position)).toEqual(['record 1, line 2', 'record 2, line 4']);
  });

  it('gives a record without a leader the default leader and a warning', async () => {
    const { records } = await read(`<record><controlfield tag="001">x</controlfield></record>`);
    expect(records[0]?.record.leader).toBe(DEFAULT_LEADER);
    expect(records[0]?.source.warnings[0]).toMatch(/no leader/);
  });

  it('normalises text to NFC and flags non-ASCII text under a MARC-8 leader/09', async () => {
    const xml = `<record><leader>00000nam  2200000   4500</leader><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Cafe\u0301</subfield></datafield></record>`;
    const { records } = await read(xml);
    expect(dataFields(records[0]!.record, '245')[0]?.subfields[0]?.value).toBe('Café');
    expect(records[0]?.source.encodingMismatch).toBe(true);
    expect(records[0]?.source.encoding).toBe('utf8');
  });

  it('keeps leader spacing, control field spacing and repairs odd tags and indicators with warnings', async () => {
    const xml =
      `<record><leader>\n     nam a22     4i 4500\n</leader><controlfield tag="001"> 123 </controlfield>` +
      `<datafield tag="42" ind1="12"><subfield code="a">x</subfield><subfield>lost</subfield></datafield></record>`;
    const { records } = await read(xml);
    const r = records[0]!;
    expect(r.record.leader).toBe('     nam a22     4i 4500');
    expect(controlValue(r.record, '001')).toBe(' 123 ');
    expect(r.record.fields[1]).toEqual({ tag: '042', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'x' }] });
    expect(r.source.warnings.length).toBeGreaterThanOrEqual(3);
  });

  it('yields the same results whatever the chunk size', async () => {
    const xml = `<?xml version="1.0"?>\n<collection>${record('ä1')}${record('日本2')}${record('3').replace('</record>', '')}`;
    const whole = await read(xml);
    for (const size of [1, 2, 3, 5, 64]) expect(await read(xml, size)).toEqual(whole);
  });
});

describe('readMarcXml on bad input', () => {
  it('yields the records before a truncation and a problem for the cut record', async () => {
    const xml = `<collection>${record('1')}${record('2')}${record('3').slice(0, 70)}`;
    const { records, problems } = await read(xml);
    expect(ids(records)).toEqual(['1', '2']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.problem.position).toMatch(/^record 3/);
    expect(problems[0]?.problem.reason).toMatch(/incomplete record/);
  });

  it('skips a record with a broken end tag and reads on', async () => {
    const xml = `<collection>${record('1')}${record('2').replace('</datafield>', '')}${record('3')}</collection>`;
    const { records, problems } = await read(xml);
    expect(ids(records)).toEqual(['1', '3']);
    expect(problems.map((p) => p.problem.position)).toEqual(['record 2, line 1']);
  });

  it('skips a record whose end tag matches nothing and reads the next one', async () => {
    const xml = `<collection>${record('1')}${record('2').replace('</subfield>', '</subfeld>')}${record('3')}</collection>`;
    const { records, problems } = await read(xml);
    expect(ids(records)).toEqual(['1', '3']);
    expect(problems[0]?.problem.position).toBe('record 2, line 1');
  });

  it('replaces bytes that are not UTF-8 with U+FFFD and warns on the record', async () => {
    const enc = new TextEncoder();
    const bytes = new Uint8Array([...enc.encode('<record><controlfield tag="001">a'), 0xc3, 0x28, 0xff, ...enc.encode('</controlfield></record>')]);
    const { records, problems } = await read(bytes, 3);
    expect(problems).toEqual([]);
    expect(controlValue(records[0]!.record, '001')).toBe('a\uFFFD(\uFFFD');
    expect(records[0]?.source.warnings.join()).toMatch(/not valid UTF-8/);
  });

  it('keeps undefined entities as literal text with a warning', async () => {
    const { records } = await read(`<record><controlfield tag="001">a&eacute;b</controlfield></record>`);
    expect(controlValue(records[0]!.record, '001')).toBe('a&eacute;b');
    expect(records[0]?.source.warnings.join()).toMatch(/entity/);
  });

  it.each([
    ['an empty file', ''],
    ['plain text', 'this is not XML at all'],
    ['an empty collection', '<collection/>'],
    ['XML without MARC', '<top xmlns="http://example.org/"><record><a>1</a></record></top>'],
  ])('reports %s as one problem', async (_name, text) => {
    const { records, problems } = await read(text);
    expect(records).toEqual([]);
    expect(problems).toHaveLength(1);
  });

  it('stops after too many problems instead of flooding', async () => {
    const broken = `<record><controlfield tag="001">x</controlfield></wrong></record>`;
    const { problems } = await read(`<collection>${broken.repeat(500)}</collection>`);
    expect(problems.length).toBeLessThanOrEqual(101);
    expect(problems.at(-1)?.problem.reason).toMatch(/not read/);
  });

  it('releases the input when the caller stops early or the document is refused', async () => {
    let closed = 0;
    async function* endless(prefix: string): AsyncGenerator<Uint8Array> {
      try {
        yield new TextEncoder().encode(prefix);
        for (;;) yield new TextEncoder().encode(record('n'));
      } finally {
        closed++;
      }
    }
    for await (const r of readMarcXml('e.xml', endless('<collection>'))) if (r.ok) break;
    for await (const _ of readMarcXml('e.xml', endless('<!DOCTYPE c [<!ENTITY a "b">]><collection>'))) void _;
    expect(closed).toBe(2);
  });

  it('turns a failing input stream into a problem', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(`<collection>${record('1')}<record>`);
      throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
    }
    const out: MarcReadResult[] = [];
    for await (const r of readMarcXml('f.xml', failing())) out.push(r);
    expect(out.map((r) => r.ok)).toEqual([true, false]);
    expect(out[1]?.ok === false && out[1].problem.reason).toMatch(/EIO/);
  });
});

describe('readMarcXml security', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jala-marcxml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a billion-laughs document without expanding it', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${levels}]><collection><record><leader>${LEADER}</leader><controlfield tag="001">&lol9;</controlfield></record></collection>`;
    const before = process.memoryUsage().heapUsed;
    const { records, problems } = await read(xml);
    expect(records).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.problem.reason).toMatch(/entities/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses external entities and never reads the file or URL they name', async () => {
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, 'TOP-SECRET-MARKER');
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('<!ENTITY x "FETCHED-MARKER">');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/evil.dtd`;
    try {
      const docs = [
        `<!DOCTYPE record [<!ENTITY xxe SYSTEM "file://${secretFile}">]><record><leader>${LEADER}</leader><controlfield tag="001">&xxe;</controlfield></record>`,
        `<!DOCTYPE record [<!ENTITY % remote SYSTEM "${url}"> %remote;]><record><controlfield tag="001">&x;</controlfield></record>`,
        `<!DOCTYPE record SYSTEM "${url}"><record><leader>${LEADER}</leader><controlfield tag="001">&x;</controlfield></record>`,
      ];
      for (const xml of docs) {
        const out: MarcReadResult[] = [];
        for await (const r of readMarcXml('x.xml', chunks(new TextEncoder().encode(xml)))) out.push(r);
        const text = JSON.stringify(out);
        expect(text).not.toContain('TOP-SECRET-MARKER');
        expect(text).not.toContain('FETCHED-MARKER');
      }
      const refused = await read(docs[0]!);
      expect(refused.records).toEqual([]);
      expect(refused.problems[0]?.problem.reason).toMatch(/entities/);
      await new Promise((ok) => setTimeout(ok, 50));
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('readMarcXml never throws', () => {
  const valid = `<?xml version="1.0" encoding="UTF-8"?>\n<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">${record('1', 'marc')}${record('2', 'marc')}</marc:collection>`;
  const check = async (bytes: Uint8Array, size: number): Promise<void> => {
    for await (const r of readMarcXml('p.xml', chunks(bytes, size))) {
      if (r.ok) expect(r.record.leader).toHaveLength(24);
      else expect(typeof r.problem.reason).toBe('string');
    }
  };
  const enc = new TextEncoder();

  it('on arbitrary text, truncated or mutated MARCXML, and arbitrary bytes', async () => {
    const fragments = fc.constantFrom('<', '>', '</', '/>', '<record>', '</record>', '<leader>', '<!DOCTYPE x [', ']>', '&', ';', '"', '<!--', '<![CDATA[', '\u0000', '\uFFFF', 'é', ' ');
    const inputs = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }).map((s) => enc.encode(s)),
      fc.nat({ max: valid.length }).map((n) => enc.encode(valid.slice(0, n))),
      fc
        .tuple(fc.nat({ max: valid.length }), fc.array(fragments, { maxLength: 5 }))
        .map(([n, junk]) => enc.encode(valid.slice(0, n) + junk.join('') + valid.slice(n))),
      fc.uint8Array({ maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(inputs, fc.integer({ min: 1, max: 64 }), async (bytes, size) => {
        await check(bytes, size);
      }),
      { numRuns: 1000 },
    );
  });
});
