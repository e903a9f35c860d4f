import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordDocument } from '../catalog/record-document.ts';
import { readMarcFile } from '../marc/read-marc-files.ts';
import { marcFixtures } from '../../test/support/paths.ts';
import { checkedDocument, compileCheck, HAS_PLAIN_CHECK } from './checked-document.ts';
import { mapRecord } from './map-record.ts';
import { join } from 'node:path';

/**
 * checkedDocument's verdict and the schema's on the document without its undefined properties (as
 * the mapping gave it to the schema), side by side, as JSON (key order included).
 */
function both(doc: unknown): [string, string] {
  const view = (r: ReturnType<typeof RecordDocument.safeParse>): string =>
    JSON.stringify(r.success ? { ok: true, data: r.data } : { ok: false, issues: r.error.issues.map((i) => ({ path: i.path, message: i.message })) });
  const defined = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) : doc;
  return [view(checkedDocument(doc)), view(RecordDocument.safeParse(defined))];
}

const base = {
  id: 'ugm.1',
  library: 'ugm',
  localId: '1',
  title: 'Laskar pelangi',
  titleShort: 'Laskar pelangi',
  titleFull: 'Laskar pelangi',
  titleSort: 'laskar pelangi',
  titleAlt: [],
  authors: [{ name: 'Hirata, Andrea', direct: 'Andrea Hirata', role: 'pengarang' }],
  authors2: [],
  corporateAuthors: [],
  subjects: ['Novel'],
  genres: [],
  series: [],
  seriesIssns: [],
  seriesNumbers: [],
  publishers: ['Bentang'],
  year: 2008,
  pageCount: 529,
  languages: ['ind'],
  format: 'Book',
  isbns: ['9789793062792'],
  isbn10: ['9793062797'],
  isbnInvalid: [],
  issns: [],
  oclc: [],
  idKeys: [],
  contents: [],
  links: [{ url: 'http://x', label: 'Online' }],
  // built status first, as holdings.ts does: the schema's order puts it after itemType
  items: [{ library: 'ugm', status: 'available', branch: 'PUSAT', barcode: 'B1' }],
  allText: '',
  titleKey: 'laskarpelangi hirata',
  titleNorm: 'laskarpelangi',
};

describe('checkedDocument', () => {
  it('has a plain check made from the schema, so that it is used at all', () => {
    expect(HAS_PLAIN_CHECK).toBe(true);
  });

  it('makes no plain check from a schema with a kind or a rule it does not know (the schema then decides alone)', () => {
    expect(compileCheck(z.string().max(3))).toBeUndefined();
    expect(compileCheck(z.string().email())).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string() }).strict())).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string().optional().default('x') }))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.array(z.string()).min(1) }))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.number().positive() }))).toBeUndefined();
    expect(compileCheck(z.string().refine((s) => s !== 'x'))).toBeUndefined();
    expect(compileCheck(z.coerce.string())).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string().min(2).regex(/^a/), b: z.number().int().optional(), c: z.enum(['x', 'y']) }))).toBeTypeOf('function');
  });

  it('passes only values the schema passes, for each kind it knows', () => {
    const schema = z.object({ s: z.string().min(2).regex(/^a/), n: z.number(), i: z.number().int().optional(), e: z.enum(['x', 'y']), l: z.array(z.string()) });
    const check = compileCheck(schema);
    const good = { s: 'ab', n: 1.5, i: 3, e: 'x', l: ['p'] };
    const values: unknown[] = [
      good, { ...good, extra: 1 }, { ...good, s: 'b' }, { ...good, s: 'a' }, { ...good, s: 'a\ud83d' }, { ...good, n: Number.POSITIVE_INFINITY },
      { ...good, n: Number.NaN }, { ...good, n: '1' }, { ...good, i: 1.5 }, { ...good, i: 2 ** 53 }, { ...good, e: 'z' }, { ...good, l: [1] },
      // eslint-disable-next-line no-sparse-arrays
      { ...good, l: ['a', , 'b'] }, (({ i: _, ...rest }) => rest)(good), (({ n: _, ...rest }) => rest)(good),
    ];
    let passed = 0;
    for (const v of values) {
      const out = check?.(v);
      // unsure (a symbol) leaves the verdict to the schema; a pass must be the schema's own result
      if (typeof out === 'symbol') continue;
      passed++;
      expect(schema.safeParse(v)).toEqual({ success: true, data: out });
      expect(JSON.stringify(out)).toBe(JSON.stringify(schema.parse(v)));
    }
    expect(passed).toBe(3); // good, with an extra key, without the optional i
  });

  it('returns what the schema returns for a valid document: a copy in the schema key order, unknown keys dropped', () => {
    const [fast, schema] = both({ ...base, extra: 1, authors: [{ direct: 'Andrea Hirata', name: 'Hirata, Andrea', x: 2 }] });
    expect(fast).toBe(schema);
    const out = checkedDocument(base);
    expect(out.success && Object.keys(out.data.items[0] ?? {})).toEqual(['library', 'branch', 'barcode', 'status']);
    expect(out.success && out.data.items).not.toBe(base.items);
  });

  it('leaves to the schema, and so reports as it does, every document the schema refuses', () => {
    const invalid: unknown[] = [
      null,
      [],
      'doc',
      { ...base, id: 'ab' },
      { ...base, id: 'a\ud83d\ude00' }, // three UTF-16 units, two code points
      { ...base, title: '' },
      { ...base, title: 7 },
      { ...base, titleSort: undefined },
      { ...base, subtitle: 3 },
      { ...base, year: 2008.5 },
      { ...base, year: Number.NaN },
      { ...base, pageCount: 2 ** 60 },
      { ...base, isbns: ['9789793062797x'] },
      { ...base, isbn10: ['979306279x'] },
      { ...base, subjects: ['a', 2] },
      { ...base, subjects: 'a' },
      { ...base, authors: [{ name: '', direct: 'x' }] },
      { ...base, authors: [{ name: 'x' }] },
      { ...base, links: [{ url: '' }] },
      { ...base, items: [{ library: 'ugm', status: 'gone' }] },
      { ...base, items: [{ library: '', status: 'available' }] },
      { ...base, items: [{ library: 'ugm', status: 'available', dueDate: 20240101 }] },
      (({ format: _, ...rest }) => rest)(base),
    ];
    for (const doc of invalid) {
      const [fast, schema] = both(doc);
      expect(fast).toBe(schema);
      expect(JSON.parse(fast)).toMatchObject({ ok: false });
    }
  });

  it('agrees with the schema on the edges it accepts', () => {
    const valid: unknown[] = [
      { ...base, id: 'a\ud83d\ude00b' },
      { ...base, title: '\ud83d\ude00' },
      { ...base, subtitle: '' },
      { ...base, year: -0 },
      { ...base, isbns: [], isbn10: ['123456789X'] },
      { ...base, items: [] },
      { ...base, subtitle: undefined, partNumber: undefined }, // undefined: left out, as absent
    ];
    for (const doc of valid) {
      const [fast, schema] = both(doc);
      expect(fast).toBe(schema);
      expect(JSON.parse(fast)).toMatchObject({ ok: true });
    }
  });

  it('gives the schema result for every document mapped from the MARC fixtures', async () => {
    let n = 0;
    for (const file of ['koha/koha_misc4dev_sample_A.marcxml', 'traject/test_data.utf8.mrc', 'traject/hebrew880s.marc', 'traject/manufacturing_consent.marc']) {
      for await (const r of readMarcFile(join(marcFixtures(), file))) {
        if (!r.ok) continue;
        const mapped = mapRecord(r.record, { library: 'LIB', fallbackId: 'f' });
        if (!mapped.ok) continue;
        const [fast, schema] = both(mapped.doc);
        expect(fast).toBe(schema);
        n++;
      }
    }
    expect(n).toBeGreaterThan(3);
  });
});
