/**
 * Building a fresh index in bulk: MiniSearch's `add`, step for step (ids, stored fields, field
 * lengths and their running averages, the terms in first-seen order), except that postings are
 * appended to plain arrays and packed once at the end instead of being counted into a Map per
 * (term, field). Map insertions into large maps were two fifths of the build. The result is the
 * index `addAll` would make, with packed postings; top-hits.test.ts compares the two.
 *
 * Documents come analysed (analyze-works.ts: tokens, field lengths, term ids), by this thread or by
 * another one, which is how a large catalog's build uses both cores.
 */
import type MiniSearch from 'minisearch';
import { IntList } from './int-list.ts';
import { PostingsPacker, type Postings } from './packed-postings.ts';
import { internalsOf, type MiniSearchInternals } from './minisearch-internals.ts';
import { analyzeDocuments, analysisOptions, TermDictionary, type AnalyzedBatch } from './analyze-works.ts';

/** A term's postings while building: per field, the short ids, one entry per occurrence. */
interface TermPostings {
  /** field ids in the order the term first appeared in them */
  order: number[];
  /** per field, the short ids, one entry per occurrence */
  lists: Array<IntList | undefined>;
}

export class BulkIndexBuilder {
  private readonly m: MiniSearchInternals;
  /** postings by term id; term ids are given in first-seen order */
  private readonly postings: TermPostings[] = [];
  private readonly termNames: string[] = [];
  /** the dictionary of documents analysed in this thread (add) */
  private ownDictionary: TermDictionary | undefined;
  private finished = false;

  constructor(mini: MiniSearch<any>) {
    this.m = internalsOf(mini);
    if (this.m._documentCount !== 0 || this.m._nextId !== 0) throw new Error('BulkIndexBuilder needs an empty index');
  }

  /** Adds documents, analysing them in this thread. */
  add(documents: Iterable<object>): void {
    this.ownDictionary ??= new TermDictionary();
    this.addAnalyzed(analyzeDocuments(documents, analysisOptions(this.m), this.ownDictionary));
  }

  /**
   * Adds documents analysed elsewhere. All batches of one build come from one dictionary, in the
   * order it analysed them (its new terms travel with the batch that first used them).
   */
  addAnalyzed(batch: AnalyzedBatch): void {
    if (this.finished) throw new Error('BulkIndexBuilder already finished');
    const m = this.m;
    for (const term of batch.newTerms) this.termNames.push(term);
    const { fields } = analysisOptions(m);
    const fieldIds = fields.map((f) => m._fieldIds[f] as number);
    const data = batch.terms;
    let at = 0;
    for (let d = 0; d < batch.ids.length; d++) {
      const id = batch.ids[d];
      if (m._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${String(id)}`);
      const shortId = m._nextId;
      m._idToShortId.set(id, shortId);
      m._documentIds.set(shortId, id);
      m._documentCount += 1;
      m._nextId += 1;
      const storedValues = batch.stored[d];
      if (storedValues !== undefined) {
        let stored = m._storedFields.get(shortId);
        if (stored == null) m._storedFields.set(shortId, (stored = {}));
        for (const name of Object.keys(storedValues)) stored[name] = this.intern(storedValues[name]);
      }
      for (const fieldId of fieldIds) {
        const unique = data[at++] as number;
        if (unique < 0) continue; // no value in this field
        // MiniSearch's addFieldLength, with its running average
        let lengths = m._fieldLength.get(shortId);
        if (lengths == null) m._fieldLength.set(shortId, (lengths = []));
        lengths[fieldId] = unique;
        const count = m._documentCount - 1;
        const average = m._avgFieldLength[fieldId] || 0;
        m._avgFieldLength[fieldId] = (average * count + unique) / (count + 1);
        const n = data[at++] as number;
        for (const end = at + n; at < end; at++) this.post(data[at] as number, fieldId, shortId);
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

  private post(termId: number, fieldId: number, shortId: number): void {
    let postings = this.postings[termId];
    if (postings === undefined) {
      postings = { order: [], lists: [] };
      this.postings[termId] = postings;
    }
    let list = postings.lists[fieldId];
    if (list === undefined) {
      list = new IntList();
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
    for (const postings of this.postings) {
      for (const fieldId of postings.order) {
        const { data: list, length } = postings.lists[fieldId] as IntList;
        for (let i = 0; i < length; i++) if (i === 0 || list[i] !== list[i - 1]) total++;
      }
    }
    const packer = new PostingsPacker(total);
    const ids: number[] = [];
    const tfs: number[] = [];
    for (let termId = 0; termId < this.postings.length; termId++) {
      const postings = this.postings[termId] as TermPostings;
      const data = new Map<number, Postings>();
      for (const fieldId of postings.order) {
        const { data: list, length } = postings.lists[fieldId] as IntList;
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
      this.m._index.set(this.termNames[termId] as string, data);
      this.postings[termId] = undefined as unknown as TermPostings;
    }
    this.postings.length = 0;
    this.termNames.length = 0;
    this.sharedValues.clear();
  }
}
