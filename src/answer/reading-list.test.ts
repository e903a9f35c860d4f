import { describe, expect, it } from 'vitest';
import { readingListItems } from './reading-list.ts';

describe('readingListItems', () => {
  it('reads titles, ISBNs, DOIs and citations, one per line, ignoring bullets and headings', () => {
    const items = readingListItems(`Daftar bacaan:
1. Laskar pelangi
- ISBN 978-979-3062-79-2
• Hirata, A. (2005). Sang pemimpi. Yogyakarta: Bentang.
Toer, Pramoedya Ananta. Bumi manusia. Jakarta: Hasta Mitra, 1980.
Smith, J. (2019). Library cooperation in Southeast Asia. Journal of Libraries, 3(2). https://doi.org/10.1234/jl.2019.55`);
    expect(items?.map((i) => [i.kind, i.query])).toEqual([
      ['title', 'Laskar pelangi'],
      ['isbn', 'ISBN 978-979-3062-79-2'],
      ['citation', 'Sang pemimpi'],
      ['citation', 'Bumi manusia'],
      ['doi', 'Library cooperation in Southeast Asia'],
    ]);
  });

  it('is not a list with one line', () => {
    expect(readingListItems('laskar pelangi')).toBeUndefined();
    expect(readingListItems('laskar pelangi\n\n')).toBeUndefined();
  });
});
