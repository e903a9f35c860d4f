import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedCatalog } from '../../test/support/generated-catalog.ts';
import { foldedTokens } from './analyze-text.ts';
import type { IndexedWork } from './index-options.ts';
import { MiniSearchIndex, type FieldScope, type SearchRequest } from './minisearch-index.ts';
import { stems } from './stemmers.ts';
import { bestOf } from './top-hits.ts';
import { workToIndexed } from './work-to-indexed.ts';

// The fast path (top-hits.ts), the bulk build and packed postings all claim to be MiniSearch exactly:
// MiniSearch's own search over an index built with addAll is the oracle (the index file's tests:
// index-file.test.ts).

let docs: IndexedWork[];
let words: string[];
let libraries: string[];
let languages: string[];
let formats: string[];

beforeAll(async () => {
  const { catalog, store } = await generatedCatalog({ prefix: 'jala-top-hits-', records: 1500, libraries: 6, questions: 40 });
  const available = store.availableLibrariesByWork();
  docs = [...store.allWorks()].map((w) => workToIndexed(w, available.get(w.id) ?? []));
  words = [...new Set(docs.slice(0, 300).flatMap((d) => foldedTokens(`${d.title} ${d.authors} ${d.subjects}`)))];
  libraries = catalog.libraries.map((l) => l.code);
  languages = [...new Set(docs.flatMap((d) => d.lang))];
  formats = [...new Set(docs.map((d) => d.format))];
});

/** MiniSearch's own answer: the index is marked dirty, which makes the fast path step aside. */
function oracle(index: MiniSearchIndex, req: SearchRequest, limit: number): ReturnType<MiniSearchIndex['search']> {
  return oracleCounted(index, req, limit).hits;
}

/** MiniSearch's own answer with its count of every match. */
function oracleCounted(index: MiniSearchIndex, req: SearchRequest, limit: number): ReturnType<MiniSearchIndex['searchCounted']> {
  const mini = (index as unknown as { mini: { _dirtCount: number } }).mini;
  const dirt = mini._dirtCount;
  mini._dirtCount = dirt + 1;
  try {
    return index.searchCounted(req, limit);
  } finally {
    mini._dirtCount = dirt;
  }
}

const requests = (): fc.Arbitrary<SearchRequest> =>
  fc.record({
    terms: fc.array(fc.oneof(fc.constantFrom(...words), fc.constantFrom(...words).map((w) => w.slice(0, Math.max(3, w.length - 2)))), { minLength: 1, maxLength: 4 }),
    scope: fc.constantFrom<FieldScope>('all', 'title', 'author', 'subject'),
    mode: fc.constant<'all'>('all'),
    fuzzy: fc.boolean(),
    filters: fc.oneof(
      fc.constant({}),
      fc.record({ library: fc.constantFrom(...libraries) }),
      fc.constant({ available: true }),
      fc.record({ library: fc.constantFrom(...libraries), available: fc.constant(true) }),
      fc.record({ yearFrom: fc.integer({ min: 1950, max: 2025 }) }),
      fc.record({ yearTo: fc.integer({ min: 1950, max: 2025 }), language: fc.constantFrom(...languages) }),
      fc.record({ format: fc.constantFrom(...formats, 'map') }),
    ),
    homeLibrary: fc.option(fc.constantFrom(...libraries), { nil: undefined }),
    // further parts in their own fields ("books about X by Y")
    and: fc.array(
      fc.record({ scope: fc.constantFrom<FieldScope>('all', 'title', 'author', 'subject'), terms: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 2 }) }),
      { maxLength: 2 },
    ),
    // best coverage: at least this many of the words
    minMatch: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  }).map((r) => {
    const { and, minMatch, ...rest } = r;
    // MiniSearch's coverage is counted from the query strings a result matched (the oracle maps each
    // back to the first word that has it): only words sharing no query string (term or stem) compare
    const all = [...rest.terms, ...and.flatMap((p) => p.terms)];
    const strings = all.map((t) => new Set([t, ...stems(t)]));
    const apart = strings.every((a, i) => strings.every((b, j) => j <= i || ![...a].some((x) => b.has(x))));
    const req = { ...rest, ...(and.length > 0 ? { and } : {}), ...(minMatch !== undefined && apart ? { minMatch } : {}) };
    return (req.homeLibrary === undefined ? { ...req, homeLibrary: undefined } : req) as SearchRequest;
  });

describe('the fast search path', () => {
  it('finds exactly what MiniSearch finds: the same works, scores and order', () => {
    const plain = MiniSearchIndex.empty();
    plain.addAll(docs);
    const built = MiniSearchIndex.build([docs]);
    fc.assert(
      fc.property(requests(), fc.constantFrom(5, 200), (req, limit) => {
        const expected = oracle(plain, req, limit);
        expect(plain.search(req, limit)).toEqual(expected);
        expect(built.search(req, limit)).toEqual(expected);
        expect(oracle(built, req, limit)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('answers a word asked twice or more ("pendidikan pendidikan") exactly as MiniSearch, among the other words and parts', () => {
    const plain = MiniSearchIndex.empty();
    plain.addAll(docs);
    const built = MiniSearchIndex.build([docs]);
    let found = 0;
    fc.assert(
      fc.property(
        // words of one work, so that most questions find something: few of them, so that they repeat
        fc.nat(docs.length - 1),
        fc.array(fc.nat(3), { minLength: 2, maxLength: 4 }),
        fc.constantFrom<FieldScope>('all', 'title', 'subject'),
        // the first word once more in a part of its own, in every field ("… about X by Y")
        fc.constantFrom<FieldScope | undefined>(undefined, 'all', 'subject'),
        fc.oneof(fc.constant({}), fc.record({ library: fc.constantFrom(...libraries) })),
        fc.option(fc.constantFrom(...libraries), { nil: undefined }),
        fc.constantFrom(5, 200),
        (doc, at, scope, again, filters, homeLibrary, limit) => {
          const d = docs[doc] as IndexedWork;
          const own = [...new Set(foldedTokens(`${d.title} ${d.subjects}`))];
          const terms = at.map((i) => own[i % own.length] as string);
          const req: SearchRequest = { terms, scope, mode: 'all', fuzzy: false, filters, ...(homeLibrary !== undefined ? { homeLibrary } : {}) };
          if (again !== undefined) req.and = [{ scope: again, terms: [terms[0] as string, terms[0] as string] }];
          const expected = oracleCounted(plain, req, limit);
          if (expected.total > 0) found++;
          expect(built.searchCounted(req, limit)).toEqual(expected);
          expect(plain.searchCounted(req, limit)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
    // the property is about questions that find something
    expect(found).toBeGreaterThan(50);
  });

  it('answers common words asked together exactly as MiniSearch, their stems with the same postings scored once', () => {
    // a common word in the title and subjects of most works: in the stemmed fields it and its
    // Indonesian stem ('pendidikan', 'didik') have the same postings, scored once (top-hits.ts'
    // scoredAlike); long lists walked among another common word's candidates, with filters
    const common = ['pendidikan', 'ekonomi', 'hukum'];
    const many: IndexedWork[] = [];
    for (let copy = 0; copy < 3; copy++) {
      docs.forEach((d, i) => {
        const k = copy * docs.length + i;
        const add = common.filter((_, c) => (k * 7 + c * 3) % (c + 2) !== 0).join(' ');
        const title = `${d.title} ${add}`;
        const subjects = k % 5 === 0 ? d.subjects : `${d.subjects} ${add}`;
        many.push({ ...d, id: k + 1, title, subjects, title_s: `${d.title_s} ${add}`, subjects_s: subjects });
      });
    }
    const plain = MiniSearchIndex.empty();
    plain.addAll(many);
    const built = MiniSearchIndex.build([many]);
    let found = 0;
    fc.assert(
      fc.property(
        // mostly the common words together, at times with a rarer one
        fc.tuple(fc.array(fc.constantFrom(...common), { minLength: 2, maxLength: 3 }), fc.option(fc.constantFrom(...words.slice(0, 40)), { nil: undefined })).map(([c, w]) => (w === undefined ? c : [...c, w])),
        fc.constantFrom<FieldScope>('all', 'title', 'subject'),
        fc.oneof(fc.constant({}), fc.record({ library: fc.constantFrom(...libraries) }), fc.constant({ available: true })),
        fc.option(fc.constantFrom(...libraries), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
        fc.constantFrom(5, 200),
        (terms, scope, filters, homeLibrary, minMatch, limit) => {
          const req: SearchRequest = { terms, scope, mode: 'all', fuzzy: false, filters, ...(homeLibrary !== undefined ? { homeLibrary } : {}) };
          if (minMatch !== undefined && new Set(terms).size === terms.length && terms.every((t) => !common.includes(t) || !terms.some((u) => u !== t && stems(u).some((x) => stems(t).includes(x))))) req.minMatch = minMatch;
          const expected = oracleCounted(plain, req, limit);
          if (expected.total > 100) found++;
          expect(built.searchCounted(req, limit)).toEqual(expected);
          expect(plain.searchCounted(req, limit)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
    expect(found).toBeGreaterThan(30);
  });

  it('stays exact through incremental updates: MiniSearch answers while discarded documents wait for the vacuum', async () => {
    const plain = MiniSearchIndex.empty();
    plain.addAll(docs);
    const built = MiniSearchIndex.build([docs]);
    for (const index of [plain, built]) {
      for (const d of docs.slice(0, 200)) index.upsert({ ...d, title: `${d.title} edisi revisi` });
      for (const d of docs.slice(200, 260)) index.remove(d.id);
    }
    const check = (): void =>
      fc.assert(
        fc.property(requests(), (req) => {
          expect(built.search(req, 50)).toEqual(oracle(plain, req, 50));
        }),
        { numRuns: 100 },
      );
    check();
    for (const index of [plain, built]) await (index as unknown as { mini: { vacuum(): Promise<void> } }).mini.vacuum();
    check();
  });
});

describe('building and persisting the index', () => {
  it('builds in bulk the same index addAll builds', () => {
    const plain = MiniSearchIndex.empty();
    plain.addAll(docs);
    const built = MiniSearchIndex.build([docs.slice(0, 700), docs.slice(700)]);
    type Inside = { _documentIds: Map<number, unknown>; _fieldLength: Map<number, number[]>; _avgFieldLength: number[]; _storedFields: Map<number, unknown>; _index: Iterable<[string, Map<number, Iterable<[number, number]>>]> };
    const view = (i: MiniSearchIndex) => {
      const m = (i as unknown as { mini: Inside }).mini;
      return {
        ids: [...m._documentIds],
        lengths: [...m._fieldLength],
        averages: m._avgFieldLength,
        stored: [...m._storedFields],
        terms: [...m._index].map(([t, data]) => [t, [...data].map(([f, p]) => [f, [...p]])]),
      };
    };
    expect(view(built)).toEqual(view(plain));
  });

});

describe('picking the best hits', () => {
  it('gives a stable sort’s first hits, by coverage first when asked, equal scores in their order', () => {
    fc.assert(
      fc.property(
        // few distinct values: many ties
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 3 })), { maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        (pairs, limit, byCoverage) => {
          const scores = Float64Array.from(pairs, ([s]) => s / 4);
          const coverage = Uint8Array.from(pairs, ([, c]) => c);
          const expected = pairs
            .map((_, i) => i)
            .sort((a, b) => (byCoverage ? (coverage[b] as number) - (coverage[a] as number) : 0) || (scores[b] as number) - (scores[a] as number) || a - b)
            .slice(0, limit);
          expect([...bestOf(scores, pairs.length, limit, byCoverage ? coverage : undefined)]).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
