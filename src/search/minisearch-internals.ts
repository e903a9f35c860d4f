/**
 * The parts of a MiniSearch 7.x instance that Jala reads and writes directly (bulk build, the
 * index file and the frozen index it loads, the exact top-k search, boosts and did-you-mean). One
 * description, so a MiniSearch upgrade that moves them is caught here; the `index-options` version
 * must change with it.
 */
import type MiniSearch from 'minisearch';
import type { Postings } from './packed-postings.ts';

/** One term's postings: field id → (short document id → term frequency). */
export type FieldTermData = Map<number, Postings>;

/** MiniSearch's radix tree of terms, as far as Jala uses it. */
export interface TermIndex extends Iterable<[string, FieldTermData]> {
  get(term: string): FieldTermData | undefined;
  set(term: string, data: FieldTermData): unknown;
  delete(term: string): unknown;
  atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [FieldTermData, number]>;
}

/**
 * SearchableMap's radix tree (its `_tree`): each node a Map from an edge label to the child node, in
 * insertion order, and from '' (its LEAF key) to the data of the term ending there.
 */
export type RadixNode = Map<string, unknown>;

/** The radix tree behind a SearchableMap, or undefined for another TermIndex (a frozen one). */
export function radixTreeOf(index: TermIndex): RadixNode | undefined {
  const tree = (index as { _tree?: unknown })._tree;
  return tree instanceof Map ? (tree as RadixNode) : undefined;
}

export interface MiniSearchInternals {
  _options: Record<string, unknown>;
  _index: TermIndex;
  _documentCount: number;
  _nextId: number;
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  /** a document added without stored fields has none here */
  _storedFields: Map<number, Record<string, unknown> | undefined>;
  _dirtCount: number;
}

export function internalsOf(mini: MiniSearch<any>): MiniSearchInternals {
  return mini as unknown as MiniSearchInternals;
}
