/**
 * Streaming MARCXML reader: bytes in, one MarcReadResult per record out, holding only the record
 * being read. Accepts <collection> or bare <record> roots, any namespace prefix (or none), records
 * wrapped in other XML (OAI-PMH <metadata>, SRU <recordData>), a BOM, and UTF-16 or a declared
 * legacy charset. Bad input is reported as problems, never thrown; DTD entities are refused.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { MarcDataField, MarcField, MarcReadResult, MarcRecord, MarcSource, ReadProblem, ReadProblemCode } from './marc-record.ts';
import { xmlErrorOf, type XmlErrorCode } from './xml-error-code.ts';

export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';
/** Given to a record that has no <leader>. */
export const DEFAULT_LEADER = '00000nam a2200000 a 4500';
/** After this many problems in one file the rest of the file is not read. */
const MAX_PROBLEMS_PER_FILE = 100;

export async function* readMarcXml(file: string, input: AsyncIterable<Uint8Array>): AsyncGenerator<MarcReadResult> {
  const reader = new MarcXmlStream(file);
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let exhausted = false;
  try {
    try {
      iterator = input[Symbol.asyncIterator]();
      while (!reader.stopped) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await iterator.next();
        } catch (err) {
          reader.inputFailed(err);
          break;
        }
        if (step.done === true) {
          exhausted = true;
          reader.end();
          break;
        }
        reader.write(step.value);
        yield* reader.drain();
      }
    } catch (err) {
      // only reachable through input[Symbol.asyncIterator]() itself throwing
      reader.inputFailed(err);
    }
    yield* reader.drain();
  } finally {
    // stopped early (refused document, too many problems, or the caller broke off): release the input
    if (!exhausted && iterator?.return !== undefined) {
      try {
        await iterator.return();
      } catch {
        // the input is abandoned; a failure to close it changes nothing for the caller
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// bytes → text

interface TextPiece {
  text: string;
  /** the bytes were not valid in their encoding: U+FFFD in this text may stand for bad bytes */
  lossy: boolean;
}

const EMPTY = new Uint8Array(0);
const SNIFF_BYTES = 512;

/**
 * Decides the encoding from the BOM or the XML declaration (UTF-8 when neither says otherwise),
 * then decodes chunk by chunk. UTF-8 is decoded strictly so that invalid bytes can be reported.
 */
class XmlByteDecoder {
  private head: Uint8Array[] = [];
  private headLength = 0;
  private decided = false;
  /** null = UTF-8 decoded here (strictly, with our own carry of incomplete sequences) */
  private decoder: TextDecoder | null = null;
  private carry: Uint8Array = EMPTY;
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  /** file-level notes (e.g. an unsupported declared encoding) */
  readonly notes: string[] = [];

  push(chunk: Uint8Array): TextPiece[] {
    if (this.decided) return this.decode(chunk, false);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return [];
    return this.decideAndFlush(false);
  }

  end(): TextPiece[] {
    if (!this.decided) return this.decideAndFlush(true);
    return this.decode(EMPTY, true);
  }

  private decideAndFlush(final: boolean): TextPiece[] {
    const bytes = concat(this.head, this.headLength);
    this.head = [];
    this.decided = true;
    let start = 0;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      start = 3;
    } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0x3c && bytes[1] === 0x00)) {
      this.decoder = new TextDecoder('utf-16le');
    } else if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0x00 && bytes[1] === 0x3c)) {
      this.decoder = new TextDecoder('utf-16be');
    } else {
      const declared = declaredEncoding(bytes);
      if (declared !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(declared)) {
        try {
          this.decoder = new TextDecoder(declared);
        } catch {
          this.notes.push(`unsupported encoding "${declared}" in the XML declaration; read as UTF-8`);
        }
      }
    }
    return this.decode(bytes.subarray(start), final);
  }

  private decode(chunk: Uint8Array, final: boolean): TextPiece[] {
    if (this.decoder !== null) {
      const text = this.decoder.decode(chunk, { stream: !final });
      return text === '' ? [] : [{ text, lossy: false }];
    }
    let bytes = chunk;
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry, 0);
      bytes.set(chunk, this.carry.length);
    }
    const cut = final ? bytes.length : completeUtf8Length(bytes);
    this.carry = cut < bytes.length ? bytes.slice(cut) : EMPTY;
    const whole = bytes.subarray(0, cut);
    if (whole.length === 0) return [];
    try {
      return [{ text: this.strict.decode(whole), lossy: false }];
    } catch {
      return [{ text: this.lenient.decode(whole), lossy: true }];
    }
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead byte
    const need = b >= 0xf8 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SNIFF_BYTES)).toString('latin1');
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head);
  return m?.[1];
}

// ---------------------------------------------------------------------------------------------
// text → records

/** Characters XML 1.0 does not allow anywhere, not even as character references. */
const INVALID_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const INVALID_XML_CHAR_OR_REPLACEMENT = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uFFFD]/g;
const NON_ASCII = /[^\x00-\x7F]/;
/** The values the MARC 21 slim schema allows for record/@type. */
const RECORD_TYPES = new Set(['Bibliographic', 'Authority', 'Holdings', 'Classification', 'Community']);

/** XML errors after which the data is still trustworthy: the record is kept with this warning. */
const RECOVERABLE_XML_ERRORS: Partial<Readonly<Record<XmlErrorCode, string>>> = {
  'xml/undefined-entity': 'unknown entity reference kept as literal text',
  'xml/bad-character-reference': 'invalid character reference kept as literal text',
  'xml/disallowed-character': 'disallowed character in the XML',
  'xml/duplicate-attribute': 'duplicate attribute; the last one was used',
  'xml/cdata-end-in-text': '"]]>" in text',
};

interface RecordBuilder {
  ordinal: number;
  line: number;
  /** depth of the <record> element (0 = document root) */
  depth: number;
  /** the element's namespace is neither MARC's nor empty: skipped silently when it holds no MARC data */
  foreign: boolean;
  /** held a nested <record> before any MARC data: a wrapper (OAI-PMH), not a record */
  wrapper: boolean;
  leader: string | undefined;
  fields: MarcField[];
  warnings: string[];
  nonAscii: boolean;
  /** the first well-formedness error inside the record: the record is reported, not kept */
  error: string | undefined;
}

interface Capture {
  kind: 'leader' | 'controlfield' | 'subfield';
  depth: number;
  attribute: string | undefined;
  text: string;
}

interface OpenElement {
  prefix: string;
  local: string;
  /** namespace declarations made on this element */
  scope: Map<string, string> | null;
}

class MarcXmlStream {
  stopped = false;
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly decoder = new XmlByteDecoder();
  private out: MarcReadResult[] = [];
  private readonly elements: OpenElement[] = [];
  private readonly records: RecordBuilder[] = [];
  private datafield: MarcDataField | undefined;
  private capture: Capture | undefined;
  /** a record whose end tag was just read; kept back until the next event, for close-tag errors */
  private justClosed: RecordBuilder | undefined;
  private justClosedAt = -1;
  /** warnings about bytes read between records: they go to the next record */
  private pendingWarnings: string[] = [];
  private ordinal = 0;
  private recordsOut = 0;
  private problemsOut = 0;
  /** one problem per stretch of markup outside records, so that a garbage file does not flood */
  private reportedOutsideRecords = false;
  private reportedMultipleRoots = false;
  /** the first non-whitespace character has been written to saxes */
  private started = false;

  constructor(private readonly file: string) {
    const p = this.parser;
    p.on('opentagstart', () => this.guard(() => this.flushClosed()));
    p.on('opentag', (tag) => this.guard(() => this.openTag(tag)));
    p.on('closetag', (tag) => this.guard(() => this.closeTag(tag)));
    p.on('text', (text) => this.guard(() => this.text(text)));
    p.on('cdata', (text) => this.guard(() => this.text(text)));
    p.on('doctype', (doctype) => this.guard(() => this.doctype(doctype)));
    p.on('error', (err) => this.guard(() => this.xmlError(err)));
  }

  write(chunk: Uint8Array): void {
    if (this.stopped) return;
    this.safely(() => {
      for (const piece of this.decoder.push(chunk)) this.feed(piece);
      this.flushClosed();
    });
  }

  end(): void {
    if (this.stopped) return;
    this.safely(() => {
      for (const piece of this.decoder.end()) this.feed(piece);
      if (this.stopped) return;
      this.parser.close();
      if (this.stopped) return;
      this.flushClosed();
      for (const rec of this.records) {
        if (rec.wrapper) continue;
        const why = rec.error ?? 'the record was not closed';
        this.problem(this.position(rec), 'marc/incomplete-record', `incomplete record at the end of the file (${why})`, true);
      }
      this.records.length = 0;
      if (this.recordsOut === 0 && this.problemsOut === 0) {
        this.problem('end of file', 'marc/no-records', 'no MARC records found');
      }
      this.stopped = true;
    });
  }

  inputFailed(err: unknown): void {
    if (this.stopped) return;
    this.safely(() => {
      // what arrived before the failure still counts: records complete in it are kept
      for (const piece of this.decoder.end()) this.feed(piece);
      this.flushClosed();
    });
    if (this.stopped) return;
    const where = this.records.length > 0 ? this.position(this.records[this.records.length - 1]!) : this.lineOnly();
    this.problem(where, 'marc/unreadable', `could not read the file: ${describe(err)}`);
    this.stopped = true;
  }

  *drain(): Generator<MarcReadResult> {
    const out = this.out;
    this.out = [];
    yield* out;
  }

  // -- feeding ------------------------------------------------------------------------------

  /** Writes text to saxes, replacing characters XML cannot hold (and bad bytes) with U+FFFD. */
  private feed(piece: TextPiece): void {
    for (const note of this.decoder.notes.splice(0)) this.problem('start of file', 'marc/bad-encoding', note);
    if (!this.started) {
      // whitespace (or a second BOM) before the XML declaration would make saxes refuse the declaration
      piece = { text: piece.text.replace(/^[\s\uFEFF]+/, ''), lossy: piece.lossy };
      if (piece.text === '') return;
      this.started = true;
    }
    const re = piece.lossy ? INVALID_XML_CHAR_OR_REPLACEMENT : INVALID_XML_CHAR;
    re.lastIndex = 0;
    let from = 0;
    for (let m = re.exec(piece.text); m !== null; m = re.exec(piece.text)) {
      if (this.stopped) return;
      if (m.index > from) this.parser.write(piece.text.slice(from, m.index));
      const code = m[0].charCodeAt(0);
      this.noteRepair(
        code === 0xfffd
          ? 'bytes that are not valid UTF-8 replaced with U+FFFD'
          : `character U+${code.toString(16).toUpperCase().padStart(4, '0')} (not allowed in XML) replaced with U+FFFD`,
      );
      this.parser.write('\uFFFD');
      from = m.index + 1;
    }
    if (this.stopped) return;
    if (from === 0) this.parser.write(piece.text);
    else if (from < piece.text.length) this.parser.write(piece.text.slice(from));
  }

  private noteRepair(warning: string): void {
    const rec = this.currentRecord();
    if (rec !== undefined) addOnce(rec.warnings, warning);
    else addOnce(this.pendingWarnings, warning);
  }

  // -- saxes events -------------------------------------------------------------------------

  private openTag(tag: SaxesTagPlain): void {
    this.flushClosed();
    const depth = this.elements.length;
    const colon = tag.name.indexOf(':');
    const element: OpenElement = {
      prefix: colon < 0 ? '' : tag.name.slice(0, colon),
      local: colon < 0 ? tag.name : tag.name.slice(colon + 1),
      scope: null,
    };
    const attributes = tag.attributes;
    for (const name in attributes) {
      if (!Object.hasOwn(attributes, name) || !name.startsWith('xmlns')) continue;
      const value = attributes[name] as string;
      if (name === 'xmlns') (element.scope ??= new Map()).set('', value);
      else if (name.startsWith('xmlns:')) (element.scope ??= new Map()).set(name.slice(6), value);
    }
    this.elements.push(element);

    const rec = this.records[this.records.length - 1];
    if (this.capture !== undefined) {
      if (rec !== undefined) addOnce(rec.warnings, `markup inside <${this.capture.kind}> ignored`);
      return;
    }
    if (element.local === 'record') {
      this.openRecord(rec, depth, this.namespaceOf(element.prefix), tag.attributes['type']);
      return;
    }
    if (rec === undefined) return;
    const relative = depth - rec.depth;
    if (relative === 1) {
      switch (element.local) {
        case 'leader':
          this.capture = { kind: 'leader', depth, attribute: undefined, text: '' };
          return;
        case 'controlfield':
          this.capture = { kind: 'controlfield', depth, attribute: tag.attributes['tag'], text: '' };
          return;
        case 'datafield':
          this.datafield = this.startDatafield(rec, tag.attributes['tag'], tag.attributes['ind1'], tag.attributes['ind2']);
          return;
        default:
          addOnce(rec.warnings, `unexpected element <${tag.name}> ignored`);
          return;
      }
    }
    if (relative === 2 && this.datafield !== undefined && this.elements[depth - 1]?.local === 'datafield') {
      if (element.local === 'subfield') {
        this.capture = { kind: 'subfield', depth, attribute: tag.attributes['code'], text: '' };
      } else {
        addOnce(rec.warnings, `unexpected element <${tag.name}> in datafield ${this.datafield.tag} ignored`);
      }
    }
  }

  private openRecord(outer: RecordBuilder | undefined, depth: number, namespace: string | undefined, type: string | undefined): void {
    const foreign = namespace !== undefined && namespace !== '' && namespace !== MARCXML_NAMESPACE;
    let ordinal: number;
    if (outer === undefined) {
      ordinal = ++this.ordinal;
    } else if (!outer.wrapper && outer.leader === undefined && outer.fields.length === 0 && this.datafield === undefined) {
      // the outer <record> held no MARC data before this one: it is a wrapper (OAI-PMH, SRU)
      outer.wrapper = true;
      ordinal = outer.ordinal;
    } else if (outer.wrapper) {
      ordinal = ++this.ordinal;
    } else {
      addOnce(outer.warnings, 'nested <record> element ignored');
      return;
    }
    this.records.push({
      ordinal,
      line: this.parser.line,
      depth,
      foreign,
      wrapper: false,
      leader: undefined,
      fields: [],
      warnings: this.pendingWarnings.splice(0),
      nonAscii: false,
      error: undefined,
    });
    if (type !== undefined && !foreign && !RECORD_TYPES.has(type)) {
      this.records[this.records.length - 1]?.warnings.push(`record type "${clip(type)}" is not a MARCXML record type`);
    }
    this.reportedOutsideRecords = false;
  }

  private closeTag(tag: SaxesTagPlain): void {
    this.flushClosed();
    const depth = this.elements.length - 1;
    this.elements.pop();
    const rec = this.records[this.records.length - 1];
    if (rec === undefined) return;
    const capture = this.capture;
    if (capture !== undefined && capture.depth === depth) {
      this.capture = undefined;
      this.finishCapture(rec, capture);
      return;
    }
    if (this.datafield !== undefined && depth === rec.depth + 1 && localName(tag.name) === 'datafield') {
      const field = this.datafield;
      this.datafield = undefined;
      if (field.subfields.length === 0) rec.warnings.push(`datafield ${field.tag} has no subfields; dropped`);
      else rec.fields.push(field);
      return;
    }
    if (depth === rec.depth) {
      this.records.pop();
      this.capture = undefined;
      this.datafield = undefined;
      if (!rec.wrapper) {
        this.justClosed = rec;
        this.justClosedAt = this.parser.position;
      }
    }
  }

  private text(text: string): void {
    this.flushClosed();
    const capture = this.capture;
    if (capture !== undefined) {
      if (capture.depth === this.elements.length - 1) capture.text += text;
      return;
    }
    const rec = this.records[this.records.length - 1];
    if (rec !== undefined && this.datafield !== undefined && /\S/.test(text)) {
      addOnce(rec.warnings, `text outside a subfield in datafield ${this.datafield.tag} ignored`);
    }
  }

  private doctype(doctype: string): void {
    if (/<!ENTITY/i.test(doctype)) {
      this.flushClosed();
      this.problem(
        this.lineOnly(),
        'marc/entities-refused',
        'the document declares entities in a DOCTYPE (a possible XML bomb or external-entity attack); refused, nothing read from it',
      );
      this.stopped = true;
    }
  }

  private xmlError(err: Error): void {
    const { code, message } = xmlErrorOf(err);
    const line = this.parser.line;
    if (code === 'xml/more-than-one-root') {
      // saxes repeats this for every start tag after the first root closed: one problem per file
      if (this.reportedMultipleRoots) return;
      this.reportedMultipleRoots = true;
      this.problem(
        `line ${line}`,
        'marc/not-well-formed',
        'not well-formed XML: more than one root element (records concatenated without a <collection>?); reading on',
      );
      return;
    }
    // saxes reports a bad end tag after it has closed the elements it implies: an error raised by
    // the same end tag that closed a record belongs to that record
    const sameEndTag = this.justClosed !== undefined && this.justClosedAt === this.parser.position;
    if (!sameEndTag) this.flushClosed();
    const rec = (sameEndTag ? this.justClosed : undefined) ?? this.currentRecord();
    const recoverable = RECOVERABLE_XML_ERRORS[code];
    if (rec !== undefined) {
      if (recoverable !== undefined) addOnce(rec.warnings, `${recoverable} (line ${line})`);
      else rec.error ??= `${message} (line ${line})`;
      return;
    }
    if (recoverable !== undefined) return; // outside any record it changes no data
    if (this.reportedOutsideRecords) return;
    this.reportedOutsideRecords = true;
    this.problem(`line ${line}`, 'marc/not-well-formed', `not well-formed XML: ${message}`);
  }

  // -- building -----------------------------------------------------------------------------

  private startDatafield(
    rec: RecordBuilder,
    rawTag: string | undefined,
    ind1: string | undefined,
    ind2: string | undefined,
  ): MarcDataField | undefined {
    const tag = normalizeTag(rawTag, rec, 'datafield');
    if (tag === undefined) return undefined;
    return { tag, ind1: normalizeIndicator(ind1, tag, 'ind1', rec), ind2: normalizeIndicator(ind2, tag, 'ind2', rec), subfields: [] };
  }

  private finishCapture(rec: RecordBuilder, capture: Capture): void {
    const value = nfc(capture.text, rec);
    switch (capture.kind) {
      case 'leader':
        if (rec.leader !== undefined) addOnce(rec.warnings, 'more than one leader; the first was kept');
        else if (value.trim() !== '') rec.leader = normalizeLeader(value, rec); // empty: the default below
        return;
      case 'controlfield': {
        const tag = normalizeTag(capture.attribute, rec, 'controlfield');
        if (tag !== undefined) rec.fields.push({ tag, value });
        return;
      }
      case 'subfield': {
        const field = this.datafield;
        if (field === undefined) return;
        const raw = capture.attribute === undefined ? '' : nfc(capture.attribute, rec);
        if (raw === '') {
          rec.warnings.push(`datafield ${field.tag}: subfield without a code dropped ("${clip(value)}")`);
          return;
        }
        const code = raw.length === 1 ? raw : ([...raw][0] ?? raw);
        if (code !== raw) rec.warnings.push(`datafield ${field.tag}: subfield code "${raw}" shortened to "${code}"`);
        field.subfields.push({ code, value });
        return;
      }
    }
  }

  /** Emits the record whose end tag was read last, now that no close-tag error can follow. */
  private flushClosed(): void {
    const rec = this.justClosed;
    if (rec === undefined) return;
    this.justClosed = undefined;
    if (this.stopped) return;
    if (rec.error !== undefined) {
      this.problem(this.position(rec), 'marc/not-well-formed', `not well-formed XML in the record: ${rec.error}; record skipped`, true);
      return;
    }
    if (rec.leader === undefined && rec.fields.length === 0) {
      if (rec.foreign) {
        if (rec.ordinal === this.ordinal) this.ordinal--; // not a MARC record: do not count it
        return;
      }
      this.problem(this.position(rec), 'marc/empty-record', 'empty record (no leader and no fields); skipped', true);
      return;
    }
    let leader = rec.leader;
    if (leader === undefined) {
      leader = DEFAULT_LEADER;
      rec.warnings.unshift(`no leader; the default "${DEFAULT_LEADER}" was used`);
    }
    const record: MarcRecord = { leader, fields: rec.fields };
    const source: MarcSource = {
      file: this.file,
      position: this.position(rec),
      format: 'marcxml',
      encoding: 'utf8',
      encodingMismatch: leader[9] === ' ' && rec.nonAscii,
      warnings: rec.warnings,
    };
    this.out.push({ ok: true, record, source });
    this.recordsOut++;
  }

  /** `lostRecord`: the problem cost a record (it is counted as read and skipped) */
  private problem(position: string, code: ReadProblemCode, reason: string, lostRecord = false): void {
    if (this.stopped) return;
    const problem: ReadProblem = lostRecord ? { file: this.file, position, code, reason } : { file: this.file, position, code, reason, scope: 'file' };
    this.out.push({ ok: false, problem });
    this.problemsOut++;
    if (this.problemsOut >= MAX_PROBLEMS_PER_FILE) {
      this.out.push({
        ok: false,
        problem: { file: this.file, position: this.lineOnly(), code: 'marc/too-many-problems', reason: `more than ${MAX_PROBLEMS_PER_FILE} problems; the rest of the file was not read` },
      });
      this.stopped = true;
    }
  }

  // -- helpers ------------------------------------------------------------------------------

  private currentRecord(): RecordBuilder | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const rec = this.records[i];
      if (rec !== undefined && !rec.wrapper) return rec;
    }
    return undefined;
  }

  private namespaceOf(prefix: string): string | undefined {
    for (let i = this.elements.length - 1; i >= 0; i--) {
      const uri = this.elements[i]?.scope?.get(prefix);
      if (uri !== undefined) return uri;
    }
    return prefix === '' ? '' : undefined; // undefined: a prefix nobody declared
  }

  private position(rec: RecordBuilder): string {
    return `record ${rec.ordinal}, line ${rec.line}`;
  }

  private lineOnly(): string {
    return `line ${this.parser.line}`;
  }

  /** Event handlers must not throw into saxes: a bug becomes a problem and ends the file. */
  private guard(handler: () => void): void {
    if (this.stopped) return;
    try {
      handler();
    } catch (err) {
      this.problem(this.lineOnly(), 'marc/internal-error', `internal error while reading MARCXML: ${describe(err)}`);
      this.stopped = true;
    }
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.problem(this.lineOnly(), 'marc/internal-error', `internal error while reading MARCXML: ${describe(err)}`);
      this.stopped = true;
    }
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function nfc(value: string, rec: RecordBuilder): string {
  if (!NON_ASCII.test(value)) return value;
  rec.nonAscii = true;
  return value.normalize('NFC');
}

function normalizeLeader(raw: string, rec: RecordBuilder): string {
  let leader = raw;
  if (leader.length !== 24) leader = leader.replace(/^[\r\n\t]+|[\r\n\t]+$/g, '');
  if (leader.length !== 24 && leader.trim().length === 24) leader = leader.trim();
  if (leader.length < 24) {
    rec.warnings.push(`leader has ${leader.length} characters; padded to 24`);
    leader = leader.padEnd(24, ' ');
  } else if (leader.length > 24) {
    rec.warnings.push(`leader has ${leader.length} characters; cut to 24`);
    leader = leader.slice(0, 24);
  }
  if (!/^[0-9A-Za-z |]*$/.test(leader)) rec.warnings.push(`leader "${leader}" holds characters MARC does not use there`);
  return leader;
}

function normalizeTag(raw: string | undefined, rec: RecordBuilder, kind: 'controlfield' | 'datafield'): string | undefined {
  const tag = raw?.trim() ?? '';
  if (tag === '') {
    rec.warnings.push(`${kind} without a tag dropped`);
    return undefined;
  }
  if (/^\d{1,2}$/.test(tag)) {
    const padded = tag.padStart(3, '0');
    rec.warnings.push(`${kind} tag "${tag}" read as "${padded}"`);
    return padded;
  }
  if (tag.length !== 3) addOnce(rec.warnings, `${kind} tag "${clip(tag)}" is not three characters`);
  return nfc(tag, rec);
}

function normalizeIndicator(raw: string | undefined, tag: string, which: 'ind1' | 'ind2', rec: RecordBuilder): string {
  if (raw === undefined || raw === '') {
    rec.warnings.push(`datafield ${tag}: no ${which}; blank assumed`);
    return ' ';
  }
  const first = raw.length === 1 ? raw : ([...raw][0] ?? ' ');
  if (first !== raw) rec.warnings.push(`datafield ${tag}: ${which} "${clip(raw)}" shortened to "${first}"`);
  return first;
}

function addOnce(list: string[], warning: string): void {
  if (!list.includes(warning)) list.push(warning);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
