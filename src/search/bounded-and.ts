/**
 * The best hits of an AND of words, scored only where a score could reach them (MaxScore-style
 * upper bounds), with the same hits, scores, order and total as top-hits.ts' full scoring.
 *
 * A frequent word ("pendidikan", "sejarah") has postings in a large share of the catalog, and
 * scoring each one (BM25 per field, a division and a few random reads per posting) made such
 * questions the slowest. Here:
 *  1. every posting of the rarest word, and of the others where that is cheaper than looking the
 *     rarest word's documents up, is only counted: which words a document matched, which query
 *     terms (the quality factor's bits), and the sum of its lists' score bounds. A list's bound is
 *     its BM25 at its largest frequency and the field's shortest length, times the field and term
 *     weights; the document's own boost multiplies the sum. The documents matching every word and
 *     passing the filter are the exact total;
 *  2. the `limit` documents with the highest bounds are scored exactly: the lowest of their scores
 *     is a score the limit-th best hit reaches at least;
 *  3. only the documents whose bound reaches it are scored exactly (a few lookups each, ascending
 *     ids, galloping), with MiniSearch's sums nested as top-hits.ts nests them (units of a leaf,
 *     leaves of a word, words in their order), so the scores are equal to the last bit. Equal
 *     scores keep top-hits.ts' order: its results are in the order of the last word's lists (a
 *     document where the earliest list holding it puts it; ascending ids within a list).
 */
import type { FrequencyArray } from './packed-postings.ts';

// MiniSearch's defaultBM25params, as top-hits.ts
const K = 1.2;
const B = 0.7;
const D = 0.5;
/** a bound is compared with a score after a few roundings: kept when within this share of it */
const SLACK = 1e-9;

/** One (term, field) postings list of a query unit, with what its scores are computed from. */
export interface BoundList {
  ids: Int32Array;
  tfs: FrequencyArray;
  /** term weight × field boost, as top-hits.ts computes it */
  weight: number;
  invDocFreq: number;
  avgFieldLength: number;
  /** field lengths by short id */
  column: Uint16Array | Int32Array;
  /** the field's shortest nonzero length: a posting's document has at least one word there */
  minLength: number;
  /** the query term's bit (the quality factor counts the distinct terms a document matched) */
  bit: number;
}

/** word → leaf → unit → the unit's lists (its expansions × fields, in top-hits.ts' order) */
export type BoundPlan = BoundList[][][][];

export interface BoundedHits {
  /** short ids, best first */
  docs: Int32Array;
  scores: Float64Array;
  total: number;
}

/** Dense per-document working memory, reused; generation marks so that nothing is cleared between searches. */
export class BoundScratch {
  private size = 0;
  seen = new Int32Array(0);
  count = new Int32Array(0);
  wordMark = new Int32Array(0);
  mask = new Int32Array(0);
  bound = new Float64Array(0);
  slot = new Int32Array(0);
  slotMark = new Int32Array(0);
  private gen = 0;

  ensure(n: number): void {
    if (n <= this.size) return;
    const size = Math.max(n, Math.ceil(this.size * 1.25));
    this.seen = new Int32Array(size);
    this.count = new Int32Array(size);
    this.wordMark = new Int32Array(size);
    this.mask = new Int32Array(size);
    this.bound = new Float64Array(size);
    this.slot = new Int32Array(size);
    this.slotMark = new Int32Array(size);
    this.size = size;
    this.gen = 0;
  }

  /** a fresh mark, never equal to one still in the arrays */
  next(): number {
    if (++this.gen > 0x7fffffff - 1) {
      this.seen.fill(0);
      this.wordMark.fill(0);
      this.slotMark.fill(0);
      this.gen = 1;
    }
    return this.gen;
  }
}

function listBound(list: BoundList): number {
  const { tfs } = list;
  let maxTf = 0;
  for (let i = 0; i < tfs.length; i++) if ((tfs[i] as number) > maxTf) maxTf = tfs[i] as number;
  // BM25 grows with the frequency and shrinks with the length
  const raw = list.invDocFreq * (D + (maxTf * (K + 1)) / (maxTf + K * (1 - B + (B * list.minLength) / list.avgFieldLength)));
  return list.weight * raw;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * The best `limit` of the documents matching every word of `plan` and passing `filter`, scored
 * and ordered as top-hits.ts does. `order`: the words, rarest first.
 */
export function boundedAnd(
  plan: BoundPlan,
  order: readonly number[],
  boosts: Float64Array,
  filter: ((shortId: number) => boolean) | undefined,
  limit: number,
  scratch: BoundScratch,
): BoundedHits {
  scratch.ensure(boosts.length);
  const { seen, count, wordMark, mask, bound } = scratch;
  const gen = scratch.next();
  // 1. which documents match every word; their bits and bounds
  let alive = new Int32Array(0);
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    const lists = (plan[order[k] as number] as BoundList[][][]).flat(2);
    const token = scratch.next();
    if (k === 0) {
      let room = 0;
      for (const l of lists) room += l.ids.length;
      alive = new Int32Array(room);
      for (const l of lists) {
        const ub = listBound(l);
        const { ids, bit } = l;
        for (let i = 0; i < ids.length; i++) {
          const d = ids[i] as number;
          if (seen[d] !== gen) {
            seen[d] = gen;
            count[d] = 1;
            wordMark[d] = token;
            mask[d] = bit;
            bound[d] = ub;
            alive[n++] = d;
          } else {
            mask[d] = (mask[d] as number) | bit;
            bound[d] = (bound[d] as number) + ub;
          }
        }
      }
      continue;
    }
    let postings = 0;
    for (const l of lists) postings += l.ids.length;
    const visit = (d: number, ub: number, bit: number): void => {
      if (seen[d] !== gen) return;
      if (wordMark[d] !== token) {
        if (count[d] !== k) return; // missed an earlier word
        wordMark[d] = token;
        count[d] = k + 1;
      }
      mask[d] = (mask[d] as number) | bit;
      bound[d] = (bound[d] as number) + ub;
    };
    if (n * 8 < postings) {
      // few documents left against long lists: look each up
      const sorted = alive.subarray(0, n).sort();
      for (const l of lists) {
        const ub = listBound(l);
        const { ids, bit } = l;
        let lo = 0;
        for (let c = 0; c < n && lo < ids.length; c++) {
          const d = sorted[c] as number;
          lo = gallop(ids, lo, d);
          if (lo < ids.length && ids[lo] === d) visit(d, ub, bit);
        }
      }
    } else {
      for (const l of lists) {
        const ub = listBound(l);
        const { ids, bit } = l;
        for (let i = 0; i < ids.length; i++) visit(ids[i] as number, ub, bit);
      }
    }
    let kept = 0;
    for (let c = 0; c < n; c++) {
      const d = alive[c] as number;
      if (count[d] === k + 1) alive[kept++] = d;
    }
    n = kept;
  }
  // the filter and the boosts, as the first word's scoring applies them
  let total = 0;
  for (let c = 0; c < n; c++) {
    const d = alive[c] as number;
    if (filter !== undefined && !filter(d)) continue;
    if (!boosts[d]) continue;
    alive[total++] = d;
  }
  const matched = alive.subarray(0, total);
  if (total === 0 || limit <= 0) return { docs: new Int32Array(0), scores: new Float64Array(0), total };

  // 2. a score the limit-th best reaches: the lowest exact score of the `limit` best bounds
  const bounds = new Float64Array(total);
  for (let c = 0; c < total; c++) {
    const d = matched[c] as number;
    bounds[c] = (boosts[d] as number) * (bound[d] as number) * (popcount(mask[d] as number) || 1);
  }
  let candidates: Int32Array;
  if (total <= limit) candidates = Int32Array.from(matched);
  else {
    const best = topBounds(bounds, limit);
    const probe = Int32Array.from(best, (c) => matched[c] as number).sort();
    const probed = scoreExactly(plan, probe, boosts, scratch);
    let threshold = Number.POSITIVE_INFINITY;
    for (let c = 0; c < probe.length; c++) threshold = Math.min(threshold, probed.scores[c] as number);
    // 3. only documents whose bound reaches it can be among the best
    let kept = 0;
    const keep = new Int32Array(total);
    for (let c = 0; c < total; c++) if ((bounds[c] as number) * (1 + SLACK) >= threshold) keep[kept++] = matched[c] as number;
    candidates = keep.subarray(0, kept);
  }
  candidates.sort();
  const { scores, first } = scoreExactly(plan, candidates, boosts, scratch);
  const idx = Array.from({ length: candidates.length }, (_, i) => i);
  // best score first; equals in top-hits.ts' order: the last word's earliest list, then the id
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number) || (first[a] as number) - (first[b] as number) || (candidates[a] as number) - (candidates[b] as number));
  const top = idx.slice(0, limit);
  return { docs: Int32Array.from(top, (i) => candidates[i] as number), scores: Float64Array.from(top, (i) => scores[i] as number), total };
}

/** The first position at or after `lo` whose id is not below `d` (ids ascending). */
function gallop(ids: Int32Array, from: number, d: number): number {
  const end = ids.length;
  let lo = from;
  let step = 1;
  let hi = lo;
  while (hi < end && (ids[hi] as number) < d) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi >= end) hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as number) < d) lo = mid + 1;
    else hi = mid - 1;
  }
  return lo;
}

/** Indices of the `k` largest values (any order among them). */
function topBounds(values: Float64Array, k: number): Int32Array {
  // a bounded min-heap of indices
  const heap = new Int32Array(k);
  let size = 0;
  const less = (a: number, b: number): boolean => (values[a] as number) < (values[b] as number);
  for (let i = 0; i < values.length; i++) {
    if (size < k) {
      let c = size++;
      heap[c] = i;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!less(heap[c] as number, heap[p] as number)) break;
        const t = heap[c] as number;
        heap[c] = heap[p] as number;
        heap[p] = t;
        c = p;
      }
    } else if (less(heap[0] as number, i)) {
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let w = p;
        if (l < size && less(heap[l] as number, heap[w] as number)) w = l;
        if (r < size && less(heap[r] as number, heap[w] as number)) w = r;
        if (w === p) break;
        const t = heap[p] as number;
        heap[p] = heap[w] as number;
        heap[w] = t;
        p = w;
      }
    }
  }
  return heap.subarray(0, size);
}

/**
 * Exact scores of `docs` (ascending short ids, each matching every word), summed as top-hits.ts
 * sums them, and for each the index of the earliest list of the last word holding it.
 */
function scoreExactly(plan: BoundPlan, docs: Int32Array, boosts: Float64Array, scratch: BoundScratch): { scores: Float64Array; first: Int32Array } {
  const n = docs.length;
  const total = new Float64Array(n);
  const word = new Float64Array(n);
  const leaf = new Float64Array(n);
  const unit = new Float64Array(n);
  const masks = new Int32Array(n);
  const first = new Int32Array(n).fill(0x7fffffff);
  const mark = scratch.next();
  const { slot, slotMark } = scratch;
  for (let c = 0; c < n; c++) {
    slot[docs[c] as number] = c;
    slotMark[docs[c] as number] = mark;
  }
  const last = plan.length - 1;
  for (let w = 0; w <= last; w++) {
    word.fill(0);
    let listIndex = 0;
    for (const units of plan[w] as BoundList[][][]) {
      leaf.fill(0);
      for (const lists of units) {
        unit.fill(0);
        for (const l of lists) {
          const at = listIndex++;
          const { ids, tfs, column, invDocFreq, avgFieldLength, weight, bit } = l;
          const add = (c: number, i: number): void => {
            const docId = docs[c] as number;
            const termFreq = tfs[i] as number;
            const fieldLength = column[docId] as number;
            const rawScore = invDocFreq * (D + (termFreq * (K + 1)) / (termFreq + K * (1 - B + (B * fieldLength) / avgFieldLength)));
            unit[c] = (unit[c] as number) + weight * (boosts[docId] as number) * rawScore;
            masks[c] = (masks[c] as number) | bit;
            if (w === last && (first[c] as number) > at) first[c] = at;
          };
          if (n * 16 < ids.length) {
            let lo = 0;
            for (let c = 0; c < n && lo < ids.length; c++) {
              const d = docs[c] as number;
              lo = gallop(ids, lo, d);
              if (lo < ids.length && ids[lo] === d) add(c, lo);
            }
          } else {
            for (let i = 0; i < ids.length; i++) {
              const d = ids[i] as number;
              if (slotMark[d] === mark) add(slot[d] as number, i);
            }
          }
        }
        for (let c = 0; c < n; c++) leaf[c] = (leaf[c] as number) + (unit[c] as number);
      }
      for (let c = 0; c < n; c++) word[c] = (word[c] as number) + (leaf[c] as number);
    }
    if (w === 0) total.set(word);
    else for (let c = 0; c < n; c++) total[c] = (total[c] as number) + (word[c] as number);
  }
  for (let c = 0; c < n; c++) total[c] = (total[c] as number) * (popcount(masks[c] as number) || 1);
  return { scores: total, first };
}
