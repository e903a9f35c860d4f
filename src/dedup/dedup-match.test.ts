import { describe, expect, it } from 'vitest';
import { editionKey, matchRecords } from './dedup-match.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import { recordDocument } from '../../test/support/record-document.ts';

function doc(over: Partial<RecordDocument> & { id: string }): RecordDocument {
  return recordDocument(over.id, { allText: '', ...over });
}

describe('matchRecords (RecordManager confirmation rules)', () => {
  it('accepts a shared ISBN even when titles are catalogued differently', () => {
    const r = matchRecords(doc({ id: 'A.1', isbns: ['9789793062792'] }), doc({ id: 'B.1', isbns: ['9789793062792'], titleNorm: 'laskarpelangisebuahnovel' }));
    expect(r).toEqual({ match: true, rule: 'isbn' });
  });
  it('accepts the same title and author with slightly different punctuation', () => {
    expect(matchRecords(doc({ id: 'A.1', year: 2005 }), doc({ id: 'B.1', year: 2005 })).match).toBe(true);
  });
  it('keeps two editions apart: different years', () => {
    expect(matchRecords(doc({ id: 'A.1', year: 2005 }), doc({ id: 'B.1', year: 2008 }))).toEqual({ match: false, rule: 'veto/year' });
  });
  it('keeps two editions apart: different edition statements', () => {
    expect(matchRecords(doc({ id: 'A.1', edition: '2nd ed.' }), doc({ id: 'B.1', edition: '3rd ed.' })).rule).toBe('veto/edition');
    expect(matchRecords(doc({ id: 'A.1', edition: '2nd ed.' }), doc({ id: 'B.1', edition: 'Second edition' })).match).toBe(true);
  });
  it('never matches different formats, even with a shared ISBN', () => {
    expect(matchRecords(doc({ id: 'A.1', isbns: ['9789793062792'] }), doc({ id: 'B.1', format: 'Video', isbns: ['9789793062792'] })).rule).toBe('veto/format');
  });
  it('vetoes titles more than 10 % apart and authorless against authored', () => {
    expect(matchRecords(doc({ id: 'A.1' }), doc({ id: 'B.1', titleNorm: 'sangpemimpi' })).rule).toBe('veto/title');
    expect(matchRecords(doc({ id: 'A.1' }), doc({ id: 'B.1', authorNorm: undefined, authors: [] })).rule).toBe('veto/author');
  });
  it('accepts an author given with initials', () => {
    const a = doc({ id: 'A.1', authors: [{ name: 'Toer, Pramoedya Ananta', direct: 'Pramoedya Ananta Toer' }], authorNorm: 'toerpramoedyaananta' });
    const b = doc({ id: 'B.1', authors: [{ name: 'Toer, P. A.', direct: 'P. A. Toer' }], authorNorm: 'toerpa' });
    expect(matchRecords(a, b).match).toBe(true);
  });
  it('vetoes page counts more than 10 apart and different volume numbers', () => {
    expect(matchRecords(doc({ id: 'A.1', pageCount: 529 }), doc({ id: 'B.1', pageCount: 300 })).rule).toBe('veto/pages');
    expect(matchRecords(doc({ id: 'A.1', partNumber: 'Jilid 1' }), doc({ id: 'B.1', partNumber: 'Jilid 2' })).rule).toBe('veto/part');
  });
});

describe('editionKey', () => {
  it('reads numbers and ordinal words in English and Indonesian', () => {
    expect(editionKey('Cet. 5')).toBe('5');
    expect(editionKey('Edisi kedua')).toBe('2');
    expect(editionKey('Rev. ed.')).toBe('rev');
  });
});
