/**
 * The in-memory shape of one MARC 21 bibliographic record, whatever it was read from
 * (ISO 2709 or MARCXML). All strings are Unicode (NFC); MARC-8 has already been decoded.
 */
export interface MarcSubfield {
  code: string;
  value: string;
}

export interface MarcControlField {
  tag: string;
  value: string;
}

export interface MarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: MarcSubfield[];
}

export type MarcField = MarcControlField | MarcDataField;

export interface MarcRecord {
  /** 24 characters; padded/repaired by the readers when the source was short. */
  leader: string;
  fields: MarcField[];
}

/** Where a record came from and how it was decoded: used in problem reports and quality reports. */
export interface MarcSource {
  file: string;
  /** byte offset of the record in the file (ISO 2709), or the record's ordinal (1-based) for MARCXML */
  position: string;
  format: 'iso2709' | 'marcxml';
  /** 'utf8' = bytes were valid UTF-8; 'marc8' = decoded from MARC-8 */
  encoding: 'utf8' | 'marc8';
  /** leader/09 said one thing and the bytes were the other */
  encodingMismatch: boolean;
  /** non-fatal problems the reader repaired (e.g. a bad directory recovered from field terminators) */
  warnings: string[];
}

/**
 * Why a record (or a file) could not be read, as a stable code; `reason` says it for people, with the
 * details. Reports and callers decide by the code, never by the sentence.
 */
export type ReadProblemCode =
  | 'marc/unreadable' // the file or directory cannot be read, or reading stopped
  | 'marc/empty-file'
  | 'marc/not-marc' // neither XML nor an ISO 2709 leader
  | 'marc/not-a-file'
  | 'marc/bad-structure' // ISO 2709: leader too short, no directory, no fields
  | 'marc/too-long' // ISO 2709: no record terminator within the size limit
  | 'marc/truncated' // ISO 2709: the file ends inside a record
  | 'marc/bad-encoding' // the bytes are not the declared character encoding
  | 'marc/trailing-padding' // ISO 2709: NUL bytes after the last record (reported, ignored)
  | 'marc/not-well-formed' // MARCXML
  | 'marc/incomplete-record'
  | 'marc/empty-record'
  | 'marc/no-records'
  | 'marc/entities-refused' // a DOCTYPE declaring entities (XML bomb, external entities)
  | 'marc/too-many-problems'
  | 'marc/internal-error'
  | 'harvest/no-metadata' // an OAI-PMH record without metadata
  | 'harvest/no-marc'; // an OAI-PMH record whose metadata holds no MARC record

export interface ReadProblem {
  file: string;
  position: string;
  code: ReadProblemCode;
  reason: string;
  scope?: 'file';
}

/** One result of reading: a record, or a problem with the position it occurred at. */
export type MarcReadResult =
  /** `bytes`: the ISO 2709 record as read (a view into the reader's buffer: copy it to keep it) */
  | { ok: true; record: MarcRecord; source: MarcSource; bytes?: Uint8Array }
  | { ok: false; problem: ReadProblem };
// a problem without `scope` lost a record; `scope: 'file'` is about the file (bad markup between
// records, an unreadable stream) and lost no record by itself

export function isControlField(field: MarcField): field is MarcControlField {
  return (field as MarcControlField).value !== undefined && (field as MarcDataField).subfields === undefined;
}

export function isDataField(field: MarcField): field is MarcDataField {
  return (field as MarcDataField).subfields !== undefined;
}

export function controlValue(record: MarcRecord, tag: string): string | undefined {
  for (const f of record.fields) if (f.tag === tag && isControlField(f)) return f.value;
  return undefined;
}

export function dataFields(record: MarcRecord, ...tags: string[]): MarcDataField[] {
  if (tags.length === 1) return fieldsWithTag(record, tags[0] as string).slice();
  const out: MarcDataField[] = [];
  for (const f of record.fields) if (isDataField(f) && tags.includes(f.tag)) out.push(f);
  return out;
}

const NO_FIELDS: readonly MarcDataField[] = Object.freeze([]);

/**
 * The data fields with one tag, not copied: the list is shared by every call for the record (the
 * mapping asks for one tag dozens of times per record and only reads the lists; dataFields gives a copy).
 */
export function fieldsWithTag(record: MarcRecord, tag: string): readonly MarcDataField[] {
  // group the fields by tag once per record
  let byTag = lastGrouped;
  if (byTag === undefined || byTag.record !== record || byTag.count !== record.fields.length) {
    byTag = { record, count: record.fields.length, tags: new Map() };
    for (const f of record.fields) {
      if (!isDataField(f)) continue;
      const list = byTag.tags.get(f.tag);
      if (list) list.push(f);
      else byTag.tags.set(f.tag, [f]);
    }
    lastGrouped = byTag;
  }
  return byTag.tags.get(tag) ?? NO_FIELDS;
}

/**
 * The data fields by tag of the record asked about last (records are mapped one at a time: a
 * WeakMap of every record cost more, in its own upkeep and the collector's); `count` notices fields
 * added since.
 */
let lastGrouped: { record: MarcRecord; count: number; tags: Map<string, MarcDataField[]> } | undefined;

/** Values of the given subfield codes in field order (codes as a string, e.g. 'abnp'). */
export function subfieldValues(field: MarcDataField, codes: string): string[] {
  const out: string[] = [];
  for (const s of field.subfields) if (codes.includes(s.code) && s.value !== '') out.push(s.value);
  return out;
}

export function firstSubfield(field: MarcDataField, code: string): string | undefined {
  for (const s of field.subfields) if (s.code === code && s.value !== '') return s.value;
  return undefined;
}
