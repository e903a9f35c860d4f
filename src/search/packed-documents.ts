/**
 * The per-document half of a loaded index (index-file.ts): MiniSearch's document maps — short id →
 * id, id → short id, field lengths, stored fields — as typed arrays read straight from the file,
 * behind the Map methods MiniSearch and the fast search path call. A million documents as Map
 * entries, arrays and objects take several hundred MB of heap; here a few bytes per document.
 *
 * Rows are by short id (0 … nextId-1 when loaded); a short id without a document (discarded, then
 * vacuumed) has the id NaN. Stored fields are columns of small numbers into tables of distinct
 * values (the same library lists, languages and years recur): 0 for a field the document has no
 * value in. Reads build the arrays and records MiniSearch expects, afresh each time.
 *
 * They take MiniSearch's changes where they are: a removed row is marked gone (each map on its own:
 * MiniSearch removes a document from one map after another), a document added after loading is
 * kept in a Map beside the rows (MiniSearch fills in its arrays and records after setting them).
 * Iteration gives the rows still there in short-id order, then the added ones: a Map's order, as
 * short ids only grow.
 */
export type IndexColumn = Uint8Array | Uint16Array | Uint32Array;

export interface StoredColumns {
  /** the stored field names, in MiniSearch's storeFields order (a record's keys keep it) */
  names: string[];
  /** per field, its distinct values (column value k is values[k - 1]) */
  values: unknown[][];
  /** per field, one entry per short id */
  columns: IndexColumn[];
}

/** The rows as loaded: which short ids had a document. Never changed. */
export class LoadedRows {
  readonly count: number;

  /** no rows (the stored fields of an index that stores none) */
  static none(): LoadedRows {
    return new LoadedRows(new Float64Array(0));
  }

  constructor(readonly ids: Float64Array) {
    let count = 0;
    for (let shortId = 0; shortId < ids.length; shortId++) if (!Number.isNaN(ids[shortId] as number)) count++;
    this.count = count;
  }

  get length(): number {
    return this.ids.length;
  }

  has(shortId: number): boolean {
    return Number.isInteger(shortId) && shortId >= 0 && shortId < this.ids.length && !Number.isNaN(this.ids[shortId] as number);
  }

  /** The short ids with a document, ascending, without an iterator (load-time walks over every row). */
  forEach(fn: (shortId: number) => void): void {
    const { ids } = this;
    for (let shortId = 0; shortId < ids.length; shortId++) if (!Number.isNaN(ids[shortId] as number)) fn(shortId);
  }
}

/** Map's surface over a table of loaded rows keyed by short id, with the changes since loading beside them. */
abstract class PackedRows<V> implements Map<number, V> {
  private gone: Uint8Array | undefined;
  private goneCount = 0;
  private readonly added = new Map<number, V>();

  constructor(protected readonly loaded: LoadedRows) {}

  /** a loaded row's value (the row is there) */
  protected abstract row(shortId: number): V;

  /** Whether nothing was set or removed since loading (the file's sections are then still the table). */
  get unchanged(): boolean {
    return this.goneCount === 0 && this.added.size === 0;
  }

  private inRows(shortId: number): boolean {
    return this.loaded.has(shortId) && this.gone?.[shortId] !== 1;
  }

  get size(): number {
    return this.loaded.count - this.goneCount + this.added.size;
  }

  get(shortId: number): V | undefined {
    return this.inRows(shortId) ? this.row(shortId) : this.added.get(shortId);
  }

  has(shortId: number): boolean {
    return this.inRows(shortId) || this.added.has(shortId);
  }

  /** MiniSearch sets only new short ids; one set again over a loaded row moves it beside the rows. */
  set(shortId: number, value: V): this {
    if (this.inRows(shortId)) this.markGone(shortId);
    this.added.set(shortId, value);
    return this;
  }

  delete(shortId: number): boolean {
    if (this.inRows(shortId)) {
      this.markGone(shortId);
      return true;
    }
    return this.added.delete(shortId);
  }

  private markGone(shortId: number): void {
    this.gone ??= new Uint8Array(this.loaded.length);
    this.gone[shortId] = 1;
    this.goneCount++;
  }

  clear(): void {
    this.loaded.forEach((shortId) => {
      if (this.gone?.[shortId] !== 1) this.markGone(shortId);
    });
    this.added.clear();
  }

  /** The loaded short ids still here, ascending. */
  forEachRow(fn: (shortId: number) => void): void {
    const { gone } = this;
    if (gone === undefined) this.loaded.forEach(fn);
    else this.loaded.forEach((shortId) => gone[shortId] !== 1 && fn(shortId));
  }

  /** The documents added since loading, in the order they came. */
  protected addedEntries(): IterableIterator<[number, V]> {
    return this.added.entries();
  }

  private *all(): Generator<[number, V], undefined> {
    const { loaded, gone } = this;
    for (let shortId = 0; shortId < loaded.length; shortId++) {
      if (loaded.has(shortId) && gone?.[shortId] !== 1) yield [shortId, this.row(shortId)];
    }
    yield* this.added;
    return undefined;
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  entries(): MapIterator<[number, V]> {
    return this.all();
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.all();
  }

  *keys(): MapIterator<number> {
    for (const [k] of this.all()) yield k;
    return undefined;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.all()) yield v;
    return undefined;
  }

  forEach(fn: (value: V, key: number, map: Map<number, V>) => void): void {
    for (const [k, v] of this.all()) fn(v, k, this);
  }
}

/** MiniSearch's _documentIds: short id → id. */
export class PackedDocumentIds extends PackedRows<unknown> {
  protected row(shortId: number): unknown {
    return this.loaded.ids[shortId];
  }

  /** The section as read. */
  get ids(): Float64Array {
    return this.loaded.ids;
  }
}

/**
 * MiniSearch's _idToShortId: id → short id. Work ids are small integers: one array indexed by id,
 * built on the first lookup (searching needs none; adding and removing documents do); other ids,
 * and ids beyond the array, in a Map.
 */
export class PackedIdLookup implements Map<unknown, number> {
  private dense: Int32Array | undefined;
  private denseCount = 0;
  private readonly map = new Map<unknown, number>();
  private built = false;

  constructor(private readonly loaded: LoadedRows) {}

  private build(): void {
    this.built = true;
    const { ids } = this.loaded;
    let max = -1;
    let integral = true;
    this.loaded.forEach((shortId) => {
      const id = ids[shortId] as number;
      if (!Number.isInteger(id) || id < 0) integral = false;
      else if (id > max) max = id;
    });
    if (integral && max < 4 * this.loaded.count + 65_536 && max < 0x7fffffff) {
      const dense = new Int32Array(max + 1).fill(-1);
      this.loaded.forEach((shortId) => {
        dense[ids[shortId] as number] = shortId;
      });
      this.dense = dense;
      this.denseCount = this.loaded.count;
    } else {
      this.loaded.forEach((shortId) => this.map.set(ids[shortId], shortId));
    }
  }

  private slot(id: unknown): number {
    if (!this.built) this.build();
    const { dense } = this;
    return dense !== undefined && typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < dense.length ? id : -1;
  }

  get size(): number {
    if (!this.built) this.build();
    return this.denseCount + this.map.size;
  }

  get(id: unknown): number | undefined {
    const slot = this.slot(id);
    if (slot < 0) return this.map.get(id);
    const shortId = (this.dense as Int32Array)[slot] as number;
    return shortId < 0 ? undefined : shortId;
  }

  has(id: unknown): boolean {
    return this.get(id) !== undefined;
  }

  set(id: unknown, shortId: number): this {
    const slot = this.slot(id);
    if (slot < 0) {
      this.map.set(id, shortId);
      return this;
    }
    const dense = this.dense as Int32Array;
    if ((dense[slot] as number) < 0) this.denseCount++;
    dense[slot] = shortId;
    return this;
  }

  delete(id: unknown): boolean {
    const slot = this.slot(id);
    if (slot < 0) return this.map.delete(id);
    const dense = this.dense as Int32Array;
    if ((dense[slot] as number) < 0) return false;
    dense[slot] = -1;
    this.denseCount--;
    return true;
  }

  clear(): void {
    if (!this.built) this.build();
    this.dense?.fill(-1);
    this.denseCount = 0;
    this.map.clear();
  }

  private *all(): Generator<[unknown, number], undefined> {
    if (!this.built) this.build();
    const { dense } = this;
    if (dense) for (let id = 0; id < dense.length; id++) if ((dense[id] as number) >= 0) yield [id, dense[id] as number];
    yield* this.map;
    return undefined;
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  entries(): MapIterator<[unknown, number]> {
    return this.all();
  }

  [Symbol.iterator](): MapIterator<[unknown, number]> {
    return this.all();
  }

  *keys(): MapIterator<unknown> {
    for (const [k] of this.all()) yield k;
    return undefined;
  }

  *values(): MapIterator<number> {
    for (const [, v] of this.all()) yield v;
    return undefined;
  }

  forEach(fn: (value: number, key: unknown, map: Map<unknown, number>) => void): void {
    for (const [k, v] of this.all()) fn(v, k, this);
  }
}

/** MiniSearch's _fieldLength: short id → per field, its number of distinct terms (a hole where the field had no value). */
export class PackedFieldLengths extends PackedRows<number[]> {
  constructor(
    loaded: LoadedRows,
    /** short id × field as loaded; the fast search path reads it as its dense copy (SearchScratch.lengths) */
    readonly lengths: Int32Array<ArrayBuffer>,
    readonly fieldCount: number,
  ) {
    super(loaded);
  }

  /** Whether every loaded document has a length in every field (the fast search path needs that). */
  complete(): boolean {
    const { lengths, fieldCount } = this;
    let complete = true;
    this.loaded.forEach((shortId) => {
      for (let f = 0; f < fieldCount; f++) if ((lengths[shortId * fieldCount + f] as number) < 0) complete = false;
    });
    return complete;
  }

  protected row(shortId: number): number[] {
    const { lengths, fieldCount } = this;
    const out: number[] = [];
    for (let f = 0; f < fieldCount; f++) {
      const v = lengths[shortId * fieldCount + f] as number;
      if (v >= 0) out[f] = v;
    }
    return out;
  }
}

/** MiniSearch's _storedFields: short id → the stored record (none when the index stores no fields). */
export class PackedStoredFields extends PackedRows<Record<string, unknown> | undefined> {
  constructor(
    loaded: LoadedRows,
    private readonly stored: StoredColumns | undefined,
  ) {
    // an index without stored fields has no records at all
    super(stored ? loaded : LoadedRows.none());
  }

  /** The columns as read. */
  get columns(): StoredColumns | undefined {
    return this.stored;
  }

  protected row(shortId: number): Record<string, unknown> {
    const { names, values, columns } = this.stored as StoredColumns;
    const out: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const k = (columns[c] as IndexColumn)[shortId] as number;
      if (k !== 0) out[names[c] as string] = (values[c] as unknown[])[k - 1];
    }
    return out;
  }

  /**
   * `fn` of every document's values in the fields `names` (given a record of just those), into
   * `out` by short id. Stored values recur (a million works have some tens of thousands of
   * library lists), so for the loaded rows `fn` runs once per distinct combination, not once per
   * document.
   */
  fill(out: Float64Array, names: readonly string[], fn: (record: Record<string, unknown>) => number): void {
    const stored = this.stored;
    if (stored) {
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
      this.forEachRow((shortId) => {
        out[shortId] = values[of[shortId] as number] as number;
      });
    }
    for (const [shortId, record] of this.addedEntries()) {
      const picked: Record<string, unknown> = {};
      for (const name of names) if (record && record[name] !== undefined) picked[name] = record[name];
      out[shortId] = fn(picked);
    }
  }

  /**
   * `fn` of every document's values in the fields `names` (undefined where it has none), in the
   * order the map iterates (the loaded rows ascending, then the added ones as they came), without
   * building a record per row: a walk over every document (the filters' table, facet-table.ts)
   * then reads a few typed arrays instead of making a million objects. `values` is reused from one
   * call to the next; `present` is false for an added document stored as undefined.
   */
  forEachValues(names: readonly string[], fn: (shortId: number, values: readonly unknown[], present: boolean) => void): void {
    const out: unknown[] = names.map(() => undefined);
    const stored = this.stored;
    if (stored) {
      const at = names.map((name) => stored.names.indexOf(name));
      const columns = at.map((c) => (c >= 0 ? (stored.columns[c] as IndexColumn) : undefined));
      const values = at.map((c) => (c >= 0 ? (stored.values[c] as unknown[]) : []));
      const n = names.length;
      this.forEachRow((shortId) => {
        for (let i = 0; i < n; i++) {
          const column = columns[i];
          const k = column === undefined ? 0 : (column[shortId] as number);
          out[i] = k === 0 ? undefined : (values[i] as unknown[])[k - 1];
        }
        fn(shortId, out, true);
      });
    }
    for (const [shortId, record] of this.addedEntries()) {
      for (let i = 0; i < names.length; i++) out[i] = record?.[names[i] as string];
      fn(shortId, out, record !== undefined);
    }
  }

  /** per set of columns: each loaded document's class of equal values, and the first document of each class */
  private readonly classes = new Map<string, { of: Int32Array; first: Int32Array; count: number }>();

  private classKey(names: readonly string[]): { at: number[]; key: string } | undefined {
    const stored = this.stored;
    if (!stored) return undefined;
    const at = names.map((name) => stored.names.indexOf(name)).filter((c) => c >= 0);
    return { at, key: at.join(',') };
  }

  /**
   * The classes `fill` works `names` out by (each loaded document's class, the first document of
   * each class), for saving beside the columns; undefined when the index stores no fields.
   */
  classesOf(names: readonly string[]): { of: Int32Array; first: Int32Array } | undefined {
    const k = this.classKey(names);
    if (!k) return undefined;
    let classes = this.classes.get(k.key);
    if (!classes) this.classes.set(k.key, (classes = this.combinations(k.at)));
    return { of: classes.of, first: classes.first };
  }

  /**
   * Takes classes saved by `classesOf` on the same columns. Checked for shape (every class id in
   * range, each class's first document of that class); false, and nothing taken, when they do not fit.
   */
  adoptClasses(names: readonly string[], of: Int32Array, first: Int32Array): boolean {
    const k = this.classKey(names);
    if (!k || of.length !== this.loaded.length) return false;
    const count = first.length;
    let fits = true;
    this.loaded.forEach((shortId) => {
      const c = of[shortId] as number;
      if (c < 0 || c >= count) fits = false;
    });
    for (let c = 0; c < count && fits; c++) {
      const d = first[c] as number;
      if (d >= of.length || (d >= 0 && of[d] !== c)) fits = false;
    }
    if (!fits) return false;
    this.classes.set(k.key, { of, first, count });
    return true;
  }

  /**
   * The loaded documents in classes of equal values in the columns `at`: refined one column at a
   * time, the documents walked class by class (a counting sort), a value seen again in the same
   * class joining that class's new class. Linear, no hashing.
   */
  private combinations(at: readonly number[]): { of: Int32Array; first: Int32Array; count: number } {
    const stored = this.stored as StoredColumns;
    const rows = this.loaded.length;
    let of = new Int32Array(rows);
    let count = 1;
    const present: number[] = [];
    this.loaded.forEach((shortId) => present.push(shortId));
    const order = new Int32Array(present.length);
    for (const c of at) {
      const column = stored.columns[c] as IndexColumn;
      const starts = new Int32Array(count + 1);
      for (const shortId of present) {
        const k = (of[shortId] as number) + 1;
        starts[k] = (starts[k] as number) + 1;
      }
      for (let k = 0; k < count; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
      for (const shortId of present) {
        const k = of[shortId] as number;
        order[starts[k] as number] = shortId;
        starts[k] = (starts[k] as number) + 1;
      }
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
