/**
 * The persisted works index (works-index.bin): binary sections that load without parsing. The
 * file is read into one buffer and each section becomes a typed array over it — the term tree,
 * the postings, the field lengths, the stored-field columns — behind MiniSearch's own maps
 * (frozen-term-index.ts, packed-documents.ts). Nothing is rebuilt per term or per document, so a
 * million-record index loads in a fraction of a second and takes a few bytes per posting.
 *
 * Layout (native byte order, recorded; every section starts on an 8-byte boundary):
 *   "JALAIDX\n" · sections … · footer JSON · u32 footer length · u32 CRC-32 of the footer · "JALAEND\n"
 * The footer names the format and its version, what the caller saved with it (`label`), MiniSearch's
 * counters, field ids and average field lengths, and each section's type, offset, length and CRC-32.
 * A file that is cut, changed or of another format version is refused whole.
 *
 * The format does not depend on what the terms are or how they were analysed (that is
 * index-options' INDEX_VERSION, recorded by the caller): any MiniSearch index with numeric ids
 * and JSON-representable stored fields round-trips.
 */
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import MiniSearch, { type Options } from 'minisearch';
import { z } from 'zod';
import { LoadedRows, PackedDocumentIds, PackedFieldLengths, PackedIdLookup, PackedStoredFields, type IndexColumn, type StoredColumns } from './packed-documents.ts';
import { FrozenTermIndex, termSectionsProblem, type TermSections } from './frozen-term-index.ts';
import { IntList } from './int-list.ts';
import { FileShrankError, readChecked } from './checked-file-read.ts';
import { internalsOf, radixTreeOf, type FieldTermData, type MiniSearchInternals, type RadixNode } from './minisearch-internals.ts';
import { PackedPostings, type FrequencyArray, type Postings } from './packed-postings.ts';

export const INDEX_FILE_FORMAT = 'jala-works-index';
/**
 * Bump when the layout changes: a file of another version is not read (the index is rebuilt).
 * 2: derived sections (`derived.*`: tables a caller works out from the stored fields, saved so that
 * a start does not work them out again). Version 1 files are still read: they have none.
 */
export const INDEX_FILE_VERSION = 2;
/** versions this code reads */
const READABLE_VERSIONS: readonly number[] = [1, 2];
const DERIVED = 'derived.';

const HEAD = Buffer.from('JALAIDX\n', 'latin1');
const TAIL = Buffer.from('JALAEND\n', 'latin1');
const LITTLE_ENDIAN = os.endianness() === 'LE';

type SectionType = 'u8' | 'u16' | 'u32' | 'i16' | 'i32' | 'f64' | 'json';
export type NumericArray = Uint8Array | Uint16Array | Uint32Array | Int16Array | Int32Array | Float64Array;
const ELEMENT_BYTES: Record<SectionType, number> = { u8: 1, u16: 2, u32: 4, i16: 2, i32: 4, f64: 8, json: 1 };

/** A derived section: a typed array, or a JSON value. */
export type DerivedSection = NumericArray | { json: unknown };

function typeOf(array: NumericArray): SectionType {
  if (array instanceof Uint8Array) return 'u8';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Int16Array) return 'i16';
  if (array instanceof Int32Array) return 'i32';
  return 'f64';
}

const SectionEntry = z.object({
  type: z.enum(['u8', 'u16', 'u32', 'i16', 'i32', 'f64', 'json']),
  offset: z.number().int().nonnegative(),
  /** elements (bytes for json) */
  length: z.number().int().nonnegative(),
  crc32: z.number().int().nonnegative(),
});
type SectionEntry = z.infer<typeof SectionEntry>;

const Footer = z.object({
  format: z.literal(INDEX_FILE_FORMAT),
  version: z.number().int(),
  littleEndian: z.boolean(),
  label: z.unknown(),
  documentCount: z.number().int().nonnegative(),
  nextId: z.number().int().nonnegative(),
  fieldIds: z.record(z.string(), z.number().int().nonnegative()),
  averageFieldLength: z.array(z.number().nullable()),
  /** stored field names, in storeFields order; null when the index stores none */
  storedFields: z.array(z.string()).nullable(),
  sections: z.record(z.string(), SectionEntry),
});
type Footer = z.infer<typeof Footer>;

/** Why an index file was refused; MiniSearchIndex.load treats every one as "rebuild". */
export class IndexFileError extends Error {
  constructor(
    readonly code: 'search/index-file-unreadable' | 'search/index-file-corrupt' | 'search/index-file-other-version' | 'search/index-not-writable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IndexFileError';
  }
}

export interface WriteIndexOptions {
  /** saved in the footer and returned by readIndexFile (the caller's catalog, seq, versions) */
  label: unknown;
  /**
   * 'reinserted' (saving): each tree node's keys in the order SearchableMap builds when the terms
   * are set again in iteration order — the tree Jala's JSON-lines file loaded into, so expansion
   * orders, and with them answers, are what they were. 'kept': the tree exactly as it is (an index
   * read from a JSON-lines file already is that tree).
   */
  treeOrder: 'reinserted' | 'kept';
  /**
   * Tables worked out from the documents as they are written (the stored-field columns, the field
   * lengths by short id × field, `nextId`), saved as sections and given back by readIndexFile as `derived`: what a start would otherwise
   * work out again. Names are the caller's.
   */
  derive?: (written: WrittenDocuments) => Record<string, DerivedSection>;
}

/** The document tables as writeIndexFile writes them (what `derive` works from). */
export interface WrittenDocuments {
  stored: PackedStoredFields;
  nextId: number;
  /** short id × field; -1 where a document has no length in a field */
  fieldLengths: Int32Array;
  fieldCount: number;
}

/**
 * Writes `mini` to `file` (the caller renames it into place) and flushes it to disk. The index must
 * be vacuumed (no discarded documents left in the postings): MiniSearchIndex.save sees to that.
 */
export function writeIndexFile(mini: MiniSearch<any>, file: string, opts: WriteIndexOptions): void {
  const m = internalsOf(mini);
  if (m._dirtCount !== 0) throw new IndexFileError('search/index-not-writable', 'the index has discarded documents not yet vacuumed');
  const out = new SectionFile(file);
  try {
    const fieldCount = Object.keys(m._fieldIds).length;
    if (fieldCount > 256) throw new IndexFileError('search/index-not-writable', `${fieldCount} fields: the file keeps field ids in a byte`);
    writeTerms(out, m, opts.treeOrder);
    const { names: storedFields, stored, fieldLengths } = writeDocuments(out, m, fieldCount);
    if (opts.derive) {
      for (const [name, value] of Object.entries(opts.derive({ stored, nextId: m._nextId, fieldLengths, fieldCount }))) {
        if (ArrayBuffer.isView(value)) out.array(DERIVED + name, typeOf(value), value);
        else out.json(DERIVED + name, value.json);
      }
    }
    out.finish({
      format: INDEX_FILE_FORMAT,
      version: INDEX_FILE_VERSION,
      littleEndian: LITTLE_ENDIAN,
      label: opts.label,
      documentCount: m._documentCount,
      nextId: m._nextId,
      fieldIds: m._fieldIds,
      averageFieldLength: Array.from(m._avgFieldLength, (v) => (v === undefined ? null : v)),
      storedFields,
      sections: out.sections,
    });
  } catch (err) {
    out.abandon();
    throw err;
  }
}

// ------------------------------------------------------------------------------------------ writing

/** A file of aligned sections written front to back, each with its CRC-32; the footer last. */
class SectionFile {
  readonly sections: Record<string, SectionEntry> = {};
  private readonly fd: number;
  private at = 0;
  private current: (SectionEntry & { name: string }) | undefined;

  constructor(file: string) {
    try {
      this.fd = fs.openSync(file, 'w');
    } catch (cause) {
      throw new IndexFileError('search/index-not-writable', `cannot write ${file}: ${(cause as Error).message}`, { cause });
    }
    this.raw(HEAD);
  }

  private raw(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    this.at += bytes.length;
  }

  begin(name: string, type: SectionType): void {
    const pad = (8 - (this.at % 8)) % 8;
    if (pad > 0) this.raw(new Uint8Array(pad));
    this.current = { name, type, offset: this.at, length: 0, crc32: 0 };
  }

  /** appends elements to the open section */
  chunk(array: NumericArray | Uint8Array): void {
    const s = this.current as SectionEntry;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    s.crc32 = zlib.crc32(bytes, s.crc32);
    this.raw(bytes);
    s.length += array.length;
  }

  end(): void {
    const { name, ...entry } = this.current as SectionEntry & { name: string };
    this.sections[name] = entry;
    this.current = undefined;
  }

  array(name: string, type: SectionType, array: NumericArray): void {
    this.begin(name, type);
    this.chunk(array);
    this.end();
  }

  json(name: string, value: unknown): void {
    this.begin(name, 'json');
    this.chunk(Buffer.from(JSON.stringify(value), 'utf8'));
    this.end();
  }

  finish(footer: Footer): void {
    const json = Buffer.from(JSON.stringify(footer), 'utf8');
    this.raw(json);
    const sizes = Buffer.alloc(8);
    sizes.writeUInt32LE(json.length, 0);
    sizes.writeUInt32LE(zlib.crc32(json), 4);
    this.raw(sizes);
    this.raw(TAIL);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** The dictionary sections (everything but the postings) of a tree and, for a live tree, each term's data in term order. */
interface Dictionary {
  nodeEdges: Uint32Array;
  edgeLabels: Uint32Array;
  labelChars: Uint16Array;
  edgeTargets: Int32Array;
}

function writeTerms(out: SectionFile, m: MiniSearchInternals, treeOrder: WriteIndexOptions['treeOrder']): void {
  const reverse = treeOrder === 'reinserted';
  if (m._index instanceof FrozenTermIndex) {
    const s = m._index.sections;
    const dictionary = reverse ? reversedDictionary(s) : s;
    writeDictionary(out, dictionary);
    out.array('termPairs', 'u32', s.termPairs);
    out.array('pairFields', 'u8', s.pairFields);
    out.array('pairPostings', 'u32', s.pairPostings);
    out.array('postingIds', 'i32', s.postingIds);
    out.array('postingTfs', frequencyType(s.postingTfs), s.postingTfs);
    return;
  }
  const tree = radixTreeOf(m._index);
  if (!tree) throw new IndexFileError('search/index-not-writable', 'the term index is neither a SearchableMap nor a frozen index');
  const { dictionary, termData } = treeDictionary(tree, reverse);
  writeDictionary(out, dictionary);
  writePostings(out, termData);
}

function writeDictionary(out: SectionFile, d: Dictionary): void {
  out.array('nodeEdges', 'u32', d.nodeEdges);
  out.array('edgeLabels', 'u32', d.edgeLabels);
  out.array('labelChars', 'u16', d.labelChars);
  out.array('edgeTargets', 'i32', d.edgeTargets);
}

/**
 * A live radix tree as sections: nodes numbered breadth first (children after their parents),
 * each node's edges together, in its key order or reversed.
 */
function treeDictionary(root: RadixNode, reverse: boolean): { dictionary: Dictionary; termData: FieldTermData[] } {
  const nodeEdges = new IntList(1024);
  const edgeLabels = new IntList(1024);
  const edgeTargets = new IntList(1024);
  const labelChars = new IntList(4096);
  const termData: FieldTermData[] = [];
  const queue: Array<RadixNode | undefined> = [root];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q] as RadixNode;
    queue[q] = undefined;
    nodeEdges.push(edgeTargets.length);
    const entries = [...node];
    if (reverse) entries.reverse();
    for (const [label, child] of entries) {
      edgeLabels.push(labelChars.length);
      if (label === '') {
        edgeTargets.push(-termData.length - 1);
        termData.push(child as FieldTermData);
      } else {
        edgeTargets.push(queue.length);
        queue.push(child as RadixNode);
        for (let i = 0; i < label.length; i++) labelChars.push(label.charCodeAt(i));
      }
    }
  }
  nodeEdges.push(edgeTargets.length);
  edgeLabels.push(labelChars.length);
  return {
    dictionary: {
      nodeEdges: Uint32Array.from(nodeEdges.data.subarray(0, nodeEdges.length)),
      edgeLabels: Uint32Array.from(edgeLabels.data.subarray(0, edgeLabels.length)),
      labelChars: Uint16Array.from(labelChars.data.subarray(0, labelChars.length)),
      edgeTargets: edgeTargets.data.slice(0, edgeTargets.length),
    },
    termData,
  };
}

/** A frozen tree's dictionary with each node's edges reversed (node and term numbers stay). */
function reversedDictionary(s: TermSections): Dictionary {
  const nodes = s.nodeEdges.length - 1;
  const edgeLabels = new Uint32Array(s.edgeLabels.length);
  const edgeTargets = new Int32Array(s.edgeTargets.length);
  const labelChars = new Uint16Array(s.labelChars.length);
  let e = 0;
  let c = 0;
  for (let node = 0; node < nodes; node++) {
    for (let from = (s.nodeEdges[node + 1] as number) - 1; from >= (s.nodeEdges[node] as number); from--) {
      edgeLabels[e] = c;
      edgeTargets[e] = s.edgeTargets[from] as number;
      for (let i = s.edgeLabels[from] as number; i < (s.edgeLabels[from + 1] as number); i++) labelChars[c++] = s.labelChars[i] as number;
      e++;
    }
  }
  edgeLabels[e] = c;
  return { nodeEdges: s.nodeEdges, edgeLabels, labelChars, edgeTargets };
}

function frequencyType(tfs: FrequencyArray): SectionType {
  return tfs instanceof Uint8Array ? 'u8' : tfs instanceof Uint16Array ? 'u16' : 'u32';
}

/** Each term's (field, postings) pairs, then the postings: ids ascending (as MiniSearch's JSON always loaded them), then frequencies. */
function writePostings(out: SectionFile, termData: readonly FieldTermData[]): void {
  const termPairs = new Uint32Array(termData.length + 1);
  const pairFields = new IntList(1024);
  const pairPostings: number[] = [0];
  let postings = 0;
  for (let t = 0; t < termData.length; t++) {
    termPairs[t] = pairFields.length;
    for (const [fieldId, list] of termData[t] as FieldTermData) {
      pairFields.push(fieldId);
      postings += list.size;
      pairPostings.push(postings);
    }
  }
  termPairs[termData.length] = pairFields.length;
  if (postings > 0xffffffff) throw new IndexFileError('search/index-not-writable', `${postings} postings: more than the file's 32-bit offsets hold`);
  out.array('termPairs', 'u32', termPairs);
  out.array('pairFields', 'u8', Uint8Array.from(pairFields.data.subarray(0, pairFields.length)));
  out.array('pairPostings', 'u32', Uint32Array.from(pairPostings));

  const CHUNK = 1 << 16;
  const ids: number[] = [];
  const tfs: number[] = [];
  /** one changed list's ids and frequencies, ascending by id */
  const listOf = (list: Postings): void => {
    ids.length = 0;
    tfs.length = 0;
    let ascending = true;
    list.forEach((tf: number, docId: number) => {
      if (ids.length > 0 && docId < (ids[ids.length - 1] as number)) ascending = false;
      ids.push(docId);
      tfs.push(tf);
    });
    if (!ascending) {
      const order = ids.map((_, i) => i).sort((a, b) => (ids[a] as number) - (ids[b] as number));
      const sortedIds = order.map((i) => ids[i] as number);
      const sortedTfs = order.map((i) => tfs[i] as number);
      ids.splice(0, ids.length, ...sortedIds);
      tfs.splice(0, tfs.length, ...sortedTfs);
    }
  };
  /** Streams one of the two arrays, list after list: packed lists copied as they are, changed ones ascending. */
  const pass = (name: string, type: SectionType, buffer: Int32Array | FrequencyArray, pick: 'ids' | 'tfs'): void => {
    let used = 0;
    const put = (values: Int32Array | FrequencyArray | readonly number[]): void => {
      let from = 0;
      while (from < values.length) {
        const n = Math.min(values.length - from, CHUNK - used);
        if (ArrayBuffer.isView(values)) buffer.set(values.subarray(from, from + n), used);
        else for (let i = 0; i < n; i++) buffer[used + i] = values[from + i] as number;
        used += n;
        from += n;
        if (used === CHUNK) {
          out.chunk(buffer);
          used = 0;
        }
      }
    };
    out.begin(name, type);
    for (const data of termData) {
      for (const list of data.values()) {
        const packed = list instanceof PackedPostings ? list.packed() : undefined;
        if (packed) put(packed[pick]);
        else {
          listOf(list);
          put(pick === 'ids' ? ids : tfs);
        }
      }
    }
    if (used > 0) out.chunk(buffer.subarray(0, used));
    out.end();
  };
  pass('postingIds', 'i32', new Int32Array(CHUNK), 'ids');
  // the largest frequency decides the frequencies' width
  let maxTf = 0;
  for (const data of termData) {
    for (const list of data.values()) {
      const packed = list instanceof PackedPostings ? list.packed() : undefined;
      if (packed) {
        for (const tf of packed.tfs) if (tf > maxTf) maxTf = tf;
      } else {
        list.forEach((tf: number) => {
          if (tf > maxTf) maxTf = tf;
        });
      }
    }
  }
  const tfType: SectionType = maxTf <= 0xff ? 'u8' : maxTf <= 0xffff ? 'u16' : 'u32';
  const tfBuffer = tfType === 'u8' ? new Uint8Array(CHUNK) : tfType === 'u16' ? new Uint16Array(CHUNK) : new Uint32Array(CHUNK);
  pass('postingTfs', tfType, tfBuffer, 'tfs');
}

/** Whether JSON gives `value` back as it is (finite numbers, no undefined inside). */
function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((v) => v !== undefined && jsonExact(v));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as object).every((v) => v !== undefined && jsonExact(v));
  }
  return false;
}

/** Document ids, field lengths and stored-field columns, by short id. Returns the stored field names and the columns as written. */
function writeDocuments(out: SectionFile, m: MiniSearchInternals, fieldCount: number): { names: string[] | null; stored: PackedStoredFields; fieldLengths: Int32Array } {
  if (
    m._documentIds instanceof PackedDocumentIds &&
    m._fieldLength instanceof PackedFieldLengths &&
    m._storedFields instanceof PackedStoredFields &&
    m._documentIds.unchanged &&
    m._fieldLength.unchanged &&
    m._storedFields.unchanged
  ) {
    // unchanged since loading: the sections as they were read
    const stored = m._storedFields.columns;
    out.array('documentIds', 'f64', m._documentIds.ids);
    out.array('fieldLengths', 'i32', m._fieldLength.lengths);
    if (!stored) return { names: null, stored: m._storedFields, fieldLengths: m._fieldLength.lengths };
    out.json('storedValues', stored.values);
    stored.columns.forEach((column, c) => out.array(`stored.${c}`, column instanceof Uint8Array ? 'u8' : column instanceof Uint16Array ? 'u16' : 'u32', column));
    return { names: stored.names, stored: m._storedFields, fieldLengths: m._fieldLength.lengths };
  }
  const rows = m._nextId;
  const ids = new Float64Array(rows).fill(Number.NaN);
  const lengths = new Int32Array(rows * fieldCount).fill(-1);
  const storeFields = ((m._options.storeFields as string[] | undefined) ?? []).slice();
  const names = storeFields.length > 0 ? storeFields : null;
  const columns = (names ?? []).map(() => new Uint32Array(rows));
  const values = (names ?? []).map(() => [] as unknown[]);
  // a value's number by its JSON, and by the value itself (the same arrays recur: the builder shares them)
  const byJson = (names ?? []).map(() => new Map<string, number>());
  const byValue = (names ?? []).map(() => new Map<unknown, number>());
  let documents = 0;
  for (const [shortId, id] of m._documentIds) {
    if (typeof id !== 'number' || !Number.isInteger(shortId) || shortId < 0 || shortId >= rows) {
      throw new IndexFileError('search/index-not-writable', `document ${String(id)} (short id ${shortId}): the file keeps numeric ids below nextId`);
    }
    documents++;
    ids[shortId] = id;
    const fieldLengths = m._fieldLength.get(shortId) ?? [];
    for (let f = 0; f < fieldCount; f++) {
      const v = fieldLengths[f];
      if (v === undefined) continue;
      if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new IndexFileError('search/index-not-writable', `field length ${v} of short id ${shortId}`);
      lengths[shortId * fieldCount + f] = v;
    }
    const stored = m._storedFields.get(shortId);
    if ((stored !== undefined) !== (names !== null)) {
      throw new IndexFileError('search/index-not-writable', `short id ${shortId} ${names ? 'has no stored fields' : 'has stored fields the index does not declare'}`);
    }
    if (!stored || !names) continue;
    let found = 0;
    for (let c = 0; c < names.length; c++) {
      const value = stored[names[c] as string];
      if (value === undefined) continue;
      found++;
      let k = (byValue[c] as Map<unknown, number>).get(value);
      if (k === undefined) {
        const json = JSON.stringify(value);
        k = (byJson[c] as Map<string, number>).get(json);
        if (k === undefined) {
          if (!jsonExact(value)) throw new IndexFileError('search/index-not-writable', `stored ${names[c]} ${json} does not survive JSON`);
          (values[c] as unknown[]).push(value);
          k = (values[c] as unknown[]).length;
          (byJson[c] as Map<string, number>).set(json, k);
        }
        (byValue[c] as Map<unknown, number>).set(value, k);
      }
      (columns[c] as Uint32Array)[shortId] = k;
    }
    if (Object.keys(stored).length !== found) throw new IndexFileError('search/index-not-writable', `short id ${shortId} stores a field not among storeFields`);
  }
  if (documents !== m._documentCount) throw new IndexFileError('search/index-not-writable', `${documents} document ids for ${m._documentCount} documents`);
  out.array('documentIds', 'f64', ids);
  out.array('fieldLengths', 'i32', lengths);
  let written: StoredColumns | undefined;
  if (names) {
    out.json('storedValues', values);
    const narrow = names.map((_, c): IndexColumn => {
      const column = columns[c] as Uint32Array;
      const distinct = (values[c] as unknown[]).length;
      const n = distinct <= 0xff ? Uint8Array.from(column) : distinct <= 0xffff ? Uint16Array.from(column) : column;
      out.array(`stored.${c}`, n instanceof Uint8Array ? 'u8' : n instanceof Uint16Array ? 'u16' : 'u32', n);
      return n;
    });
    written = { names, values, columns: narrow };
  }
  return { names, stored: new PackedStoredFields(new LoadedRows(ids), written), fieldLengths: lengths };
}

// ------------------------------------------------------------------------------------------ reading

/** What readIndexFile puts behind MiniSearch: the frozen term tree (`thawIndex` swaps it for a SearchableMap) and the document tables. */
export interface LoadedParts {
  terms: FrozenTermIndex;
  documentIds: PackedDocumentIds;
  idToShortId: PackedIdLookup;
  fieldLengths: PackedFieldLengths;
  storedFields: PackedStoredFields;
}

export interface LoadedIndexFile<T> {
  mini: MiniSearch<T>;
  label: unknown;
  parts: LoadedParts;
  /** the file's format version (an older one than INDEX_FILE_VERSION: worth writing again) */
  version: number;
  /** the sections `derive` wrote, by name (none in a version 1 file); JSON ones as `{ json }` */
  derived: Record<string, DerivedSection>;
}

/** Reads a file written by writeIndexFile; throws IndexFileError when it is not one, is cut short or does not check out. */
export function readIndexFile<T>(file: string, options: Options<T>, how: { parallelFrom?: number } = {}): LoadedIndexFile<T> {
  const corrupt = (why: string): IndexFileError => new IndexFileError('search/index-file-corrupt', `${file}: ${why}`);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (cause) {
    throw new IndexFileError('search/index-file-unreadable', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  // the footer first (it says where the sections are), then the whole file with every section's
  // CRC-32 (on both cores when it is large: checked-file-read.ts)
  // a SharedArrayBuffer when two threads read it: typed arrays over it behave alike, so typed as one
  let buffer: ArrayBuffer;
  let footer: Footer;
  let footerStart: number;
  const sectionCrc = new Map<string, number>();
  try {
    const size = fs.fstatSync(fd).size;
    if (size < HEAD.length + 8 + TAIL.length) throw corrupt('not a Jala index file, or cut short');
    const end = readAt(fd, size - TAIL.length - 8, 8 + TAIL.length);
    if (!TAIL.equals(end.subarray(8))) throw corrupt('not a Jala index file, or cut short');
    const footerLength = end.readUInt32LE(0);
    footerStart = size - TAIL.length - 8 - footerLength;
    if (footerStart < HEAD.length) throw corrupt('footer out of bounds');
    const footerBytes = readAt(fd, footerStart, footerLength);
    if (zlib.crc32(footerBytes) !== end.readUInt32LE(4)) throw corrupt('footer checksum mismatch');
    try {
      const raw = JSON.parse(footerBytes.toString('utf8')) as { version?: unknown };
      if (typeof raw.version !== 'number' || !READABLE_VERSIONS.includes(raw.version)) {
        throw new IndexFileError('search/index-file-other-version', `${file}: index file version ${String(raw.version)}, this Jala reads ${READABLE_VERSIONS.join(' and ')}`);
      }
      footer = Footer.parse(raw);
    } catch (cause) {
      if (cause instanceof IndexFileError) throw cause;
      throw new IndexFileError('search/index-file-corrupt', `${file}: unreadable footer`, { cause });
    }
    if (footer.littleEndian !== LITTLE_ENDIAN) throw new IndexFileError('search/index-file-other-version', `${file}: written with the other byte order`);
    const entries = Object.entries(footer.sections);
    const ranges = entries.map(([name, entry]) => {
      const length = entry.length * ELEMENT_BYTES[entry.type];
      if (entry.offset % 8 !== 0 || entry.offset < HEAD.length || entry.offset + length > footerStart) throw corrupt(`section ${name} out of bounds`);
      return { offset: entry.offset, length };
    });
    const read = readChecked(file, fd, size, ranges, how.parallelFrom);
    buffer = read.buffer as ArrayBuffer;
    entries.forEach(([name], i) => sectionCrc.set(name, read.crcs[i] as number));
    const whole = new Uint8Array(buffer);
    if (!HEAD.equals(whole.subarray(0, HEAD.length))) throw corrupt('not a Jala index file, or cut short');
    // the footer read first is the one read with the rest (the file was not replaced in between)
    if (!footerBytes.equals(whole.subarray(footerStart, footerStart + footerLength))) throw corrupt('changed while being read');
  } catch (cause) {
    if (cause instanceof FileShrankError) throw new IndexFileError('search/index-file-corrupt', `${file} shrank while being read`);
    throw cause;
  } finally {
    fs.closeSync(fd);
  }

  function section<A>(name: string, types: readonly SectionType[], make: (entry: SectionEntry) => A): A {
    const entry = footer.sections[name];
    if (!entry || !types.includes(entry.type)) throw corrupt(`section ${name} missing or of the wrong type`);
    const byteLength = entry.length * ELEMENT_BYTES[entry.type];
    if (entry.offset % 8 !== 0 || entry.offset < HEAD.length || entry.offset + byteLength > footerStart) throw corrupt(`section ${name} out of bounds`);
    if (sectionCrc.get(name) !== entry.crc32) throw corrupt(`section ${name} checksum mismatch`);
    return make(entry);
  }
  const u8 = (name: string): Uint8Array => section(name, ['u8'], (e) => new Uint8Array(buffer, e.offset, e.length));
  const u16 = (name: string): Uint16Array => section(name, ['u16'], (e) => new Uint16Array(buffer, e.offset, e.length));
  const u32 = (name: string): Uint32Array => section(name, ['u32'], (e) => new Uint32Array(buffer, e.offset, e.length));
  const i32 = (name: string): Int32Array => section(name, ['i32'], (e) => new Int32Array(buffer, e.offset, e.length));
  const unsigned = (name: string): IndexColumn =>
    section(name, ['u8', 'u16', 'u32'], (e) =>
      e.type === 'u8' ? new Uint8Array(buffer, e.offset, e.length) : e.type === 'u16' ? new Uint16Array(buffer, e.offset, e.length) : new Uint32Array(buffer, e.offset, e.length),
    );

  const fieldCount = Object.keys(footer.fieldIds).length;
  const fieldIdsUsed = new Set(Object.values(footer.fieldIds));
  if (fieldIdsUsed.size !== fieldCount || [...fieldIdsUsed].some((id) => id >= fieldCount)) throw corrupt('field ids are not 0 … n-1');
  // made with other fields or stored fields than these options: not this index (MiniSearch numbers fields in option order)
  const storeFields = options.storeFields ?? [];
  if (
    options.fields.length !== fieldCount ||
    options.fields.some((field, i) => footer.fieldIds[field] !== i) ||
    JSON.stringify(footer.storedFields ?? []) !== JSON.stringify(storeFields)
  ) {
    throw new IndexFileError('search/index-file-other-version', `${file}: written for other fields than these index options`);
  }
  const terms: TermSections = {
    nodeEdges: u32('nodeEdges'),
    edgeLabels: u32('edgeLabels'),
    labelChars: u16('labelChars'),
    edgeTargets: i32('edgeTargets'),
    termPairs: u32('termPairs'),
    pairFields: u8('pairFields'),
    pairPostings: u32('pairPostings'),
    postingIds: i32('postingIds'),
    postingTfs: unsigned('postingTfs'),
  };
  const problem = termSectionsProblem(terms, fieldCount);
  if (problem) throw corrupt(problem);

  const rows = footer.nextId;
  const ids = section('documentIds', ['f64'], (e) => new Float64Array(buffer, e.offset, e.length));
  const lengths = section('fieldLengths', ['i32'], (e) => new Int32Array(buffer, e.offset, e.length));
  if (ids.length !== rows || lengths.length !== rows * fieldCount) throw corrupt('document sections do not match nextId');
  let stored: StoredColumns | undefined;
  if (footer.storedFields) {
    const names = footer.storedFields;
    const values = section('storedValues', ['json'], (e) => {
      try {
        return JSON.parse(Buffer.from(buffer, e.offset, e.length).toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    });
    if (!Array.isArray(values) || values.length !== names.length || !values.every(Array.isArray)) throw corrupt('stored values unreadable');
    const columns = names.map((_, c) => unsigned(`stored.${c}`));
    columns.forEach((column, c) => {
      const distinct = (values[c] as unknown[]).length;
      if (column.length !== rows) throw corrupt(`stored column ${c} does not match nextId`);
      // a column whose element cannot exceed its number of values needs no walk
      const bound = column instanceof Uint8Array ? 0xff : column instanceof Uint16Array ? 0xffff : 0xffffffff;
      if (bound > distinct && maxOf(column) > distinct) throw corrupt(`stored column ${c} points past its values`);
    });
    stored = { names, values: values as unknown[][], columns };
  }

  const loaded = new LoadedRows(ids);
  if (loaded.count !== footer.documentCount) throw corrupt(`${loaded.count} document ids for ${footer.documentCount} documents`);
  const parts: LoadedParts = {
    terms: new FrozenTermIndex(terms),
    documentIds: new PackedDocumentIds(loaded),
    idToShortId: new PackedIdLookup(loaded),
    fieldLengths: new PackedFieldLengths(loaded, lengths, fieldCount),
    storedFields: new PackedStoredFields(loaded, stored),
  };
  const mini = MiniSearch.loadJS<T>(
    {
      documentCount: footer.documentCount,
      nextId: footer.nextId,
      documentIds: {},
      fieldIds: footer.fieldIds,
      fieldLength: {},
      averageFieldLength: footer.averageFieldLength,
      storedFields: {},
      dirtCount: 0,
      index: [],
      serializationVersion: 2,
    } as never,
    options,
  );
  const m = internalsOf(mini);
  m._index = parts.terms;
  m._documentIds = parts.documentIds;
  m._idToShortId = parts.idToShortId;
  m._fieldLength = parts.fieldLengths;
  m._storedFields = parts.storedFields;
  const derived: Record<string, DerivedSection> = {};
  for (const [name, entry] of Object.entries(footer.sections)) {
    if (!name.startsWith(DERIVED)) continue;
    derived[name.slice(DERIVED.length)] = section(name, [entry.type], (e): DerivedSection => {
      switch (e.type) {
        case 'u8':
          return new Uint8Array(buffer, e.offset, e.length);
        case 'u16':
          return new Uint16Array(buffer, e.offset, e.length);
        case 'u32':
          return new Uint32Array(buffer, e.offset, e.length);
        case 'i16':
          return new Int16Array(buffer, e.offset, e.length);
        case 'i32':
          return new Int32Array(buffer, e.offset, e.length);
        case 'f64':
          return new Float64Array(buffer, e.offset, e.length);
        case 'json':
          try {
            return { json: JSON.parse(Buffer.from(buffer, e.offset, e.length).toString('utf8')) as unknown };
          } catch (cause) {
            throw new IndexFileError('search/index-file-corrupt', `${file}: section ${name} unreadable`, { cause });
          }
      }
    });
  }
  return { mini, label: footer.label, parts, version: footer.version, derived };
}

/** The largest element (a loop per element type, each compiled for its own array type). */
function maxOf(column: IndexColumn): number {
  if (column instanceof Uint8Array) return maxU8(column);
  if (column instanceof Uint16Array) return maxU16(column);
  return maxU32(column);
}
function maxU8(column: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < column.length; i++) if ((column[i] as number) > max) max = column[i] as number;
  return max;
}
function maxU16(column: Uint16Array): number {
  let max = 0;
  for (let i = 0; i < column.length; i++) if ((column[i] as number) > max) max = column[i] as number;
  return max;
}
function maxU32(column: Uint32Array): number {
  let max = 0;
  for (let i = 0; i < column.length; i++) if ((column[i] as number) > max) max = column[i] as number;
  return max;
}

/** `length` bytes of the open file from `position` (fewer only when the file is shorter: then it is cut short). */
function readAt(fd: number, position: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let at = 0;
  while (at < length) {
    const n = fs.readSync(fd, out, at, length - at, position + at);
    if (n === 0) throw new FileShrankError('the file shrank while being read');
    at += n;
  }
  return out;
}

/** Whether `mini`'s term tree is still the frozen one readIndexFile put in (no change since loading). */
export function isFrozen(mini: MiniSearch<any>): boolean {
  return internalsOf(mini)._index instanceof FrozenTermIndex;
}

/**
 * Swaps a frozen term tree for a SearchableMap of the same structure and order (the postings stay
 * packed until changed): what MiniSearch needs before any change. The document tables take
 * changes as they are.
 */
export function thawIndex(mini: MiniSearch<any>): void {
  const m = internalsOf(mini);
  if (m._index instanceof FrozenTermIndex) m._index = m._index.thaw();
}
