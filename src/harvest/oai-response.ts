/**
 * One OAI-PMH response, parsed: the response date, errors, Identify facts, record headers (deleted or
 * not) with their metadata re-serialized as a standalone XML document, and the resumptionToken.
 * Elements are matched by local name, so any prefix (or none) works; the metadata keeps every
 * namespace declaration in scope, so `<marc:record>` declared on the envelope still reads as MARCXML.
 * Nothing is fetched and no entity is expanded.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export interface OaiHeader {
  identifier: string;
  datestamp: string;
  deleted: boolean;
  sets: string[];
}

export interface OaiRecord {
  header: OaiHeader;
  /** the element inside <metadata>, as a standalone XML document; absent for deleted records */
  metadata?: string;
}

export interface OaiIdentify {
  repositoryName?: string;
  baseURL?: string;
  protocolVersion?: string;
  earliestDatestamp?: string;
  deletedRecord?: string;
  /** YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ */
  granularity?: string;
}

export interface OaiResumptionToken {
  /** '' on the last page of a list */
  value: string;
  completeListSize?: number;
  cursor?: number;
  expirationDate?: string;
}

export interface OaiResponse {
  responseDate?: string;
  errors: Array<{ code: string; message: string }>;
  identify?: OaiIdentify;
  records: OaiRecord[];
  /** absent: the list ended (or was never paged) */
  resumptionToken?: OaiResumptionToken;
}

export type OaiParseResult = { ok: true; response: OaiResponse } | { ok: false; reason: string };

const INVALID_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const IDENTIFY_FIELDS = new Set(['repositoryName', 'baseURL', 'protocolVersion', 'earliestDatestamp', 'deletedRecord', 'granularity']);

interface Open {
  local: string;
  /** namespace declarations made on this element */
  scope: Map<string, string> | null;
}

export function parseOaiResponse(xml: string): OaiParseResult {
  const parser = new SaxesParser<{ xmlns: false }>({ xmlns: false });
  const response: OaiResponse = { errors: [], records: [] };
  const stack: Open[] = [];
  let failure: string | undefined;
  let text = '';
  let record: OaiRecord | undefined;
  let header: OaiHeader | undefined;
  let token: OaiResumptionToken | undefined;
  let errorCode: string | undefined;
  /** re-serializing the inside of <metadata> */
  let capture: { depth: number; parts: string[] } | undefined;

  const path = (): string => stack.map((e) => e.local).join('/');

  parser.on('doctype', () => {
    failure ??= 'the response declares a DOCTYPE; refused';
  });
  parser.on('error', (err) => {
    failure ??= `not well-formed XML: ${err.message}`;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const colon = tag.name.indexOf(':');
    const local = colon < 0 ? tag.name : tag.name.slice(colon + 1);
    let scope: Map<string, string> | null = null;
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (name === 'xmlns') (scope ??= new Map()).set('', value);
      else if (name.startsWith('xmlns:')) (scope ??= new Map()).set(name.slice(6), value);
    }
    if (capture !== undefined) {
      const first = stack.length === capture.depth + 1;
      const attrs = { ...tag.attributes };
      if (first) {
        // carry the namespace bindings declared further out onto the standalone document's root
        for (const [prefix, uri] of inScope(stack)) {
          const name = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
          if (!(name in attrs)) attrs[name] = uri;
        }
      }
      capture.parts.push(`<${tag.name}${Object.entries(attrs).map(([n, v]) => ` ${n}="${escapeAttribute(v)}"`).join('')}>`);
      stack.push({ local, scope });
      return;
    }
    stack.push({ local, scope });
    text = '';
    const p = path();
    if (stack.length === 1 && local !== 'OAI-PMH') failure ??= `not an OAI-PMH response (root element <${tag.name}>)`;
    if (local === 'error' && stack.length === 2) errorCode = tag.attributes['code'] ?? '';
    else if (local === 'record' && /^OAI-PMH\/(ListRecords|GetRecord)\/record$/.test(p)) {
      record = { header: { identifier: '', datestamp: '', deleted: false, sets: [] } };
    } else if (local === 'header' && (record !== undefined || /^OAI-PMH\/ListIdentifiers\/header$/.test(p))) {
      header = { identifier: '', datestamp: '', deleted: tag.attributes['status'] === 'deleted', sets: [] };
    } else if (local === 'metadata' && record !== undefined && stack.length === 4) {
      capture = { depth: stack.length - 1, parts: [] };
    } else if (local === 'resumptionToken' && stack.length === 3) {
      const size = tag.attributes['completeListSize'];
      const cursor = tag.attributes['cursor'];
      const expires = tag.attributes['expirationDate'];
      token = {
        value: '',
        ...(size !== undefined && /^\d+$/.test(size.trim()) ? { completeListSize: Number(size) } : {}),
        ...(cursor !== undefined && /^\d+$/.test(cursor.trim()) ? { cursor: Number(cursor) } : {}),
        ...(expires ? { expirationDate: expires } : {}),
      };
    }
  });
  parser.on('text', (t) => {
    if (capture !== undefined) capture.parts.push(escapeText(t));
    else text += t;
  });
  parser.on('cdata', (t) => {
    if (capture !== undefined) capture.parts.push(escapeText(t));
    else text += t;
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    const depth = stack.length - 1;
    if (capture !== undefined) {
      if (depth > capture.depth) {
        capture.parts.push(`</${tag.name}>`);
        stack.pop();
        return;
      }
      if (record !== undefined) {
        const xml = capture.parts.join('').trim();
        if (xml !== '') record.metadata = xml;
      }
      capture = undefined;
      stack.pop();
      return;
    }
    const closing = stack[depth];
    const local = closing?.local ?? '';
    const value = text.trim();
    text = '';
    if (depth === 1 && local === 'responseDate') response.responseDate = value;
    else if (depth === 1 && local === 'error') {
      response.errors.push({ code: errorCode ?? '', message: value });
      errorCode = undefined;
    } else if (depth === 2 && stack[1]?.local === 'Identify' && IDENTIFY_FIELDS.has(local)) {
      (response.identify ??= {})[local as keyof OaiIdentify] = value;
    } else if (header !== undefined && depth >= 3 && stack[depth - 1]?.local === 'header') {
      if (local === 'identifier') header.identifier = value;
      else if (local === 'datestamp') header.datestamp = value;
      else if (local === 'setSpec') header.sets.push(value);
    } else if (local === 'header' && header !== undefined) {
      if (record !== undefined) record.header = header;
      else response.records.push({ header });
      header = undefined;
    } else if (local === 'record' && record !== undefined && depth === 2) {
      response.records.push(record);
      record = undefined;
    } else if (local === 'resumptionToken' && token !== undefined && depth === 2) {
      token.value = value;
      response.resumptionToken = token;
      token = undefined;
    }
    stack.pop();
  });

  try {
    parser.write(xml.replace(/^\uFEFF/, '').replace(INVALID_XML_CHAR, '\uFFFD')).close();
  } catch (err) {
    failure ??= `not well-formed XML: ${(err as Error).message}`;
  }
  if (failure === undefined && stack.length > 0) failure = 'the response ended before the document did';
  if (failure !== undefined) return { ok: false, reason: failure.replace(/^not well-formed XML: \d+:\d+: /, 'not well-formed XML: ') };
  if (response.records.some((r) => r.header.identifier === '')) return { ok: false, reason: 'a record header has no identifier' };
  return { ok: true, response };
}

/** Every namespace binding in force at the top of the stack, innermost winning. */
function inScope(stack: readonly Open[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of stack) if (e.scope) for (const [p, u] of e.scope) out.set(p, u);
  return out;
}

function escapeText(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(t: string): string {
  return escapeText(t).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
