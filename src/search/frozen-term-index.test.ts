import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { describe, expect, it } from 'vitest';
import { FrozenTermIndex } from './frozen-term-index.ts';
import { readIndexFile, writeIndexFile, type WriteIndexOptions } from './index-file.ts';
import { internalsOf, type FieldTermData } from './minisearch-internals.ts';
import { FrozenIndexError } from './packed-postings.ts';

// The frozen tree claims to be SearchableMap exactly: the same terms and postings, and every
// lookup, prefix walk, fuzzy search and iteration in the same order. SearchableMap is the oracle.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-frozen-terms-'));
let files = 0;

/** A MiniSearch whose term index is `tree` (postings on four documents), written and read back. */
function roundTrip(tree: SearchableMap<FieldTermData>, treeOrder: WriteIndexOptions['treeOrder']): FrozenTermIndex {
  const options = { fields: ['a', 'b'] };
  const mini = new MiniSearch<{ id: number; a: string; b: string }>(options);
  mini.addAll([0, 1, 2, 3].map((id) => ({ id, a: '', b: '' })));
  internalsOf(mini)._index = tree;
  const file = path.join(dir, `terms-${files++}.bin`);
  writeIndexFile(mini, file, { label: null, treeOrder });
  const terms = internalsOf(readIndexFile(file, options).mini)._index;
  expect(terms).toBeInstanceOf(FrozenTermIndex);
  return terms as FrozenTermIndex;
}

function treeOf(terms: readonly string[], removed: readonly string[]): SearchableMap<FieldTermData> {
  const tree = new SearchableMap<FieldTermData>();
  terms.forEach((term, i) => {
    const data: FieldTermData = new Map();
    data.set(i % 2, new Map([[i % 4, 1 + (i % 3)]]));
    if (i % 3 === 0) data.set(1 - (i % 2), new Map([[0, 2], [3, 300]]));
    tree.set(term, data);
  });
  for (const term of removed) tree.delete(term);
  return tree;
}

const plain = (data: FieldTermData | undefined): unknown => (data === undefined ? undefined : [...data].map(([field, postings]) => [field, [...postings]]));
const entries = (it: Iterable<[string, FieldTermData]>): unknown[] => [...it].map(([term, data]) => [term, plain(data)]);

/** Words over a small alphabet (shared prefixes galore), with a letter outside Latin-1 and a surrogate pair. */
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'n', 'an', 'ba', 'é', 'ŋ', '😀'), minLength: 1, maxLength: 6 });

describe('the frozen term index', () => {
  it('answers every lookup, prefix walk, fuzzy search and iteration exactly as the SearchableMap it was written from', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 60 }), fc.array(word, { maxLength: 10 }), fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'n', 'é', '😀'), maxLength: 5 }), { maxLength: 12 }), (terms, removed, queries) => {
        const tree = treeOf(terms, removed);
        const frozen = roundTrip(tree, 'kept');
        expect(entries(frozen)).toEqual(entries(tree));
        expect(frozen.size).toBe(tree.size);
        for (const q of [...queries, ...terms.slice(0, 10)]) {
          expect(plain(frozen.get(q))).toEqual(plain(tree.get(q)));
          expect(frozen.has(q)).toBe(tree.has(q));
          expect(entries(frozen.atPrefix(q))).toEqual(entries(tree.atPrefix(q)));
          for (const distance of [0, 1, 2, 3]) {
            const fuzzy = (m: Map<string, [FieldTermData, number]>): unknown[] => [...m].map(([t, [data, d]]) => [t, plain(data), d]);
            expect(fuzzy(frozen.fuzzyGet(q, distance))).toEqual(fuzzy(tree.fuzzyGet(q, distance)));
          }
        }
        // thawed, it is the same tree again, node for node
        expect(structure(frozen.thaw())).toEqual(structure(tree));
      }),
      { numRuns: 300 },
    );
  });

  it('is saved as the tree the terms make when set again in iteration order (what the JSON-lines index loaded into)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 60 }), fc.array(word, { maxLength: 10 }), (terms, removed) => {
        const tree = treeOf(terms, removed);
        const reloaded = SearchableMap.from(tree);
        const frozen = roundTrip(tree, 'reinserted');
        expect(structure(frozen.thaw())).toEqual(structure(reloaded));
        // and a frozen tree saved again turns the same way
        const mini = new MiniSearch({ fields: ['a', 'b'] });
        mini.addAll([0, 1, 2, 3].map((id) => ({ id, a: '', b: '' })));
        internalsOf(mini)._index = frozen;
        const file = path.join(dir, `terms-${files++}.bin`);
        writeIndexFile(mini, file, { label: null, treeOrder: 'reinserted' });
        const again = internalsOf(readIndexFile(file, { fields: ['a', 'b'] }).mini)._index as FrozenTermIndex;
        expect(structure(again.thaw())).toEqual(structure(SearchableMap.from(reloaded)));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses changes while frozen, and its thawed tree takes them', () => {
    const frozen = roundTrip(treeOf(['buku', 'bumi', 'manusia'], []), 'kept');
    const postings = frozen.get('bumi')?.get(1);
    expect(postings?.size).toBe(1);
    expect(() => (postings as Map<number, number>).set(9, 1)).toThrow(FrozenIndexError);
    expect(() => frozen.set()).toThrow(FrozenIndexError);
    const thawed = frozen.thaw();
    thawed.get('bumi')?.get(1)?.set(9, 1);
    expect([...(thawed.get('bumi')?.get(1) ?? [])]).toEqual([[1, 2], [9, 1]]);
    thawed.set('pelangi', new Map());
    expect([...thawed.keys()]).toContain('pelangi');
    // the frozen arrays were not touched
    expect([...(frozen.get('bumi')?.get(1) ?? [])]).toEqual([[1, 2]]);
  });
});

/** A tree's shape: each node's keys in order, children nested. */
function structure(map: SearchableMap<FieldTermData>): unknown {
  const walk = (node: Map<string, unknown>): unknown[] => [...node].map(([key, child]) => (key === '' ? [key, plain(child as FieldTermData)] : [key, walk(child as Map<string, unknown>)]));
  return walk((map as unknown as { _tree: Map<string, unknown> })._tree);
}
