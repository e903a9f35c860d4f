/** Term frequencies as packed: one byte each when no frequency passes 255 (index-file.ts), else two or four. */
export type FrequencyArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * A compact stand-in for the Map<shortDocId, termFrequency> MiniSearch keeps for every (term, field):
 * document ids and frequencies in slices of two shared typed arrays, ascending by id — the order
 * MiniSearch inserts them in (short ids only grow) and the order a saved index is loaded in. A
 * million-record catalog has tens of millions of postings; as Map entries they take over a gigabyte
 * of heap, here five or six bytes each. It answers everything MiniSearch asks of a Map; the first
 * change (an incremental update, a vacuum) turns that one list into a real Map, never touching the
 * shared arrays. A read-only list (handed out by a frozen index, which makes a new one per lookup)
 * refuses changes instead: a change there would be lost.
 */
export class PackedPostings {
  private map: Map<number, number> | undefined;

  constructor(
    private readonly ids: Int32Array,
    private readonly tfs: FrequencyArray,
    private readonly start: number,
    private readonly end: number,
    private readonly readOnly = false,
  ) {}

  get size(): number {
    return this.map ? this.map.size : this.end - this.start;
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  private find(docId: number): number {
    let lo = this.start;
    let hi = this.end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid] as number;
      if (v === docId) return mid;
      if (v < docId) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(docId: number): number | undefined {
    if (this.map) return this.map.get(docId);
    const i = this.find(docId);
    return i < 0 ? undefined : this.tfs[i];
  }

  has(docId: number): boolean {
    return this.map ? this.map.has(docId) : this.find(docId) >= 0;
  }

  private unpack(): Map<number, number> {
    if (this.readOnly) throw new FrozenIndexError('a frozen index was changed without being thawed first');
    if (!this.map) {
      const map = new Map<number, number>();
      for (let i = this.start; i < this.end; i++) map.set(this.ids[i] as number, this.tfs[i] as number);
      this.map = map;
    }
    return this.map;
  }

  set(docId: number, tf: number): this {
    this.unpack().set(docId, tf);
    return this;
  }

  delete(docId: number): boolean {
    return this.unpack().delete(docId);
  }

  clear(): void {
    this.unpack();
    this.map = new Map();
  }

  /** The list as slices of the shared arrays (ids ascending), while it has not been changed. */
  packed(): { ids: Int32Array; tfs: FrequencyArray } | undefined {
    return this.map ? undefined : { ids: this.ids.subarray(this.start, this.end), tfs: this.tfs.subarray(this.start, this.end) };
  }

  forEach(fn: (tf: number, docId: number, postings: this) => void): void {
    if (this.map) {
      this.map.forEach((tf, docId) => fn(tf, docId, this));
      return;
    }
    const { ids, tfs, end } = this;
    for (let i = this.start; i < end; i++) fn(tfs[i] as number, ids[i] as number, this);
  }

  /**
   * `forEach` restricted to `docIds` (ascending), in the same order: each found by galloping from
   * the last one, so few ids cost little however long the list.
   */
  forEachOf(docIds: Int32Array, fn: (tf: number, docId: number, postings: this) => void): void {
    if (this.map) {
      // a changed list keeps ascending order too: MiniSearch's short ids only grow
      for (const docId of docIds) {
        const tf = this.map.get(docId);
        if (tf !== undefined) fn(tf, docId, this);
      }
      return;
    }
    const { ids, tfs, end } = this;
    let lo = this.start;
    for (const docId of docIds) {
      if (lo >= end) return;
      // gallop to a window [lo, hi] holding docId, then binary search in it
      let step = 1;
      let hi = lo;
      while (hi < end && (ids[hi] as number) < docId) {
        lo = hi + 1;
        hi += step;
        step *= 2;
      }
      if (hi >= end) hi = end - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = ids[mid] as number;
        if (v < docId) lo = mid + 1;
        else hi = mid - 1;
      }
      if (lo < end && ids[lo] === docId) {
        fn(tfs[lo] as number, docId, this);
        lo++;
      }
    }
  }

  *entries(): IterableIterator<[number, number]> {
    if (this.map) {
      yield* this.map.entries();
      return;
    }
    for (let i = this.start; i < this.end; i++) yield [this.ids[i] as number, this.tfs[i] as number];
  }

  *keys(): IterableIterator<number> {
    if (this.map) {
      yield* this.map.keys();
      return;
    }
    for (let i = this.start; i < this.end; i++) yield this.ids[i] as number;
  }

  *values(): IterableIterator<number> {
    if (this.map) {
      yield* this.map.values();
      return;
    }
    for (let i = this.start; i < this.end; i++) yield this.tfs[i] as number;
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
}

/** Thrown when code changes a read-only part of a frozen index: a bug (the index must be thawed first). */
export class FrozenIndexError extends Error {
  readonly code = 'search/frozen-index-changed';

  constructor(message: string) {
    super(message);
    this.name = 'FrozenIndexError';
  }
}

/** Postings as MiniSearch reads them: a real Map or a packed list. */
export type Postings = Map<number, number> | PackedPostings;

/**
 * Packs many postings lists at once into shared arrays. `add` takes ids ascending; a list with a
 * frequency above 65,535 stays a Map.
 */
export class PostingsPacker {
  private ids: Int32Array;
  private tfs: Uint16Array;
  private used = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(16, capacity));
    this.tfs = new Uint16Array(Math.max(16, capacity));
  }

  add(ids: ArrayLike<number>, tfs: ArrayLike<number> | number): Postings {
    const n = ids.length;
    if (typeof tfs !== 'number') {
      for (let i = 0; i < n; i++) {
        if ((tfs[i] as number) > 0xffff) {
          const map = new Map<number, number>();
          for (let k = 0; k < n; k++) map.set(ids[k] as number, tfs[k] as number);
          return map;
        }
      }
    }
    if (this.used + n > this.ids.length) this.grow(this.used + n);
    const start = this.used;
    for (let i = 0; i < n; i++) {
      this.ids[start + i] = ids[i] as number;
      this.tfs[start + i] = typeof tfs === 'number' ? tfs : (tfs[i] as number);
    }
    this.used += n;
    return new PackedPostings(this.ids, this.tfs, start, start + n);
  }

  private grow(min: number): void {
    const size = Math.max(min, Math.ceil(this.ids.length * 1.5));
    const ids = new Int32Array(size);
    const tfs = new Uint16Array(size);
    ids.set(this.ids.subarray(0, this.used));
    tfs.set(this.tfs.subarray(0, this.used));
    this.ids = ids;
    this.tfs = tfs;
  }
}
