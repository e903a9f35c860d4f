/**
 * The OAI-PMH 2.0 data provider: the six verbs over the union catalog, one item per work
 * (`oai:<repository>:w<id>`), in oai_dc and marc21 (MARCXML with every member's 852 holdings),
 * sets per library and per format, datestamps at seconds, deletedRecord=persistent.
 *
 * Lists are pages in (datestamp, work id) order, each ended by a resumption token that holds the
 * list's state (oai-token.ts); a page is written as it is read, a few records at a time, so a
 * response's memory does not grow with the list. Before answering, the items are brought up to
 * date with the catalog (items.sync), so a harvester that follows `from=` sees every change.
 */
import type { WorkDocument } from '../catalog/work-document.ts';
import { XML_CONTENT_TYPE, type ProtocolRequest, type ProtocolResponse } from '../common/protocol-response.ts';
import { dcElementsXml, dublinCore } from '../union-record/dublin-core.ts';
import { MARCXML_NAMESPACE, MARCXML_SCHEMA, marcRecordXml } from '../union-record/marcxml-record.ts';
import type { ServedCatalog, WorkHead } from '../union-record/served-catalog.ts';
import { unionMarc } from '../union-record/union-marc.ts';
import { xmlAttribute, xmlText } from '../common/xml-text.ts';
import { datestampOf, GRANULARITY } from './oai-datestamp.ts';
import type { OaiItem, OaiItemStore } from './oai-item-store.ts';
import { parseOaiRequest, type OaiError, type OaiErrorCode, type OaiRequest } from './oai-request.ts';
import { setName } from './oai-sets.ts';
import { decodeToken, encodeToken, type TokenState } from './oai-token.ts';

export interface MetadataFormat {
  prefix: 'oai_dc' | 'marc21';
  schema: string;
  namespace: string;
}

export const METADATA_FORMATS: readonly MetadataFormat[] = [
  { prefix: 'oai_dc', schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/' },
  { prefix: 'marc21', schema: MARCXML_SCHEMA, namespace: MARCXML_NAMESPACE },
];

export interface OaiRepository {
  name: string;
  /** the <repository> of oai:<repository>:w<id> */
  identifier: string;
  adminEmails: readonly string[];
}

export interface OaiProviderDeps {
  items: OaiItemStore;
  catalog: ServedCatalog;
  repository: OaiRepository;
  /** the catalog's id: tokens of another catalog (a replaced database) are refused */
  catalogId: () => string;
  nonLending: () => ReadonlySet<string>;
  clock?: () => Date;
  /** records per ListRecords page, headers per ListIdentifiers page */
  pageSize?: { records: number; identifiers: number };
  tokenLifetimeSeconds?: number;
  /** the base URL to announce; default: the URL the request came to */
  baseUrl?: string;
  /** records read and written at a time within a page */
  chunk?: number;
}

export interface OaiProvider {
  handle(req: ProtocolRequest): ProtocolResponse;
  /** brings the items up to date with the catalog now (a server does it at start and from time to time) */
  sync(): void;
}

const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';

export function createOaiProvider(deps: OaiProviderDeps): OaiProvider {
  const clock = deps.clock ?? (() => new Date());
  const pageSize = deps.pageSize ?? { records: 200, identifiers: 1000 };
  const lifetime = deps.tokenLifetimeSeconds ?? 24 * 3600;
  const chunk = deps.chunk ?? 25;
  const repo = deps.repository;
  const idPattern = new RegExp(`^oai:${repo.identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:w([1-9]\\d{0,11})$`);

  const identifierOf = (workId: number): string => `oai:${repo.identifier}:w${workId}`;
  const workOf = (identifier: string): number | undefined => {
    const m = idPattern.exec(identifier);
    return m ? Number(m[1]) : undefined;
  };

  const envelope = (req: ProtocolRequest, echo: Record<string, string>, now: Date): string => {
    const base = deps.baseUrl ?? `${req.url.origin}${req.url.pathname}`;
    const attrs = Object.entries(echo)
      .map(([k, v]) => ` ${k}="${xmlAttribute(v)}"`)
      .join('');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<OAI-PMH xmlns="${OAI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">` +
      `<responseDate>${datestampOf(now)}</responseDate><request${attrs}>${xmlText(base)}</request>`
    );
  };
  const respond = (body: string | AsyncIterable<string>): ProtocolResponse => ({ status: 200, headers: { 'content-type': XML_CONTENT_TYPE }, body });
  const errorResponse = (req: ProtocolRequest, echo: Record<string, string>, now: Date, error: OaiError): ProtocolResponse => {
    // after badVerb and badArgument the request's arguments are not echoed
    const shown = error.code === 'badVerb' || error.code === 'badArgument' ? {} : echo;
    return respond(`${envelope(req, shown, now)}<error code="${error.code}">${xmlText(error.message)}</error></OAI-PMH>\n`);
  };
  const err = (code: OaiErrorCode, message: string): OaiError => ({ code, message });

  const sync = (waitMs?: number): void => {
    deps.items.sync(datestampOf(clock()), waitMs === undefined ? {} : { waitMs });
  };

  const headerXml = (item: OaiItem, sets: readonly string[]): string =>
    `<header${item.deleted ? ' status="deleted"' : ''}><identifier>${identifierOf(item.workId)}</identifier><datestamp>${item.datestamp}</datestamp>${sets
      .map((s) => `<setSpec>${xmlText(s)}</setSpec>`)
      .join('')}</header>`;

  /** header and metadata of a few items, read together */
  const recordsXml = (items: readonly OaiItem[], prefix: MetadataFormat['prefix']): string => {
    const sets = deps.items.setsOf(items);
    const live = items.filter((i) => !i.deleted).map((i) => i.workId);
    const marc21 = prefix === 'marc21';
    // the union MARC record needs only a work's record list; Dublin Core the whole document
    const works: Map<number, WorkHead | WorkDocument> = marc21 ? deps.catalog.workHeads(live) : deps.catalog.works(live);
    const holdings = marc21 ? deps.catalog.itemsOfWorks(live) : new Map();
    const bases = marc21 ? deps.catalog.recordMarcs([...works.values()].map((w) => w.records[0] ?? '')) : new Map();
    const nonLending = deps.nonLending();
    const out: string[] = [];
    for (const item of items) {
      const work = item.deleted ? undefined : works.get(item.workId);
      const base = work && marc21 ? bases.get(work.records[0] ?? '') : undefined;
      // gone since the last sync: it is deleted, as the next sync will record
      if (!work || (marc21 && !base)) {
        out.push(`<record>${headerXml({ ...item, deleted: true }, sets.get(item.workId) ?? [])}</record>`);
        continue;
      }
      const metadata = marc21
        ? marcRecordXml(
            unionMarc({ work, base, items: holdings.get(item.workId) ?? [], repository: repo.identifier, datestamp: item.datestamp, holdings: { nonLending } }),
            { schemaLocation: true },
          )
        : oaiDcXml(work as WorkDocument);
      out.push(`<record>${headerXml(item, sets.get(item.workId) ?? [])}<metadata>${metadata}</metadata></record>`);
    }
    return out.join('');
  };

  const headersXml = (items: readonly OaiItem[]): string => {
    const sets = deps.items.setsOf(items);
    return items.map((i) => headerXml(i, sets.get(i.workId) ?? [])).join('');
  };

  const list = (req: ProtocolRequest, echo: Record<string, string>, now: Date, r: Extract<OaiRequest, { verb: 'ListRecords' | 'ListIdentifiers' }>): ProtocolResponse => {
    let state: Omit<TokenState, 'after' | 'exp' | 'cat'> & { after?: TokenState['after'] };
    if (r.resumptionToken !== undefined) {
      const decoded = decodeToken(r.resumptionToken, r.verb, deps.catalogId(), now);
      if (!decoded.ok) {
        const why = { malformed: 'the resumption token is not one this repository issued', expired: 'the resumption token has expired: start the list again', 'other-catalog': 'the resumption token belongs to an earlier catalog: start the list again', 'other-verb': `the resumption token is not for ${r.verb}` };
        return errorResponse(req, echo, now, err('badResumptionToken', why[decoded.problem]));
      }
      state = decoded.state;
    } else {
      const prefix = r.metadataPrefix as string;
      if (!METADATA_FORMATS.some((f) => f.prefix === prefix)) return errorResponse(req, echo, now, err('cannotDisseminateFormat', `this repository offers oai_dc and marc21, not ${prefix}`));
      // a list runs up to the moment it started: later changes are for the next harvest (from=this responseDate)
      const until = r.until ?? datestampOf(now);
      if (r.set !== undefined && !deps.items.hasSet(r.set)) return errorResponse(req, echo, now, err('noRecordsMatch', `no record is in the set ${r.set}`));
      const total = deps.items.count({ ...(r.set ? { set: r.set } : {}), ...(r.from ? { from: r.from } : {}), until });
      if (total === 0) return errorResponse(req, echo, now, err('noRecordsMatch', 'no record matches the arguments'));
      state = { v: 1, verb: r.verb, prefix, ...(r.set ? { set: r.set } : {}), ...(r.from ? { from: r.from } : {}), until, cursor: 0, total };
    }
    const size = r.verb === 'ListRecords' ? pageSize.records : pageSize.identifiers;
    const rows = deps.items.list({
      ...(state.set ? { set: state.set } : {}),
      ...(state.from ? { from: state.from } : {}),
      until: state.until,
      ...(state.after ? { after: { datestamp: state.after[0], workId: state.after[1] } } : {}),
      limit: size + 1,
    });
    if (rows.length === 0) return errorResponse(req, echo, now, err('noRecordsMatch', 'no record is left in this list'));
    const more = rows.length > size;
    const page = more ? rows.slice(0, size) : rows;
    const last = page[page.length - 1] as OaiItem;
    const cursor = state.cursor;
    const total = Math.max(state.total, cursor + page.length + (more ? 1 : 0));
    let tokenXml = '';
    if (more) {
      const exp = Math.floor(now.getTime() / 1000) + lifetime;
      const next: TokenState = { ...state, v: 1, verb: r.verb, after: [last.datestamp, last.workId], cursor: cursor + page.length, total, exp, cat: deps.catalogId() };
      tokenXml = `<resumptionToken completeListSize="${total}" cursor="${cursor}" expirationDate="${datestampOf(new Date(exp * 1000))}">${encodeToken(next)}</resumptionToken>`;
    } else if (cursor > 0) {
      tokenXml = `<resumptionToken completeListSize="${total}" cursor="${cursor}"/>`;
    }
    const head = `${envelope(req, echo, now)}<${r.verb}>`;
    const prefix = state.prefix as MetadataFormat['prefix'];
    async function* body(): AsyncGenerator<string> {
      yield head;
      for (let at = 0; at < page.length; at += chunk) {
        const part = page.slice(at, at + chunk);
        yield r.verb === 'ListRecords' ? recordsXml(part, prefix) : headersXml(part);
      }
      yield `${tokenXml}</${r.verb}></OAI-PMH>\n`;
    }
    return respond(body());
  };

  return {
    sync: () => sync(),
    handle(req: ProtocolRequest): ProtocolResponse {
      const now = clock();
      const parsed = parseOaiRequest(req.params);
      if (!parsed.result.ok) return errorResponse(req, parsed.echo, now, parsed.result.error);
      const r = parsed.result.request;
      const echo = parsed.echo;
      if (r.verb !== 'Identify' && r.verb !== 'ListMetadataFormats') sync(200);
      switch (r.verb) {
        case 'Identify': {
          sync(200);
          const earliest = deps.items.earliestDatestamp() ?? datestampOf(now);
          const describeId = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/.test(repo.identifier);
          const description = describeId
            ? '<description><oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">' +
              `<scheme>oai</scheme><repositoryIdentifier>${xmlText(repo.identifier)}</repositoryIdentifier><delimiter>:</delimiter><sampleIdentifier>${identifierOf(1)}</sampleIdentifier></oai-identifier></description>`
            : '';
          const base = deps.baseUrl ?? `${req.url.origin}${req.url.pathname}`;
          return respond(
            `${envelope(req, echo, now)}<Identify><repositoryName>${xmlText(repo.name)}</repositoryName><baseURL>${xmlText(base)}</baseURL>` +
              `<protocolVersion>2.0</protocolVersion>${repo.adminEmails.map((e) => `<adminEmail>${xmlText(e)}</adminEmail>`).join('')}` +
              `<earliestDatestamp>${earliest}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>${GRANULARITY}</granularity>${description}</Identify></OAI-PMH>\n`,
          );
        }
        case 'ListMetadataFormats': {
          if (r.identifier !== undefined) {
            sync(200);
            const id = workOf(r.identifier);
            if (id === undefined || !deps.items.item(id)) return errorResponse(req, echo, now, err('idDoesNotExist', `${r.identifier} is not an identifier of this repository`));
          }
          const formats = METADATA_FORMATS.map(
            (f) => `<metadataFormat><metadataPrefix>${f.prefix}</metadataPrefix><schema>${f.schema}</schema><metadataNamespace>${f.namespace}</metadataNamespace></metadataFormat>`,
          ).join('');
          return respond(`${envelope(req, echo, now)}<ListMetadataFormats>${formats}</ListMetadataFormats></OAI-PMH>\n`);
        }
        case 'ListSets': {
          if (r.resumptionToken !== undefined) return errorResponse(req, echo, now, err('badResumptionToken', 'this repository lists its sets in one response and issues no ListSets tokens'));
          const sets = deps.items.sets();
          if (sets.length === 0) return errorResponse(req, echo, now, err('noSetHierarchy', 'the repository has no records yet, so no sets'));
          const xml = sets.map((s) => `<set><setSpec>${xmlText(s.spec)}</setSpec><setName>${xmlText(setName(s.spec, s.label))}</setName></set>`).join('');
          return respond(`${envelope(req, echo, now)}<ListSets>${xml}</ListSets></OAI-PMH>\n`);
        }
        case 'GetRecord': {
          const id = workOf(r.identifier);
          const item = id === undefined ? undefined : deps.items.item(id);
          if (!item) return errorResponse(req, echo, now, err('idDoesNotExist', `${r.identifier} is not an identifier of this repository`));
          if (!METADATA_FORMATS.some((f) => f.prefix === r.metadataPrefix)) return errorResponse(req, echo, now, err('cannotDisseminateFormat', `this repository offers oai_dc and marc21, not ${r.metadataPrefix}`));
          return respond(`${envelope(req, echo, now)}<GetRecord>${recordsXml([item], r.metadataPrefix as MetadataFormat['prefix'])}</GetRecord></OAI-PMH>\n`);
        }
        case 'ListIdentifiers':
        case 'ListRecords':
          return list(req, echo, now, r);
      }
    },
  };
}

function oaiDcXml(work: WorkDocument): string {
  return (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">' +
    `${dcElementsXml(dublinCore(work))}</oai_dc:dc>`
  );
}
