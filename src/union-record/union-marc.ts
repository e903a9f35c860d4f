/**
 * The union record of a work: the best record of the cluster (the merge's base record, first in
 * the work's record list) with the members' local holdings fields taken out and every member's
 * holdings put in as 852s. 001 is the work's id (`w42`, stable), 003 the repository, 005 when the
 * work last changed; each member record is named in an 035 `(LIBRARY)local id`.
 */
import { isControlField, type MarcField, type MarcRecord } from '../marc/marc-record.ts';
import { workLabel } from '../catalog/work-document.ts';
import { holdingsFields, type HoldingsOptions } from './holdings-852.ts';
import type { ServedItem, WorkHead } from './served-catalog.ts';

/** Local item and holdings fields of the member systems (Koha 952, Sierra 949, Symphony 999, MARC 852 and 876-878): each library's, not the union's. */
const LOCAL_HOLDINGS_TAGS: ReadonlySet<string> = new Set(['852', '876', '877', '878', '949', '952', '999']);

export interface UnionRecordInput {
  work: WorkHead;
  /** the base record's MARC (work.records[0]) */
  base: MarcRecord;
  items: readonly ServedItem[];
  /** 003: the repository's identifier */
  repository: string;
  /** YYYY-MM-DDThh:mm:ssZ, for 005 */
  datestamp?: string;
  holdings?: HoldingsOptions;
}

export function unionMarc(input: UnionRecordInput): MarcRecord {
  const { work, base } = input;
  const control: MarcField[] = [
    { tag: '001', value: workLabel(work.id) },
    { tag: '003', value: input.repository },
  ];
  const stamp = input.datestamp ? marc005(input.datestamp) : undefined;
  if (stamp) control.push({ tag: '005', value: stamp });
  const rest: MarcField[] = [];
  for (const f of base.fields) {
    if (isControlField(f)) {
      if (f.tag === '001' || f.tag === '003' || (f.tag === '005' && stamp)) continue;
      control.push(f);
    } else if (!LOCAL_HOLDINGS_TAGS.has(f.tag)) {
      rest.push(f);
    }
  }
  const memberIds = work.records.map((id, i) => {
    const library = work.libraries[i] ?? id.slice(0, id.indexOf('.'));
    return { tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: `(${library})${id.slice(library.length + 1)}` }] };
  });
  // 035s go with the other 0XX fields, before the first field after them
  const at = rest.findIndex((f) => f.tag > '035');
  const fields = [...control.sort((a, b) => a.tag.localeCompare(b.tag))];
  const before = at === -1 ? rest : rest.slice(0, at);
  const after = at === -1 ? [] : rest.slice(at);
  fields.push(...before, ...memberIds, ...after, ...holdingsFields(input.items, work.libraries, input.holdings));
  return { leader: utf8Leader(base.leader), fields };
}

/** A library's own record as stored, for copy cataloguing: only marked as UTF-8 (which it is now). */
export function libraryMarc(record: MarcRecord): MarcRecord {
  return { leader: utf8Leader(record.leader), fields: record.fields };
}

function utf8Leader(leader: string): string {
  const l = leader.padEnd(24, ' ').slice(0, 24);
  return `${l.slice(0, 9)}a${l.slice(10)}`;
}

/** 2026-01-31T12:34:56Z → 20260131123456.0 */
function marc005(datestamp: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(datestamp);
  return m ? `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}.0` : undefined;
}
