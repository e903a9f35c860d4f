import { createHash } from 'node:crypto';

/** A member record of a work, as an OAI-PMH sync reads it (both stores). */
export interface OaiMemberRow {
  workId: number;
  id: string;
  hash: string;
  library: string;
  updatedAt: string;
}

/**
 * The digest of a work's members (ids and content hashes): a work's content is a function of its
 * member records, so its OAI-PMH datestamp moves only when this changes.
 */
export function memberDigest(records: readonly OaiMemberRow[]): string {
  const parts = records.map((r) => `${r.id}\u0000${r.hash}`).sort();
  return createHash('sha1').update(parts.join('\u0001')).digest('base64');
}

/** The newest record's updated_at at seconds, never later than now. */
export function newestRecordDatestamp(records: readonly OaiMemberRow[], now: string): string {
  let newest = '';
  for (const r of records) if (r.updatedAt > newest) newest = r.updatedAt;
  const d = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(newest)?.[0];
  if (d === undefined) return now;
  const stamp = `${d}Z`;
  return stamp > now ? now : stamp;
}
