import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import type MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedCatalog } from '../../test/support/generated-catalog.ts';
import { foldedTokens } from './analyze-text.ts';
import { IndexFileError, readIndexFile } from './index-file.ts';
import { INDEX_VERSION, INDEX_OPTIONS, type IndexedWork } from './index-options.ts';
import { readLegacyIndexFile, writeLegacyIndexFile } from './legacy-index-file.ts';
import { MiniSearchIndex, type FieldScope, type SearchRequest } from './minisearch-index.ts';
import { workToIndexed } from './work-to-indexed.ts';

// The binary index file loads into typed arrays behind MiniSearch's maps. It claims to answer
// exactly as the JSON-lines file it replaces did (the same tree, so the same scores and order):
// an index read from a JSON-lines file is the oracle.

let docs: IndexedWork[];
let words: string[];
let libraries: string[];

beforeAll(async () => {
  const { catalog, store } = await generatedCatalog({ prefix: 'jala-index-file-', records: 1500, libraries: 6, questions: 40 });
  const available = store.availableLibrariesByWork();
  docs = [...store.allWorks()].map((w) => workToIndexed(w, available.get(w.id) ?? []));
  words = [...new Set(docs.slice(0, 300).flatMap((d) => foldedTokens(`${d.title} ${d.authors} ${d.subjects}`)))];
  libraries = catalog.libraries.map((l) => l.code);
});

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'jala-index-file-'));
const indexDir = (dataDir: string): string => path.join(dataDir, 'index');
const binFile = (dataDir: string): string => path.join(indexDir(dataDir), 'works-index.bin');
const legacyFile = (dataDir: string): string => path.join(indexDir(dataDir), 'works-index.json');

/** A MiniSearchIndex around a MiniSearch instance (the constructor is private to the class). */
const wrap = (mini: MiniSearch<IndexedWork>): MiniSearchIndex => new (MiniSearchIndex as unknown as new (m: MiniSearch<IndexedWork>) => MiniSearchIndex)(mini);
const miniOf = (index: MiniSearchIndex): MiniSearch<IndexedWork> & { _dirtCount: number } => (index as unknown as { mini: MiniSearch<IndexedWork> & { _dirtCount: number } }).mini;

/** A data directory as Jala 0.1 left it: the JSON-lines file and its meta. */
function legacyDataDir(index: MiniSearchIndex, meta: { catalogId: string; seq: number }): string {
  const dataDir = tempDir();
  fs.mkdirSync(indexDir(dataDir));
  writeLegacyIndexFile(miniOf(index), legacyFile(dataDir));
  fs.writeFileSync(path.join(indexDir(dataDir), 'works-index.meta.json'), JSON.stringify({ version: INDEX_VERSION, documents: index.size, savedAt: new Date().toISOString(), ...meta }));
  return dataDir;
}

/** MiniSearch's own answer, through the frozen maps: the index is marked dirty, which makes the fast path step aside. */
function oracle(index: MiniSearchIndex, req: SearchRequest, limit: number): ReturnType<MiniSearchIndex['search']> {
  const mini = miniOf(index);
  mini._dirtCount += 1;
  try {
    return index.search(req, limit);
  } finally {
    mini._dirtCount -= 1;
  }
}

const requests = (): fc.Arbitrary<SearchRequest> =>
  fc
    .record({
      terms: fc.array(fc.oneof(fc.constantFrom(...words), fc.constantFrom(...words).map((w) => w.slice(0, Math.max(3, w.length - 2)))), { minLength: 1, maxLength: 4 }),
      scope: fc.constantFrom<FieldScope>('all', 'title', 'author', 'subject'),
      mode: fc.constantFrom<'all' | 'any'>('all', 'any'),
      fuzzy: fc.boolean(),
      filters: fc.oneof(fc.constant({}), fc.record({ library: fc.constantFrom(...libraries) }), fc.constant({ available: true }), fc.record({ yearFrom: fc.integer({ min: 1950, max: 2025 }) })),
      homeLibrary: fc.option(fc.constantFrom(...libraries), { nil: undefined }),
    })
    .map((r) => r as SearchRequest);

/** Everything MiniSearch keeps, in its order. */
function view(index: MiniSearchIndex): unknown {
  const m = miniOf(index) as unknown as {
    _documentIds: Map<number, unknown>;
    _idToShortId: Map<unknown, number>;
    _fieldLength: Map<number, number[]>;
    _avgFieldLength: number[];
    _storedFields: Map<number, unknown>;
    _documentCount: number;
    _nextId: number;
    _index: Iterable<[string, Map<number, Iterable<[number, number]>>]>;
  };
  return {
    counts: [m._documentCount, m._nextId],
    ids: [...m._documentIds],
    shortIds: [...m._idToShortId],
    lengths: [...m._fieldLength],
    averages: m._avgFieldLength,
    stored: [...m._storedFields],
    terms: [...m._index].map(([t, data]) => [t, [...data].map(([f, p]) => [f, [...p]])]),
  };
}

describe('the binary index file', () => {
  it('loads as frozen typed arrays the same index the JSON-lines file loaded, which answers the same, scores and order', () => {
    const built = MiniSearchIndex.build([docs]);
    const dataDir = tempDir();
    built.save(dataDir, { catalogId: 'c', seq: 3 });
    expect(fs.existsSync(legacyFile(dataDir))).toBe(false);
    const loaded = MiniSearchIndex.load(dataDir);
    expect(loaded?.meta).toMatchObject({ catalogId: 'c', seq: 3, documents: docs.length });
    expect(loaded?.index.frozen).toBe(true);
    const index = loaded?.index as MiniSearchIndex;
    const viaLines = wrap(readLegacyIndexFile<IndexedWork>(legacyFile(legacyDataDir(built, { catalogId: 'c', seq: 3 })), INDEX_OPTIONS));
    expect(view(index)).toEqual(view(viaLines));
    fc.assert(
      fc.property(requests(), fc.constantFrom(5, 200), (req, limit) => {
        const expected = viaLines.search(req, limit);
        expect(index.search(req, limit)).toEqual(expected);
        expect(oracle(index, req, limit)).toEqual(oracle(viaLines, req, limit));
      }),
      { numRuns: 200 },
    );
    for (const typed of ['pendidkan sejarh', 'sejarah', 'qqqqqq', 'indnesia']) expect(index.suggest(typed)).toBe(viaLines.suggest(typed));
    expect(index.has(docs[7]?.id as number)).toBe(true);
    expect(index.has(-1)).toBe(false);
  });

  it('reads an index Jala 0.1 saved as JSON lines, converts it once, and answers as it did', () => {
    const built = MiniSearchIndex.build([docs]);
    const dataDir = legacyDataDir(built, { catalogId: 'c', seq: 9 });
    const viaLines = wrap(readLegacyIndexFile<IndexedWork>(legacyFile(dataDir), INDEX_OPTIONS));
    const converted = MiniSearchIndex.load(dataDir);
    expect(converted?.meta.seq).toBe(9);
    expect(fs.existsSync(binFile(dataDir))).toBe(true);
    expect(fs.existsSync(legacyFile(dataDir))).toBe(false);
    const again = MiniSearchIndex.load(dataDir);
    expect(again?.index.frozen).toBe(true);
    for (const index of [converted?.index, again?.index] as MiniSearchIndex[]) {
      expect(view(index)).toEqual(view(viaLines));
      fc.assert(
        fc.property(requests(), (req) => {
          expect(index.search(req, 50)).toEqual(viaLines.search(req, 50));
        }),
        { numRuns: 60 },
      );
    }
  });

  it('refuses a file that was cut short, changed, written by another format version or for another meta: the index is rebuilt', () => {
    const dataDir = tempDir();
    MiniSearchIndex.build([docs]).save(dataDir, { catalogId: 'c', seq: 1 });
    const good = fs.readFileSync(binFile(dataDir));
    const refused = (bytes: Buffer, code: IndexFileError['code']): void => {
      fs.writeFileSync(binFile(dataDir), bytes);
      expect(MiniSearchIndex.load(dataDir)).toBeUndefined();
      expect(() => readIndexFile(binFile(dataDir), INDEX_OPTIONS)).toThrow(expect.objectContaining({ code }));
      // read by two threads, as a large index is: refused alike
      expect(() => readIndexFile(binFile(dataDir), INDEX_OPTIONS, { parallelFrom: 0 })).toThrow(expect.objectContaining({ code }));
    };
    refused(good.subarray(0, Math.floor(good.length / 2)), 'search/index-file-corrupt');
    refused(good.subarray(0, good.length - 1), 'search/index-file-corrupt');
    // one changed byte anywhere in the sections or the footer
    for (const at of [16, Math.floor(good.length / 3), Math.floor(good.length / 2), good.length - 40]) {
      const changed = Buffer.from(good);
      changed[at] = (changed[at] as number) ^ 0x20;
      refused(changed, 'search/index-file-corrupt');
    }
    // a well-formed file of another format version
    const tail = good.length - 8;
    const footerLength = good.readUInt32LE(tail - 8);
    const footer = JSON.parse(good.subarray(tail - 8 - footerLength, tail - 8).toString('utf8')) as { version: number };
    const other = Buffer.from(JSON.stringify({ ...footer, version: footer.version + 1 }));
    const sizes = Buffer.alloc(8);
    sizes.writeUInt32LE(other.length, 0);
    sizes.writeUInt32LE(zlib.crc32(other), 4);
    refused(Buffer.concat([good.subarray(0, tail - 8 - footerLength), other, sizes, good.subarray(tail)]), 'search/index-file-other-version');
    // the good file again loads, by one thread or two, to the same index; with a meta that disagrees with it (a save cut between the two renames) it does not
    fs.writeFileSync(binFile(dataDir), good);
    expect(MiniSearchIndex.load(dataDir)?.index.size).toBe(docs.length);
    const byOne = wrap(readIndexFile<IndexedWork>(binFile(dataDir), INDEX_OPTIONS).mini);
    const byTwo = wrap(readIndexFile<IndexedWork>(binFile(dataDir), INDEX_OPTIONS, { parallelFrom: 0 }).mini);
    expect(view(byTwo)).toEqual(view(byOne));
    // a good file read with other index options (fields added without a new INDEX_VERSION) is not that index
    expect(() => readIndexFile(binFile(dataDir), { ...INDEX_OPTIONS, fields: [...INDEX_OPTIONS.fields, 'publisher'] })).toThrow(expect.objectContaining({ code: 'search/index-file-other-version' }));
    expect(() => readIndexFile(binFile(dataDir), { ...INDEX_OPTIONS, storeFields: ['libs'] })).toThrow(expect.objectContaining({ code: 'search/index-file-other-version' }));
    const metaFile = path.join(indexDir(dataDir), 'works-index.meta.json');
    fs.writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(metaFile, 'utf8')), seq: 2 }));
    expect(MiniSearchIndex.load(dataDir)).toBeUndefined();
  });

  it('saves the filters\' table and the boosts\' classes with the index: loaded, it answers filters and boosts exactly as without them; a version 1 file is still read, then written again', () => {
    const dataDir = tempDir();
    MiniSearchIndex.build([docs]).save(dataDir, { catalogId: 'c', seq: 1 });
    const good = fs.readFileSync(binFile(dataDir));
    const file = readIndexFile(binFile(dataDir), INDEX_OPTIONS);
    expect(file.version).toBe(2);
    expect(Object.keys(file.derived)).toEqual(expect.arrayContaining(['facets.keys', 'facets.libs', 'facets.order', 'boostClasses.of', 'boostClasses.first']));
    const withTables = MiniSearchIndex.load(dataDir)?.index as MiniSearchIndex;
    // taken from the file, not built at the first question
    expect((withTables as unknown as { facets: unknown }).facets).toBeDefined();
    expect((withTables as unknown as { scratch: { columns: unknown[] } }).scratch.columns).toHaveLength(INDEX_OPTIONS.fields.length);

    // the same file as version 1 wrote it: no derived sections (their bytes stay, unreferenced)
    const tail = good.length - 8;
    const footerLength = good.readUInt32LE(tail - 8);
    const footer = JSON.parse(good.subarray(tail - 8 - footerLength, tail - 8).toString('utf8')) as { version: number; sections: Record<string, unknown> };
    const v1 = Buffer.from(
      JSON.stringify({ ...footer, version: 1, sections: Object.fromEntries(Object.entries(footer.sections).filter(([name]) => !name.startsWith('derived.'))) }),
    );
    const sizes = Buffer.alloc(8);
    sizes.writeUInt32LE(v1.length, 0);
    sizes.writeUInt32LE(zlib.crc32(v1), 4);
    const v1Dir = tempDir();
    fs.mkdirSync(indexDir(v1Dir));
    fs.copyFileSync(path.join(indexDir(dataDir), 'works-index.meta.json'), path.join(indexDir(v1Dir), 'works-index.meta.json'));
    fs.writeFileSync(binFile(v1Dir), Buffer.concat([good.subarray(0, tail - 8 - footerLength), v1, sizes, good.subarray(tail)]));
    expect(readIndexFile(binFile(v1Dir), INDEX_OPTIONS)).toMatchObject({ version: 1, derived: {} });
    // still read: builds its tables at the first question as before, and is written again as version 2
    const fromV1 = MiniSearchIndex.load(v1Dir)?.index as MiniSearchIndex;
    expect(fromV1.size).toBe(docs.length);
    expect(readIndexFile(binFile(v1Dir), INDEX_OPTIONS).version).toBe(2);
    const plain = wrap(readIndexFile<IndexedWork>(binFile(v1Dir), INDEX_OPTIONS).mini);
    expect((plain as unknown as { facets: unknown }).facets).toBeUndefined();

    const langs = [...new Set(docs.flatMap((d) => d.lang))];
    const formats = [...new Set(docs.map((d) => d.format))];
    const filters = fc.record(
      {
        library: fc.constantFrom(...libraries),
        available: fc.constant(true),
        language: fc.constantFrom(...langs, 'xyz'),
        format: fc.constantFrom(...formats),
        yearFrom: fc.integer({ min: 1950, max: 2025 }),
        yearTo: fc.integer({ min: 1950, max: 2025 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(requests(), filters, (req, f) => {
        const asked = { ...req, filters: { ...req.filters, ...f } };
        const expected = plain.search(asked, 50);
        expect(withTables.search(asked, 50)).toEqual(expected);
        expect(fromV1.search(asked, 50)).toEqual(expected);
        expect(oracle(withTables, asked, 50)).toEqual(expected);
        if (Object.keys(asked.filters).length > 0) {
          const listed = plain.listFiltered(asked.filters, 40);
          expect(withTables.listFiltered(asked.filters, 40)).toEqual(listed);
          expect(fromV1.listFiltered(asked.filters, 40)).toEqual(listed);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('thaws on the first change, stays exact through updates, and is saved vacuumed: the next load is frozen and clean', () => {
    const dataDir = tempDir();
    const built = MiniSearchIndex.build([docs]);
    built.save(dataDir, { catalogId: 'c', seq: 1 });
    const index = MiniSearchIndex.load(dataDir)?.index as MiniSearchIndex;
    const viaLines = wrap(readLegacyIndexFile<IndexedWork>(legacyFile(legacyDataDir(built, { catalogId: 'c', seq: 1 })), INDEX_OPTIONS));
    for (const i of [index, viaLines]) {
      for (const d of docs.slice(0, 150)) i.upsert({ ...d, title: `${d.title} edisi revisi kedua` });
      for (const d of docs.slice(150, 200)) i.remove(d.id);
      i.upsert({ ...(docs[0] as IndexedWork), id: 9_999_999, title: 'Zamrud khatulistiwa' });
    }
    expect(index.frozen).toBe(false);
    fc.assert(
      fc.property(requests(), (req) => {
        expect(index.search(req, 50)).toEqual(viaLines.search(req, 50));
      }),
      { numRuns: 100 },
    );
    index.save(dataDir, { catalogId: 'c', seq: 2 });
    expect(miniOf(index)._dirtCount).toBe(0);
    const reloaded = MiniSearchIndex.load(dataDir)?.index as MiniSearchIndex;
    expect(reloaded.frozen).toBe(true);
    expect(reloaded.size).toBe(docs.length - 50 + 1);
    const ids = (req: SearchRequest): number[] => reloaded.search(req, 10_000).map((h) => h.id).sort((a, b) => a - b);
    expect(ids({ terms: ['zamrud', 'khatulistiwa'], scope: 'title', mode: 'all', fuzzy: false, filters: {} })).toEqual([9_999_999]);
    expect(ids({ terms: ['edisi', 'revisi', 'kedua'], scope: 'title', mode: 'all', fuzzy: false, filters: {} })).toEqual(docs.slice(0, 150).map((d) => d.id).sort((a, b) => a - b));
    const removed = new Set(docs.slice(150, 200).map((d) => d.id));
    fc.assert(
      fc.property(requests(), (req) => {
        // every hit (ties may order differently: the saved tree is the reinserted one)
        const hits = reloaded.search(req, 10_000);
        expect(hits.some((h) => removed.has(h.id))).toBe(false);
        expect(hits.map((h) => h.id).sort()).toEqual(index.search(req, 10_000).map((h) => h.id).sort());
      }),
      { numRuns: 100 },
    );
  });
});
