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

/**
 * At 1M records the maps are most of a bulk load's memory, so records are numbered densely and kept in
 * typed arrays (library, work, the next record of the same work), works in typed arrays indexed by work
 * id (first and last record, size), and each record's matching fields packed in one flat string
 * (`packView`), unpacked only when the record is a candidate.
 */
export class InMemoryDedup implements DedupLookup {
  private postings: Record<DedupKind, Map<string, Postings>> = { isbn: new Map(), id: new Map(), title: new Map() };
  private readonly ids: string[] = [];
  private libraryOf = new Uint16Array(1024);
  private workOf = new Int32Array(1024);
  /** the next record (number + 1) of the same work, in the order they joined; 0 for the last */
  private nextInWork = new Int32Array(1024);
  private views: Array<string | DedupView> = [];
  private released = false;
  private readonly libraryCodes: string[] = [];
  private readonly libraryIndex = new Map<string, number>();
  /** by work id: first and last record (number + 1, 0 for none), and size */
  private firstOf = new Int32Array(1024);
  private lastOf = new Int32Array(1024);
  private sizeOf = new Int32Array(1024);
  private works = 0;
  /** record id → number, for the records the last candidatesForKeys returned (the only ones findWorkFor asks about) */
  private lastCandidates = new Map<string, number>();

  /** Records `doc` as a member of `workId` (new works are numbered by the caller; a record is added once). */
  add(doc: RecordDocument, workId: number): void {
    if (this.released) throw new Error('in-memory dedup: add after releaseMatching');
    if (!Number.isInteger(workId) || workId < 0) throw new Error(`in-memory dedup: work id ${workId}`);
    const n = this.ids.length;
    if (n === this.workOf.length) {
      this.libraryOf = grow(this.libraryOf, n * 2);
      this.workOf = grow(this.workOf, n * 2);
      this.nextInWork = grow(this.nextInWork, n * 2);
    }
    if (workId >= this.sizeOf.length) {
      const size = Math.max(this.sizeOf.length * 2, workId + 1);
      this.firstOf = grow(this.firstOf, size);
      this.lastOf = grow(this.lastOf, size);
      this.sizeOf = grow(this.sizeOf, size);
    }
    this.ids.push(doc.id);
    this.libraryOf[n] = this.library(doc.library);
    this.workOf[n] = workId;
    this.views.push(packView(doc));
    const last = this.lastOf[workId] as number;
    if (last === 0) {
      this.firstOf[workId] = n + 1;
      this.works++;
    } else this.nextInWork[last - 1] = n + 1;
    this.lastOf[workId] = n + 1;
    this.sizeOf[workId] = (this.sizeOf[workId] as number) + 1;
    for (const kind of DEDUP_KINDS) {
      const keys = kind === 'isbn' ? doc.isbns : kind === 'id' ? doc.idKeys : doc.titleKey ? [doc.titleKey] : NONE;
      for (const key of keys) this.post(kind, key, n);
    }
  }

  /** The record ids of a work, in the order they joined it. */
  recordIdsOfWork(workId: number): string[] {
    const out: string[] = [];
    for (let r = this.firstOf[workId] ?? 0; r !== 0; r = this.nextInWork[r - 1] as number) out.push(this.ids[r - 1] as string);
    return out;
  }

  /** Every work, by id, and its records; for the summary figures. */
  workCount(): number {
    return this.works;
  }

  /** Works holding a record of this library and a record of another library. */
  sharedWorksOfLibrary(library: string): number {
    const lib = this.libraryIndex.get(library);
    if (lib === undefined) return 0;
    let n = 0;
    for (let w = 0; w < this.sizeOf.length; w++) {
      if ((this.sizeOf[w] as number) < 2) continue;
      let mine = false;
      let other = false;
      for (let r = this.firstOf[w] as number; r !== 0; r = this.nextInWork[r - 1] as number) this.libraryOf[r - 1] === lib ? (mine = true) : (other = true);
      if (mine && other) n++;
    }
    return n;
  }

  /**
   * Lets the keys and the records' matching fields go (most of the memory) once no record is to be
   * placed: the works' members and the summary figures stay.
   */
  releaseMatching(): void {
    this.released = true;
    this.postings = { isbn: new Map(), id: new Map(), title: new Map() };
    this.views = [];
    this.lastCandidates = new Map();
  }

  candidatesForKeys(keys: ReadonlyArray<readonly [KeyKind, string]>, excludeLibrary: string, limit = 101): Map<string, Candidate[]> {
    if (this.released) throw new Error('in-memory dedup: candidatesForKeys after releaseMatching');
    const out = new Map<string, Candidate[]>();
    this.lastCandidates = new Map();
    const excluded = this.libraryIndex.get(excludeLibrary) ?? -1;
    for (const [kind, key] of keys) {
      const p = (this.postings as Partial<Record<KeyKind, Map<string, Postings>>>)[kind]?.get(key);
      if (p === undefined) continue;
      const list: Candidate[] = [];
      for (const n of typeof p === 'number' ? [p] : p) {
        if (this.libraryOf[n] === excluded) continue;
        const recordId = this.ids[n] as string;
        this.lastCandidates.set(recordId, n);
        list.push({ recordId, library: this.libraryCodes[this.libraryOf[n] as number] as string, workId: this.workOf[n] as number });
        if (list.length >= limit) break;
      }
      if (list.length > 0) out.set(`${kind}\u0000${key}`, list);
    }
    return out;
  }

  workHasLibrary(workId: number, library: string, exceptRecord = ''): boolean {
    const lib = this.libraryIndex.get(library);
    if (lib === undefined) return false;
    for (let r = this.firstOf[workId] ?? 0; r !== 0; r = this.nextInWork[r - 1] as number) {
      if (this.libraryOf[r - 1] === lib && this.ids[r - 1] !== exceptRecord) return true;
    }
    return false;
  }

  /** The matching fields of a record the last candidatesForKeys returned (findWorkFor asks about no other). */
  storedRecordDoc(id: string): DedupView | undefined {
    const n = this.lastCandidates.get(id);
    if (n === undefined) return undefined;
    const v = this.views[n] as string | DedupView;
    return typeof v === 'string' ? unpackView(v) : v;
  }

  workSize(workId: number): number {
    return this.sizeOf[workId] ?? 0;
  }

  private library(code: string): number {
    let i = this.libraryIndex.get(code);
    if (i === undefined) {
      i = this.libraryCodes.length;
      if (i > 0xffff) throw new Error('in-memory dedup: more than 65,536 libraries');
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

function grow<T extends Uint16Array | Int32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
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

const FIELD = '\u0001';
const ITEM = '\u0002';

/**
 * The fields matchRecords reads, and no more, packed in one flat string (a bulk load keeps one per
 * record): format, ISBNs, unique ids, ISSNs, series ISSNs, series numbers, title (matchRecords compares
 * its first 255 characters only), first author's name, year, pages, edition, part, author key. Absent
 * optional fields are packed as '' (matchRecords treats them alike). A record whose fields hold the
 * separators, an empty list item or a year or page count that is not an integer is kept as an object.
 */
export function packView(doc: RecordDocument): string | DedupView {
  const lists = [doc.isbns, doc.idKeys, doc.issns, doc.seriesIssns, doc.seriesNumbers];
  const title = doc.titleNorm.length > 255 ? doc.titleNorm.slice(0, 255) : doc.titleNorm;
  const strings = [doc.format, title, doc.authors[0]?.name ?? '', doc.edition ?? '', doc.partNumber ?? '', doc.authorNorm ?? ''];
  const plain =
    strings.every(clean) &&
    lists.every((l) => l.every((v) => v !== '' && clean(v))) &&
    (doc.year === undefined || Number.isSafeInteger(doc.year)) &&
    (doc.pageCount === undefined || Number.isSafeInteger(doc.pageCount));
  if (!plain) return viewOf(doc, title);
  // join builds a flat string: no slices or concatenations holding on to the document's strings
  return [
    doc.format, ...lists.map((l) => l.join(ITEM)), title, doc.authors[0]?.name ?? '',
    doc.year === undefined ? '' : String(doc.year), doc.pageCount === undefined ? '' : String(doc.pageCount),
    doc.edition ?? '', doc.partNumber ?? '', doc.authorNorm ?? '',
  ].join(FIELD);
}

export function unpackView(packed: string): DedupView {
  const [format = '', isbns = '', idKeys = '', issns = '', seriesIssns = '', seriesNumbers = '', titleNorm = '', author = '', year = '', pages = '', edition = '', partNumber = '', authorNorm = ''] =
    packed.split(FIELD);
  const list = (s: string): string[] => (s === '' ? [] : s.split(ITEM));
  return {
    format, isbns: list(isbns), idKeys: list(idKeys), issns: list(issns), seriesIssns: list(seriesIssns), seriesNumbers: list(seriesNumbers),
    titleNorm, authors: [{ name: author }],
    ...(year !== '' ? { year: Number(year) } : {}),
    ...(pages !== '' ? { pageCount: Number(pages) } : {}),
    ...(edition !== '' ? { edition } : {}),
    ...(partNumber !== '' ? { partNumber } : {}),
    ...(authorNorm !== '' ? { authorNorm } : {}),
  };
}

function clean(s: string): boolean {
  return !s.includes(FIELD) && !s.includes(ITEM);
}

function viewOf(doc: RecordDocument, title: string): DedupView {
  const first = doc.authors[0];
  return {
    format: doc.format, isbns: [...doc.isbns], idKeys: [...doc.idKeys], issns: [...doc.issns], seriesIssns: [...doc.seriesIssns],
    seriesNumbers: [...doc.seriesNumbers], titleNorm: title, authors: first ? [{ name: first.name }] : NONE,
    ...(doc.year !== undefined ? { year: doc.year } : {}),
    ...(doc.pageCount !== undefined ? { pageCount: doc.pageCount } : {}),
    ...(doc.edition !== undefined ? { edition: doc.edition } : {}),
    ...(doc.partNumber !== undefined ? { partNumber: doc.partNumber } : {}),
    ...(doc.authorNorm !== undefined ? { authorNorm: doc.authorNorm } : {}),
  };
}
