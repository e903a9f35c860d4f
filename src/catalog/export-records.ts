import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { writeIso2709 } from '../marc/iso2709-writer.ts';
import type { MarcRecord } from '../marc/marc-record.ts';
import { toMarcXml } from '../marc/marcxml-writer.ts';
import { parseWorkLabel } from './work-document.ts';

export type ExportFormat = 'marcxml' | 'iso2709' | 'json';

export type ExportResult =
  | { ok: true; recordIds: string[]; data: string | Uint8Array; mediaType: string; extension: string }
  | { ok: false; error: 'catalog/not-found'; id: string };

/** The MARC of one record, or of every record of a work, for copy cataloguing. */
export function exportMarc(store: SqliteCatalogStore, id: string, format: ExportFormat): ExportResult {
  const recordIds = resolveRecordIds(store, id.trim());
  if (recordIds.length === 0) return { ok: false, error: 'catalog/not-found', id };
  const records = recordIds.map((r) => store.recordMarc(r)).filter((r): r is MarcRecord => r !== undefined);
  switch (format) {
    case 'marcxml':
      return { ok: true, recordIds, data: toMarcXml(records), mediaType: 'application/marcxml+xml', extension: 'xml' };
    case 'iso2709': {
      const parts = records.map((r) => writeIso2709(r));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return { ok: true, recordIds, data: out, mediaType: 'application/marc', extension: 'mrc' };
    }
    case 'json':
      return { ok: true, recordIds, data: `${JSON.stringify(records.length === 1 ? records[0] : records, null, 2)}\n`, mediaType: 'application/json', extension: 'json' };
  }
}

function resolveRecordIds(store: SqliteCatalogStore, id: string): string[] {
  if (store.recordMeta(id)) return [id];
  const workOfRecord = store.workOfRecord(id); // case-insensitive record id
  if (workOfRecord !== undefined) {
    const exact = store.recordIdsOfWork(workOfRecord).find((r) => r.id.toLowerCase() === id.toLowerCase());
    if (exact) return [exact.id];
  }
  const workId = parseWorkLabel(id);
  if (workId !== undefined) return store.recordIdsOfWork(workId).map((r) => r.id);
  return [];
}
