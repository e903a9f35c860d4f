import { createReadStream } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlValue, type MarcField, type MarcReadResult, type MarcRecord } from './marc-record.ts';
import { readMarcXml } from './marcxml-reader.ts';
import { toMarcXml } from './marcxml-writer.ts';

async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function readBack(xml: string): Promise<{ records: MarcRecord[]; results: MarcReadResult[] }> {
  const results: MarcReadResult[] = [];
  for await (const r of readMarcXml('roundtrip.xml', once(xml))) results.push(r);
  return { records: results.flatMap((r) => (r.ok ? [r.record] : [])), results };
}

const tricky: MarcRecord = {
  leader: '00000cam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'ocm<123>&"x"' },
    { tag: '008', value: '200101s2020    io            000 0 ind d' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'Laskar "Pelangi" & <friends> ]]> \'quoted\'' },
        { code: 'b', value: '  leading and trailing spaces  ' },
        { code: 'c', value: 'line\nbreak\r\nand\ttab' },
        { code: 'd', value: '' },
      ],
    },
    { tag: '880', ind1: '1', ind2: ' ', subfields: [{ code: '6', value: '245-01' }, { code: 'a', value: '虹の少年たち 🌈 Ру́сский' }] },
    { tag: '999', ind1: '"', ind2: '<', subfields: [{ code: '&', value: 'odd indicators and code' }] },
  ],
};

describe('toMarcXml', () => {
  it('writes a MARC 21 slim collection', () => {
    const xml = toMarcXml([tricky]);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">')).toBe(true);
    expect(xml).toContain('<controlfield tag="001">ocm&lt;123&gt;&amp;"x"</controlfield>');
    expect(xml).toContain('<datafield tag="999" ind1="&quot;" ind2="&lt;">');
    expect(xml.trimEnd().endsWith('</collection>')).toBe(true);
  });

  it('writes an empty collection for no records', async () => {
    const { records, results } = await readBack(toMarcXml([]));
    expect(records).toEqual([]);
    expect(results.every((r) => !r.ok)).toBe(true);
  });

  it('round-trips markup characters, whitespace, line ends and non-Latin scripts exactly', async () => {
    const { records, results } = await readBack(toMarcXml([tricky, tricky]));
    expect(records).toEqual([tricky, tricky]);
    expect(results.every((r) => r.ok && r.source.warnings.length === 0)).toBe(true);
  });

  it('writes characters XML cannot hold as U+FFFD so that the document stays readable', async () => {
    const bad: MarcRecord = { leader: tricky.leader, fields: [{ tag: '001', value: '00\u001faD1\u0000\uFFFF\uD800' }] };
    const xml = toMarcXml([bad]);
    const { records, results } = await readBack(xml);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(controlValue(records[0]!, '001')).toBe('00\uFFFDaD1\uFFFD\uFFFD\uFFFD');
  });

  it('round-trips a real Koha export', async () => {
    const file = '/work/shared/data/marc/koha/koha_misc4dev_sample_A.marcxml';
    const original: MarcRecord[] = [];
    for await (const r of readMarcXml(file, createReadStream(file))) if (r.ok) original.push(r.record);
    expect(original).toHaveLength(218);
    expect((await readBack(toMarcXml(original))).records).toEqual(original);
  });

  it('round-trips arbitrary records', async () => {
    const xmlSafe = (s: string): string =>
      s
        .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
        .normalize('NFC');
    const text = fc.string({ unit: 'binary', maxLength: 30 }).map(xmlSafe);
    const char = fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyz ');
    const controlField = fc.record({ tag: fc.stringMatching(/^00[1-9]$/), value: text });
    const dataField = fc.record({
      tag: fc.stringMatching(/^[0-9A-Z]{3}$/),
      ind1: char,
      ind2: char,
      subfields: fc.array(fc.record({ code: fc.constantFrom(...'abc0123456789xyz'), value: text }), { minLength: 1, maxLength: 4 }),
    });
    const record = fc.record({
      leader: fc.stringMatching(/^[0-9]{5}[a-z ]{19}$/),
      fields: fc.array(fc.oneof(controlField, dataField) as fc.Arbitrary<MarcField>, { maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 3 }), async (records) => {
        const back = await readBack(toMarcXml(records));
        expect(back.records).toEqual(records);
      }),
      { numRuns: 200 },
    );
  });
});
