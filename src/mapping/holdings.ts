import type { HoldingsProfile } from '../config/consortium-config.ts';
import { fieldsWithTag, firstSubfield, subfieldValues, type MarcDataField, type MarcRecord } from '../marc/marc-record.ts';
import type { Item, ItemStatus } from '../catalog/record-document.ts';

type ItemFieldProfile = Exclude<HoldingsProfile, 'auto' | 'none'>;

/** Optional Item properties, set only when the source has a value (keeps documents free of `undefined` keys). */
type ItemDetails = Partial<Omit<Item, 'library' | 'status'>>;

function item(library: string, status: ItemStatus, details: ItemDetails): Item {
  const out: Item = { library, status };
  for (const [key, value] of Object.entries(details) as Array<[keyof ItemDetails, string | undefined]>) {
    const v = value?.trim();
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

function sub(field: MarcDataField, code: string): string | undefined {
  const v = firstSubfield(field, code)?.trim();
  return v === '' ? undefined : v;
}

/** YYYY-MM-DD from "2024-06-30", "2024-06-30 23:59:00", "20240630"; undefined otherwise. */
export function isoDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const dashed = /^(\d{4})-(\d{2})-(\d{2})/u.exec(raw.trim());
  const compact = /^(\d{4})(\d{2})(\d{2})(?:\D|$)/u.exec(raw.trim());
  const m = dashed ?? compact;
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  return `${y}-${mo}-${d}`;
}

/** A Koha flag subfield ($0, $1, $4): absent, empty or numeric zero means "not set" (the items table default). */
function flag(field: MarcDataField, code: string): number {
  const v = sub(field, code);
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : 1;
}

const KOHA_LOST: Readonly<Record<number, string>> = {
  1: 'lost',
  2: 'long overdue',
  3: 'lost and paid for',
  4: 'missing in inventory',
  5: 'missing from hold queue',
};

/** Does a 952 look like a Koha item (not LC's local 952 cataloguing note)? */
function isKohaItem(field: MarcDataField): boolean {
  if (field.subfields.some((s) => 'bcopqy0147'.includes(s.code) && s.value.trim() !== '')) return true;
  const home = sub(field, 'a');
  return home !== undefined && /^[\p{L}\p{N}_.-]{1,20}$/u.test(home);
}

/**
 * Koha 952 → Item. Status: withdrawn ($0) > lost ($1, with the kind of loss) > on loan ($q = due date)
 * > damaged ($4: not on the shelf, but Koha does not say more → unknown) > not for loan ($7 > 0:
 * library use only; $7 < 0: on order → unknown) > available. Flags left out of the export are 0, the
 * Koha default.
 */
function kohaItem(field: MarcDataField, library: string): Item {
  const details: ItemDetails = {
    branch: sub(field, 'a') ?? sub(field, 'b'),
    location: sub(field, 'c'),
    callNumber: sub(field, 'o'),
    barcode: sub(field, 'p'),
    itemType: sub(field, 'y'),
    note: sub(field, 'z'),
    volume: sub(field, 'h'),
  };
  const withdrawn = flag(field, '0');
  const lost = flag(field, '1');
  const damaged = flag(field, '4');
  const notForLoan = flag(field, '7');
  const due = sub(field, 'q');
  if (withdrawn !== 0) return item(library, 'withdrawn', details);
  if (lost !== 0) return item(library, 'lost', { ...details, statusDetail: KOHA_LOST[lost] ?? `lost (${lost})` });
  if (due !== undefined) return item(library, 'on-loan', { ...details, dueDate: isoDate(due) });
  if (damaged !== 0) return item(library, 'unknown', { ...details, statusDetail: 'damaged' });
  if (notForLoan > 0) return item(library, 'library-use-only', { ...details, statusDetail: `not for loan (${notForLoan})` });
  if (notForLoan < 0) return item(library, 'unknown', { ...details, statusDetail: 'on order' });
  return item(library, 'available', details);
}

/** MARC 21 852 → Item. The holdings format says nothing about circulation: status is unknown. */
function marc852Item(field: MarcDataField, library: string): Item {
  const callNumber = ['k', 'h', 'i', 'm']
    .flatMap((c) => subfieldValues(field, c))
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .join(' ');
  return item(library, 'unknown', {
    branch: sub(field, 'b') ?? sub(field, 'a'),
    location: sub(field, 'c'),
    callNumber,
    barcode: sub(field, 'p'),
    note: sub(field, 'z'),
  });
}

/** Status words used as (current) locations or statuses by Sirsi/Symphony and Sierra exports. */
function statusFromWord(raw: string): { status: ItemStatus; detail: string } | undefined {
  const word = raw.trim().toUpperCase();
  const joined = word.replace(/[^A-Z0-9]+/gu, '');
  const first = word.split(/[^A-Z0-9]+/u).find((t) => t !== '') ?? '';
  if (/^(CHECKEDOUT|CHECKOUT|ONLOAN|DUE)$/u.test(joined)) return { status: 'on-loan', detail: raw.trim() };
  if (/^(MISSING|LOST|CLAIMSRETURNED|CLAIMRETURN|BILLED)$/u.test(first)) return { status: 'lost', detail: raw.trim() };
  if (/^(WITHDRAWN|WITHDRAWAL|DISCARD|DISCARDED|WEEDED)$/u.test(first)) return { status: 'withdrawn', detail: raw.trim() };
  if (/^(REF|REFERENCE|NONCIRC|NONCIRCULATING|LIBUSEONLY|LIBRARYUSEONLY|INLIBRARYUSE|NOLOAN)$/u.test(joined) || /^(REF|REFERENCE|NONCIRC)$/u.test(first)) {
    return { status: 'library-use-only', detail: raw.trim() };
  }
  if (/^(AVAILABLE|ONSHELF|CHECKEDIN)$/u.test(joined)) return { status: 'available', detail: raw.trim() };
  return undefined;
}

/** Sierra single-character item status codes ($k) with a fixed meaning; other codes are site-defined. */
const SIERRA_STATUS: Readonly<Record<string, { status: ItemStatus; detail: string }>> = {
  '-': { status: 'available', detail: 'available' },
  o: { status: 'library-use-only', detail: 'library use only' },
  m: { status: 'lost', detail: 'missing' },
  n: { status: 'lost', detail: 'billed, not paid' },
  $: { status: 'lost', detail: 'billed, paid' },
  z: { status: 'lost', detail: 'claims returned' },
  w: { status: 'withdrawn', detail: 'withdrawn' },
  t: { status: 'unknown', detail: 'in transit' },
  d: { status: 'unknown', detail: 'damaged' },
  p: { status: 'unknown', detail: 'in process' },
};

/** Is this 949 an item (not a Sierra load-command line "*recs=b;…" or a bare local call number)? */
function is949Item(field: MarcDataField): boolean {
  if ((sub(field, 'a') ?? '').startsWith('*')) return false;
  return field.subfields.some((s) => 'iklt'.includes(s.code) && s.value.trim() !== '');
}

/**
 * 949 → Item, two conventions:
 * - Sirsi Unicorn exports ($w call-number scheme present): $a call number, $i barcode, $l home location,
 *   $k current location (only while away: CHECKEDOUT, LOST, BINDERY…), $m library, $t item type,
 *   $r circulate flag (N → library use only, Y and at home → available); REFERENCE-like locations
 *   (HUNT-REF) are library use only.
 * - Sierra item load: $a call number, $i barcode, $k status code, $l location, $t item type, $v volume;
 *   status "-" is Sierra's AVAILABLE, other fixed codes map as in SIERRA_STATUS, the rest unknown.
 */
function item949(field: MarcDataField, library: string): Item {
  const callNumber = sub(field, 'a');
  if (sub(field, 'w') !== undefined) {
    const location = sub(field, 'l');
    const details: ItemDetails = {
      branch: sub(field, 'm'), location, callNumber, barcode: sub(field, 'i'), itemType: sub(field, 't'),
    };
    // $k is the current location, present only while the copy is away from its home location
    const current = sub(field, 'k');
    if (current !== undefined) {
      const word = statusFromWord(current);
      if (word && word.status !== 'available') return item(library, word.status, { ...details, statusDetail: word.detail });
      return item(library, 'unknown', { ...details, statusDetail: current });
    }
    const fromLocation = location === undefined ? undefined : statusFromWord(location.replace(/^[A-Z]+-(?=REF\b)/u, ''));
    if (fromLocation && fromLocation.status !== 'available') {
      return item(library, fromLocation.status, { ...details, statusDetail: fromLocation.detail });
    }
    if ((sub(field, 'r') ?? '').toUpperCase() === 'N') {
      return item(library, 'library-use-only', { ...details, statusDetail: 'does not circulate' });
    }
    // at its home location and circulating ($r Y): on the shelf, as Symphony reports it
    if ((sub(field, 'r') ?? '').toUpperCase() === 'Y') return item(library, 'available', details);
    return item(library, 'unknown', details);
  }
  const details: ItemDetails = {
    branch: sub(field, 'l'), callNumber, barcode: sub(field, 'i'), itemType: sub(field, 't'), volume: sub(field, 'v'),
  };
  const code = sub(field, 'k');
  if (code === undefined) return item(library, 'unknown', details);
  const known = (code.length === 1 ? SIERRA_STATUS[code.toLowerCase()] : undefined) ?? statusFromWord(code);
  if (known) return item(library, known.status, { ...details, statusDetail: known.detail });
  return item(library, 'unknown', { ...details, statusDetail: code });
}

/** Does a 999 carry Symphony item data (not Koha's $c/$d record ids or III's bib info)? */
function isSymphonyItem(field: MarcDataField): boolean {
  return field.subfields.some((s) => 'ikm'.includes(s.code) && s.value.trim() !== '');
}

/** Current locations meaning the copy is not a lendable physical item on a shelf. */
const ONLINE_LOCATION = /^(INTERNET|ONLINE|E-?RESOURCE|ELECTRONIC)/u;

/**
 * SirsiDynix Symphony 999 → Item: $a call number, $i barcode, $k current location, $l home location,
 * $m library, $o public note, $t item type. Symphony reports where the copy is now: a current location
 * that is a status (CHECKEDOUT, MISSING, LOST…) decides; a copy whose current location is absent or
 * equals its home location is on its shelf → available (unless that shelf or the item type is
 * reference / non-circulating); any other current location (INTRANSIT, HOLDS, REPAIR…) → unknown.
 */
function symphonyItem(field: MarcDataField, library: string): Item {
  const home = sub(field, 'l');
  const current = sub(field, 'k');
  const itemType = sub(field, 't');
  const details: ItemDetails = {
    branch: sub(field, 'm'), location: home, callNumber: sub(field, 'a'), barcode: sub(field, 'i'), itemType, note: sub(field, 'o'),
  };
  const atHome = current === undefined || current.toUpperCase() === (home ?? '').toUpperCase();
  if (!atHome) {
    const word = statusFromWord(current);
    if (word && word.status !== 'available') return item(library, word.status, { ...details, statusDetail: word.detail });
    return item(library, 'unknown', { ...details, statusDetail: current });
  }
  if (home === undefined) return item(library, 'unknown', details);
  if (ONLINE_LOCATION.test(home.toUpperCase())) return item(library, 'unknown', { ...details, statusDetail: home });
  const shelf = statusFromWord(home) ?? (itemType === undefined ? undefined : statusFromWord(itemType));
  if (shelf && shelf.status !== 'available') return item(library, shelf.status, { ...details, statusDetail: shelf.detail });
  return item(library, 'available', details);
}

const EXTRACTORS: Readonly<Record<ItemFieldProfile, { tag: string; accept: (f: MarcDataField) => boolean; map: (f: MarcDataField, library: string) => Item }>> = {
  koha952: { tag: '952', accept: isKohaItem, map: kohaItem },
  sierra949: { tag: '949', accept: is949Item, map: item949 },
  symphony999: { tag: '999', accept: isSymphonyItem, map: symphonyItem },
  marc852: {
    tag: '852',
    accept: (f) => f.subfields.some((s) => 'abchijkmp'.includes(s.code) && s.value.trim() !== ''),
    map: marc852Item,
  },
};

/** Order tried by 'auto': item fields that carry status first, 852 (often LC's copy data) last. */
const AUTO_ORDER: readonly ItemFieldProfile[] = ['koha952', 'sierra949', 'symphony999', 'marc852'];

function extractWith(record: MarcRecord, library: string, profile: ItemFieldProfile): Item[] {
  const { tag, accept, map } = EXTRACTORS[profile];
  return fieldsWithTag(record, tag).filter(accept).map((f) => map(f, library));
}

/**
 * The items (copies) a library's record carries, read from the holdings field its ILS exports:
 * Koha 952, MARC 21 852, Sierra/Unicorn 949 or Symphony 999. 'auto' uses the first of
 * 952 → 949 → 999 → 852 that yields items; 'none' ignores item fields.
 */
export function extractItems(record: MarcRecord, library: string, profile: HoldingsProfile = 'auto'): Item[] {
  if (profile === 'none') return [];
  if (profile !== 'auto') return extractWith(record, library, profile);
  for (const p of AUTO_ORDER) {
    const items = extractWith(record, library, p);
    if (items.length > 0) return items;
  }
  return [];
}

