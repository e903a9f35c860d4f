import { describe, expect, it } from 'vitest';
import type { RecordDocument } from '../catalog/record-document.ts';
import { recordDocument } from '../../test/support/record-document.ts';
import { matchRecords, type DedupView } from './dedup-match.ts';
import { InMemoryDedup, packView, unpackView } from './in-memory-dedup.ts';

const doc = recordDocument;

/** The fields matchRecords reads, as the store's document has them (absent optional fields as ''). */
function fields(d: DedupView): unknown {
  return {
    format: d.format, isbns: d.isbns, idKeys: d.idKeys, issns: d.issns, seriesIssns: d.seriesIssns, seriesNumbers: d.seriesNumbers,
    titleNorm: d.titleNorm.slice(0, 255), author: d.authors[0]?.name ?? '', year: d.year, pageCount: d.pageCount,
    edition: d.edition ?? '', partNumber: d.partNumber ?? '', authorNorm: d.authorNorm ?? '',
  };
}

const CASES: RecordDocument[] = [
  doc('a.1'),
  doc('a.2', { isbns: ['9789793062792', '9789793062808'], idKeys: ['lccn:2005123456'], issns: ['1234-5678'], seriesIssns: ['0000-0001'], seriesNumbers: ['3', 'jil. 4'] }),
  doc('a.3', { year: 2005, pageCount: 529, edition: 'Cet. 5', partNumber: '2', authors: [], authorNorm: undefined }),
  doc('a.4', { titleNorm: 'x'.repeat(300), year: 0, pageCount: 0 }),
  doc('a.5', { titleNorm: 'judul \u{1F4DA} ünïcödé', authors: [{ name: 'Pramoedya \u00c4nanta', direct: 'x' }] }),
  // kept as objects: a separator inside a field, an empty list item, a year that is not an integer
  doc('a.6', { titleNorm: 'a\u0001b', isbns: ['\u0002'] }),
  doc('a.7', { seriesNumbers: [''] }),
  doc('a.8', { year: 2005.5 }),
];

describe('packView', () => {
  it('gives back the fields matchRecords reads', () => {
    for (const d of CASES) {
      const packed = packView(d);
      const view = typeof packed === 'string' ? unpackView(packed) : packed;
      expect(fields(view), d.id).toEqual(fields(d));
    }
    expect(CASES.slice(0, 5).every((d) => typeof packView(d) === 'string')).toBe(true);
    expect(CASES.slice(5).every((d) => typeof packView(d) === 'object')).toBe(true);
  });

  it('matches as the documents do', () => {
    const r = doc('b.1', { year: 2005, pageCount: 530, edition: '5th ed.' });
    for (const d of CASES) {
      const packed = packView(d);
      const view = typeof packed === 'string' ? unpackView(packed) : packed;
      expect(matchRecords(r, view), d.id).toEqual(matchRecords(r, d));
    }
  });
});

describe('InMemoryDedup', () => {
  it('keeps works in join order with their sizes, and answers candidates of other libraries', () => {
    const m = new InMemoryDedup();
    m.add(doc('a.1', { isbns: ['1'] }), 1);
    m.add(doc('a.2'), 2);
    m.add(doc('b.1', { isbns: ['1'] }), 1);
    m.add(doc('c.1', { isbns: ['1'] }), 5000);
    expect(m.recordIdsOfWork(1)).toEqual(['a.1', 'b.1']);
    expect(m.workSize(1)).toBe(2);
    expect(m.workSize(3)).toBe(0);
    expect(m.workSize(99999)).toBe(0);
    expect(m.workCount()).toBe(3);
    expect(m.sharedWorksOfLibrary('a')).toBe(1);
    expect(m.sharedWorksOfLibrary('c')).toBe(0);
    expect(m.workHasLibrary(1, 'b')).toBe(true);
    expect(m.workHasLibrary(1, 'b', 'b.1')).toBe(false);
    const found = m.candidatesForKeys([['isbn', '1']], 'b');
    expect(found.get('isbn\u00001')?.map((c) => [c.recordId, c.workId])).toEqual([['a.1', 1], ['c.1', 5000]]);
    expect(m.storedRecordDoc('a.1')?.isbns).toEqual(['1']);
    m.releaseMatching();
    expect(m.recordIdsOfWork(1)).toEqual(['a.1', 'b.1']);
    expect(m.sharedWorksOfLibrary('a')).toBe(1);
    expect(() => m.candidatesForKeys([['isbn', '1']], 'b')).toThrow(/releaseMatching/);
  });
});
