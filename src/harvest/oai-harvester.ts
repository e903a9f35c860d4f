/**
 * Harvests one library's OAI-PMH source into the union catalog: Identify (for the datestamp
 * granularity), then ListRecords page by page through resumptionTokens to the end of the list.
 *
 * - Incremental by default: `from=` the responseDate of the last complete harvest's first page, cut to
 *   the repository's granularity (bounds are inclusive, so nothing changed in that second is missed).
 * - Full: the whole list; records of this source that the list no longer has are removed at its end.
 * - Deleted headers remove the record they name.
 * - Every page is stored in one transaction together with the resumption point, so an interrupted
 *   harvest (the provider went away, the process died) resumes where it stopped.
 * - OAI errors mean what the protocol says: noRecordsMatch is an empty list; badResumptionToken (an
 *   expired token) restarts the list once; cannotDisseminateFormat, badArgument and noSetHierarchy are
 *   configuration errors and stop this source.
 */
import type { HoldingsProfile, OaiSource } from '../config/consortium-config.ts';
import { createRecordIngester, type IngestItem, type RecordIngestSummary } from '../ingest/ingest-marc-records.ts';
import type { MarcReadResult } from '../marc/marc-record.ts';
import { readMarcXml } from '../marc/marcxml-reader.ts';
import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import type { HarvestStateRow, SqliteHarvestStore } from '../store/sqlite-harvest-store.ts';
import { getWithRetries, type HttpErrorCode, type HttpPolicy } from './oai-client.ts';
import { parseOaiResponse, type OaiRecord, type OaiResponse } from './oai-response.ts';

export type HarvestMode = 'full' | 'incremental';

export type HarvestErrorCode =
  | HttpErrorCode
  | 'harvest/not-oai'
  | 'harvest/cannot-disseminate-format'
  | 'harvest/bad-argument'
  | 'harvest/no-set-hierarchy'
  | 'harvest/bad-resumption-token'
  | 'harvest/oai-error';

export interface HarvestError {
  code: HarvestErrorCode;
  message: string;
}

export interface OaiHarvestProgress {
  pages: number;
  /** records and deletions received in this run */
  received: number;
  /** the list's completeListSize, when the repository says */
  total?: number;
  /** received before this run, by the interrupted run this one resumes */
  receivedBefore: number;
  ingest: RecordIngestSummary;
}

export interface OaiHarvestSummary {
  source: string;
  mode: HarvestMode;
  resumed: boolean;
  from?: string;
  pages: number;
  /** HTTP requests made, retries included */
  requests: number;
  records: number;
  deletions: number;
  /** records of this source removed because a full harvest no longer had them */
  removedUnseen: number;
  completeListSize?: number;
  granularity: string;
  ingest: RecordIngestSummary;
}

export type OaiHarvestResult = { ok: true; summary: OaiHarvestSummary } | { ok: false; error: HarvestError; summary: OaiHarvestSummary };

export interface OaiHarvestOptions {
  store: SqliteCatalogStore;
  harvest: SqliteHarvestStore;
  library: string;
  libraryName?: string;
  source: OaiSource;
  holdingsProfile: HoldingsProfile;
  /** what was asked; an unfinished list is resumed instead (a full one satisfies both modes) */
  mode: HarvestMode;
  http: HttpPolicy;
  onProgress?: (p: OaiHarvestProgress) => void;
  now?: () => Date;
}

const DAY = 'YYYY-MM-DD';
const SECONDS = 'YYYY-MM-DDThh:mm:ssZ';

/** The harvest-state key of a library's OAI source. */
export function oaiSourceKey(library: string, source: Pick<OaiSource, 'baseUrl' | 'metadataPrefix' | 'set'>): string {
  return `${library} oai ${source.baseUrl} ${source.metadataPrefix}${source.set ? ` ${source.set}` : ''}`;
}

/** "OAI-PMH opac.example.ac.id/oai (marc21, set dewey:900)" */
export function oaiSourceLabel(source: Pick<OaiSource, 'baseUrl' | 'metadataPrefix' | 'set'>): string {
  let where = source.baseUrl;
  try {
    const u = new URL(source.baseUrl);
    where = `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    // keep the configured text
  }
  return `OAI-PMH ${where} (${source.metadataPrefix}${source.set ? `, set ${source.set}` : ''})`;
}

export async function harvestOai(opts: OaiHarvestOptions): Promise<OaiHarvestResult> {
  const { harvest, library, source } = opts;
  const now = opts.now ?? (() => new Date());
  const key = oaiSourceKey(library, source);
  const before = harvest.state(key);
  const resume = before?.pendingToken && (before.pendingMode === 'full' || opts.mode === 'incremental') ? before : undefined;
  const mode: HarvestMode = resume?.pendingMode ?? (opts.mode === 'incremental' && before?.nextFrom ? 'incremental' : 'full');
  const runId = harvest.startRun(library, key, resume ? `${mode}, resumed` : mode, now().toISOString());
  const fullRun = mode === 'full' ? (resume?.pendingRun ?? runId) : undefined;
  const ingester = createRecordIngester({
    store: opts.store,
    library,
    ...(opts.libraryName !== undefined ? { name: opts.libraryName } : {}),
    holdingsProfile: opts.holdingsProfile,
    keys: { source: key, harvest, ...(fullRun !== undefined ? { fullRun } : {}) },
    now,
  });
  const summary: OaiHarvestSummary = {
    source: key, mode, resumed: resume !== undefined, pages: 0, requests: 0, records: 0, deletions: 0, removedUnseen: 0,
    granularity: before?.granularity ?? DAY, ingest: ingester.summary,
  };
  const receivedBefore = resume?.pendingHarvested ?? 0;

  const end = (error?: HarvestError): OaiHarvestResult => {
    ingester.finish();
    const stamp = now().toISOString();
    const brief = { ...summary, ingest: { ...summary.ingest, problems: summary.ingest.problems.length, repaired: summary.ingest.repaired.length } };
    harvest.finishRun(runId, stamp, error ? 'failed' : 'ok', brief, error);
    return error ? { ok: false, error, summary } : { ok: true, summary };
  };

  const request = async (params: Record<string, string>): Promise<{ ok: true; response: OaiResponse } | { ok: false; error: HarvestError }> => {
    const url = new URL(source.baseUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let parsed: OaiResponse | undefined;
    const out = await getWithRetries(url, opts.http, (_status, text) => {
      const p = parseOaiResponse(text);
      if (!p.ok) return p.reason;
      parsed = p.response;
      return undefined;
    });
    summary.requests += out.ok ? out.attempts : out.error.attempts;
    if (!out.ok) {
      const code = out.error.code === 'harvest/bad-response' ? 'harvest/not-oai' : out.error.code;
      return { ok: false, error: { code, message: `${params.verb ?? ''} ${url.host}: ${out.error.message} (${out.error.attempts} attempt${out.error.attempts === 1 ? '' : 's'})` } };
    }
    return { ok: true, response: parsed as OaiResponse };
  };

  // Identify: the granularity decides how `from` is written
  const identify = await request({ verb: 'Identify' });
  if (!identify.ok) return end(identify.error);
  const granularity = identify.response.identify?.granularity?.startsWith('YYYY-MM-DDThh') ? SECONDS : DAY;
  summary.granularity = granularity;

  const from = resume ? resume.pendingFrom ?? undefined : mode === 'incremental' && before?.nextFrom ? formatFrom(before.nextFrom, granularity) : undefined;
  if (from !== undefined) summary.from = from;
  let token = resume?.pendingToken ?? undefined;
  let listStart = resume?.pendingResponseDate ?? undefined;
  let total = resume?.pendingTotal ?? undefined;
  let restarted = false;

  const saveState = (changes: Partial<HarvestStateRow>): void => {
    const current = harvest.state(key);
    harvest.saveState({
      source: key, library, granularity, nextFrom: current?.nextFrom ?? null, lastSuccessAt: current?.lastSuccessAt ?? null,
      pendingToken: null, pendingMode: null, pendingFrom: null, pendingResponseDate: null, pendingRun: null, pendingHarvested: 0, pendingTotal: null,
      updatedAt: now().toISOString(),
      ...changes,
    });
  };

  /** The list is complete: drop what a full list no longer has; the next harvest starts from this one. */
  const finishList = (): void => {
    if (fullRun !== undefined) {
      const gone = harvest.recordsNotSeenIn(key, fullRun);
      summary.removedUnseen = gone.length;
      ingester.deleteRecords(gone);
    }
    saveState({ nextFrom: listStart ?? null, lastSuccessAt: now().toISOString() });
  };

  const listParams = (t: string | undefined): Record<string, string> =>
    t !== undefined
      ? { verb: 'ListRecords', resumptionToken: t }
      : { verb: 'ListRecords', metadataPrefix: source.metadataPrefix, ...(from ? { from } : {}), ...(source.set ? { set: source.set } : {}) };
  let sentAt = now();
  let inflight = request(listParams(token));
  for (;;) {
    const res = await inflight;
    if (!res.ok) return end(res.error); // the resumption point of the last stored page is saved
    const r = res.response;
    const codes = new Set(r.errors.map((e) => e.code));
    if (codes.has('badResumptionToken') && token !== undefined) {
      if (restarted) return end({ code: 'harvest/bad-resumption-token', message: `the repository refused its own resumptionToken twice: ${oaiErrorText(r)}` });
      // expired or unknown (e.g. the repository restarted): the list starts again; keys already seen stay seen
      restarted = true;
      token = undefined;
      listStart = undefined;
      sentAt = now();
      inflight = request(listParams(undefined));
      continue;
    }
    listStart ??= isoSeconds(r.responseDate) ?? isoSeconds(sentAt.toISOString());
    if (codes.has('noRecordsMatch')) {
      ingester.ingestBatch([], finishList);
      break;
    }
    if (codes.size > 0) return end(oaiError(codes, r, source));

    const next = r.resumptionToken?.value ?? '';
    // ask for the next page while this one is stored
    if (next !== '') {
      inflight = request(listParams(next));
      await new Promise((resolve) => setImmediate(resolve)); // lets the request leave before the work below
    }
    summary.pages++;
    const items: IngestItem[] = [];
    for (const record of r.records) items.push(await toItem(record, summary.pages));
    summary.records += items.filter((i) => i.type === 'record').length;
    summary.deletions += items.filter((i) => i.type === 'delete').length;
    total = r.resumptionToken?.completeListSize ?? total;
    if (total !== undefined) summary.completeListSize = total;
    const pendingList = {
      pendingToken: next, pendingMode: mode, pendingFrom: from ?? null, pendingResponseDate: listStart,
      pendingRun: fullRun ?? null, pendingHarvested: receivedBefore + summary.records + summary.deletions, pendingTotal: total ?? null,
    };
    ingester.ingestBatch(items, next !== '' ? () => saveState(pendingList) : finishList);
    opts.onProgress?.({ pages: summary.pages, received: summary.records + summary.deletions, receivedBefore, ingest: summary.ingest, ...(total !== undefined ? { total } : {}) });
    if (next === '') break;
    token = next;
  }
  return end();
}

async function toItem(record: OaiRecord, page: number): Promise<IngestItem> {
  const key = record.header.identifier;
  if (record.header.deleted) return { type: 'delete', key };
  const position = `page ${page}`;
  if (record.metadata === undefined) return { type: 'record', key, result: { ok: false, problem: { file: key, position, reason: 'the record has no metadata' } } };
  const results: MarcReadResult[] = [];
  const bytes = new TextEncoder().encode(record.metadata);
  for await (const r of readMarcXml(key, (async function* () {
    yield bytes;
  })())) {
    results.push(r);
  }
  const found = results.find((r): r is Extract<MarcReadResult, { ok: true }> => r.ok);
  if (found) return { type: 'record', key, result: { ...found, source: { ...found.source, file: key, position } } };
  const why = results.find((r): r is Extract<MarcReadResult, { ok: false }> => !r.ok)?.problem.reason;
  return {
    type: 'record',
    key,
    result: {
      ok: false,
      problem: { file: key, position, reason: why === undefined || why === 'no MARC records found' ? 'no MARCXML record in the metadata (is the metadataPrefix a MARC format?)' : why },
    },
  };
}

function oaiError(codes: ReadonlySet<string>, r: OaiResponse, source: OaiSource): HarvestError {
  const text = oaiErrorText(r);
  if (codes.has('cannotDisseminateFormat')) return { code: 'harvest/cannot-disseminate-format', message: `the repository does not serve metadataPrefix "${source.metadataPrefix}": ${text}` };
  if (codes.has('noSetHierarchy')) return { code: 'harvest/no-set-hierarchy', message: `the repository has no sets, but set "${source.set ?? ''}" is configured: ${text}` };
  if (codes.has('badArgument')) return { code: 'harvest/bad-argument', message: `the repository refused the request: ${text}` };
  return { code: 'harvest/oai-error', message: text };
}

function oaiErrorText(r: OaiResponse): string {
  return r.errors.map((e) => `${e.code}${e.message ? ` (${e.message})` : ''}`).join('; ');
}

/** A date as YYYY-MM-DDThh:mm:ssZ (UTC); undefined when unreadable. */
export function isoSeconds(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const t = Date.parse(value.trim());
  if (Number.isNaN(t)) return undefined;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `from` in the repository's granularity: day granularity drops the time (the bound is inclusive). */
export function formatFrom(instant: string, granularity: string): string {
  const seconds = isoSeconds(instant) ?? instant;
  return granularity === SECONDS ? seconds : seconds.slice(0, 10);
}
