/**
 * The per-document half of a frozen index (index-file.ts): MiniSearch's document maps — short id →
 * id, id → short id, field lengths, stored fields — as typed arrays read straight from the file,
 * behind the Map methods MiniSearch and the fast search path call. A million documents as Map
 * entries, arrays and objects take several hundred MB of heap; here a few bytes per document.
 *
 * Rows are by short id (0 … nextId-1); a short id without a document (discarded, then vacuumed)
 * has the id NaN. Stored fields are columns of small numbers into tables of distinct values (the
 * same library lists, languages and years recur): 0 for a field the document has no value in.
 * Reads build the arrays and records MiniSearch expects, afresh each time; they are not to be
 * changed. Everything here is read-only: `thaw` makes the real Maps before the index changes.
 */
import { FrozenIndexError } from './packed-postings.ts';

export type IndexColumn = Uint8Array | Uint16Array | Uint32Array;

export interface StoredColumns {
  /** the stored field names, in MiniSearch's storeFields order (a record's keys keep it) */
  names: string[];
  /** per field, its distinct values (column value k is values[k - 1]) */
  values: unknown[][];
  /** per field, one entry per short id */
  columns: IndexColumn[];
}

const frozen = (): never => {
  throw new FrozenIndexError('a frozen document table cannot be changed: thaw it first');
};

/** Shared by the four views: Map's iteration surface over the short ids that have a document. */
abstract class FrozenRows<K, V> implements Map<K, V> {
  abstract get(key: K): V | undefined;
  abstract has(key: K): boolean;
  abstract get size(): number;
  protected abstract rows(): Generator<[K, V], undefined>;

  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  entries(): MapIterator<[K, V]> {
    return this.rows();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.rows();
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.rows()) yield k;
    return undefined;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.rows()) yield v;
    return undefined;
  }

  forEach(fn: (value: V, key: K, map: Map<K, V>) => void): void {
    for (const [k, v] of this.rows()) fn(v, k, this);
  }

  set(): this {
    return frozen();
  }

  delete(): boolean {
    return frozen();
  }

  clear(): void {
    frozen();
  }

  /** The same entries in a real Map, in the same order. */
  thaw(): Map<K, V> {
    return new Map(this.rows());
  }
}

/** MiniSearch's _documentIds: short id → id. */
export class FrozenDocumentIds extends FrozenRows<number, unknown> {
  private readonly count: number;

  constructor(private readonly ids: Float64Array) {
    super();
    let count = 0;
    for (const id of ids) if (!Number.isNaN(id)) count++;
    this.count = count;
  }

  get size(): number {
    return this.count;
  }

  get(shortId: number): unknown {
    const id = this.ids[shortId];
    return id === undefined || Number.isNaN(id) ? undefined : id;
  }

  has(shortId: number): boolean {
    const id = this.ids[shortId];
    return id !== undefined && !Number.isNaN(id);
  }

  protected *rows(): Generator<[number, unknown], undefined> {
    const { ids } = this;
    for (let shortId = 0; shortId < ids.length; shortId++) {
      const id = ids[shortId] as number;
      if (!Number.isNaN(id)) yield [shortId, id];
    }
    return undefined;
  }

  /** The short ids with a document, ascending, without an iterator per call (load-time walks over every row). */
  forEachShortId(fn: (shortId: number) => void): void {
    const { ids } = this;
    for (let shortId = 0; shortId < ids.length; shortId++) if (!Number.isNaN(ids[shortId] as number)) fn(shortId);
  }
}

/**
 * MiniSearch's _idToShortId: id → short id, worked out at load. Work ids are small integers: one
 * array indexed by id; other ids fall back to a Map.
 */
export class FrozenIdLookup extends FrozenRows<unknown, number> {
  private dense: Int32Array | undefined;
  private map: Map<unknown, number> | undefined;

  constructor(private readonly documents: FrozenDocumentIds, private readonly ids: Float64Array) {
    super();
  }

  get size(): number {
    return this.documents.size;
  }

  /** Built on the first lookup (searching needs none; adding and removing documents do). */
  private build(): void {
    const { ids } = this;
    let max = -1;
    let integral = true;
    this.documents.forEachShortId((shortId) => {
      const id = ids[shortId] as number;
      if (!Number.isInteger(id) || id < 0) integral = false;
      else if (id > max) max = id;
    });
    // dense when the ids are integers not much sparser than the documents
    if (integral && max < 4 * this.documents.size + 65_536 && max < 0x7fffffff) {
      const dense = new Int32Array(max + 1).fill(-1);
      this.documents.forEachShortId((shortId) => {
        dense[ids[shortId] as number] = shortId;
      });
      this.dense = dense;
    } else {
      const map = new Map<unknown, number>();
      this.documents.forEachShortId((shortId) => map.set(ids[shortId], shortId));
      this.map = map;
    }
  }

  get(id: unknown): number | undefined {
    if (!this.dense && !this.map) this.build();
    if (this.map) return this.map.get(id);
    if (typeof id !== 'number' || !Number.isInteger(id)) return undefined;
    const shortId = (this.dense as Int32Array)[id];
    return shortId === undefined || shortId < 0 ? undefined : shortId;
  }

  has(id: unknown): boolean {
    return this.get(id) !== undefined;
  }

  /** In short id order, as MiniSearch fills its map on load. */
  protected *rows(): Generator<[unknown, number], undefined> {
    for (const [shortId, id] of this.documents) yield [id, shortId];
    return undefined;
  }
}

/** MiniSearch's _fieldLength: short id → per field, its number of distinct terms (a hole where the field had no value). */
export class FrozenFieldLengths extends FrozenRows<number, number[]> {
  constructor(
    private readonly documents: FrozenDocumentIds,
    /** short id × field, shared with the fast search path's dense copy (SearchScratch.lengths) */
    readonly lengths: Int32Array<ArrayBuffer>,
    readonly fieldCount: number,
  ) {
    super();
  }

  get size(): number {
    return this.documents.size;
  }

  /** Whether every document has a length in every field (the fast search path needs that). */
  complete(): boolean {
    const { lengths, fieldCount } = this;
    let complete = true;
    this.documents.forEachShortId((shortId) => {
      for (let f = 0; f < fieldCount; f++) if ((lengths[shortId * fieldCount + f] as number) < 0) complete = false;
    });
    return complete;
  }

  private row(shortId: number): number[] {
    const { lengths, fieldCount } = this;
    const out: number[] = [];
    for (let f = 0; f < fieldCount; f++) {
      const v = lengths[shortId * fieldCount + f] as number;
      if (v >= 0) out[f] = v;
    }
    return out;
  }

  get(shortId: number): number[] | undefined {
    return this.documents.has(shortId) ? this.row(shortId) : undefined;
  }

  has(shortId: number): boolean {
    return this.documents.has(shortId);
  }

  protected *rows(): Generator<[number, number[]], undefined> {
    for (const shortId of this.documents.keys()) yield [shortId, this.row(shortId)];
    return undefined;
  }
}

/** MiniSearch's _storedFields: short id → the stored record (undefined when the index stores none). */
export class FrozenStoredFields extends FrozenRows<number, Record<string, unknown> | undefined> {
  constructor(
    private readonly documents: FrozenDocumentIds,
    private readonly stored: StoredColumns | undefined,
  ) {
    super();
  }

  get size(): number {
    return this.stored ? this.documents.size : 0;
  }

  private record(shortId: number): Record<string, unknown> {
    const { names, values, columns } = this.stored as StoredColumns;
    const out: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const k = (columns[c] as IndexColumn)[shortId] as number;
      if (k !== 0) out[names[c] as string] = (values[c] as unknown[])[k - 1];
    }
    return out;
  }

  get(shortId: number): Record<string, unknown> | undefined {
    return this.stored && this.documents.has(shortId) ? this.record(shortId) : undefined;
  }

  has(shortId: number): boolean {
    return this.stored !== undefined && this.documents.has(shortId);
  }

  protected *rows(): Generator<[number, Record<string, unknown> | undefined], undefined> {
    if (!this.stored) return undefined;
    for (const shortId of this.documents.keys()) yield [shortId, this.record(shortId)];
    return undefined;
  }

  /**
   * `fn` of every document's values in the fields `names` (given a record of just those), into
   * `out` by short id. Stored values recur (a million works have some tens of thousands of
   * library lists), so `fn` runs once per distinct combination, not once per document.
   */
  fill(out: Float64Array, names: readonly string[], fn: (record: Record<string, unknown>) => number): void {
    const stored = this.stored;
    if (!stored) return;
    const at = names.map((name) => stored.names.indexOf(name)).filter((c) => c >= 0);
    const key = at.join(',');
    let classes = this.classes.get(key);
    if (!classes) this.classes.set(key, (classes = this.combinations(at)));
    const { of, first, count } = classes;
    const values = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const shortId = first[k] as number;
      if (shortId < 0) continue; // no documents at all
      const record: Record<string, unknown> = {};
      for (const c of at) {
        const v = (stored.columns[c] as IndexColumn)[shortId] as number;
        if (v !== 0) record[stored.names[c] as string] = (stored.values[c] as unknown[])[v - 1];
      }
      values[k] = fn(record);
    }
    this.documents.forEachShortId((shortId) => {
      out[shortId] = values[of[shortId] as number] as number;
    });
  }

  /** per set of columns: each document's class of equal values, and the first document of each class */
  private readonly classes = new Map<string, { of: Int32Array; first: Int32Array; count: number }>();

  /**
   * The documents in classes of equal values in the columns `at`: refined one column at a time,
   * the documents walked class by class (a counting sort), a value seen again in the same class
   * joining that class's new class. Linear, no hashing.
   */
  private combinations(at: readonly number[]): { of: Int32Array; first: Int32Array; count: number } {
    const stored = this.stored as StoredColumns;
    const rows = stored.columns[0]?.length ?? 0;
    let of = new Int32Array(rows);
    let count = 1;
    const present: number[] = [];
    this.documents.forEachShortId((shortId) => present.push(shortId));
    const order = new Int32Array(present.length);
    for (const c of at) {
      const column = stored.columns[c] as IndexColumn;
      const starts = new Int32Array(count + 1);
      for (const shortId of present) {
        const k = (of[shortId] as number) + 1;
        starts[k] = (starts[k] as number) + 1;
      }
      for (let k = 0; k < count; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
      for (const shortId of present) order[(starts[of[shortId] as number] as number)++] = shortId;
      const seenIn = new Int32Array((stored.values[c] as unknown[]).length + 1).fill(-1);
      const joined = new Int32Array(seenIn.length);
      const next = new Int32Array(rows);
      let nextCount = 0;
      for (const shortId of order) {
        const cls = of[shortId] as number;
        const v = column[shortId] as number;
        if (seenIn[v] !== cls) {
          seenIn[v] = cls;
          joined[v] = nextCount++;
        }
        next[shortId] = joined[v] as number;
      }
      of = next;
      count = nextCount;
    }
    const first = new Int32Array(count).fill(-1);
    for (const shortId of present) if ((first[of[shortId] as number] as number) < 0) first[of[shortId] as number] = shortId;
    return { of, first, count };
  }
}
