import type { ItemStatus } from '../catalog/record-document.ts';
import type { ServedItem } from './served-catalog.ts';

/** An item as both stores read it for the catalog server: one row of items joined to its record's work. */
export interface ServedItemRow {
  workId: number;
  recordId: string;
  library: string;
  branch: string | null;
  location: string | null;
  callNumber: string | null;
  barcode: string | null;
  itemType: string | null;
  status: ItemStatus;
  dueDate: string | null;
  note: string | null;
}

/** The items by work, in the rows' order, with empty columns left out. */
export function servedItemsByWork(rows: Iterable<ServedItemRow>): Map<number, ServedItem[]> {
  const out = new Map<number, ServedItem[]>();
  for (const r of rows) {
    const item: ServedItem = { recordId: r.recordId, library: r.library, status: r.status };
    if (r.branch !== null) item.branch = r.branch;
    if (r.location !== null) item.location = r.location;
    if (r.callNumber !== null) item.callNumber = r.callNumber;
    if (r.barcode !== null) item.barcode = r.barcode;
    if (r.itemType !== null) item.itemType = r.itemType;
    if (r.dueDate !== null) item.dueDate = r.dueDate;
    if (r.note !== null) item.note = r.note;
    let list = out.get(r.workId);
    if (!list) out.set(r.workId, (list = []));
    list.push(item);
  }
  return out;
}
