/**
 * What the catalog server (SRU, OAI-PMH) reads of the union catalog: the one port between the
 * protocols and the store. The SQLite implementation is src/store/sqlite-served-catalog.ts.
 */
import type { MarcRecord } from '../marc/marc-record.ts';
import type { Item } from '../catalog/record-document.ts';
import type { WorkDocument } from '../catalog/work-document.ts';

/** One copy, with the record it belongs to. */
export interface ServedItem extends Item {
  recordId: string;
}

/** A library's record: its id (`LIB.localId`), library and work. */
export interface ServedRecordRef {
  id: string;
  library: string;
  workId: number;
}

export type WorkHead = Pick<WorkDocument, 'id' | 'records' | 'libraries'>;

/** Identifier keys a work can be found by. */
export type IdentifierKind = 'isbn' | 'isbn10' | 'isbnx' | 'issn';

export interface ServedCatalog {
  /** the stored documents of these works (missing ones left out) */
  works(ids: readonly number[]): Map<number, WorkDocument>;
  /** what a union MARC record needs of these works: their records (base first) and libraries */
  workHeads(ids: readonly number[]): Map<number, WorkHead>;
  /** the stored MARC of these records (missing ones left out) */
  recordMarcs(ids: readonly string[]): Map<string, MarcRecord>;
  /** every item of these works, by work, in library then item order */
  itemsOfWorks(ids: readonly number[]): Map<number, ServedItem[]>;
  /** a record by its id, case-insensitively */
  record(id: string): ServedRecordRef | undefined;
  /** works having a record with this key */
  worksByKey(kind: IdentifierKind, key: string): number[];
  /** works having a record with a key starting with `prefix` (at most `limit`) */
  worksByKeyPrefix(kind: IdentifierKind, prefix: string, limit: number): number[];
  /** how many works these libraries hold (any of them) */
  countWorksOfLibraries(codes: readonly string[]): number;
  /** works these libraries hold, by work id, a page at a time */
  worksOfLibraries(codes: readonly string[], offset: number, limit: number): number[];
  /** does any of these libraries hold the work? */
  libraryHolds(workId: number, codes: readonly string[]): boolean;
  workCount(): number;
  /** every work, by work id, a page at a time */
  allWorkIds(offset: number, limit: number): number[];
  /** the libraries the catalog knows (code and name) */
  libraries(): Array<{ code: string; name: string }>;
}
