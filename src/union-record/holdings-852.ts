/**
 * Every member's holdings as MARC 21 852 fields, the way copy cataloguing (Koha) and ReShare's
 * supplier lookup read them: $a the member library's code, $b its branch (the library's code when
 * the item names none: ReShare skips an 852 without $b), $c the shelving location, $h the call
 * number, $p the barcode (ReShare's item id), $r only when the copy cannot be lent (ReShare skips
 * those), $z the availability in words.
 */
import type { MarcDataField, MarcSubfield } from '../marc/marc-record.ts';
import type { ItemStatus } from '../catalog/record-document.ts';
import type { ServedItem } from './served-catalog.ts';

export interface HoldingsOptions {
  /** libraries that do not lend through ILL: their copies carry $r */
  nonLending?: ReadonlySet<string>;
}

const NOT_LENDABLE: ReadonlySet<ItemStatus> = new Set<ItemStatus>(['library-use-only', 'lost', 'withdrawn']);

/** The availability of a copy in words ($z). */
export function availabilityInWords(item: Pick<ServedItem, 'status' | 'dueDate'>): string {
  switch (item.status) {
    case 'available':
      return 'Available';
    case 'on-loan':
      return item.dueDate ? `On loan, due ${item.dueDate}` : 'On loan';
    case 'library-use-only':
      return 'Library use only';
    case 'lost':
      return 'Lost';
    case 'withdrawn':
      return 'Withdrawn';
    case 'unknown':
      return 'Availability unknown';
  }
}

/**
 * 852s for the items, and one for each holding library without item data ("No item information"),
 * libraries in code order.
 */
export function holdingsFields(items: readonly ServedItem[], libraries: readonly string[], opts: HoldingsOptions = {}): MarcDataField[] {
  const byLibrary = new Map<string, ServedItem[]>();
  for (const lib of libraries) if (!byLibrary.has(lib)) byLibrary.set(lib, []);
  for (const it of items) {
    let list = byLibrary.get(it.library);
    if (!list) byLibrary.set(it.library, (list = []));
    list.push(it);
  }
  const out: MarcDataField[] = [];
  for (const library of [...byLibrary.keys()].sort()) {
    const held = byLibrary.get(library) as ServedItem[];
    const lends = !opts.nonLending?.has(library);
    if (held.length === 0) {
      const subfields: MarcSubfield[] = [
        { code: 'a', value: library },
        { code: 'b', value: library },
      ];
      if (!lends) subfields.push({ code: 'r', value: 'Not lent through interlibrary loan' });
      subfields.push({ code: 'z', value: 'No item information' });
      out.push({ tag: '852', ind1: ' ', ind2: ' ', subfields });
      continue;
    }
    for (const it of held) {
      const subfields: MarcSubfield[] = [
        { code: 'a', value: library },
        { code: 'b', value: it.branch ?? library },
      ];
      if (it.location) subfields.push({ code: 'c', value: it.location });
      if (it.callNumber) subfields.push({ code: 'h', value: it.callNumber });
      if (it.barcode) subfields.push({ code: 'p', value: it.barcode });
      if (NOT_LENDABLE.has(it.status)) subfields.push({ code: 'r', value: availabilityInWords(it) });
      else if (!lends) subfields.push({ code: 'r', value: 'Not lent through interlibrary loan' });
      subfields.push({ code: 'z', value: availabilityInWords(it) });
      out.push({ tag: '852', ind1: ' ', ind2: ' ', subfields });
    }
  }
  return out;
}
