import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { CatalogChanges } from '../catalog/catalog-changes.ts';
import { PolledCatalogChanges } from '../catalog/polled-catalog-changes.ts';
import { PgCatalogChanges } from '../store-postgres/pg-catalog-changes.ts';
import type { ConversationStore } from '../answer/conversation-store.ts';
import type { Outbox } from '../ill/outbox.ts';
import type { CardRefStore } from '../ill/card-ref-store.ts';
import { importCardFiles } from '../store/import-card-files.ts';
import { SqliteCardRefStore } from '../store/sqlite-card-ref-store.ts';
import type { FaqStore } from '../answer/faq-store.ts';
import { resolveDataDir } from '../config/data-dir.ts';
import type { HarvestStore } from '../harvest/harvest-store.ts';
import type { IllStore } from '../ill/ill-store.ts';
import type { OaiItemStore } from '../oai-provider/oai-item-store.ts';
import type { ReportStore } from '../reports/report-store.ts';
import { openDatabase, type SqliteDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteConversationStore } from '../store/sqlite-conversation-store.ts';
import { SqliteHarvestStore } from '../store/sqlite-harvest-store.ts';
import { SqliteIllStore } from '../store/sqlite-ill-store.ts';
import { SqliteOaiStore } from '../store/sqlite-oai-store.ts';
import { SqliteReportStore } from '../store/sqlite-report-store.ts';
import { SqliteServedCatalog } from '../store/sqlite-served-catalog.ts';
import { SqliteIso18626Store } from '../store/sqlite-iso18626-store.ts';
import type { PartnerStore } from '../iso18626/partner-store.ts';
import type { ServedCatalog } from '../union-record/served-catalog.ts';
import { z } from 'zod';
import { StoreError } from '../store/open-database.ts';
import { openPgDatabase, redact, type PgDatabase } from '../store-postgres/pg-database.ts';
import { PgCatalogStore } from '../store-postgres/pg-catalog-store.ts';
import { PgHarvestStore } from '../store-postgres/pg-harvest-store.ts';
import { PgReportStore } from '../store-postgres/pg-report-store.ts';
import { PgServedCatalog } from '../store-postgres/pg-served-catalog.ts';
import { PgOaiStore } from '../store-postgres/pg-oai-store.ts';
import { PgCardRefStore } from '../store-postgres/pg-card-ref-store.ts';
import { PgConversationStore } from '../store-postgres/pg-conversation-store.ts';
import { PgIllStore } from '../store-postgres/pg-ill-store.ts';
import { PgOutbox } from '../store-postgres/pg-outbox.ts';
import { PgPartnerStore } from '../store-postgres/pg-partner-store.ts';
import { PgLeadership } from '../store-postgres/pg-leadership.ts';
import { PgSeenEvents } from '../store-postgres/pg-seen-events.ts';
import { SqliteSeenEvents } from '../store/sqlite-seen-events.ts';
import type { Leadership } from '../replicas/leadership.ts';
import type { SeenEvents } from '../replicas/seen-events.ts';
import { SingleProcessLeadership } from '../replicas/single-process-leadership.ts';

/** Every store Jala keeps, by its port. */
export interface JalaStores {
  catalog: CatalogStore;
  ill: IllStore;
  outbox: Outbox;
  /** where each platform showed a request's card and its thread (and progress DMs) */
  cards: CardRefStore;
  conversations: ConversationStore;
  faq: FaqStore;
  harvest: HarvestStore;
  reports: ReportStore;
  servedCatalog: ServedCatalog;
  oaiItems: OaiItemStore;
  /** ISO 18626 partner exchanges and their outbox */
  partners: PartnerStore;
  /** platform events already handled (Slack event_id, Discord interaction id), shared by the replicas */
  seenEvents: SeenEvents;
  /** which replica runs the timers, scheduled harvests and gateway connections (SQLite: this process, always) */
  leadership: Leadership;
  /** word that the catalog changed elsewhere, for a running index to follow (SQLite: polled; PostgreSQL: LISTEN/NOTIFY) */
  catalogChanges: CatalogChanges;
}

/** JALA_DATABASE_URL, checked: a postgres:// (or postgresql://) URL, or nothing. */
const DatabaseUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'JALA_DATABASE_URL must be a postgres:// URL');

/** The PostgreSQL URL the environment names (JALA_DATABASE_URL), or undefined for SQLite only. */
export function databaseUrlOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.JALA_DATABASE_URL;
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = DatabaseUrl.safeParse(raw);
  if (!parsed.success) throw new StoreError('store/bad-database-url', `JALA_DATABASE_URL is not a postgres:// URL: ${redact(raw)}`);
  return parsed.data;
}

/**
 * The one place stores are made: every port over the one SQLite database in the data directory
 * (created and migrated on first use). `close` closes the database.
 *
 * With JALA_DATABASE_URL=postgres://…, every port uses PostgreSQL instead, on one connection of this
 * process (migrated on open), and the data directory's `jala.db` is not opened at all: the catalog
 * (records, works, items, keys, change sequence), harvest state and source keys, reports, the served
 * catalog and OAI-PMH items, ILL requests with their rota and event log, the outbox, card positions,
 * ISO 18626 partner exchanges, conversation contexts and the FAQ, and the platform events seen. The
 * lead among replicas is a PostgreSQL advisory lock held on a second connection of its own, opened
 * when the process first tries to lead (PgLeadership). The data directory keeps what is per replica:
 * the search index built from the catalog (`index/`), the config and Z39.50's files.
 */
export function openStores(
  dataDir: string,
  options: { databaseUrl?: string | undefined } = {},
): { stores: JalaStores; close: () => void; /** the PostgreSQL connection the stores use (none with SQLite) */ database?: PgDatabase } {
  // databaseUrl given (even as undefined: SQLite) wins over the environment
  const url = 'databaseUrl' in options ? options.databaseUrl : databaseUrlOf();
  if (url === undefined) {
    const db = openDatabase(dataDir);
    const sqlite = storesOf(db);
    // card positions the adapters kept in JSON files before they moved into the database: imported once
    importCardFiles(dataDir, sqlite.cards);
    return { stores: sqlite, close: () => db.close() };
  }
  const pg = openPgDatabase(url);
  const stores = pgStoresOf(pg, url);
  try {
    importCardFiles(dataDir, stores.cards);
  } catch (e) {
    pg.close();
    throw e;
  }
  return {
    stores,
    database: pg,
    close: () => {
      stores.leadership.release();
      pg.close();
    },
  };
}

/** The stores over an open PostgreSQL database (`url` for the leadership's own connection). */
export function pgStoresOf(pg: PgDatabase, url: string): JalaStores {
  const ill = new PgIllStore(pg);
  const conversations = new PgConversationStore(pg);
  const catalog = new PgCatalogStore(pg);
  return {
    catalog,
    ill,
    outbox: new PgOutbox(pg),
    cards: new PgCardRefStore(pg),
    conversations,
    faq: conversations,
    harvest: new PgHarvestStore(pg),
    reports: new PgReportStore(pg),
    servedCatalog: new PgServedCatalog(pg),
    oaiItems: new PgOaiStore(pg),
    partners: new PgPartnerStore(pg),
    seenEvents: new PgSeenEvents(pg),
    leadership: new PgLeadership(url),
    catalogChanges: new PgCatalogChanges(url, () => catalog.currentSeq()),
  };
}

/** The stores over an open database (an in-memory one in tests). */
export function storesOf(db: SqliteDatabase): JalaStores {
  const ill = new SqliteIllStore(db);
  const conversations = new SqliteConversationStore(db);
  const catalog = new SqliteCatalogStore(db);
  return {
    catalog,
    ill,
    outbox: ill,
    cards: new SqliteCardRefStore(db),
    conversations,
    faq: conversations,
    harvest: new SqliteHarvestStore(db),
    reports: new SqliteReportStore(db),
    servedCatalog: new SqliteServedCatalog(db),
    oaiItems: new SqliteOaiStore(db),
    partners: new SqliteIso18626Store(db),
    seenEvents: new SqliteSeenEvents(db),
    leadership: new SingleProcessLeadership(),
    // another process writing the same file (jala ingest beside the bot): its change sequence, every 2 s
    catalogChanges: new PolledCatalogChanges(() => catalog.currentSeq(), 2000),
  };
}

/**
 * The stores of a data directory without the search index or the config: for the command-line
 * commands that only read or write the catalog (ingest, export, reports).
 */
export function openCatalog(dataDirFlag: string | undefined): { store: CatalogStore; stores: JalaStores; dataDir: string; close: () => void } {
  const dataDir = resolveDataDir(dataDirFlag);
  const { stores, close } = openStores(dataDir);
  return { store: stores.catalog, stores, dataDir, close };
}
