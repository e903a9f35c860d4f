/**
 * ISO 2709 (MARC 21 "communications format") reader.
 *
 * A record is a 24-byte leader, a directory of 12-byte entries (tag 3, field length 4, field start
 * 5, relative to the base address in leader/12-16) ended by a field terminator 0x1E, then the
 * fields, each ended by 0x1E, and a record terminator 0x1D. Real files lie about lengths and base
 * addresses, so the reader trusts the directory only when every entry is consistent and otherwise
 * falls back on the field terminators. It never throws: a record it cannot read becomes a problem
 * with the byte offset of the record.
 */
import { decodeMarc8 } from './marc8.ts';
import type { MarcField, MarcReadResult, MarcSource, MarcSubfield } from './marc-record.ts';

const RECORD_TERMINATOR = 0x1d;
const FIELD_TERMINATOR = 0x1e;
const SUBFIELD_DELIMITER = 0x1f;
const LEADER_LENGTH = 24;
const ENTRY_LENGTH = 12;
/**
 * A record longer than this (no record terminator within it) is reported and skipped. ISO 2709
 * caps records at 99,999 bytes, but real exports exceed that (a HathiTrust record in the shared
 * data is 1.1 MB), so the guard only stops runaway reads of files that are not MARC at all.
 */
export const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;

export interface ReadIso2709Options {
  maxRecordBytes?: number;
}

interface RawField {
  tag: string;
  content: Uint8Array;
}

type FieldsOrProblem = { ok: true; fields: RawField[]; warnings: string[] } | { ok: false; reason: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Parse one record. `bytes` may include the record terminator; `offset` is the byte offset of the
 * record in its file and becomes `source.position`.
 */
export function parseIso2709Record(bytes: Uint8Array, file: string, offset: number): MarcReadResult {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === RECORD_TERMINATOR ? bytes.length - 1 : bytes.length;
  const body = bytes.subarray(0, end);
  if (body.length < LEADER_LENGTH) return structureProblem(file, offset, `leader too short (${body.length} bytes)`);

  const leaderIn = asciiText(body.subarray(0, LEADER_LENGTH));
  const split = splitFields(body, leaderIn);
  if (!split.ok) return structureProblem(file, offset, split.reason);
  const warnings = split.warnings;

  const declaredLength = leaderIn.slice(0, 5);
  if (isDigits(declaredLength) && Number(declaredLength) !== bytes.length) {
    warnings.push(`record length in leader is ${Number(declaredLength)} but the record has ${bytes.length} bytes`);
  }

  const leader09 = leaderIn.charAt(9);
  const nonAscii = hasNonAscii(body);
  const bytesAre = classifyBytes(body, leader09, nonAscii);
  // the record as Latin-1 text, made at the first field read as UTF-8 that is all ASCII: such fields
  // are cut from it (ASCII is its own UTF-8 decoding and NFC form), one decoding for the record
  let latin1: string | undefined;
  const fields: MarcField[] = [];
  const unmapped: string[] = [];
  let unmappedCount = 0;
  const readAs = { utf8: [] as string[], marc8: [] as string[] };
  for (const raw of split.fields) {
    const as = bytesAre === 'mixed' ? fieldEncoding(raw.content) : bytesAre;
    readAs[as].push(raw.tag);
    if (as === 'utf8' && raw.content.buffer === body.buffer && (!nonAscii || !hasNonAscii(raw.content))) {
      latin1 ??= latin1Text(body);
      const from = raw.content.byteOffset - body.byteOffset;
      fields.push(toField(raw.tag, latin1.slice(from, from + raw.content.length), raw.content, warnings));
      continue;
    }
    const { text, unknown } = as === 'utf8' ? decodeUtf8(raw.content) : decodeMarc8(raw.content);
    if (unknown > 0) {
      unmappedCount += unknown;
      if (!unmapped.includes(raw.tag)) unmapped.push(raw.tag);
    }
    fields.push(toField(raw.tag, text, raw.content, warnings));
  }
  if (bytesAre === 'mixed') {
    warnings.push(
      readAs.marc8.length === 0
        ? 'declared UTF-8 but not valid UTF-8: invalid bytes replaced'
        : `declared UTF-8 but not valid UTF-8: field ${[...new Set(readAs.marc8)].join(', ')} read as MARC-8`,
    );
  }
  if (unmappedCount > 0) {
    warnings.push(`${unmappedCount} byte sequence(s) could not be decoded (field ${unmapped.join(', ')})`);
  }
  const encoding = readAs.marc8.length > 0 ? 'marc8' : 'utf8';
  const mismatch = leader09 === 'a' ? bytesAre !== 'utf8' : leader09 === ' ' && bytesAre === 'utf8' && nonAscii;

  const source: MarcSource = {
    file,
    position: String(offset),
    format: 'iso2709',
    encoding,
    encodingMismatch: mismatch,
    warnings,
  };
  const leader = `${leaderIn.slice(0, 9)}a${leaderIn.slice(10)}`;
  return { ok: true, record: { leader, fields }, source, bytes };
}

// (helpers are module functions, not closures: tsx names every closure it makes, at a cost per record)
function structureProblem(file: string, offset: number, reason: string): MarcReadResult {
  return { ok: false, problem: { file, position: String(offset), code: 'marc/bad-structure', reason } };
}

/** Locate the fields: from the directory when it is consistent, else from the field terminators. */
function splitFields(body: Uint8Array, leader: string): FieldsOrProblem {
  const directoryEnd = body.indexOf(FIELD_TERMINATOR, LEADER_LENGTH);
  if (directoryEnd < 0) return { ok: false, reason: 'no field terminator after the directory' };
  const directoryLength = directoryEnd - LEADER_LENGTH;
  const entryCount = Math.floor(directoryLength / ENTRY_LENGTH);
  if (entryCount === 0) return { ok: false, reason: 'no fields (empty directory)' };

  const warnings: string[] = [];
  const base = directoryEnd + 1;
  const declaredBase = leader.slice(12, 17);
  const issues: string[] = [];
  if (!isDigits(declaredBase)) issues.push(`base address "${declaredBase}" is not numeric`);
  else if (Number(declaredBase) !== base) issues.push(`base address is ${Number(declaredBase)} but the directory ends at ${directoryEnd}`);
  if (directoryLength % ENTRY_LENGTH !== 0) {
    issues.push(`directory length ${directoryLength} is not a multiple of ${ENTRY_LENGTH}`);
  }

  const tags: string[] = [];
  const fromDirectory: RawField[] = [];
  let firstBadEntry: string | undefined;
  for (let k = 0; k < entryCount; k++) {
    const at = LEADER_LENGTH + k * ENTRY_LENGTH;
    const tag = asciiChar(body[at]) + asciiChar(body[at + 1]) + asciiChar(body[at + 2]);
    tags.push(tag);
    if (firstBadEntry !== undefined) continue;
    const length = digitsAt(body, at + 3, at + 7);
    const start = digitsAt(body, at + 7, at + 12);
    if (length < 0 || start < 0) {
      firstBadEntry = `directory entry ${k + 1} is not numeric`;
      continue;
    }
    const from = base + start;
    const to = from + length;
    if (length === 0 || to > body.length) {
      firstBadEntry = `directory entry ${k + 1} (${tag}) points past the end of the record`;
      continue;
    }
    if (body[to - 1] !== FIELD_TERMINATOR) {
      firstBadEntry = `directory entry ${k + 1} (${tag}) does not end at a field terminator`;
      continue;
    }
    fromDirectory.push({ tag, content: body.subarray(from, to - 1) });
  }

  if (firstBadEntry === undefined) {
    // a wrong base address is harmless when every entry lands on a field terminator from the real base
    warnings.push(...issues);
    return { ok: true, fields: fromDirectory, warnings };
  }

  const pieces = splitOnTerminators(body.subarray(base));
  if (pieces.length === 0) return { ok: false, reason: `${firstBadEntry} and the data area has no fields` };
  const count = Math.min(pieces.length, tags.length);
  const fields: RawField[] = [];
  for (let k = 0; k < count; k++) fields.push({ tag: tags[k] ?? '???', content: pieces[k] ?? new Uint8Array() });
  const mismatch = pieces.length === tags.length ? '' : ` (${tags.length} directory entries, ${pieces.length} fields; ${count} paired)`;
  warnings.push(...issues, `${firstBadEntry}: fields recovered from field terminators${mismatch}`);
  return { ok: true, fields, warnings };
}

/** Pieces of the data area between field terminators; a trailing piece without one is kept if non-empty. */
function splitOnTerminators(data: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (;;) {
    const t = data.indexOf(FIELD_TERMINATOR, from);
    if (t < 0) break;
    pieces.push(data.subarray(from, t));
    from = t + 1;
  }
  if (from < data.length) pieces.push(data.subarray(from));
  return pieces;
}

function toField(tag: string, text: string, content: Uint8Array, warnings: string[]): MarcField {
  const control = isControlTag(tag) || (!isNumericTag(tag) && !content.includes(SUBFIELD_DELIMITER));
  if (control) return { tag, value: text };

  const first = text.indexOf('\u001f');
  const head = first < 0 ? text : text.slice(0, first);
  if (first < 0) warnings.push(`field ${tag} has no subfields`);
  else if (head.length > 2) warnings.push(`field ${tag} has ${head.length} indicator characters`);
  let ind1: string;
  let ind2: string;
  if (head.length === 2 && !isSurrogate(head.charCodeAt(0)) && !isSurrogate(head.charCodeAt(1))) {
    ind1 = head.charAt(0);
    ind2 = head.charAt(1);
  } else {
    const indicators = [...head];
    ind1 = indicators[0] ?? ' ';
    ind2 = indicators[1] ?? ' ';
  }
  const subfields: MarcSubfield[] = [];
  if (first >= 0) {
    // the pieces between delimiters; a piece's first code point is its code
    for (let from = first + 1; from < text.length; ) {
      let to = text.indexOf('\u001f', from);
      if (to < 0) to = text.length;
      if (to > from) {
        const c = text.charCodeAt(from);
        const codeLength = c >= 0xd800 && c <= 0xdbff && from + 1 < to && isLowSurrogate(text.charCodeAt(from + 1)) ? 2 : 1;
        subfields.push({ code: text.slice(from, from + codeLength), value: text.slice(from + codeLength, to) });
      }
      from = to + 1;
    }
  }
  return { tag, ind1, ind2, subfields };
}

/** 000–009 */
function isControlTag(tag: string): boolean {
  return tag.length === 3 && tag.charCodeAt(0) === 0x30 && tag.charCodeAt(1) === 0x30 && isDigitCode(tag.charCodeAt(2));
}

/** three ASCII digits */
function isNumericTag(tag: string): boolean {
  return tag.length === 3 && isDigitCode(tag.charCodeAt(0)) && isDigitCode(tag.charCodeAt(1)) && isDigitCode(tag.charCodeAt(2));
}

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** UTF-8, with U+FFFD for invalid bytes (each counted as unknown). */
function decodeUtf8(content: Uint8Array): { text: string; unknown: number } {
  const text = lenientUtf8.decode(content);
  let unknown = 0;
  if (text.includes('\ufffd')) unknown = utf8Evidence(content).invalid;
  return { text: text.normalize('NFC'), unknown };
}

/**
 * How to decode a record: 'utf8' when its bytes are valid UTF-8 (whatever leader/09 says),
 * 'marc8' when they are not and leader/09 does not declare UTF-8, 'mixed' (decide per field)
 * when leader/09 declares UTF-8 but some bytes are not. ASCII-only bytes with escape sequences
 * and no UTF-8 declaration are MARC-8 (e.g. an escape to Greek with only 7-bit bytes after it).
 */
function classifyBytes(body: Uint8Array, leader09: string, nonAscii: boolean): 'utf8' | 'marc8' | 'mixed' {
  if (!nonAscii) return leader09 !== 'a' && body.includes(0x1b) ? 'marc8' : 'utf8';
  try {
    strictUtf8.decode(body);
    return 'utf8';
  } catch {
    return leader09 === 'a' ? 'mixed' : 'marc8';
  }
}

/**
 * One field of a record declared UTF-8 whose bytes are not all valid UTF-8: UTF-8 (bad bytes
 * replaced) when it holds any well-formed multi-byte UTF-8 sequence, else MARC-8 — records
 * converted by hand are often UTF-8 with a few stray bytes, or MARC-8 left with the wrong leader.
 */
function fieldEncoding(content: Uint8Array): 'utf8' | 'marc8' {
  if (!hasNonAscii(content)) return content.includes(0x1b) ? 'marc8' : 'utf8';
  return utf8Evidence(content).valid > 0 ? 'utf8' : 'marc8';
}

/** Counts of well-formed multi-byte UTF-8 sequences and of bytes that fit no sequence. */
function utf8Evidence(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === 0) {
      i++;
      continue;
    }
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      ok = c !== undefined && c >= 0x80 && c <= 0xbf;
    }
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) return true;
  return false;
}

/** Bytes as printable ASCII; anything else becomes a space (used for the leader and directory). */
function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += asciiChar(bytes[i]);
  return s;
}

function asciiChar(b: number | undefined): string {
  return b !== undefined && b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ' ';
}

/** The number the bytes [from, to) write when they are all ASCII digits (at least one), else -1. */
function digitsAt(bytes: Uint8Array, from: number, to: number): number {
  if (to <= from) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x30 || b > 0x39) return -1;
    n = n * 10 + (b - 0x30);
  }
  return n;
}

/** Bytes as one character each (Latin-1): the text of ASCII bytes. */
function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/**
 * Read the records of an ISO 2709 stream. Only the current partial record is held in memory.
 * Whitespace and NUL bytes between records are skipped; a fragment after the last record
 * terminator is parsed too (a problem if it cannot be read).
 */
export async function* readIso2709(
  file: string,
  input: AsyncIterable<Uint8Array>,
  options: ReadIso2709Options = {},
): AsyncGenerator<MarcReadResult> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let parts: Uint8Array[] = [];
  let partLength = 0;
  let recordStart = 0;
  let chunkStart = 0;
  let skipping = false;
  // NUL bytes since the last record: padding at the end of a file is reported (it can be gigabytes)
  let nulBytes = 0;
  let nulStart = 0;
  const tooLong = (at: number): MarcReadResult => ({
    ok: false,
    problem: {
      file,
      position: String(at),
      code: 'marc/too-long',
      reason: `record longer than ${maxRecordBytes} bytes without a record terminator; skipped to the next one`,
    },
  });

  for await (const chunk of input) {
    let i = 0;
    while (i < chunk.length) {
      if (partLength === 0 && !skipping) {
        while (i < chunk.length && isBlank(chunk[i] ?? 0)) {
          if (chunk[i] === 0) {
            if (nulBytes === 0) nulStart = chunkStart + i;
            nulBytes++;
          }
          i++;
        }
        if (i >= chunk.length) break;
        recordStart = chunkStart + i;
        nulBytes = 0;
      }
      const t = chunk.indexOf(RECORD_TERMINATOR, i);
      if (t < 0) {
        if (!skipping) {
          parts.push(chunk.slice(i));
          partLength += chunk.length - i;
          if (partLength > maxRecordBytes) {
            yield tooLong(recordStart);
            parts = [];
            partLength = 0;
            skipping = true;
          }
        }
        i = chunk.length;
        continue;
      }
      if (skipping) {
        skipping = false;
        i = t + 1;
        continue;
      }
      const length = partLength + (t + 1 - i);
      if (length > maxRecordBytes) {
        yield tooLong(recordStart);
      } else {
        const record = parts.length === 0 ? chunk.subarray(i, t + 1) : concat([...parts, chunk.subarray(i, t + 1)], length);
        yield parseIso2709Record(record, file, recordStart);
      }
      parts = [];
      partLength = 0;
      i = t + 1;
    }
    chunkStart += chunk.length;
  }

  if (skipping || partLength === 0) {
    if (nulBytes > 0) {
      yield {
        ok: false,
        problem: { file, position: String(nulStart), code: 'marc/trailing-padding', reason: `${nulBytes.toLocaleString('en')} NUL byte${nulBytes === 1 ? '' : 's'} after the last record; ignored`, scope: 'file' },
      };
    }
    return;
  }
  const rest = concat(parts, partLength);
  if (rest.every(isBlank)) return;
  const result = parseIso2709Record(rest, file, recordStart);
  if (result.ok) {
    result.source.warnings.push('no record terminator at end of file');
    yield result;
  } else {
    yield {
      ok: false,
      problem: { ...result.problem, code: 'marc/truncated', reason: `truncated record at end of file (${result.problem.reason})` },
    };
  }
}

function isBlank(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09 || b === 0x00;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
