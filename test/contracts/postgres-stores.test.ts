/**
 * The same contract suites as test/contracts/sqlite-stores.test.ts, against the PostgreSQL stores:
 * each suite opens the stores through the composition root (src/app/open-stores.ts) with a database
 * URL, as JALA_DATABASE_URL selects them, on a fresh database of a real PostgreSQL server that this
 * file starts (test/support/postgres-server.ts). Without PostgreSQL the file skips with one line;
 * under .ci/run it fails.
 *
 * Every port moves with JALA_DATABASE_URL: CatalogStore, ServedCatalog, OaiItemStore, CardRefStore,
 * IllStore, Outbox, PartnerStore, ConversationStore, FaqStore, SeenEvents, Leadership (by the
 * composition root), and HarvestStore and ReportStore (opened directly here, over a catalog ingested
 * first).
 */
import { afterAll, beforeAll } from 'vitest';
import { openStores } from '../../src/app/open-stores.ts';
import { PgCatalogStore } from '../../src/store-postgres/pg-catalog-store.ts';
import { openPgDatabase } from '../../src/store-postgres/pg-database.ts';
import { PgHarvestStore } from '../../src/store-postgres/pg-harvest-store.ts';
import { PgReportStore } from '../../src/store-postgres/pg-report-store.ts';
import { catalogStoreContract, ingestSample } from './catalog-store.contract.ts';
import { harvestStoreContract } from './harvest-store.contract.ts';
import { reportStoreContract } from './report-store.contract.ts';
import { tempDir } from '../support/paths.ts';
import { POSTGRES_TOOL, startPostgres, type PostgresServer } from '../support/postgres-server.ts';
import { describeWithTools } from '../support/system-tools.ts';
import { conversationStoreContract, faqStoreContract } from './conversation-store.contract.ts';
import { illStoreContract } from './ill-store.contract.ts';
import { outboxContract } from './outbox.contract.ts';
import { partnerStoreContract } from './partner-store.contract.ts';
import { seenEventsContract } from './seen-events.contract.ts';
import { leadershipContract } from './leadership.contract.ts';
import { servedCatalogContract } from './served-catalog.contract.ts';
import { oaiItemStoreContract } from './oai-item-store.contract.ts';
import { cardRefStoreContract } from './card-ref-store.contract.ts';

describeWithTools([POSTGRES_TOOL], 'the stores on PostgreSQL', () => {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 180_000);
  afterAll(() => server?.stop());

  const fresh = () => openStores(tempDir('jala-contract-pg-'), { databaseUrl: server!.createDatabase() });

  catalogStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { store: stores.catalog, close };
  });
  servedCatalogContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { catalog: stores.catalog, served: stores.servedCatalog, close };
  });
  oaiItemStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { catalog: stores.catalog, oai: stores.oaiItems, close };
  });
  cardRefStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { cards: stores.cards, close };
  });
  harvestStoreContract('PostgreSQL', async () => {
    const db = openPgDatabase(server!.createDatabase());
    const catalog = new PgCatalogStore(db);
    // source keys name records of the catalog
    await ingestSample(catalog);
    return { store: new PgHarvestStore(db), recordIds: catalog.recordIdsOfLibrary('UGM').slice(0, 2), close: () => db.close() };
  });
  reportStoreContract('PostgreSQL', async () => {
    const db = openPgDatabase(server!.createDatabase());
    return { catalog: new PgCatalogStore(db), reports: new PgReportStore(db), close: () => db.close() };
  });
  illStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { store: stores.ill, close };
  });
  outboxContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { outbox: stores.outbox, close };
  });
  partnerStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { ill: stores.ill, partners: stores.partners, close };
  });
  conversationStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { store: stores.conversations, close };
  });
  faqStoreContract('PostgreSQL', async () => {
    const { stores, close } = fresh();
    return { store: stores.faq, close };
  });
  seenEventsContract('PostgreSQL', async () => {
    // two replicas (each with its own data directory) on one database
    const url = server!.createDatabase();
    const first = openStores(tempDir('jala-contract-pg-'), { databaseUrl: url });
    const second = openStores(tempDir('jala-contract-pg-'), { databaseUrl: url });
    return { a: first.stores.seenEvents, b: second.stores.seenEvents, close: () => { first.close(); second.close(); } };
  });
  leadershipContract('PostgreSQL', () => server!);
});
