import type { RecordDocument } from '../../src/catalog/record-document.ts';

/**
 * A mapped record for unit tests of dedup and placement: Laskar pelangi by Andrea Hirata as a Book,
 * with every list empty. `id` is `library.localId`; `over` replaces any field.
 */
export function recordDocument(id: string, over: Partial<RecordDocument> = {}): RecordDocument {
  const dot = id.indexOf('.');
  const library = dot < 0 ? id : id.slice(0, dot);
  return {
    id, library, localId: dot < 0 ? '' : id.slice(dot + 1), title: 'Laskar pelangi', titleShort: 'Laskar pelangi',
    titleFull: 'Laskar pelangi', titleSort: 'laskar pelangi', titleAlt: [], authors: [{ name: 'Hirata, Andrea', direct: 'Andrea Hirata' }],
    authors2: [], corporateAuthors: [], subjects: [], genres: [], series: [], seriesIssns: [], seriesNumbers: [], publishers: [],
    languages: ['ind'], format: 'Book', isbns: [], isbn10: [], isbnInvalid: [], issns: [], oclc: [], idKeys: [], contents: [], links: [],
    items: [], allText: id, titleNorm: 'laskarpelangi', authorNorm: 'hirataandrea', titleKey: 'laskarpelangihirata',
    ...over,
  };
}
