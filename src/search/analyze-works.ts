/**
 * The text half of building an index: each document's fields tokenised and processed exactly as
 * MiniSearch's `add` does with the index options, the terms numbered in the order they are first
 * seen. BulkIndexBuilder.addAnalyzed does the rest. Analysis needs no index, so it can run in a
 * worker thread while the builder posts the previous batch.
 */
import { IntList } from './int-list.ts';
import type { MiniSearchInternals } from './minisearch-internals.ts';

/** The resolved MiniSearch options analysis uses (MiniSearch fills in its defaults). */
export interface AnalysisOptions {
  idField: string;
  fields: string[];
  storeFields: string[];
  extractField: (document: unknown, fieldName: string) => unknown;
  stringifyField: (value: unknown, fieldName: string) => string;
  tokenize: (text: string, fieldName: string) => string[];
  processTerm: (term: string, fieldName: string) => string | string[] | null | undefined | false;
}

export function analysisOptions(m: MiniSearchInternals): AnalysisOptions {
  return m._options as unknown as AnalysisOptions;
}

/** Term → id, ids in first-seen order; remembers the terms not yet handed to the builder. */
export class TermDictionary {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
      this.fresh.push(term);
    }
    return id;
  }

  /** The terms first seen since the last call, in id order. */
  takeNew(): string[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

/**
 * Documents analysed for BulkIndexBuilder.addAnalyzed. `terms` holds, per document and per indexed
 * field in option order, either -1 (no value) or the field's number of distinct tokens, the number
 * of processed terms and their ids.
 */
export interface AnalyzedBatch {
  ids: unknown[];
  /** stored fields of each document (undefined when the index stores none) */
  stored: Array<Record<string, unknown> | undefined>;
  terms: Int32Array;
  /** terms first used by this batch, in id order */
  newTerms: string[];
}

/**
 * Term ids of a field's tokens: processTerm (a function of the token and the field) and the
 * dictionary, looked up once per distinct token instead of per occurrence.
 */
class FieldMemo {
  private readonly memo = new Map<string, number | number[]>();

  constructor(
    private readonly field: string,
    private readonly processTerm: AnalysisOptions['processTerm'],
    private readonly dictionary: TermDictionary,
  ) {}

  ids(token: string): number | number[] {
    let ids = this.memo.get(token);
    if (ids === undefined) {
      const processed = this.processTerm(token, this.field);
      if (Array.isArray(processed)) ids = processed.map((t) => this.dictionary.id(t));
      else ids = processed ? this.dictionary.id(processed) : [];
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(token, ids);
    }
    return ids;
  }
}

/** distinct tokens remembered per field */
const MEMO_LIMIT = 500_000;
const memos = new WeakMap<TermDictionary, Map<string, FieldMemo>>();

export function analyzeDocuments(documents: Iterable<object>, options: AnalysisOptions, dictionary: TermDictionary): AnalyzedBatch {
  const { idField, fields, storeFields, extractField, stringifyField, tokenize, processTerm } = options;
  let fieldMemos = memos.get(dictionary);
  if (fieldMemos === undefined) memos.set(dictionary, (fieldMemos = new Map()));
  const memoOf = fields.map((field) => {
    let memo = fieldMemos.get(field);
    if (memo === undefined) fieldMemos.set(field, (memo = new FieldMemo(field, processTerm, dictionary)));
    return memo;
  });
  const ids: unknown[] = [];
  const stored: Array<Record<string, unknown> | undefined> = [];
  const terms = new IntList(1 << 16);
  for (const document of documents) {
    const id = extractField(document, idField);
    if (id == null) throw new Error(`MiniSearch: document does not have ID field "${idField}"`);
    ids.push(id);
    if (storeFields.length > 0) {
      const values: Record<string, unknown> = {};
      for (const name of storeFields) {
        const value = extractField(document, name);
        if (value !== undefined) values[name] = value;
      }
      stored.push(values);
    } else {
      stored.push(undefined);
    }
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f] as string;
      const memo = memoOf[f] as FieldMemo;
      const value = extractField(document, field);
      if (value == null) {
        terms.push(-1);
        continue;
      }
      const tokens = tokenize(stringifyField(value, field), field);
      terms.push(new Set(tokens).size);
      const countAt = terms.length;
      terms.push(0);
      for (const token of tokens) {
        const ids = memo.ids(token);
        if (typeof ids === 'number') terms.push(ids);
        else for (const id of ids) terms.push(id);
      }
      terms.data[countAt] = terms.length - countAt - 1;
    }
  }
  return { ids, stored, terms: terms.data.slice(0, terms.length), newTerms: dictionary.takeNew() };
}
