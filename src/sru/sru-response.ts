/**
 * SRU responses as XML: searchRetrieveResponse and explainResponse in SRU 1.x
 * (http://www.loc.gov/zing/srw/) and 2.0 (http://docs.oasis-open.org/ns/search-ws/sruResponse),
 * with diagnostics in each version's diagnostic namespace.
 */
import { xmlText } from '../common/xml-text.ts';
import { diagnosticMessage, diagnosticUri, type SruDiagnostic } from './sru-diagnostics.ts';
import type { SruEcho, SruVersion } from './sru-request.ts';

const NS: Record<'1' | '2', { sru: string; diag: string }> = {
  '1': { sru: 'http://www.loc.gov/zing/srw/', diag: 'http://www.loc.gov/zing/srw/diagnostic/' },
  '2': { sru: 'http://docs.oasis-open.org/ns/search-ws/sruResponse', diag: 'http://docs.oasis-open.org/ns/search-ws/diagnostic' },
};

const major = (v: SruVersion): '1' | '2' => (v === '2.0' ? '2' : '1');

export interface SruRecordOut {
  schemaUri: string;
  /** the record's XML (an element), or for a surrogate diagnostic the diagnostic */
  xml: string;
  position: number;
  /** a surrogate diagnostic stands in for a record that cannot be sent */
  surrogate?: boolean;
}

export interface SearchRetrieveOut {
  version: SruVersion;
  numberOfRecords: number;
  records: SruRecordOut[];
  nextRecordPosition?: number;
  escaping: 'xml' | 'string';
  echo: SruEcho;
  diagnostics: SruDiagnostic[];
  /** 2.0: the count is exact or a minimum */
  precision?: 'exact' | 'minimum';
}

function el(name: string, text: string | number): string {
  return `<zs:${name}>${xmlText(String(text))}</zs:${name}>`;
}

export function diagnosticXml(d: SruDiagnostic, version: SruVersion): string {
  const ns = NS[major(version)].diag;
  const details = d.details !== undefined ? `<diag:details>${xmlText(d.details)}</diag:details>` : '';
  return `<diag:diagnostic xmlns:diag="${ns}"><diag:uri>${diagnosticUri(d.code)}</diag:uri>${details}<diag:message>${xmlText(diagnosticMessage(d.code))}</diag:message></diag:diagnostic>`;
}

function echoXml(echo: SruEcho, version: SruVersion, escaping: 'xml' | 'string'): string {
  const parts: string[] = [];
  if (version !== '2.0') parts.push(el('version', version));
  if (echo.query !== undefined) parts.push(el('query', echo.query));
  if (echo.startRecord !== undefined) parts.push(el('startRecord', echo.startRecord));
  if (echo.maximumRecords !== undefined) parts.push(el('maximumRecords', echo.maximumRecords));
  if (version === '2.0') parts.push(el('recordXMLEscaping', escaping));
  else parts.push(el('recordPacking', escaping));
  if (echo.recordSchema !== undefined) parts.push(el('recordSchema', echo.recordSchema));
  return `<zs:echoedSearchRetrieveRequest>${parts.join('')}</zs:echoedSearchRetrieveRequest>`;
}

function recordXml(r: SruRecordOut, version: SruVersion, escaping: 'xml' | 'string'): string {
  const schema = r.surrogate ? 'info:srw/schema/1/diagnostics-v1.1' : r.schemaUri;
  const data = escaping === 'string' ? xmlText(r.xml) : r.xml;
  const packing = version === '2.0' ? `${el('recordXMLEscaping', escaping)}` : el('recordPacking', escaping);
  return `<zs:record>${el('recordSchema', schema)}${packing}<zs:recordData>${data}</zs:recordData>${el('recordPosition', r.position)}</zs:record>`;
}

export function searchRetrieveXml(out: SearchRetrieveOut): string {
  const v = out.version;
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', `<zs:searchRetrieveResponse xmlns:zs="${NS[major(v)].sru}">`];
  if (v !== '2.0') parts.push(el('version', v));
  parts.push(el('numberOfRecords', out.numberOfRecords));
  if (out.records.length > 0) {
    parts.push('<zs:records>');
    for (const r of out.records) parts.push(recordXml(r, v, out.escaping));
    parts.push('</zs:records>');
  }
  if (out.nextRecordPosition !== undefined) parts.push(el('nextRecordPosition', out.nextRecordPosition));
  parts.push(echoXml(out.echo, v, out.escaping));
  if (out.diagnostics.length > 0) parts.push(`<zs:diagnostics>${out.diagnostics.map((d) => diagnosticXml(d, v)).join('')}</zs:diagnostics>`);
  if (v === '2.0' && out.precision !== undefined) {
    parts.push(el('resultCountPrecision', `info:srw/vocabulary/resultCountPrecision/1/${out.precision}`));
  }
  parts.push('</zs:searchRetrieveResponse>\n');
  return parts.join('');
}

export interface ExplainOut {
  version: SruVersion;
  /** the ZeeRex record; absent when a diagnostic replaces it */
  explainXml?: string;
  escaping: 'xml' | 'string';
  diagnostics: SruDiagnostic[];
}

export const ZEEREX_SCHEMA = 'http://explain.z3950.org/dtd/2.0/';

export function explainResponseXml(out: ExplainOut): string {
  const v = out.version;
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', `<zs:explainResponse xmlns:zs="${NS[major(v)].sru}">`];
  if (v !== '2.0') parts.push(el('version', v));
  const data = out.explainXml === undefined ? '' : out.escaping === 'string' ? xmlText(out.explainXml) : out.explainXml;
  const packing = v === '2.0' ? el('recordXMLEscaping', out.escaping) : el('recordPacking', out.escaping);
  parts.push(`<zs:record>${el('recordSchema', ZEEREX_SCHEMA)}${packing}<zs:recordData>${data}</zs:recordData></zs:record>`);
  if (out.diagnostics.length > 0) parts.push(`<zs:diagnostics>${out.diagnostics.map((d) => diagnosticXml(d, v)).join('')}</zs:diagnostics>`);
  parts.push('</zs:explainResponse>\n');
  return parts.join('');
}
