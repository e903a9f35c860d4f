/**
 * Building a fresh index in bulk: MiniSearch's `add`, step for step (ids, stored fields, field
 * lengths and their running averages, the terms in first-seen order), except that postings are
 * appended to plain arrays and packed once at the end instead of being counted into a Map per
 * (term, field). Map insertions into large maps were two fifths of the build. The result is the
 * index `addAll` would make, with packed postings; top-hits.test.ts compares the two.
 */
import type MiniSearch from 'minisearch';
import { PostingsPacker, type Postings } from './packed-postings.ts';
import { internalsOf, type MiniSearchInternals } from './minisearch-internals.ts';

interface BuildOptions {
  idField: string;
  fields: string[];
  storeFields: string[];
  extractField: (document: unknown, fieldName: string) => unknown;
  stringifyField: (value: unknown, fieldName: string) => string;
  tokenize: (text: string, fieldName: string) => string[];
  processTerm: (term: string, fieldName: string) => string | string[] | null | undefined | false;
}


/** Short ids, one entry per occurrence, in a growing typed array (half the memory of a number[]). */
class IdList {
  ids = new Int32Array(4);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) {
      const bigger = new Int32Array(this.ids.length * 2);
      bigger.set(this.ids);
      this.ids = bigger;
    }
    this.ids[this.length++] = id;
  }
}

/** A term's postings while building: per field, the short ids, one entry per occurrence. */
interface TermPostings {
  /** field ids in the order the term first appeared in them */
  order: number[];
  lists: Array<IdList | undefined>;
}

export class BulkIndexBuilder {
  private readonly m: MiniSearchInternals;
  private readonly terms = new Map<string, TermPostings>();
  private finished = false;

  constructor(mini: MiniSearch<any>) {
    this.m = internalsOf(mini);
    if (this.m._documentCount !== 0 || this.m._nextId !== 0) throw new Error('BulkIndexBuilder needs an empty index');
  }

  add(documents: Iterable<object>): void {
    if (this.finished) throw new Error('BulkIndexBuilder already finished');
    const m = this.m;
    const { idField, fields, storeFields, extractField, stringifyField, tokenize, processTerm } = m._options as unknown as BuildOptions;
    for (const document of documents) {
      const id = extractField(document, idField);
      if (id == null) throw new Error(`MiniSearch: document does not have ID field "${idField}"`);
      if (m._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${String(id)}`);
      const shortId = m._nextId;
      m._idToShortId.set(id, shortId);
      m._documentIds.set(shortId, id);
      m._documentCount += 1;
      m._nextId += 1;
      if (storeFields.length > 0) {
        let stored = m._storedFields.get(shortId);
        if (stored == null) m._storedFields.set(shortId, (stored = {}));
        for (const name of storeFields) {
          const value = extractField(document, name);
          if (value !== undefined) stored[name] = this.intern(value);
        }
      }
      for (const field of fields) {
        const value = extractField(document, field);
        if (value == null) continue;
        const tokens = tokenize(stringifyField(value, field), field);
        const fieldId = m._fieldIds[field] as number;
        // MiniSearch's addFieldLength, with its running average
        let lengths = m._fieldLength.get(shortId);
        if (lengths == null) m._fieldLength.set(shortId, (lengths = []));
        const unique = new Set(tokens).size;
        lengths[fieldId] = unique;
        const count = m._documentCount - 1;
        const average = m._avgFieldLength[fieldId] || 0;
        m._avgFieldLength[fieldId] = (average * count + unique) / (count + 1);
        for (const token of tokens) {
          const processed = processTerm(token, field);
          if (Array.isArray(processed)) {
            for (const t of processed) this.post(t, fieldId, shortId);
          } else if (processed) {
            this.post(processed, fieldId, shortId);
          }
        }
      }
    }
  }

  /** Stored fields repeat the same small lists (libraries, languages): keep one copy of each. */
  private intern(value: unknown): unknown {
    if (!Array.isArray(value)) return value;
    const key = JSON.stringify(value);
    const shared = this.sharedValues.get(key);
    if (shared) return shared;
    this.sharedValues.set(key, value);
    return value;
  }

  private readonly sharedValues = new Map<string, unknown[]>();

  private post(term: string, fieldId: number, shortId: number): void {
    let postings = this.terms.get(term);
    if (postings === undefined) {
      postings = { order: [], lists: [] };
      this.terms.set(term, postings);
    }
    let list = postings.lists[fieldId];
    if (list === undefined) {
      list = new IdList();
      postings.lists[fieldId] = list;
      postings.order.push(fieldId);
    }
    list.push(shortId);
  }

  /** Packs the postings into the index, terms in the order they were first seen. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    let total = 0;
    for (const postings of this.terms.values()) {
      for (const fieldId of postings.order) {
        const { ids: list, length } = postings.lists[fieldId] as IdList;
        for (let i = 0; i < length; i++) if (i === 0 || list[i] !== list[i - 1]) total++;
      }
    }
    const packer = new PostingsPacker(total);
    const ids: number[] = [];
    const tfs: number[] = [];
    for (const [term, postings] of this.terms) {
      const data = new Map<number, Postings>();
      for (const fieldId of postings.order) {
        const { ids: list, length } = postings.lists[fieldId] as IdList;
        ids.length = 0;
        tfs.length = 0;
        for (let i = 0; i < length; i++) {
          const d = list[i] as number;
          if (i > 0 && d === list[i - 1]) tfs[tfs.length - 1] = (tfs[tfs.length - 1] as number) + 1;
          else {
            ids.push(d);
            tfs.push(1);
          }
        }
        data.set(fieldId, packer.add(ids, tfs));
        postings.lists[fieldId] = undefined; // free as we go: the lists and the packed arrays need not coexist
      }
      this.m._index.set(term, data);
    }
    this.terms.clear();
    this.sharedValues.clear();
  }
}
