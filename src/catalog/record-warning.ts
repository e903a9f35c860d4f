/**
 * What ingest noticed in a record and worked around, as a stable code with a sentence for people. The
 * quality report groups records by code; the sentence (with the offending value) is its example text.
 * Stored with the record as JSON (`records.warnings`: `[{code, message}]`).
 */
export type RecordWarningCode =
  /** the reader repaired the record's structure (leader, directory, tags, subfields, bytes) */
  | 'marc/repaired'
  /** leader/09 did not match the bytes; read in the encoding the bytes are in */
  | 'marc/encoding-mismatch'
  | 'mapping/invalid-isbn'
  | 'mapping/issn-in-isbn'
  | 'mapping/no-001'
  | 'mapping/unsafe-001'
  | 'mapping/language-name'
  | 'mapping/unknown-language'
  | 'ingest/duplicate-local-id';

export interface RecordWarning {
  code: RecordWarningCode;
  message: string;
}

export const recordWarning = (code: RecordWarningCode, message: string): RecordWarning => ({ code, message });

/**
 * The code of a warning stored before warnings had codes (plain sentences in `records.warnings`): read
 * back once from the sentences ingest wrote then, so older catalogs report the same until re-ingested.
 */
export function legacyWarning(message: string): RecordWarning {
  const code: RecordWarningCode = message.startsWith('invalid ISBN in 020$a')
    ? 'mapping/invalid-isbn'
    : message.startsWith('020$a holds an ISSN')
      ? 'mapping/issn-in-isbn'
      : message.startsWith('no 001')
        ? 'mapping/no-001'
        : message.includes('has characters unsafe in ids')
          ? 'mapping/unsafe-001'
          : message.includes('instead of a MARC language code')
            ? 'mapping/language-name'
            : message.includes('has an unrecognised language')
              ? 'mapping/unknown-language'
              : message.startsWith('duplicate local id')
                ? 'ingest/duplicate-local-id'
                : message.startsWith('leader/09 does not match the bytes')
                  ? 'marc/encoding-mismatch'
                  : 'marc/repaired';
  return { code, message };
}

/** Warnings as stored (JSON of objects, or of sentences from before codes), never throwing on bad JSON. */
export function parseStoredWarnings(json: string | null): RecordWarning[] {
  if (json === null) return [];
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out: RecordWarning[] = [];
  for (const w of v) {
    if (typeof w === 'string') out.push(legacyWarning(w));
    else if (w !== null && typeof w === 'object' && typeof (w as RecordWarning).code === 'string' && typeof (w as RecordWarning).message === 'string') {
      out.push({ code: (w as RecordWarning).code, message: (w as RecordWarning).message });
    }
  }
  return out;
}
