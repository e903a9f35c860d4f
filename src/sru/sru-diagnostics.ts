/**
 * SRU diagnostics (info:srw/diagnostic/1/N): how every expected failure of an SRU request is told
 * to the client, in the response's own form — never an HTTP error page or a stack trace.
 */

export interface SruDiagnostic {
  code: number;
  /** the details the diagnostics list asks for (parameter name, index, relation, offset…) */
  details?: string;
}

export const DIAGNOSTIC_MESSAGES: Readonly<Record<number, string>> = {
  1: 'General system error',
  2: 'System temporarily unavailable',
  4: 'Unsupported operation',
  5: 'Unsupported version',
  6: 'Unsupported parameter value',
  7: 'Mandatory parameter not supplied',
  8: 'Unsupported parameter',
  10: 'Query syntax error',
  12: 'Too many characters in query',
  13: 'Invalid or unsupported use of parentheses',
  14: 'Invalid or unsupported use of quotes',
  15: 'Unsupported context set',
  16: 'Unsupported index',
  19: 'Unsupported relation',
  20: 'Unsupported relation modifier',
  22: 'Unsupported combination of relation and index',
  23: 'Too many characters in term',
  24: 'Unsupported combination of relation and term',
  27: 'Empty term unsupported',
  28: 'Masking character not supported',
  29: 'Masked words too short',
  32: 'Anchoring character in unsupported position',
  36: 'Term in invalid format for index or relation',
  37: 'Unsupported boolean operator',
  38: 'Too many boolean operators in query',
  39: 'Proximity not supported',
  46: 'Unsupported boolean modifier',
  61: 'First record position out of range',
  64: 'Record temporarily unavailable',
  65: 'Record does not exist',
  66: 'Unknown schema for retrieval',
  71: 'Unsupported record packing',
  72: 'XPath retrieval unsupported',
  80: 'Sort not supported',
  110: 'Stylesheets not supported',
};

export function diagnosticUri(code: number): string {
  return `info:srw/diagnostic/1/${code}`;
}

export function diagnosticMessage(code: number): string {
  return DIAGNOSTIC_MESSAGES[code] ?? 'General system error';
}

/** A failed step of an SRU request: the diagnostic to answer with. */
export type SruResult<T> = { ok: true; value: T } | { ok: false; diagnostic: SruDiagnostic };

export const fail = (code: number, details?: string): { ok: false; diagnostic: SruDiagnostic } => ({
  ok: false,
  diagnostic: details === undefined ? { code } : { code, details },
});
