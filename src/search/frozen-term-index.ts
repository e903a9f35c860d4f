/**
 * MiniSearch's term index (a radix tree of Maps, SearchableMap) as a handful of typed arrays, read
 * straight from the index file (index-file.ts): the tree's nodes and edges in their exact key order,
 * the terms' (field → postings) lists, and the postings themselves. It answers what search asks of
 * the index — get, prefix and fuzzy lookups, iteration — in exactly SearchableMap's order (prefix
 * and fuzzy expansions are summed in that order, and equal scores keep it), so answers do not change.
 *
 * It is read-only: each lookup hands out fresh read-only postings. Before the index changes,
 * `thaw()` builds the SearchableMap with the same structure (MiniSearchIndex does that).
 *
 * Layout: node n owns edges nodeEdges[n] .. nodeEdges[n+1]-1, in the node's key order; edge e has
 * the label labelChars[edgeLabels[e] .. edgeLabels[e+1]-1] (UTF-16 code units) and the target
 * edgeTargets[e]: a child node (numbered after its parent), or -(t+1) for the leaf of term t (an
 * empty label, SearchableMap's LEAF key). Term t has the (field, postings) pairs termPairs[t] ..
 * termPairs[t+1]-1; pair p is field pairFields[p] with postings pairPostings[p] .. pairPostings[p+1]-1
 * of postingIds (ascending short document ids) and postingTfs (term frequencies).
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { FieldTermData, TermIndex } from './minisearch-internals.ts';
import { FrozenIndexError, PackedPostings, type FrequencyArray } from './packed-postings.ts';

export interface TermSections {
  nodeEdges: Uint32Array;
  edgeLabels: Uint32Array;
  labelChars: Uint16Array;
  edgeTargets: Int32Array;
  termPairs: Uint32Array;
  pairFields: Uint8Array;
  pairPostings: Uint32Array;
  postingIds: Int32Array;
  postingTfs: FrequencyArray;
}

/** Why a set of sections is not a well-formed tree, or undefined when it is. Linear in the tree, not in the postings. */
export function termSectionsProblem(s: TermSections, fieldCount: number): string | undefined {
  const nodes = s.nodeEdges.length - 1;
  const edges = s.edgeTargets.length;
  const terms = s.termPairs.length - 1;
  const pairs = s.pairFields.length;
  if (nodes < 1 || s.nodeEdges[0] !== 0 || s.nodeEdges[nodes] !== edges) return 'node edges do not cover the edges';
  if (s.edgeLabels.length !== edges + 1 || s.edgeLabels[0] !== 0 || s.edgeLabels[edges] !== s.labelChars.length) return 'edge labels do not cover the labels';
  if (terms < 0 || s.termPairs[0] !== 0 || s.termPairs[terms] !== pairs) return 'term pairs do not cover the pairs';
  if (s.pairPostings.length !== pairs + 1 || s.pairPostings[0] !== 0 || s.pairPostings[pairs] !== s.postingIds.length) return 'pairs do not cover the postings';
  if (s.postingTfs.length !== s.postingIds.length) return 'postings and frequencies differ in length';
  for (let n = 0; n < nodes; n++) {
    if ((s.nodeEdges[n + 1] as number) < (s.nodeEdges[n] as number)) return 'node edges go backwards';
    for (let e = s.nodeEdges[n] as number; e < (s.nodeEdges[n + 1] as number); e++) {
      const target = s.edgeTargets[e] as number;
      const labelLength = (s.edgeLabels[e + 1] as number) - (s.edgeLabels[e] as number);
      if (labelLength < 0) return 'edge labels go backwards';
      if (target < 0 ? -target - 1 >= terms || labelLength !== 0 : target <= n || target >= nodes || labelLength === 0) return `edge ${e} is malformed`;
    }
  }
  let leaves = 0;
  for (let e = 0; e < edges; e++) if ((s.edgeTargets[e] as number) < 0) leaves++;
  if (leaves !== terms) return 'terms and leaves differ in number';
  for (let t = 0; t < terms; t++) if ((s.termPairs[t + 1] as number) < (s.termPairs[t] as number)) return 'term pairs go backwards';
  for (let p = 0; p < pairs; p++) {
    if ((s.pairPostings[p + 1] as number) < (s.pairPostings[p] as number)) return 'pair postings go backwards';
    if ((s.pairFields[p] as number) >= fieldCount) return `pair ${p} names an unknown field`;
  }
  return undefined;
}

export class FrozenTermIndex implements TermIndex {
  constructor(private readonly s: TermSections) {}

  get size(): number {
    return this.s.termPairs.length - 1;
  }

  /** The sections, as read (for writing the index again). */
  get sections(): TermSections {
    return this.s;
  }

  /** A term's (field → postings), built afresh: read-only unless it goes into a thawed tree. */
  private data(term: number, readOnly = true): FieldTermData {
    const { termPairs, pairFields, pairPostings, postingIds, postingTfs } = this.s;
    const data: FieldTermData = new Map();
    for (let p = termPairs[term] as number; p < (termPairs[term + 1] as number); p++) {
      data.set(pairFields[p] as number, new PackedPostings(postingIds, postingTfs, pairPostings[p] as number, pairPostings[p + 1] as number, readOnly));
    }
    return data;
  }

  private label(edge: number): string {
    const { labelChars, edgeLabels } = this.s;
    let out = '';
    for (let i = edgeLabels[edge] as number; i < (edgeLabels[edge + 1] as number); i++) out += String.fromCharCode(labelChars[i] as number);
    return out;
  }

  /** Whether `key` has the label of `edge` at `pos` (String#startsWith on code units). */
  private labelAt(edge: number, key: string, pos: number): boolean {
    const { labelChars, edgeLabels } = this.s;
    const start = edgeLabels[edge] as number;
    const length = (edgeLabels[edge + 1] as number) - start;
    if (pos + length > key.length) return false;
    for (let i = 0; i < length; i++) if (labelChars[start + i] !== key.charCodeAt(pos + i)) return false;
    return true;
  }

  /** SearchableMap's trackDown: the node `key` leads to, or where it stopped (node and position). */
  private trackDown(key: string): { node: number; pos: number; found: boolean } {
    const { nodeEdges, edgeTargets, edgeLabels } = this.s;
    let node = 0;
    let pos = 0;
    outer: while (pos < key.length) {
      for (let e = nodeEdges[node] as number; e < (nodeEdges[node + 1] as number); e++) {
        const target = edgeTargets[e] as number;
        if (target >= 0 && this.labelAt(e, key, pos)) {
          pos += (edgeLabels[e + 1] as number) - (edgeLabels[e] as number);
          node = target;
          continue outer;
        }
      }
      return { node, pos, found: false };
    }
    return { node, pos, found: true };
  }

  /** The term at a node's leaf, or -1. */
  private leafOf(node: number): number {
    const { nodeEdges, edgeTargets } = this.s;
    for (let e = nodeEdges[node] as number; e < (nodeEdges[node + 1] as number); e++) {
      const target = edgeTargets[e] as number;
      if (target < 0) return -target - 1;
    }
    return -1;
  }

  private termOf(key: string): number {
    const at = this.trackDown(key);
    return at.found ? this.leafOf(at.node) : -1;
  }

  get(key: string): FieldTermData | undefined {
    const term = this.termOf(key);
    return term < 0 ? undefined : this.data(term);
  }

  has(key: string): boolean {
    return this.termOf(key) >= 0;
  }

  /**
   * Every term starting with `prefix`, in SearchableMap's order: a node's keys last to first, a
   * child's whole subtree before the keys before it. A prefix ending inside an edge starts below it.
   */
  atPrefix(prefix: string): Iterable<[string, FieldTermData]> {
    const at = this.trackDown(prefix);
    if (at.found) return this.walk(at.node, prefix);
    const rest = prefix.length - at.pos;
    const { nodeEdges, edgeTargets, edgeLabels, labelChars } = this.s;
    for (let e = nodeEdges[at.node] as number; e < (nodeEdges[at.node + 1] as number); e++) {
      const target = edgeTargets[e] as number;
      if (target < 0) continue;
      // the edge's label starts with what is left of the prefix
      const start = edgeLabels[e] as number;
      if ((edgeLabels[e + 1] as number) - start < rest) continue;
      let starts = true;
      for (let i = 0; i < rest && starts; i++) starts = labelChars[start + i] === prefix.charCodeAt(at.pos + i);
      if (starts) return this.walk(target, prefix + this.label(e).slice(rest));
    }
    return [];
  }

  private *walk(node: number, prefix: string): Generator<[string, FieldTermData]> {
    const { nodeEdges, edgeTargets } = this.s;
    const nodes: number[] = [node];
    const next: number[] = [(nodeEdges[node + 1] as number) - 1];
    const prefixes: string[] = [prefix];
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const e = next[top] as number;
      if (e < (nodeEdges[nodes[top] as number] as number)) {
        nodes.pop();
        next.pop();
        prefixes.pop();
        continue;
      }
      next[top] = e - 1;
      const target = edgeTargets[e] as number;
      if (target < 0) {
        yield [prefixes[top] as string, this.data(-target - 1)];
      } else {
        nodes.push(target);
        next.push((nodeEdges[target + 1] as number) - 1);
        prefixes.push((prefixes[top] as string) + this.label(e));
      }
    }
  }

  entries(): IterableIterator<[string, FieldTermData]> {
    return this.walk(0, '');
  }

  [Symbol.iterator](): IterableIterator<[string, FieldTermData]> {
    return this.walk(0, '');
  }

  *keys(): IterableIterator<string> {
    for (const [term] of this.walk(0, '')) yield term;
  }

  *values(): IterableIterator<FieldTermData> {
    for (const [, data] of this.walk(0, '')) yield data;
  }

  forEach(fn: (term: string, data: FieldTermData, map: this) => void): void {
    for (const [term, data] of this.walk(0, '')) fn(term, data, this);
  }

  /**
   * The terms within `maxDistance` edits of `query`, with their distances: SearchableMap's
   * fuzzySearch (a Levenshtein matrix kept along the tree) over these arrays, keys first to last,
   * so the results come in the same order.
   */
  fuzzyGet(query: string, maxDistance: number): Map<string, [FieldTermData, number]> {
    const results = new Map<string, [FieldTermData, number]>();
    if (query === undefined) return results;
    const n = query.length + 1;
    const m = n + maxDistance;
    const matrix = new Uint8Array(m * n).fill(maxDistance + 1);
    for (let j = 0; j < n; ++j) matrix[j] = j;
    for (let i = 1; i < m; ++i) matrix[i * n] = i;
    this.fuzzyRecurse(0, query, maxDistance, results, matrix, 1, n, '');
    return results;
  }

  private fuzzyRecurse(
    node: number,
    query: string,
    maxDistance: number,
    results: Map<string, [FieldTermData, number]>,
    matrix: Uint8Array,
    m: number,
    n: number,
    prefix: string,
  ): void {
    const { nodeEdges, edgeTargets, edgeLabels, labelChars } = this.s;
    const offset = m * n;
    edges: for (let e = nodeEdges[node] as number; e < (nodeEdges[node + 1] as number); e++) {
      const target = edgeTargets[e] as number;
      if (target < 0) {
        const distance = matrix[offset - 1] as number;
        if (distance <= maxDistance) results.set(prefix, [this.data(-target - 1), distance]);
        continue;
      }
      // the same arithmetic as upstream, reads past the matrix included (they stop nothing and add nothing)
      let i = m;
      for (let c = edgeLabels[e] as number; c < (edgeLabels[e + 1] as number); ++c, ++i) {
        const char = labelChars[c] as number;
        const thisRowOffset = n * i;
        const prevRowOffset = thisRowOffset - n;
        let minDistance = matrix[thisRowOffset] as number;
        const jmin = Math.max(0, i - maxDistance - 1);
        const jmax = Math.min(n - 1, i + maxDistance);
        for (let j = jmin; j < jmax; ++j) {
          const different = char !== query.charCodeAt(j);
          const rpl = (matrix[prevRowOffset + j] as number) + +different;
          const del = (matrix[prevRowOffset + j + 1] as number) + 1;
          const ins = (matrix[thisRowOffset + j] as number) + 1;
          const dist = (matrix[thisRowOffset + j + 1] = Math.min(rpl, del, ins));
          if (dist < minDistance) minDistance = dist;
        }
        if (minDistance > maxDistance) continue edges;
      }
      this.fuzzyRecurse(target, query, maxDistance, results, matrix, i, n, prefix + this.label(e));
    }
  }

  /** The SearchableMap this tree stands for, node for node and key for key, with changeable postings. */
  thaw(): SearchableMap<FieldTermData> {
    const { nodeEdges, edgeTargets } = this.s;
    const nodes = nodeEdges.length - 1;
    type Node = Map<string, Node | FieldTermData>;
    const maps: Node[] = new Array(nodes);
    // children are numbered after their parents: build from the last node up
    for (let node = nodes - 1; node >= 0; node--) {
      const map: Node = new Map();
      for (let e = nodeEdges[node] as number; e < (nodeEdges[node + 1] as number); e++) {
        const target = edgeTargets[e] as number;
        if (target < 0) map.set('', this.data(-target - 1, false));
        else map.set(this.label(e), maps[target] as Node);
      }
      maps[node] = map;
    }
    return new SearchableMap<FieldTermData>(maps[0] as never);
  }

  set(): never {
    throw new FrozenIndexError('a frozen term index cannot be changed: thaw it first');
  }

  delete(): never {
    throw new FrozenIndexError('a frozen term index cannot be changed: thaw it first');
  }

  fetch(): never {
    throw new FrozenIndexError('a frozen term index cannot be changed: thaw it first');
  }

  update(): never {
    throw new FrozenIndexError('a frozen term index cannot be changed: thaw it first');
  }

  clear(): never {
    throw new FrozenIndexError('a frozen term index cannot be changed: thaw it first');
  }
}
