/**
 * SRU request parameters (GET query string or POST form) → a checked request, for SRU 1.1, 1.2
 * and 2.0. The version answered in is always settled first, so even a refused request gets a
 * response its client can read: `version=1.x` is answered in 1.x; 2.0, or no version at all (2.0
 * dropped the parameter), in 2.0.
 */
import type { ProtocolParams } from '../common/protocol-response.ts';
import { fail, type SruDiagnostic, type SruResult } from './sru-diagnostics.ts';

export type SruVersion = '1.1' | '1.2' | '2.0';

export interface SruSchema {
  name: 'marcxml' | 'dc';
  uri: string;
  title: string;
}

export const SCHEMAS: readonly SruSchema[] = [
  { name: 'marcxml', uri: 'info:srw/schema/1/marcxml-v1.1', title: 'MARCXML: the union record, with every member\'s holdings as 852 fields' },
  { name: 'dc', uri: 'info:srw/schema/1/dc-v1.1', title: 'Dublin Core' },
];

const SCHEMA_NAMES: ReadonlyMap<string, SruSchema['name']> = new Map([
  ['marcxml', 'marcxml'],
  ['marc21', 'marcxml'],
  ['marcxml-v1.1', 'marcxml'],
  ['info:srw/schema/1/marcxml-v1.1', 'marcxml'],
  ['http://www.loc.gov/marc21/slim', 'marcxml'],
  ['marc21-xml', 'marcxml'],
  ['dc', 'dc'],
  ['dc-v1.1', 'dc'],
  ['info:srw/schema/1/dc-v1.1', 'dc'],
  ['info:srw/schema/1/dc-schema', 'dc'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
]);

export interface SruLimits {
  /** records per response at most (a larger maximumRecords is lowered to it) */
  maxRecords: number;
  defaultRecords: number;
  /** characters of a query at most */
  maxQueryLength: number;
}

export const DEFAULT_SRU_LIMITS: SruLimits = { maxRecords: 100, defaultRecords: 10, maxQueryLength: 2000 };

/** What the response echoes of the request. */
export interface SruEcho {
  query?: string;
  startRecord?: string;
  maximumRecords?: string;
  recordSchema?: string;
  recordPacking?: string;
  recordXMLEscaping?: string;
}

export interface SearchRetrieveRequest {
  operation: 'searchRetrieve';
  query: string;
  /** CQL, or a Z39.50 type-1 query in PQF (x-pquery, SRW's pQuery, queryType=pqf) */
  queryType: 'cql' | 'pqf';
  /** 1-based */
  startRecord: number;
  maximumRecords: number;
  schema: SruSchema;
  /** records as XML, or as escaped strings (1.x recordPacking=string, 2.0 recordXMLEscaping=string) */
  escaping: 'xml' | 'string';
}

export interface ExplainRequest {
  operation: 'explain';
  escaping: 'xml' | 'string';
}

export interface ParsedSruRequest {
  version: SruVersion;
  echo: SruEcho;
  request: SruResult<SearchRetrieveRequest | ExplainRequest>;
}

const KNOWN = new Set([
  'operation', 'version', 'query', 'queryType', 'startRecord', 'maximumRecords', 'recordSchema', 'recordPacking',
  'recordXMLEscaping', 'resultSetTTL', 'sortKeys', 'stylesheet', 'recordXPath', 'httpAccept', 'responseType', 'renderedBy',
  'extraRequestData', 'pQuery', 'facetLimit', 'facetStart', 'facetSort', 'facetRangeField', 'facetLowValue', 'facetHighValue', 'facetCount',
]);

export function parseSruRequest(params: ProtocolParams, limits: SruLimits = DEFAULT_SRU_LIMITS): ParsedSruRequest {
  const one = (name: string): string | undefined => params.get(name)?.[0];
  const requested = one('version');
  const version: SruVersion = requested === '1.1' || requested === '1.2' ? requested : requested?.startsWith('1') ? '1.2' : '2.0';
  const echo: SruEcho = {};
  const q = one('query') ?? one('x-pquery') ?? one('pQuery');
  if (q !== undefined) echo.query = q;
  for (const k of ['startRecord', 'maximumRecords', 'recordSchema', 'recordPacking', 'recordXMLEscaping'] as const) {
    const v = one(k);
    if (v !== undefined) echo[k] = v;
  }
  return { version, echo, request: check(params, one, requested, version, limits) };
}

function check(
  params: ProtocolParams,
  one: (name: string) => string | undefined,
  requested: string | undefined,
  version: SruVersion,
  limits: SruLimits,
): SruResult<SearchRetrieveRequest | ExplainRequest> {
  if (requested !== undefined && requested !== '1.1' && requested !== '1.2' && requested !== '2.0') return fail(5, '2.0');
  const pqf = one('x-pquery') ?? one('pQuery');
  const query = one('query') ?? pqf;
  const operation = one('operation') ?? (query !== undefined ? 'searchRetrieve' : 'explain');
  if (operation !== 'searchRetrieve' && operation !== 'explain') return fail(4, operation);
  for (const [name, values] of params) {
    if (!KNOWN.has(name) && !name.startsWith('x-')) return fail(8, name);
    if (values.length > 1 && name !== 'httpAccept') return fail(6, name);
  }
  const escaping = recordEscaping(one, version);
  if (!escaping.ok) return escaping;
  if (one('stylesheet') !== undefined) return fail(110, one('stylesheet'));
  if (operation === 'explain') return { ok: true, value: { operation: 'explain', escaping: escaping.value } };

  if (query === undefined || query.trim() === '') return fail(7, 'query');
  if (query.length > limits.maxQueryLength) return fail(12, String(limits.maxQueryLength));
  const queryType = one('queryType') ?? (one('query') === undefined && pqf !== undefined ? 'pqf' : 'cql');
  if (queryType !== 'cql' && queryType !== 'pqf') return fail(6, 'queryType');
  if (one('recordXPath') !== undefined) return fail(72, one('recordXPath'));
  if (one('sortKeys') !== undefined) return fail(80, 'sortKeys');
  const start = positiveInteger(one('startRecord'), 1, 1);
  if (start === undefined) return fail(6, 'startRecord');
  const max = positiveInteger(one('maximumRecords'), limits.defaultRecords, 0);
  if (max === undefined) return fail(6, 'maximumRecords');
  const schemaParam = one('recordSchema');
  const schemaName = schemaParam === undefined ? 'marcxml' : SCHEMA_NAMES.get(schemaParam.trim().toLowerCase());
  if (schemaName === undefined) return fail(66, schemaParam);
  const schema = SCHEMAS.find((s) => s.name === schemaName) as SruSchema;
  return {
    ok: true,
    value: { operation: 'searchRetrieve', query, queryType, startRecord: start, maximumRecords: Math.min(max, limits.maxRecords), schema, escaping: escaping.value },
  };
}

/** 1.x: recordPacking xml|string; 2.0: recordXMLEscaping xml|string and recordPacking packed (unpacked is not offered). */
function recordEscaping(one: (name: string) => string | undefined, version: SruVersion): SruResult<'xml' | 'string'> {
  const packing = one('recordPacking');
  if (version !== '2.0') {
    if (packing === undefined || packing === 'xml') return { ok: true, value: 'xml' };
    if (packing === 'string') return { ok: true, value: 'string' };
    return fail(71, packing);
  }
  if (packing !== undefined && packing !== 'packed') return fail(71, packing);
  const escaping = one('recordXMLEscaping');
  if (escaping === undefined || escaping === 'xml') return { ok: true, value: 'xml' };
  if (escaping === 'string') return { ok: true, value: 'string' };
  return fail(71, escaping);
}

function positiveInteger(raw: string | undefined, fallback: number, min: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\s*\d{1,9}\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min ? n : undefined;
}

export type { SruDiagnostic };
