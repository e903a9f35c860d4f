/**
 * MiniSearch's search, computed the cheap way for Jala's query shape: every word must match
 * (AND of per-word queries), each word an OR of leaves (exact fields with prefix/fuzzy, stemmed
 * fields). MiniSearch scores every document matching any word, builds a result object per match
 * and sorts them all; a question with a frequent word ("pendidikan", "history") then costs time
 * proportional to a large share of the catalog. Here the rarest word is scored first, each other
 * word (rarer first) only on the documents every word before it matched, without per-match
 * objects, and only the best `limit` are sorted.
 *
 * The arithmetic is MiniSearch 7's, in the same order (BM25 per field and derived term, the leaf
 * sums, OR and AND sums, the quality factor, the stable sort by score), so the hits, their scores
 * and their order are exactly those of `MiniSearch#search`; top-hits.test.ts checks that on
 * random queries. It reads MiniSearch's internal maps, so it declines (returns undefined) whenever
 * it cannot be exact: discarded documents not yet vacuumed, or more than 31 distinct query terms.
 */
import type MiniSearch from 'minisearch';
import { internalsOf, type FieldTermData, type MiniSearchInternals } from './minisearch-internals.ts';
import { PackedPostings } from './packed-postings.ts';




/** One leaf: each of `queries` is searched in `fields`, the results OR-ed. */
export interface LeafQuery {
  queries: string[];
  fields: readonly string[];
  prefix: boolean;
  fuzzy: number | false;
  /**
   * Further index terms the (single) query term stands for, each with its weight: spelling variants,
   * number words, close misspellings worked out by the caller. They count as the query term (one bit
   * of the quality factor), like MiniSearch's own prefix and fuzzy expansions.
   */
  extra?: ReadonlyArray<readonly [string, number]>;
}

export interface TopHitsOptions {
  boost: Readonly<Record<string, number>>;
  /** MiniSearch's boostDocument, from the stored fields only (it must not depend on the term) */
  boostDocument: (stored: Record<string, unknown> | undefined) => number;
  /**
   * `boostDocument` of every document, by MiniSearch's short id, when the caller keeps them (the
   * same numbers, read without a stored-fields lookup per posting).
   */
  boosts?: Float64Array;
  /** by MiniSearch's short id; undefined: every document passes. Asked before a document is scored. */
  filter: ((shortId: number) => boolean) | undefined;
  limit: number;
  /**
   * Best coverage instead of every word: a document matches when at least this many words match,
   * and documents are ranked by how many words they match first, by score second.
   */
  minMatch?: number;
}

export interface TopHits {
  hits: TopHit[];
  /** every matching document (after the filter), not only the best `limit` */
  total: number;
}

export interface TopHit {
  id: unknown;
  score: number;
}

// MiniSearch's defaults (defaultSearchOptions, defaultBM25params)
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;
const K = 1.2;
const B = 0.7;
const D = 0.5;

/** Documents with their scores and matched-term masks, in MiniSearch's insertion order (typed arrays: no garbage per match). */
class Results {
  ids: Int32Array;
  scores: Float64Array;
  masks: Int32Array;
  n = 0;

  constructor(capacity = 16) {
    const size = Math.max(16, capacity);
    this.ids = new Int32Array(size);
    this.scores = new Float64Array(size);
    this.masks = new Int32Array(size);
  }

  /** room for `extra` more without growing on every push */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.ids.length) return;
    const size = Math.max(need, Math.ceil(this.ids.length * 1.5));
    const ids = new Int32Array(size);
    const scores = new Float64Array(size);
    const masks = new Int32Array(size);
    ids.set(this.ids.subarray(0, this.n));
    scores.set(this.scores.subarray(0, this.n));
    masks.set(this.masks.subarray(0, this.n));
    this.ids = ids;
    this.scores = scores;
    this.masks = masks;
  }

  push(id: number, score: number, mask: number): void {
    if (this.n === this.ids.length) this.reserve(1);
    const i = this.n++;
    this.ids[i] = id;
    this.scores[i] = score;
    this.masks[i] = mask;
  }
}

/** Results kept for the next search at most; their arrays are reused as they are (`n` says what is valid), so a search allocates and zero-fills nothing per word */
const RESULTS_POOL = 12;

interface Unit {
  /** the query term searched (MiniSearch's sourceTerm) */
  term: string;
  bit: number;
  fields: readonly string[];
  prefix: boolean;
  fuzzy: number | false;
  extra: ReadonlyArray<readonly [string, number]> | undefined;
  /** the index terms it stands for, with their weights: worked out once (see `expand`) */
  expansions?: Array<[number, FieldTermData]>;
  /** the index terms of `expansions` with their weights, in order: units with equal terms, fields and keys find the same postings, scored alike */
  expansionKey?: string;
}

/**
 * Dense per-document scratch space, reused by every search on one index: positions in the results
 * being built (valid where `posMark` holds the current mark), candidate marks, and document boosts.
 * Marks are generation counters, so nothing is cleared between uses.
 */
export class SearchScratch {
  private size = 0;
  pos = new Int32Array(0);
  posMark = new Int32Array(0);
  /** the candidates as a bitset by short id: 32 times smaller than a mark per document, so a long list's check stays in cache */
  candBits = new Uint32Array(0);
  boostMark = new Int32Array(0);
  boost = new Float64Array(0);
  /** field lengths by short id × field, copied from MiniSearch's map; valid while `lengthsOf` is the index's map */
  lengths = new Int32Array(0);
  fieldCount = 0;
  lengthsOf: unknown = undefined;
  lengthsSize = -1;
  /** false when a field length is not a small integer (a field left out of a document): then MiniSearch answers */
  lengthsExact = true;
  /** `lengths` by field, each a column by short id (see `fieldColumn`); valid while `columnsOf` is `lengths` */
  columns: Array<Uint16Array | Int32Array | undefined> = [];
  columnsOf: Int32Array | undefined = undefined;
  private posGen = 0;
  private boostGen = 0;
  /** results free for the next search, and those lent to the search running */
  private readonly free: Results[] = [];
  private readonly lent: Results[] = [];

  /** Empty results with room for `capacity`, reused from an earlier search when one is free; given back by `releaseResults`. */
  results(capacity: number): Results {
    let best = -1;
    for (let k = 0; k < this.free.length; k++) {
      const length = (this.free[k] as Results).ids.length;
      const bestLength = best < 0 ? -1 : (this.free[best] as Results).ids.length;
      // the smallest that fits, else the largest (grown once)
      if (best < 0 || (length >= capacity ? bestLength < capacity || length < bestLength : bestLength < capacity && length > bestLength)) best = k;
    }
    let r: Results;
    if (best < 0) r = new Results(capacity);
    else {
      r = this.free[best] as Results;
      this.free[best] = this.free[this.free.length - 1] as Results;
      this.free.pop();
      r.n = 0;
      r.reserve(capacity);
    }
    this.lent.push(r);
    return r;
  }

  /** Every result lent since the last call is free again (the search has copied out what it returns). */
  releaseResults(): void {
    for (const r of this.lent) if (this.free.length < RESULTS_POOL) this.free.push(r);
    this.lent.length = 0;
  }

  ensure(n: number): void {
    if (n <= this.size) return;
    const size = Math.max(n, Math.ceil(this.size * 1.25));
    this.pos = new Int32Array(size);
    this.posMark = new Int32Array(size);
    this.candBits = new Uint32Array((size + 31) >>> 5);
    this.boostMark = new Int32Array(size);
    this.boost = new Float64Array(size);
    this.size = size;
    this.posGen = this.boostGen = 0;
  }

  nextPos(): number {
    if (++this.posGen > 0x7fffffff - 1) {
      this.posMark.fill(0);
      this.posGen = 1;
    }
    return this.posGen;
  }

  /**
   * The candidate bitset holding exactly `ids` (distinct short ids, in any order), and the same ids
   * ascending, read back from the bitset: linear in the ids and the bitset's words, where sorting a
   * typed array of a common word's hundred thousand documents took tens of milliseconds.
   */
  markCandidates(ids: Int32Array): { bits: Uint32Array; sorted: Int32Array } {
    const bits = this.candBits;
    bits.fill(0);
    let lo = bits.length;
    let hi = -1;
    for (let i = 0; i < ids.length; i++) {
      const d = ids[i] as number;
      const w = d >>> 5;
      bits[w] = (bits[w] as number) | (1 << (d & 31));
      if (w < lo) lo = w;
      if (w > hi) hi = w;
    }
    const sorted = new Int32Array(ids.length);
    let k = 0;
    for (let w = lo; w <= hi; w++) {
      let x = bits[w] as number;
      while (x !== 0) {
        const low = x & -x;
        sorted[k++] = (w << 5) | (31 - Math.clz32(low));
        x ^= low;
      }
    }
    return { bits, sorted: k === ids.length ? sorted : sorted.subarray(0, k) };
  }

  nextBoost(): number {
    if (++this.boostGen > 0x7fffffff - 1) {
      this.boostMark.fill(0);
      this.boostGen = 1;
    }
    return this.boostGen;
  }
}

interface Run {
  m: MiniSearchInternals;
  opts: TopHitsOptions;
  scratch: SearchScratch;
  /** the candidates (see SearchScratch.markCandidates), or undefined when every document may match */
  cand: Uint32Array | undefined;
  /** the candidates ascending, to look them up in long postings lists instead of walking those */
  sortedCands: Int32Array | undefined;
  boostGen: number;
}

/**
 * The best `limit` hits of `words` (every word must match; a word matches when any of its leaves
 * does), exactly as MiniSearch would rank them; undefined when this index state cannot be served
 * exactly (the caller then asks MiniSearch).
 */
export function topHits(
  mini: MiniSearch<any>,
  words: ReadonlyArray<readonly LeafQuery[]>,
  opts: TopHitsOptions,
  scratch: SearchScratch,
): TopHits | undefined {
  const m = internalsOf(mini);
  if (m._dirtCount !== 0 || words.length === 0) return undefined;
  // distinct query terms get one bit each: the quality factor counts the distinct terms a document matched
  const bits = new Map<string, number>();
  const plan: Unit[][][] = words.map((leaves) =>
    leaves.map((leaf) =>
      leaf.queries.filter((q) => q !== '').map((term) => {
        let bit = bits.get(term);
        if (bit === undefined) {
          bit = bits.size;
          bits.set(term, bit);
        }
        return { term, bit, fields: leaf.fields, prefix: leaf.prefix, fuzzy: leaf.fuzzy, extra: leaf.extra };
      }),
    ),
  );
  if (bits.size > 31) return undefined;
  scratch.ensure(m._nextId + 1);
  denseLengths(m, scratch);
  if (!scratch.lengthsExact) return undefined;
  const run: Run = { m, opts, scratch, cand: undefined, sortedCands: undefined, boostGen: scratch.nextBoost() };
  try {
    return rankedHits(run, plan);
  } finally {
    scratch.releaseResults();
  }
}

/** topHits once the plan is made: every Results it uses is lent by the scratch, and the hits it returns copy what they need. */
function rankedHits(run: Run, plan: Unit[][][]): TopHits {
  const { m, opts, scratch } = run;

  // score the rarest word first; the others only on the documents the words before matched. With a minimum to match, a
  // document matching enough words matches at least one of the (words - minimum + 1) rarest: those
  // words' documents are the candidates.
  const order = plan.map((leaves, i) => ({ i, n: estimate(m, leaves) })).sort((a, b) => a.n - b.n || a.i - b.i);
  const minMatch = opts.minMatch !== undefined && opts.minMatch < plan.length ? Math.max(1, opts.minMatch) : undefined;
  const seeds = minMatch === undefined ? 1 : plan.length - minMatch + 1;
  const perWord: Results[] = new Array(plan.length);
  // a word asked twice ("pendidikan pendidikan") finds what it found the first time, among the candidates left
  const scored = new Map<string, Results>();
  const scoreWord = (i: number): Results => {
    const leaves = plan[i] as Unit[][];
    const key = wordKey(m, leaves);
    const earlier = scored.get(key);
    if (earlier !== undefined) return restricted(scratch, earlier, run.cand);
    const r = wordResults(run, leaves);
    scored.set(key, r);
    return r;
  };
  let candidates: Results | undefined;
  for (const { i } of order.slice(0, seeds)) {
    const r = scoreWord(i);
    perWord[i] = r;
    candidates = seeds === 1 ? r : or(scratch, candidates === undefined ? copyResults(scratch, r) : candidates, r);
  }
  const cands = candidates ?? scratch.results(0);
  if (plan.length > seeds) {
    let candIds: Int32Array | undefined = cands.ids.subarray(0, cands.n);
    for (const { i } of order.slice(seeds)) {
      if (candIds !== undefined) {
        const marked = scratch.markCandidates(candIds);
        run.sortedCands = marked.sorted;
        run.cand = marked.bits;
        candIds = undefined;
      }
      if (run.sortedCands === undefined || run.sortedCands.length === 0) {
        perWord[i] = scratch.results(0);
        continue;
      }
      const r = scoreWord(i);
      perWord[i] = r;
      // every word must match: the next word is looked for only among the documents this one kept
      // (a word's results keep their order and scores; only documents no AND would keep are left out)
      if (minMatch === undefined) candIds = r.ids.subarray(0, r.n);
    }
  }

  if (minMatch === undefined) {
    // AND, as MiniSearch reduces it: score = ((s1 + s2) + s3)…, in the order of the last word
    let acc = perWord[0] as Results;
    for (let k = 1; k < perWord.length; k++) acc = and(scratch, acc, perWord[k] as Results);
    const { scores, masks } = acc;
    for (let i = 0; i < acc.n; i++) scores[i] = (scores[i] as number) * (popcount(masks[i] as number) || 1);
    const top = bestOf(scores, acc.n, opts.limit);
    return { hits: Array.from(top, (i) => ({ id: m._documentIds.get(acc.ids[i] as number), score: scores[i] as number })), total: acc.n };
  }
  // best coverage: the OR of every word, and how many words each document matched
  let acc: Results | undefined;
  for (const r of perWord) acc = acc === undefined ? copyResults(scratch, r) : or(scratch, acc, r);
  const all = acc ?? scratch.results(0);
  const mark = scratch.nextPos();
  for (let i = 0; i < all.n; i++) {
    scratch.posMark[all.ids[i] as number] = mark;
    scratch.pos[all.ids[i] as number] = i;
  }
  const coverage = new Uint8Array(all.n);
  for (const r of perWord) {
    for (let k = 0; k < r.n; k++) {
      const at = scratch.pos[r.ids[k] as number] as number;
      coverage[at] = (coverage[at] as number) + 1;
    }
  }
  // the documents covering enough words, in the OR's order
  let total = 0;
  for (let i = 0; i < all.n; i++) if ((coverage[i] as number) >= minMatch) total++;
  const docs = new Int32Array(total);
  const scores = new Float64Array(total);
  const covered = new Uint8Array(total);
  for (let i = 0, j = 0; i < all.n; i++) {
    const c = coverage[i] as number;
    if (c < minMatch) continue;
    docs[j] = all.ids[i] as number;
    covered[j] = c;
    scores[j] = (all.scores[i] as number) * (popcount(all.masks[i] as number) || 1);
    j++;
  }
  // coverage first: a score can be moved by the coverage without changing the order among equals
  const top = bestOf(scores, total, opts.limit, covered);
  return { hits: Array.from(top, (i) => ({ id: m._documentIds.get(docs[i] as number), score: scores[i] as number })), total };
}

/**
 * What decides a word's results, given the candidates: its leaves' query terms (their bits), fields,
 * and the index terms they stand for with their weights. Two words of equal keys score the same
 * postings with the same arithmetic.
 */
function wordKey(m: MiniSearchInternals, leaves: readonly Unit[][]): string {
  return leaves
    .map((units) =>
      units
        .map((u) => {
          expand(m, u);
          return `${u.term}\u0001${u.fields.join(',')}\u0001${u.expansionKey ?? ''}`;
        })
        .join('\u0002'),
    )
    .join('\u0003');
}

/**
 * The results of an equal word scored before, as scoring the word again would give them: its
 * documents among the candidates (a subset of those it was scored on, all past the filter), in its
 * order, with its scores and masks. A word's order and each document's score do not depend on the
 * other documents, so leaving documents out changes neither.
 */
function restricted(scratch: SearchScratch, r: Results, cand: Uint32Array | undefined): Results {
  const out = scratch.results(r.n);
  const { ids, scores, masks } = r;
  for (let i = 0; i < r.n; i++) {
    const d = ids[i] as number;
    if (cand !== undefined && ((cand[d >>> 5] as number) & (1 << (d & 31))) === 0) continue;
    out.push(d, scores[i] as number, masks[i] as number);
  }
  return out;
}

function copyResults(scratch: SearchScratch, r: Results): Results {
  const out = scratch.results(r.n);
  out.ids.set(r.ids.subarray(0, r.n));
  out.scores.set(r.scores.subarray(0, r.n));
  out.masks.set(r.masks.subarray(0, r.n));
  out.n = r.n;
  return out;
}

/**
 * A dense copy of the per-document field lengths (one array lookup per posting instead of a Map's),
 * rebuilt when the index's documents changed: MiniSearch replaces no map, so the map and its size
 * together tell; the caller drops the copy on every add or removal as well.
 */
function denseLengths(m: MiniSearchInternals & { _nextId: number }, scratch: SearchScratch): void {
  if (scratch.lengthsOf === m._fieldLength && scratch.lengthsSize === m._fieldLength.size) return;
  const fields = Object.keys(m._fieldIds).length;
  const lengths = new Int32Array((m._nextId + 1) * fields);
  let exact = true;
  m._fieldLength.forEach((values, docId) => {
    for (let f = 0; f < fields; f++) {
      const v = values[f];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) exact = false;
      lengths[docId * fields + f] = v as number;
    }
  });
  scratch.lengthsExact = exact;
  scratch.lengths = lengths;
  scratch.fieldCount = fields;
  scratch.lengthsOf = m._fieldLength;
  scratch.lengthsSize = m._fieldLength.size;
}

/**
 * Postings a word's terms and their prefix and fuzzy extensions have in its fields: a cheap guess
 * of how many documents it matches. A misspelt word has no postings of its own but may stand for a
 * very common one ("pendidkian" → "pendidikan"), so the extensions count.
 */
function estimate(m: MiniSearchInternals, leaves: readonly Unit[][]): number {
  let n = 0;
  for (const units of leaves) {
    for (const u of units) {
      for (const [, data] of expand(m, u)) {
        for (const f of u.fields) n += data.get(m._fieldIds[f] as number)?.size ?? 0;
      }
    }
  }
  return n;
}

/** MiniSearch's executeQuerySpec's terms: the exact term, then its prefix extensions, then fuzzy neighbours, with their weights. */
function expand(m: MiniSearchInternals, u: Unit): Array<[number, FieldTermData]> {
  if (u.expansions) return u.expansions;
  const out: Array<[number, FieldTermData]> = [];
  const keys: string[] = [];
  const exact = m._index.get(u.term);
  if (exact) {
    out.push([1, exact]);
    keys.push(u.term, '1');
  }
  let fuzzyMatches: Map<string, [FieldTermData, number]> | undefined;
  if (u.fuzzy !== false && u.fuzzy !== 0) {
    const maxDistance = u.fuzzy < 1 ? Math.min(MAX_FUZZY, Math.round(u.term.length * u.fuzzy)) : u.fuzzy;
    if (maxDistance) fuzzyMatches = m._index.fuzzyGet(u.term, maxDistance);
  }
  const hasExtra = u.extra !== undefined && u.extra.length > 0;
  const seen = hasExtra ? new Set<string>([u.term]) : undefined;
  if (u.prefix) {
    for (const [term, data] of m._index.atPrefix(u.term)) {
      const distance = term.length - u.term.length;
      if (!distance) continue;
      fuzzyMatches?.delete(term);
      seen?.add(term);
      const weight = (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance);
      out.push([weight, data]);
      keys.push(term, String(weight));
    }
  }
  if (fuzzyMatches) {
    for (const [term, [data, distance]] of fuzzyMatches) {
      if (!distance) continue;
      const weight = (FUZZY_WEIGHT * term.length) / (term.length + distance);
      out.push([weight, data]);
      keys.push(term, String(weight));
    }
  }
  if (hasExtra && seen !== undefined && u.extra !== undefined) {
    // terms the prefix and fuzzy expansions already brought are not counted twice
    if (fuzzyMatches) for (const term of fuzzyMatches.keys()) seen.add(term);
    for (const [term, weight] of u.extra) {
      if (seen.has(term)) continue;
      seen.add(term);
      const data = m._index.get(term);
      if (data) {
        out.push([weight, data]);
        keys.push(term, String(weight));
      }
    }
  }
  u.expansions = out;
  u.expansionKey = keys.join('\u0000');
  return out;
}

/** One word: the OR of its leaves, each the OR of its query terms, nested as MiniSearch nests them (float sums are not associative). */
function wordResults(run: Run, leaves: readonly Unit[][]): Results {
  let word: Results | undefined;
  for (const units of leaves) {
    let leaf: Results | undefined;
    // a leaf's first unit, while its results are the leaf's as found (nothing OR-ed into them yet)
    let first: { u: Unit; r: Results } | undefined;
    for (const u of units) {
      // a stem with exactly the postings of the one before ("pendidikan" and "didik" in the stemmed fields) scores alike
      const r = first !== undefined && leaf === first.r && scoredAlike(run.m, first.u, u) ? relabelled(run.scratch, first.r, u.bit) : unitResults(run, u);
      first = leaf === undefined ? { u, r } : undefined;
      leaf = or(run.scratch, leaf, r);
    }
    word = or(run.scratch, word, leaf ?? run.scratch.results(0));
  }
  return word ?? run.scratch.results(0);
}

/**
 * Whether two units find the same documents with the same scores: the same fields, and term by term
 * the same weight and, field by field, postings with equal ids and frequencies (compared as bytes).
 */
function scoredAlike(m: MiniSearchInternals, a: Unit, b: Unit): boolean {
  if (a.fields.length !== b.fields.length || a.fields.some((f, i) => f !== b.fields[i])) return false;
  const ea = expand(m, a);
  const eb = expand(m, b);
  if (ea.length !== eb.length) return false;
  for (let k = 0; k < ea.length; k++) {
    const [wa, da] = ea[k] as [number, FieldTermData];
    const [wb, db] = eb[k] as [number, FieldTermData];
    if (wa !== wb) return false;
    for (const field of a.fields) {
      const fieldId = m._fieldIds[field] as number;
      const pa = da.get(fieldId);
      const pb = db.get(fieldId);
      if (pa === undefined && pb === undefined) continue;
      if (!(pa instanceof PackedPostings) || !(pb instanceof PackedPostings) || pa.size !== pb.size) return false;
      const la = pa.packed();
      const lb = pb.packed();
      if (la === undefined || lb === undefined || !sameBytes(la.ids, lb.ids) || la.tfs.BYTES_PER_ELEMENT !== lb.tfs.BYTES_PER_ELEMENT || !sameBytes(la.tfs, lb.tfs)) return false;
    }
  }
  return true;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A unit's results as another unit's with the same postings: the same documents and scores, that unit's term bit. */
function relabelled(scratch: SearchScratch, r: Results, bit: number): Results {
  const out = scratch.results(r.n);
  out.ids.set(r.ids.subarray(0, r.n));
  out.scores.set(r.scores.subarray(0, r.n));
  out.masks.fill(1 << bit, 0, r.n);
  out.n = r.n;
  return out;
}

/** MiniSearch's OR combinator: a keeps its order, b's new documents follow; shared ones add b's score to a's. */
function or(scratch: SearchScratch, a: Results | undefined, b: Results): Results {
  if (a === undefined) return b;
  const mark = scratch.nextPos();
  const { pos, posMark } = scratch;
  for (let i = 0; i < a.n; i++) {
    const d = a.ids[i] as number;
    posMark[d] = mark;
    pos[d] = i;
  }
  // grown when full (push), not by b's size: the leaves of a word mostly find the same documents
  for (let i = 0; i < b.n; i++) {
    const d = b.ids[i] as number;
    if (posMark[d] === mark) {
      const at = pos[d] as number;
      a.scores[at] = (a.scores[at] as number) + (b.scores[i] as number);
      a.masks[at] = (a.masks[at] as number) | (b.masks[i] as number);
    } else {
      a.push(d, b.scores[i] as number, b.masks[i] as number);
    }
  }
  return a;
}

/** MiniSearch's AND combinator: b's documents that a has, in b's order, scored a + b. */
function and(scratch: SearchScratch, a: Results, b: Results): Results {
  const mark = scratch.nextPos();
  const { pos, posMark } = scratch;
  for (let i = 0; i < a.n; i++) {
    const d = a.ids[i] as number;
    posMark[d] = mark;
    pos[d] = i;
  }
  const out = scratch.results(Math.min(a.n, b.n));
  for (let i = 0; i < b.n; i++) {
    const d = b.ids[i] as number;
    if (posMark[d] !== mark) continue;
    const at = pos[d] as number;
    out.push(d, (a.scores[at] as number) + (b.scores[i] as number), (a.masks[at] as number) | (b.masks[i] as number));
  }
  return out;
}

/** MiniSearch's executeQuerySpec: each of the unit's terms in turn, summed per document. */
function unitResults(run: Run, u: Unit): Results {
  const expansions = expand(run.m, u);
  // room for every posting of the first (usually only) term: one allocation for most units
  let first = 0;
  const data = expansions[0]?.[1];
  if (data) for (const f of u.fields) first += data.get(run.m._fieldIds[f] as number)?.size ?? 0;
  // no more than the documents there are (the fields' lists of a term mostly name the same ones)
  const results = run.scratch.results(Math.min(first, run.m._documentCount, run.sortedCands !== undefined ? run.sortedCands.length : first));
  const mark = run.scratch.nextPos();
  for (const [weight, termData] of expansions) termResults(run, u, weight, termData, results, mark);
  return results;
}

/** MiniSearch's termResults: BM25 of one derived term in each field, weighted, summed per document. */
function termResults(run: Run, u: Unit, termWeight: number, data: FieldTermData | undefined, results: Results, mark: number): void {
  if (data === undefined) return;
  const { m, opts, scratch, cand, sortedCands } = run;
  const { pos, posMark } = scratch;
  const bit = 1 << u.bit;
  const total = m._documentCount;
  const boosts = opts.boosts;
  const filter = opts.filter;
  for (const field of u.fields) {
    const fieldBoost = (Object.prototype.hasOwnProperty.call(opts.boost, field) ? opts.boost[field] : undefined) || 1;
    const fieldId = m._fieldIds[field] as number;
    const freqs = data.get(fieldId);
    if (freqs === undefined) continue;
    const matching = freqs.size;
    const avgFieldLength = m._avgFieldLength[fieldId] as number;
    const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
    const column = fieldColumn(scratch, fieldId);
    // few candidates against a long list: look each up (ascending ids, so the order is the walk's)
    if (sortedCands !== undefined && freqs instanceof PackedPostings && sortedCands.length * 8 < matching) {
      freqs.forEachOf(sortedCands, visitor(run, results, mark, bit, termWeight * 1 * fieldBoost, invDocFreq, avgFieldLength, column));
      continue;
    }
    const packed = boosts !== undefined && freqs instanceof PackedPostings ? freqs.packed() : undefined;
    if (packed === undefined) {
      freqs.forEach(visitor(run, results, mark, bit, termWeight * 1 * fieldBoost, invDocFreq, avgFieldLength, column));
      continue;
    }
    // the walk of `visit` over a packed list, written out: one pass over typed arrays, no call per
    // posting; the same arithmetic in the same order
    const { ids: listIds, tfs: listTfs } = packed;
    const listLength = listIds.length;
    const boostArray = boosts as Float64Array;
    const weight = termWeight * 1 * fieldBoost;
    // grown when full, not by the list's length: a word's lists mostly name the same documents
    let rIds = results.ids;
    let rScores = results.scores;
    let rMasks = results.masks;
    let n = results.n;
    for (let i = 0; i < listLength; i++) {
      const docId = listIds[i] as number;
      if (cand !== undefined) {
        if (((cand[docId >>> 5] as number) & (1 << (docId & 31))) === 0) continue;
      } else if (filter !== undefined && !filter(docId)) continue;
      const docBoost = boostArray[docId] as number;
      if (!docBoost) continue;
      const termFreq = listTfs[i] as number;
      const fieldLength = column[docId] as number;
      const rawScore = invDocFreq * (D + (termFreq * (K + 1)) / (termFreq + K * (1 - B + (B * fieldLength) / avgFieldLength)));
      const weighted = weight * docBoost * rawScore;
      if (posMark[docId] === mark) {
        const at = pos[docId] as number;
        rScores[at] = (rScores[at] as number) + weighted;
        rMasks[at] = (rMasks[at] as number) | bit;
      } else {
        if (n === rIds.length) {
          results.n = n;
          results.reserve(1);
          rIds = results.ids;
          rScores = results.scores;
          rMasks = results.masks;
        }
        posMark[docId] = mark;
        pos[docId] = n;
        rIds[n] = docId;
        rScores[n] = weighted;
        rMasks[n] = bit;
        n++;
      }
    }
    results.n = n;
  }
}

/**
 * `termResults`' scoring of one posting, as a function for the walks that call one per posting (a
 * few candidates looked up in a long list, a changed list): made only for those, since making a
 * closure costs (the sources run through tsx, which names every function it makes, and a field of a
 * word asked with its misspellings makes hundreds of them).
 */
function visitor(
  run: Run,
  results: Results,
  mark: number,
  bit: number,
  weight: number,
  invDocFreq: number,
  avgFieldLength: number,
  column: Uint16Array | Int32Array,
): (termFreq: number, docId: number) => void {
  const { opts, scratch, cand, boostGen } = run;
  const { pos, posMark, boostMark, boost } = scratch;
  const stored = run.m._storedFields;
  const boosts = opts.boosts;
  const filter = opts.filter;
  return (termFreq, docId) => {
    // the candidates passed the filter when their word was scored
    if (cand !== undefined) {
      if (((cand[docId >>> 5] as number) & (1 << (docId & 31))) === 0) return;
    } else if (filter !== undefined && !filter(docId)) return;
    let docBoost: number;
    if (boosts !== undefined) docBoost = boosts[docId] as number;
    else if (boostMark[docId] === boostGen) docBoost = boost[docId] as number;
    else {
      docBoost = opts.boostDocument(stored.get(docId));
      boostMark[docId] = boostGen;
      boost[docId] = docBoost;
    }
    if (!docBoost) return;
    const fieldLength = column[docId] as number;
    const rawScore = invDocFreq * (D + (termFreq * (K + 1)) / (termFreq + K * (1 - B + (B * fieldLength) / avgFieldLength)));
    const weighted = weight * docBoost * rawScore;
    if (posMark[docId] === mark) {
      const at = pos[docId] as number;
      results.scores[at] = (results.scores[at] as number) + weighted;
      results.masks[at] = (results.masks[at] as number) | bit;
    } else {
      posMark[docId] = mark;
      pos[docId] = results.n;
      results.push(docId, weighted, bit);
    }
  };
}

/**
 * One field's lengths as a column by short id, copied from the rows of `scratch.lengths` on first
 * use: a postings list walks ascending ids, so its lengths are then read from one small array
 * nearly in order instead of one cache line of the rows per posting.
 */
function fieldColumn(scratch: SearchScratch, fieldId: number): Uint16Array | Int32Array {
  const { lengths, fieldCount } = scratch;
  if (scratch.columnsOf !== lengths) {
    scratch.columns = [];
    scratch.columnsOf = lengths;
  }
  let column = scratch.columns[fieldId];
  if (column === undefined) {
    column = lengthColumn(lengths, fieldCount, fieldId);
    scratch.columns[fieldId] = column;
  }
  return column;
}

/** One field's lengths as a column by short id, from rows of short id × field (saved with the index, see minisearch-index.ts' derive). */
export function lengthColumn(lengths: Int32Array, fieldCount: number, fieldId: number): Uint16Array | Int32Array {
  const rows = fieldCount === 0 ? 0 : Math.floor(lengths.length / fieldCount);
  let max = 0;
  for (let d = 0; d < rows; d++) max = Math.max(max, lengths[d * fieldCount + fieldId] as number);
  const column = max <= 0xffff ? new Uint16Array(rows) : new Int32Array(rows);
  for (let d = 0; d < rows; d++) column[d] = lengths[d * fieldCount + fieldId] as number;
  return column;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * The indices of the best `limit` of the first `n` scores, best first (by `first` before the
 * score when given), equal ones in index order: a stable sort's first `limit`, with a heap of
 * indices and nothing allocated per element.
 */
export function bestOf(scores: Float64Array, n: number, limit: number, first?: Uint8Array): Int32Array {
  const k = Math.max(0, Math.min(limit, n));
  const heap = new Int32Array(k);
  let size = 0;
  // the root is the worst kept: the lowest score, then the latest index
  const worse = (a: number, b: number): boolean => {
    if (first !== undefined && first[a] !== first[b]) return (first[a] as number) < (first[b] as number);
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa < sb || (sa === sb && a > b);
  };
  const down = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < size && worse(heap[l] as number, heap[w] as number)) w = l;
      if (r < size && worse(heap[r] as number, heap[w] as number)) w = r;
      if (w === i) return;
      const t = heap[i] as number;
      heap[i] = heap[w] as number;
      heap[w] = t;
      i = w;
    }
  };
  if (k > 0) {
    for (let i = 0; i < n; i++) {
      if (size < k) {
        heap[size] = i;
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!worse(heap[c] as number, heap[p] as number)) break;
          const t = heap[c] as number;
          heap[c] = heap[p] as number;
          heap[p] = t;
          c = p;
        }
      } else {
        // a later index never beats an equal kept one: without coverage, no higher score is no better
        if (first === undefined && (scores[i] as number) <= (scores[heap[0] as number] as number)) continue;
        if (worse(i, heap[0] as number)) continue;
        heap[0] = i;
        down(0);
      }
    }
  }
  return heap.sort((a, b) => (first === undefined ? 0 : (first[b] as number) - (first[a] as number)) || (scores[b] as number) - (scores[a] as number) || a - b);
}
