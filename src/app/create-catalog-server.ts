/**
 * The catalog server's services, wired on a running Jala: SRU and the OAI-PMH provider over the
 * same catalog and the same works index that answer chat, plus a health report. The transports
 * (adapters/http) call these; Z39.50 reaches SRU through simple2zoom (adapters/z3950).
 */
import type { Jala } from './create-jala.ts';
import type { ServerSettings } from '../config/consortium-config.ts';
import { createOaiProvider, type OaiProvider } from '../oai-provider/oai-provider.ts';
import { createSruService, type SruService } from '../sru/sru-service.ts';

export interface HealthReport {
  status: 'ok';
  consortium: string;
  works: number;
  index: { how: string; seq: number };
  catalogSeq: number;
  oai: { behind: boolean; earliestDatestamp: string | null };
  uptimeSeconds: number;
}

export interface CatalogServer {
  sru: SruService;
  oai: OaiProvider;
  health(): HealthReport;
  /** the repository identifier of OAI identifiers and 003 */
  repositoryIdentifier: string;
  settings: ServerSettings;
}

/** "Jala demo consortium (sample data)" → jala-demo-consortium-sample-data */
export function defaultRepositoryIdentifier(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[-0-9]+|-+$/g, '');
  return slug === '' ? 'jala' : slug;
}

export function createCatalogServer(jala: Jala, opts: { clock?: () => Date } = {}): CatalogServer {
  const settings = jala.config.server;
  const catalog = jala.stores.servedCatalog;
  const items = jala.stores.oaiItems;
  const identifier = settings.repositoryIdentifier ?? defaultRepositoryIdentifier(jala.config.name);
  const adminEmails = settings.adminEmails.length > 0 ? settings.adminEmails : [`oai-admin@${identifier.includes('.') ? identifier : `${identifier}.invalid`}`];
  const nonLending = (): ReadonlySet<string> => new Set(jala.libraries.filter((l) => !l.lends).map((l) => l.code));
  const started = Date.now();
  const sru = createSruService({
    catalog,
    search: (req, limit) => jala.search(req, limit),
    catalogVersion: () => `${jala.indexInfo.seq}:${jala.store.currentSeq()}`,
    libraries: () => jala.libraries,
    nonLending,
    repository: { name: jala.config.name, identifier },
    datestamps: (ids) => {
      const out = new Map<number, string>();
      for (const id of ids) {
        const item = items.item(id);
        if (item && !item.deleted) out.set(id, item.datestamp);
      }
      return out;
    },
    limits: { maxRecords: settings.sru.maxRecords },
  });
  const oai = createOaiProvider({
    items,
    catalog,
    repository: { name: jala.config.name, identifier, adminEmails },
    catalogId: () => jala.store.catalogId(),
    nonLending,
    ...(opts.clock ? { clock: opts.clock } : {}),
    pageSize: { records: settings.oai.pageSize, identifiers: settings.oai.identifiersPageSize },
    tokenLifetimeSeconds: Math.round(settings.oai.tokenHours * 3600),
    ...(settings.publicUrl ? { baseUrl: `${settings.publicUrl.replace(/\/+$/, '')}/oai` } : {}),
  });
  return {
    sru,
    oai,
    repositoryIdentifier: identifier,
    settings,
    health: () => ({
      status: 'ok',
      consortium: jala.config.name,
      works: catalog.workCount(),
      index: { how: jala.indexInfo.how, seq: jala.indexInfo.seq },
      catalogSeq: jala.store.currentSeq(),
      oai: { behind: items.behind(), earliestDatestamp: items.earliestDatestamp() ?? null },
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    }),
  };
}
