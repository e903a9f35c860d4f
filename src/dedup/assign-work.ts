import { matchRecords, type DedupView, type MatchRule } from './dedup-match.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import type { KeyKind, Candidate } from '../catalog/catalog-store.ts';

/**
 * Where deduplication looks up candidates and their works: the catalog store (the per-record path)
 * or the bulk path's maps in memory (src/dedup/in-memory-dedup.ts). Both answer as the store does:
 * candidates of other libraries per key in record id order (byte order), at most `limit`.
 */
export interface DedupLookup {
  candidatesForKeys(keys: ReadonlyArray<readonly [KeyKind, string]>, excludeLibrary: string, limit?: number): Map<string, Candidate[]>;
  workHasLibrary(workId: number, library: string, exceptRecord?: string): boolean;
  storedRecordDoc(id: string): DedupView | undefined;
  workSize(workId: number): number;
}

export interface WorkMatch {
  workId: number;
  /** the rule that confirmed the match: shared ISBN, shared unique id, or title key + author */
  rule: MatchRule;
}

export const DEDUP_KEY_ORDER: ReadonlyArray<{ kind: KeyKind; keys: (d: RecordDocument) => readonly string[] }> = [
  { kind: 'isbn', keys: (d) => d.isbns },
  { kind: 'id', keys: (d) => d.idKeys },
  { kind: 'title', keys: (d) => (d.titleKey ? [d.titleKey] : []) },
];

/** Never look at more candidates than this for one record (RecordManager gives up after 1,000). */
const MAX_CANDIDATES = 1000;

/**
 * Finds the existing work a record belongs to, after RecordManager's dedupRecord: candidates
 * sharing an ISBN, then a unique id, then a title key, from other libraries only, each confirmed
 * pairwise; a work never takes a second record from the same library. Among confirmed works the
 * largest wins (then the oldest).
 */
export function findWorkFor(store: DedupLookup, doc: RecordDocument): WorkMatch | undefined {
  const tried = new Set<number>();
  let processed = 0;
  // every key's candidates in one query (most records have none): the same lists, in the same order, as one query per key
  const wanted = new Map<string, [KeyKind, string]>();
  for (const { kind, keys } of DEDUP_KEY_ORDER) for (const key of keys(doc)) wanted.set(`${kind}\u0000${key}`, [kind, key]);
  const found = store.candidatesForKeys([...wanted.values()], doc.library);
  for (const { kind, keys } of DEDUP_KEY_ORDER) {
    const confirmed = new Map<number, MatchRule>();
    for (const key of keys(doc)) {
      for (const cand of found.get(`${kind}\u0000${key}`) ?? []) {
        if (++processed > MAX_CANDIDATES) break;
        if (cand.recordId === doc.id || tried.has(cand.workId)) continue;
        tried.add(cand.workId);
        if (store.workHasLibrary(cand.workId, doc.library, doc.id)) continue;
        const other = store.storedRecordDoc(cand.recordId);
        if (!other) continue;
        const result = matchRecords(doc, other);
        if (result.match) confirmed.set(cand.workId, result.rule);
      }
    }
    if (confirmed.size > 0) {
      let best: WorkMatch | undefined;
      let bestSize = -1;
      for (const [workId, rule] of confirmed) {
        const size = store.workSize(workId);
        if (size > bestSize || (size === bestSize && best !== undefined && workId < best.workId)) {
          best = { workId, rule };
          bestSize = size;
        }
      }
      return best;
    }
  }
  return undefined;
}
