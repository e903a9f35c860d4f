/**
 * The works index file of Jala 0.1 (works-index.json), JSON lines: still read, once, to convert it
 * to the binary file (index-file.ts); the writer stays to make such files in tests.
 *
 * JSON lines, written and read a chunk at a time: MiniSearch's own
 * `JSON.stringify(index)` builds one string (over 180 MB at a million records, and V8 cannot make
 * strings past ~2.8 M records of this shape), and `loadJSON` parses it into an object tree several
 * times the index's own size before building the index. Here no line is larger than a few MB, and
 * the postings load straight into packed arrays (packed-postings.ts).
 *
 * Line 1 is the header (counts, field ids, average field lengths); then `{"docs": [...]}` lines
 * (short id, id, field lengths, stored fields); then `{"terms": [...]}` lines in the index's own
 * order, each term with its postings per field (ids ascending as deltas, frequencies or 1 when all
 * are 1); the last line `{"end": …}` tells a complete file from a cut one.
 */
import fs from 'node:fs';
import MiniSearch, { type Options } from 'minisearch';
import { PostingsPacker } from './packed-postings.ts';
import { internalsOf, type FieldTermData } from './minisearch-internals.ts';

export const LEGACY_INDEX_FILE_FORMAT = 'jala-works-index-lines';

interface Header {
  format: string;
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  dirtCount: number;
  postings: number;
}

const DOCS_PER_LINE = 5000;
const TERMS_PER_LINE = 2000;

/** Writes the index to `file` as Jala 0.1 did (tests make old data directories with it). */
export function writeLegacyIndexFile(mini: MiniSearch<any>, file: string): void {
  const m = internalsOf(mini);
  const fd = fs.openSync(file, 'w');
  try {
    let postings = 0;
    for (const [, data] of m._index) for (const p of data.values()) postings += p.size;
    const header: Header = {
      format: LEGACY_INDEX_FILE_FORMAT,
      documentCount: m._documentCount,
      nextId: m._nextId,
      fieldIds: m._fieldIds,
      averageFieldLength: m._avgFieldLength,
      dirtCount: m._dirtCount,
      postings,
    };
    fs.writeSync(fd, `${JSON.stringify(header)}\n`);
    let docs: unknown[] = [];
    const flushDocs = (): void => {
      if (docs.length > 0) fs.writeSync(fd, `${JSON.stringify({ docs })}\n`);
      docs = [];
    };
    for (const [shortId, id] of m._documentIds) {
      docs.push([shortId, id, m._fieldLength.get(shortId) ?? [], m._storedFields.get(shortId) ?? null]);
      if (docs.length >= DOCS_PER_LINE) flushDocs();
    }
    flushDocs();
    let terms: unknown[] = [];
    let termCount = 0;
    const flushTerms = (): void => {
      if (terms.length > 0) fs.writeSync(fd, `${JSON.stringify({ terms })}\n`);
      terms = [];
    };
    const ids: number[] = [];
    const tfs: number[] = [];
    for (const [term, data] of m._index) {
      const fields: unknown[] = [];
      for (const [fieldId, p] of data) {
        ids.length = 0;
        tfs.length = 0;
        let ascending = true;
        p.forEach((tf, docId) => {
          if (ids.length > 0 && docId < (ids[ids.length - 1] as number)) ascending = false;
          ids.push(docId);
          tfs.push(tf);
        });
        // ascending ids, as MiniSearch's JSON (an object with integer keys) always loaded them
        const order = ascending ? undefined : ids.map((_, i) => i).sort((a, b) => (ids[a] as number) - (ids[b] as number));
        const deltas: number[] = new Array(ids.length);
        const freqs: number[] = new Array(ids.length);
        let previous = 0;
        let allOnes = true;
        for (let k = 0; k < ids.length; k++) {
          const i = order ? (order[k] as number) : k;
          const docId = ids[i] as number;
          deltas[k] = docId - previous;
          previous = docId;
          freqs[k] = tfs[i] as number;
          if (tfs[i] !== 1) allOnes = false;
        }
        fields.push([fieldId, deltas, allOnes ? 1 : freqs]);
      }
      terms.push([term, fields]);
      termCount++;
      if (terms.length >= TERMS_PER_LINE) flushTerms();
    }
    flushTerms();
    fs.writeSync(fd, `${JSON.stringify({ end: { documents: m._documentIds.size, terms: termCount } })}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads an index written by writeIndexFile; throws when the file is not one, or was cut short. */
export function readLegacyIndexFile<T>(file: string, options: Options<T>): MiniSearch<T> {
  const buffer = fs.readFileSync(file);
  let at = 0;
  const nextLine = (): unknown => {
    if (at >= buffer.length) return undefined;
    let end = buffer.indexOf(0x0a, at);
    if (end < 0) end = buffer.length;
    const line = buffer.toString('utf8', at, end);
    at = end + 1;
    return JSON.parse(line);
  };
  const header = nextLine() as Header | undefined;
  if (!header || header.format !== LEGACY_INDEX_FILE_FORMAT) throw new Error(`${file} is not a ${LEGACY_INDEX_FILE_FORMAT} file`);
  const mini = MiniSearch.loadJS<T>(
    {
      documentCount: header.documentCount,
      nextId: header.nextId,
      documentIds: {},
      fieldIds: header.fieldIds,
      fieldLength: {},
      averageFieldLength: header.averageFieldLength,
      storedFields: {},
      dirtCount: header.dirtCount,
      index: [],
      serializationVersion: 2,
    } as never,
    options,
  );
  const m = internalsOf(mini);
  const packer = new PostingsPacker(header.postings);
  // stored fields repeat the same small lists (libraries, languages) over and over: keep one copy of each
  const shared = new Map<string, unknown[]>();
  const intern = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    const key = JSON.stringify(v);
    let s = shared.get(key);
    if (!s) shared.set(key, (s = v));
    return s;
  };
  let ended = false;
  for (let line = nextLine() as Record<string, unknown> | undefined; line !== undefined; line = nextLine() as Record<string, unknown> | undefined) {
    if (Array.isArray(line.docs)) {
      for (const [shortId, id, fieldLength, stored] of line.docs as Array<[number, unknown, number[], Record<string, unknown> | null]>) {
        m._documentIds.set(shortId, id);
        m._idToShortId.set(id, shortId);
        m._fieldLength.set(shortId, fieldLength);
        if (stored !== null) {
          for (const k of Object.keys(stored)) stored[k] = intern(stored[k]);
          m._storedFields.set(shortId, stored);
        }
      }
    } else if (Array.isArray(line.terms)) {
      for (const [term, fields] of line.terms as Array<[string, Array<[number, number[], number[] | 1]>]>) {
        const data: FieldTermData = new Map();
        for (const [fieldId, deltas, tfs] of fields) {
          let previous = 0;
          for (let i = 0; i < deltas.length; i++) {
            previous += deltas[i] as number;
            deltas[i] = previous;
          }
          data.set(fieldId, packer.add(deltas, tfs));
        }
        m._index.set(term, data);
      }
    } else if (line.end !== undefined) {
      ended = true;
    }
  }
  if (!ended) throw new Error(`${file} was cut short`);
  return mini;
}
