/**
 * Deduplication in memory for the bulk path (issue 22, item 3): the ISBN, unique-id and title-key
 * lists of every record placed so far, each record's library, work and the few fields the
 * confirmation rules read, and each work's members, in maps and arrays instead of SQLite queries.
 *
 * It answers findWorkFor's questions (DedupLookup) exactly as the catalog store answers them during a
 * per-record load, so the same function, with the same rules, vetoes and tie-breaking, gives the same
 * works: candidates of other libraries per key in record id order (SQLite's byte order), at most the
 * limit; a work's size as the store last saved it. The store saves a work's size at the end of each
 * batch; within a batch only records of the batch's library join works, and a work holding a record
 * of that library is never a candidate, so every work findWorkFor asks the size of has not changed
 * since its last save: the live size here is the saved one.
 */
import type { Candidate, KeyKind } from '../catalog/catalog-store.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import type { DedupLookup } from './assign-work.ts';
import type { DedupView } from './dedup-match.ts';

/** The kinds of key deduplication looks records up by (DEDUP_KEY_ORDER). */
const DEDUP_KINDS = ['isbn', 'id', 'title'] as const;
type DedupKind = (typeof DEDUP_KINDS)[number];

const NONE: readonly never[] = Object.freeze([]);

/** A key's records (numbers into the record arrays), sorted by record id; one record kept bare. */
type Postings = number | number[];

export class InMemoryDedup implements DedupLookup {
  private readonly postings: Record<DedupKind, Map<string, Postings>> = { isbn: new Map(), id: new Map(), title: new Map() };
  private readonly recordNumber = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly libraryOf: number[] = [];
  private readonly workOf: number[] = [];
  private readonly views: DedupView[] = [];
  private readonly libraryCodes: string[] = [];
  private readonly libraryIndex = new Map<string, number>();
  /** work id → its records (numbers), in the order they joined */
  private readonly members = new Map<number, Postings>();

  /** Records `doc` as a member of `workId` (new works are numbered by the caller). */
  add(doc: RecordDocument, workId: number): void {
    const n = this.ids.length;
    if (this.recordNumber.has(doc.id)) throw new Error(`in-memory dedup: record ${doc.id} placed twice`);
    this.recordNumber.set(doc.id, n);
    this.ids.push(doc.id);
    this.libraryOf.push(this.library(doc.library));
    this.workOf.push(workId);
    this.views.push(viewOf(doc));
    const had = this.members.get(workId);
    this.members.set(workId, had === undefined ? n : typeof had === 'number' ? [had, n] : (had.push(n), had));
    for (const kind of DEDUP_KINDS) {
      const keys = kind === 'isbn' ? doc.isbns : kind === 'id' ? doc.idKeys : doc.titleKey ? [doc.titleKey] : NONE;
      for (const key of keys) this.post(kind, key, n);
    }
  }

  /** The record ids of a work, in the order they joined it. */
  recordIdsOfWork(workId: number): string[] {
    const m = this.members.get(workId);
    if (m === undefined) return [];
    return typeof m === 'number' ? [this.ids[m] as string] : m.map((n) => this.ids[n] as string);
  }

  /** Every work, by id, and its records; for the summary figures. */
  workCount(): number {
    return this.members.size;
  }

  /** Works holding a record of this library and a record of another library. */
  sharedWorksOfLibrary(library: string): number {
    const lib = this.libraryIndex.get(library);
    if (lib === undefined) return 0;
    let n = 0;
    for (const m of this.members.values()) {
      if (typeof m === 'number') continue;
      let mine = false;
      let other = false;
      for (const r of m) (this.libraryOf[r] === lib ? (mine = true) : (other = true));
      if (mine && other) n++;
    }
    return n;
  }

  candidatesForKeys(keys: ReadonlyArray<readonly [KeyKind, string]>, excludeLibrary: string, limit = 101): Map<string, Candidate[]> {
    const out = new Map<string, Candidate[]>();
    const excluded = this.libraryIndex.get(excludeLibrary) ?? -1;
    for (const [kind, key] of keys) {
      const p = (this.postings as Partial<Record<KeyKind, Map<string, Postings>>>)[kind]?.get(key);
      if (p === undefined) continue;
      const list: Candidate[] = [];
      for (const n of typeof p === 'number' ? [p] : p) {
        if (this.libraryOf[n] === excluded) continue;
        list.push({ recordId: this.ids[n] as string, library: this.libraryCodes[this.libraryOf[n] as number] as string, workId: this.workOf[n] as number });
        if (list.length >= limit) break;
      }
      if (list.length > 0) out.set(`${kind}\u0000${key}`, list);
    }
    return out;
  }

  workHasLibrary(workId: number, library: string, exceptRecord = ''): boolean {
    const lib = this.libraryIndex.get(library);
    const m = this.members.get(workId);
    if (lib === undefined || m === undefined) return false;
    for (const n of typeof m === 'number' ? [m] : m) if (this.libraryOf[n] === lib && this.ids[n] !== exceptRecord) return true;
    return false;
  }

  storedRecordDoc(id: string): DedupView | undefined {
    const n = this.recordNumber.get(id);
    return n === undefined ? undefined : this.views[n];
  }

  workSize(workId: number): number {
    const m = this.members.get(workId);
    return m === undefined ? 0 : typeof m === 'number' ? 1 : m.length;
  }

  private library(code: string): number {
    let i = this.libraryIndex.get(code);
    if (i === undefined) {
      i = this.libraryCodes.length;
      this.libraryCodes.push(code);
      this.libraryIndex.set(code, i);
    }
    return i;
  }

  /** Adds record `n` to a key's list, kept in record id order; a key listed twice by one record counts once. */
  private post(kind: DedupKind, key: string, n: number): void {
    const map = this.postings[kind];
    const had = map.get(key);
    if (had === undefined) {
      map.set(key, n);
      return;
    }
    const list = typeof had === 'number' ? [had] : had;
    if (list.includes(n)) return;
    const id = this.ids[n] as string;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.ids[list[mid] as number] as string, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, n);
    if (typeof had === 'number') map.set(key, list);
  }
}

/**
 * Compares two strings as SQLite compares TEXT (BINARY: the bytes of their UTF-8), which is code point
 * order; JavaScript's `<` compares UTF-16 code units, which differs only between a surrogate and
 * U+E000…U+FFFF.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** The fields matchRecords reads, and no more (a bulk load keeps one per record). */
function viewOf(doc: RecordDocument): DedupView {
  const first = doc.authors[0];
  return {
    format: doc.format,
    isbns: shared(doc.isbns),
    idKeys: shared(doc.idKeys),
    issns: shared(doc.issns),
    seriesIssns: shared(doc.seriesIssns),
    seriesNumbers: shared(doc.seriesNumbers),
    // matchRecords compares the first 255 characters only
    titleNorm: doc.titleNorm.length > 255 ? doc.titleNorm.slice(0, 255) : doc.titleNorm,
    authors: first ? [{ name: first.name }] : NONE,
    ...(doc.year !== undefined ? { year: doc.year } : {}),
    ...(doc.pageCount !== undefined ? { pageCount: doc.pageCount } : {}),
    ...(doc.edition !== undefined ? { edition: doc.edition } : {}),
    ...(doc.partNumber !== undefined ? { partNumber: doc.partNumber } : {}),
    ...(doc.authorNorm !== undefined ? { authorNorm: doc.authorNorm } : {}),
  };
}

function shared(values: readonly string[]): string[] {
  return values.length === 0 ? (NONE as never[]) : (values as string[]);
}
