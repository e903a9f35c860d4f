/**
 * A record's MARC as the catalog stores it: the ISO 2709 bytes it was ingested from, or (records
 * from MARCXML or OAI-PMH, and every record stored before the bytes were kept) its JSON.
 */
import { parseIso2709Record } from './iso2709-reader.ts';
import type { MarcRecord } from './marc-record.ts';

/** The record read back from its stored form; undefined only for bytes that no longer parse (never written so). */
export function storedMarcRecord(stored: string | Uint8Array): MarcRecord | undefined {
  if (typeof stored === 'string') return JSON.parse(stored) as MarcRecord;
  const result = parseIso2709Record(stored, 'stored', 0);
  return result.ok ? result.record : undefined;
}
