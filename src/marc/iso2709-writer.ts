/**
 * ISO 2709 (MARC 21 communications format) writer, always UTF-8 (leader/09 'a').
 *
 * Lengths and offsets are in bytes. A record too large for the format (a field over 9,999 bytes,
 * data past offset 99,999, a record over 99,999 bytes) is still written, as HathiTrust and others
 * do: the numbers that do not fit are written as zeros (record length as 99999), every field keeps
 * its terminator, and parseIso2709Record recovers the fields from the terminators.
 */
import { isControlField } from './marc-record.ts';
import type { MarcField, MarcRecord } from './marc-record.ts';

const RECORD_TERMINATOR = 0x1d;
const SUBFIELD_DELIMITER = '\u001f';
const LEADER_LENGTH = 24;

const utf8 = new TextEncoder();

export function writeIso2709(record: MarcRecord): Uint8Array {
  const fields = record.fields.map((f) => ({ tag: tagOf(f.tag), data: utf8.encode(`${contentOf(f)}\u001e`) }));
  const directoryLength = fields.length * 12 + 1;
  const base = LEADER_LENGTH + directoryLength;
  const dataLength = fields.reduce((n, f) => n + f.data.length, 0);
  const total = base + dataLength + 1;

  let directory = '';
  let start = 0;
  for (const f of fields) {
    directory += f.tag + fixed(f.data.length, 4) + fixed(start, 5);
    start += f.data.length;
  }
  directory += '\u001e';

  const leader = leaderFor(record.leader, total, base);
  const out = new Uint8Array(total);
  out.set(utf8.encode(leader), 0);
  out.set(utf8.encode(directory), LEADER_LENGTH);
  let at = base;
  for (const f of fields) {
    out.set(f.data, at);
    at += f.data.length;
  }
  out[at] = RECORD_TERMINATOR;
  return out;
}

function contentOf(field: MarcField): string {
  if (isControlField(field)) return clean(field.value);
  let s = indicator(field.ind1) + indicator(field.ind2);
  for (const sf of field.subfields) s += SUBFIELD_DELIMITER + ([...clean(sf.code)][0] ?? ' ') + clean(sf.value);
  return s;
}

/** The structural bytes cannot occur inside data. */
function clean(s: string): string {
  return s.replace(/[\u001d\u001e\u001f]/g, '').normalize('NFC');
}

function indicator(s: string): string {
  const c = s.charAt(0);
  return /^[\x20-\x7e]$/.test(c) ? c : ' ';
}

function tagOf(tag: string): string {
  return tag.replace(/[^\x20-\x7e]/g, '?').padEnd(3, ' ').slice(0, 3);
}

/** `n` as `width` digits, or zeros when it does not fit. */
function fixed(n: number, width: number): string {
  const s = String(n);
  return s.length <= width ? s.padStart(width, '0') : '0'.repeat(width);
}

function leaderFor(leader: string, total: number, base: number): string {
  const chars = [...leader.replace(/[^\x20-\x7e]/g, ' ').padEnd(LEADER_LENGTH, ' ').slice(0, LEADER_LENGTH)];
  const set = (at: number, s: string): void => {
    for (let k = 0; k < s.length; k++) chars[at + k] = s.charAt(k);
  };
  set(0, total > 99999 ? '99999' : fixed(total, 5));
  set(9, 'a');
  set(10, '22');
  set(12, fixed(base, 5));
  set(20, '4500');
  return chars.join('');
}
