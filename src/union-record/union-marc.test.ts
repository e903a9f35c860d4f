import { describe, expect, it } from 'vitest';
import type { MarcDataField, MarcRecord } from '../marc/marc-record.ts';
import type { WorkDocument } from '../catalog/work-document.ts';
import { availabilityInWords, holdingsFields } from './holdings-852.ts';
import { marcRecordXml, schemaLeader } from './marcxml-record.ts';
import type { ServedItem } from './served-catalog.ts';
import { unionMarc } from './union-marc.ts';

const base: MarcRecord = {
  leader: '01406nam  2200313 i 4500',
  fields: [
    { tag: '001', value: 'IDN0001' },
    { tag: '005', value: '20240812093015.0' },
    { tag: '008', value: '190812s2005    io            000 1 ind d' },
    { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '9789793062792' }] },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Laskar pelangi /' }] },
    { tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'p', value: 'UGM0010001' }] },
    { tag: '999', ind1: ' ', ind2: ' ', subfields: [{ code: 'c', value: '17' }] },
  ],
};

const work = { id: 7, records: ['UGM.IDN0001', 'UI.IDN1001', 'USU.X'], libraries: ['UGM', 'UI', 'USU'] } as WorkDocument;

const items: ServedItem[] = [
  { recordId: 'UGM.IDN0001', library: 'UGM', branch: 'PUSAT', location: 'SIRK', callNumber: '899.2213 HIR l', barcode: 'UGM0010001', status: 'available' },
  { recordId: 'UGM.IDN0001', library: 'UGM', branch: 'FIB', callNumber: '899.2213 HIR l', barcode: 'UGM0010002', status: 'on-loan', dueDate: '2026-12-15' },
  { recordId: 'UI.IDN1001', library: 'UI', barcode: 'UI-1', status: 'library-use-only' },
];

const sub = (f: MarcDataField, code: string): string | undefined => f.subfields.find((s) => s.code === code)?.value;

describe('the union record of a work', () => {
  const record = unionMarc({ work, base, items, repository: 'katalog.jala.test', datestamp: '2026-01-31T12:34:56Z', holdings: { nonLending: new Set(['USU']) } });
  const fields = record.fields;

  it('is the base record under the work\'s id, with its members named in 035 and their own item fields taken out', () => {
    expect(fields.slice(0, 4).map((f) => [f.tag, 'value' in f ? f.value : ''])).toEqual([
      ['001', 'w7'],
      ['003', 'katalog.jala.test'],
      ['005', '20260131123456.0'],
      ['008', '190812s2005    io            000 1 ind d'],
    ]);
    expect(fields.filter((f) => f.tag === '035').map((f) => sub(f as MarcDataField, 'a'))).toEqual(['(UGM)IDN0001', '(UI)IDN1001', '(USU)X']);
    expect(fields.some((f) => f.tag === '952' || f.tag === '999')).toBe(false);
    expect(fields.map((f) => f.tag)).toEqual([...fields.map((f) => f.tag)].sort());
    expect(record.leader[9]).toBe('a');
  });

  it('holds one 852 per item and one per holder without items, as ReShare reads them', () => {
    const h = fields.filter((f): f is MarcDataField => f.tag === '852');
    expect(h.map((f) => [sub(f, 'a'), sub(f, 'b'), sub(f, 'p'), sub(f, 'r'), sub(f, 'z')])).toEqual([
      ['UGM', 'PUSAT', 'UGM0010001', undefined, 'Available'],
      ['UGM', 'FIB', 'UGM0010002', undefined, 'On loan, due 2026-12-15'],
      ['UI', 'UI', 'UI-1', 'Library use only', 'Library use only'],
      ['USU', 'USU', undefined, 'Not lent through interlibrary loan', 'No item information'],
    ]);
  });

  it('says availability in words', () => {
    expect(availabilityInWords({ status: 'on-loan' })).toBe('On loan');
    expect(availabilityInWords({ status: 'withdrawn' })).toBe('Withdrawn');
    expect(holdingsFields([], ['B', 'A']).map((f) => sub(f, 'a'))).toEqual(['A', 'B']);
  });
});

describe('MARCXML that MARC21slim.xsd accepts, whatever the source held', () => {
  it('repairs the leader to the schema\'s pattern, keeping what fits', () => {
    expect(schemaLeader('01406nam  2200313 i 4500')).toBe('01406nam a2200313 i 4500');
    expect(schemaLeader('short')).toMatch(/^[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}(2| )(2| )[\d ]{5}[\dA-Za-z ]{3}(4500| {4})$/);
    expect(schemaLeader('#####n|m#a22#####|#|4500')).toMatch(/^[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}(2| )(2| )[\d ]{5}[\dA-Za-z ]{3}(4500| {4})$/);
  });

  it('leaves out fields and subfields the schema cannot carry, and escapes text', () => {
    const xml = marcRecordXml({
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: 'x<y' },
        { tag: '00', value: 'bad control tag' },
        { tag: '245', ind1: '#', ind2: 'A', subfields: [{ code: 'a', value: 'A & B \u0001' }, { code: ' ', value: 'no code' }] },
        { tag: '500', ind1: ' ', ind2: ' ', subfields: [] },
        { tag: '0ab', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'lower-case tag' }] },
      ],
    });
    expect(xml).toContain('<controlfield tag="001">x&lt;y</controlfield>');
    expect(xml).not.toContain('bad control tag');
    expect(xml).toContain('<datafield tag="245" ind1=" " ind2=" "><subfield code="a">A &amp; B \uFFFD</subfield></datafield>');
    expect(xml).not.toContain('no code');
    expect(xml).not.toContain('tag="500"');
    expect(xml).toContain('tag="0ab"');
  });
});
