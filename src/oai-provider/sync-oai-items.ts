import type { OaiSyncResult } from './oai-item-store.ts';
import { memberDigest, newestRecordDatestamp, type OaiMemberRow } from './oai-member-digest.ts';
import { formatSetSpec, librarySetSpec } from './oai-sets.ts';

/** How many changed works a sync reads at a time. */
const CHUNK = 2000;

/**
 * What a sync reads and writes, per store (SQLite, PostgreSQL): the rows, in each store's SQL. The
 * sync itself (syncOaiItems) is the same for both.
 */
export interface OaiSyncRows {
  /** the catalog's change sequence now, and the one the items were last synced to (undefined: never) */
  seqNow(): number;
  syncedSeq(): number | undefined;
  setSyncedSeq(seq: number): void;
  libraryNames(): Array<{ code: string; name: string }>;
  setSpecs(): string[];
  putSet(spec: string, label: string): void;
  changedWorkIds(since: number): number[];
  removedWorkIds(since: number): number[];
  /** the format of each of these works that has a document, by id */
  formats(ids: readonly number[]): Array<{ id: number; format: string | null }>;
  members(ids: readonly number[]): OaiMemberRow[];
  items(ids: readonly number[]): Array<{ workId: number; fingerprint: string; deleted: number }>;
  setRows(ids: readonly number[]): Array<{ workId: number; spec: string; member: number }>;
  putItem(workId: number, datestamp: string, fingerprint: string): void;
  putSetRow(spec: string, workId: number, datestamp: string, member: number): void;
  /** marks a served item deleted; false when there was none (or it was deleted already) */
  deleteItem(now: string, workId: number): boolean;
  leaveSets(now: string, workId: number): void;
}

function groupBy<T>(rows: readonly T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(r);
  }
  return out;
}

/**
 * Brings the OAI-PMH items up to date with the catalog, inside the caller's transaction: the works
 * changed since the last sync get a new datestamp only when the digest of their members (ids and
 * content hashes) changed (the first sync dates each work by its newest record), their set
 * memberships follow their libraries and format, and the works removed become deleted items.
 */
export function syncOaiItems(rows: OaiSyncRows, now: string): OaiSyncResult {
  const seq = rows.seqNow();
  const synced = rows.syncedSeq();
  const initial = synced === undefined;
  const since = synced ?? -1;
  const names = new Map(rows.libraryNames().map((l) => [l.code, l.name]));
  const knownSets = new Set(rows.setSpecs());
  const addSet = (spec: string, label: string): void => {
    if (knownSets.has(spec)) return;
    knownSets.add(spec);
    rows.putSet(spec, label);
  };
  let changed = 0;
  let deleted = 0;
  const ids = rows.changedWorkIds(since);
  for (let at = 0; at < ids.length; at += CHUNK) {
    const chunk = ids.slice(at, at + CHUNK);
    const formats = new Map(rows.formats(chunk).map((r) => [r.id, r.format ?? 'Other']));
    const members = groupBy(rows.members(chunk), (m) => m.workId);
    const existing = new Map(rows.items(chunk).map((r) => [r.workId, r]));
    const setRows = new Map<number, Map<string, number>>();
    for (const r of rows.setRows(chunk)) {
      let m = setRows.get(r.workId);
      if (!m) setRows.set(r.workId, (m = new Map()));
      m.set(r.spec, r.member);
    }
    for (const [workId, format] of formats) {
      const recs = members.get(workId);
      if (!recs || recs.length === 0) continue;
      const fingerprint = memberDigest(recs);
      const before = existing.get(workId);
      if (before && before.deleted === 0 && before.fingerprint === fingerprint) continue;
      // the first sync dates each work by its newest record; later ones by when the change was seen
      const datestamp = initial && !before ? newestRecordDatestamp(recs, now) : now;
      rows.putItem(workId, datestamp, fingerprint);
      const sets = new Map<string, string>();
      for (const r of recs) sets.set(librarySetSpec(r.library), names.get(r.library) ?? r.library);
      sets.set(formatSetSpec(format), format);
      const was = setRows.get(workId) ?? new Map<string, number>();
      for (const [spec, label] of sets) {
        addSet(spec, label);
        rows.putSetRow(spec, workId, datestamp, 1);
      }
      for (const [spec, member] of was) {
        if (!sets.has(spec) && member === 1) rows.putSetRow(spec, workId, datestamp, 0);
      }
      changed++;
    }
  }
  for (const id of rows.removedWorkIds(since)) {
    if (rows.deleteItem(now, id)) {
      rows.leaveSets(now, id);
      deleted++;
    }
  }
  rows.setSyncedSeq(seq);
  return { changed, deleted, seq };
}
