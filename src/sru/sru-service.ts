/**
 * The SRU endpoint: parameters in, an SRU response out — explain, or searchRetrieve with CQL run
 * on the union catalog and each hit sent as its union record (MARCXML with every member's 852
 * holdings) or as Dublin Core; `rec.id=LIB.123` sends that library's own record. Every expected
 * failure is an SRU diagnostic in the version the client speaks.
 */
import { LRUCache } from 'lru-cache';
import type { MarcRecord } from '../marc/marc-record.ts';
import type { WorkDocument } from '../catalog/work-document.ts';
import { XML_CONTENT_TYPE, type ProtocolRequest, type ProtocolResponse } from '../common/protocol-response.ts';
import { dcElementsXml, dublinCore } from '../union-record/dublin-core.ts';
import { marcRecordXml } from '../union-record/marcxml-record.ts';
import { xmlText } from '../common/xml-text.ts';
import type { ServedCatalog, ServedItem, WorkHead } from '../union-record/served-catalog.ts';
import { libraryMarc, unionMarc } from '../union-record/union-marc.ts';
import { parseCql, type CqlQuery } from './cql-parser.ts';
import { pqfToCql } from './pqf-query.ts';
import { DEFAULT_PLAN_LIMITS, planQuery, type LibraryName } from './cql-plan.ts';
import { runPlan, type FoundEntry, type FoundSet, type SearchWorks } from './cql-search.ts';
import type { SruDiagnostic } from './sru-diagnostics.ts';
import { explainRecord } from './sru-explain.ts';
import { soapEnvelope, soapFault, srwParams } from './srw-soap.ts';
import { DEFAULT_SRU_LIMITS, parseSruRequest, type SearchRetrieveRequest, type SruLimits, type SruVersion } from './sru-request.ts';
import { explainResponseXml, searchRetrieveXml, type SruRecordOut } from './sru-response.ts';

export interface SruServiceDeps {
  catalog: ServedCatalog;
  /** the works index's search: the one chat answers from */
  search: SearchWorks;
  /** changes whenever what a search finds may change (a new index, new catalog data): cached results are dropped */
  catalogVersion: () => string;
  /** member libraries with the names people use for them (the `lib` index) */
  libraries: () => readonly LibraryName[];
  /** libraries that do not lend through ILL ($r in their 852s) */
  nonLending: () => ReadonlySet<string>;
  repository: { name: string; identifier: string };
  /** when each work last changed (005), when known */
  datestamps?: (workIds: readonly number[]) => Map<number, string>;
  limits?: Partial<SruLimits> & { maxResults?: number; maxVerified?: number };
}

export interface SruService {
  handle(req: ProtocolRequest): ProtocolResponse;
  /** the answer to a request that cannot be served now (rate limit, shutting down): diagnostic 2 in the client's version */
  unavailable(req: ProtocolRequest, details: string): ProtocolResponse;
}

const RESULT_CACHE = 200;

export function createSruService(deps: SruServiceDeps): SruService {
  const limits: SruLimits = { ...DEFAULT_SRU_LIMITS, ...deps.limits };
  const maxResults = deps.limits?.maxResults ?? 10_000;
  const maxVerified = deps.limits?.maxVerified ?? 1_000;
  // a client pages through one result with the same query: keep the last results
  const cache = new LRUCache<string, FoundSet>({ max: RESULT_CACHE });

  const respond = (body: string): ProtocolResponse => ({ status: 200, headers: { 'content-type': XML_CONTENT_TYPE }, body });

  const searchFailed = (version: SruVersion, echo: ReturnType<typeof parseSruRequest>['echo'], d: SruDiagnostic, escaping: 'xml' | 'string' = 'xml'): ProtocolResponse =>
    respond(searchRetrieveXml({ version, numberOfRecords: 0, records: [], escaping, echo, diagnostics: [d] }));

  const find = (query: string, queryType: 'cql' | 'pqf'): { ok: true; found: FoundSet } | { ok: false; diagnostic: SruDiagnostic } => {
    const key = `${deps.catalogVersion()}\u0000${queryType}\u0000${query}`;
    const hit = cache.get(key);
    if (hit) return { ok: true, found: hit };
    let cql: CqlQuery;
    if (queryType === 'pqf') {
      const converted = pqfToCql(query);
      if (!converted.ok) return converted;
      cql = converted.value;
    } else {
      const parsed = parseCql(query);
      if (!parsed.ok) {
        const e = parsed.error;
        return { ok: false, diagnostic: { code: e.code, details: e.code === 13 || e.code === 14 ? String(e.position) : e.message } };
      }
      cql = parsed.query;
    }
    const plan = planQuery(cql, deps.libraries(), DEFAULT_PLAN_LIMITS);
    if (!plan.ok) return plan;
    const found = runPlan(plan.value, { catalog: deps.catalog, search: deps.search, maxResults, maxVerified });
    cache.set(key, found);
    return { ok: true, found };
  };

  const render = (entries: readonly FoundEntry[], req: SearchRetrieveRequest, firstPosition: number): SruRecordOut[] => {
    const workIds = [...new Set(entries.map((e) => e.workId))];
    const wantMarc = req.schema.name === 'marcxml';
    // a union MARC record needs only a work's record list; Dublin Core the whole document
    const works: Map<number, WorkHead | WorkDocument> = wantMarc ? deps.catalog.workHeads(workIds) : deps.catalog.works(workIds);
    const items = wantMarc ? deps.catalog.itemsOfWorks(workIds) : new Map<number, ServedItem[]>();
    const recordIds = entries.map((e) => (e.kind === 'record' ? e.recordId : works.get(e.workId)?.records[0])).filter((id): id is string => id !== undefined);
    const marcs = wantMarc ? deps.catalog.recordMarcs(recordIds) : new Map<string, MarcRecord>();
    const stamps = wantMarc && deps.datestamps ? deps.datestamps(workIds) : new Map<number, string>();
    const nonLending = deps.nonLending();
    return entries.map((e, i) => {
      const position = firstPosition + i;
      const work = works.get(e.workId);
      const xml = work ? recordXml(e, work) : undefined;
      if (xml === undefined) return { schemaUri: req.schema.uri, xml: surrogate(req, 65, e.kind === 'record' ? e.recordId : `w${e.workId}`), position, surrogate: true };
      return { schemaUri: req.schema.uri, xml, position };
    });

    function recordXml(e: FoundEntry, work: WorkHead | WorkDocument): string | undefined {
      if (!wantMarc) return `<srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns:dc="http://purl.org/dc/elements/1.1/">${dcElementsXml(dublinCore(work as WorkDocument))}</srw_dc:dc>`;
      if (e.kind === 'record') {
        const own = marcs.get(e.recordId);
        return own ? marcRecordXml(libraryMarc(own)) : undefined;
      }
      const base = marcs.get(work.records[0] ?? '');
      if (!base) return undefined;
      const stamp = stamps.get(work.id);
      return marcRecordXml(
        unionMarc({ work, base, items: items.get(work.id) ?? [], repository: deps.repository.identifier, ...(stamp ? { datestamp: stamp } : {}), holdings: { nonLending } }),
      );
    }
  };

  const surrogate = (req: SearchRetrieveRequest, code: number, details: string): string => {
    // a diagnostic in the record's place, in the 1.x diagnostic schema that diagnostics-v1.1 names
    return `<diagnostic xmlns="http://www.loc.gov/zing/srw/diagnostic/"><uri>info:srw/diagnostic/1/${code}</uri><details>${xmlText(details)}</details><message>${code === 65 ? 'Record does not exist' : 'Record temporarily unavailable'}</message></diagnostic>`;
  };

  /** SRW (SOAP) requests: the envelope's parameters, the answer in an envelope; SRW is SRU 1.x */
  const viaSoap = (req: ProtocolRequest, answer: (r: ProtocolRequest) => ProtocolResponse): ProtocolResponse => {
    if (!req.body) return answer(req);
    if (!/^(text|application)\/(soap\+)?xml\b/i.test(req.body.type)) {
      return { status: 415, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: 'SRU takes GET, a form POST, or SRW (SOAP, text/xml).\n' };
    }
    const srw = srwParams(req.body.text);
    if (!srw.ok) return { status: 500, headers: { 'content-type': XML_CONTENT_TYPE }, body: soapFault(srw.fault) };
    if (!srw.params.has('version')) srw.params.set('version', ['1.2']);
    const inner = answer({ params: srw.params, url: req.url, method: 'POST' });
    return { ...inner, body: soapEnvelope(typeof inner.body === 'string' ? inner.body : '') };
  };

  const handlePlain = (req: ProtocolRequest): ProtocolResponse => {
    const parsed = parseSruRequest(req.params, limits);
    const { version, echo } = parsed;
    const explain = (diagnostics: SruDiagnostic[], escaping: 'xml' | 'string'): ProtocolResponse =>
      respond(
        explainResponseXml({
          version,
          escaping,
          diagnostics,
          explainXml: explainRecord({
            url: req.url,
            title: `${deps.repository.name} — union catalog`,
            description: `The union catalog of ${deps.repository.name}: one record per work, with every member library's holdings (MARC 852).`,
            version,
            limits,
          }),
        }),
      );
    if (!parsed.request.ok) {
      const wantsSearch = req.params.has('query') || req.params.get('operation')?.[0] === 'searchRetrieve';
      return wantsSearch ? searchFailed(version, echo, parsed.request.diagnostic) : explain([parsed.request.diagnostic], 'xml');
    }
    const r = parsed.request.value;
    if (r.operation === 'explain') return explain([], r.escaping);
    const result = find(r.query, r.queryType);
    if (!result.ok) return searchFailed(version, echo, result.diagnostic, r.escaping);
    const { found } = result;
    if (found.total > 0 && r.startRecord > found.total) {
      return respond(searchRetrieveXml({ version, numberOfRecords: found.total, records: [], escaping: r.escaping, echo, diagnostics: [{ code: 61, details: String(r.startRecord) }], precision: found.precision }));
    }
    const entries = r.maximumRecords === 0 ? [] : found.page(r.startRecord - 1, r.maximumRecords);
    const records = render(entries, r, r.startRecord);
    const next = r.startRecord + entries.length;
    return respond(
      searchRetrieveXml({
        version,
        numberOfRecords: found.total,
        records,
        ...(entries.length > 0 && next <= found.total ? { nextRecordPosition: next } : {}),
        escaping: r.escaping,
        echo,
        diagnostics: [],
        precision: found.precision,
      }),
    );
  };

  return {
    handle: (req) => viaSoap(req, handlePlain),
    unavailable: (req, details) =>
      viaSoap(req, (r) => {
        const { version, echo } = parseSruRequest(r.params, limits);
        return searchFailed(version, echo, { code: 2, details });
      }),
  };
}
