/**
 * Every port's contract suite against the SQLite stores, each on a fresh database file made the way
 * the composition root makes them (src/app/open-stores.ts). A second implementation (PostgreSQL)
 * runs the same suites from a file like this one.
 */
import { openStores } from '../../src/app/open-stores.ts';
import { buildIndex } from '../../src/search/catalog-index.ts';
import { tempDir } from '../support/paths.ts';
import { catalogStoreContract, ingestSample } from './catalog-store.contract.ts';
import { conversationStoreContract, faqStoreContract } from './conversation-store.contract.ts';
import { harvestStoreContract } from './harvest-store.contract.ts';
import { illStoreContract } from './ill-store.contract.ts';
import { outboxContract } from './outbox.contract.ts';
import { partnerStoreContract } from './partner-store.contract.ts';
import { reportStoreContract } from './report-store.contract.ts';
import { searchIndexContract } from './search-index.contract.ts';
import { seenEventsContract } from './seen-events.contract.ts';
import { describe, expect, it } from 'vitest';
import { servedCatalogContract } from './served-catalog.contract.ts';
import { oaiItemStoreContract } from './oai-item-store.contract.ts';
import { cardRefStoreContract } from './card-ref-store.contract.ts';

const fresh = () => openStores(tempDir('jala-contract-'), { databaseUrl: undefined });

servedCatalogContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { catalog: stores.catalog, served: stores.servedCatalog, close };
});
oaiItemStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { catalog: stores.catalog, oai: stores.oaiItems, close };
});
cardRefStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { cards: stores.cards, close };
});

catalogStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { store: stores.catalog, close };
});
illStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { store: stores.ill, close };
});
outboxContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { outbox: stores.outbox, close };
});
partnerStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { ill: stores.ill, partners: stores.partners, close };
});
conversationStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { store: stores.conversations, close };
});
faqStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { store: stores.faq, close };
});
harvestStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  // source keys name records of the catalog
  await ingestSample(stores.catalog);
  return { store: stores.harvest, recordIds: stores.catalog.recordIdsOfLibrary('UGM').slice(0, 2), close };
});
reportStoreContract('SQLite', async () => {
  const { stores, close } = fresh();
  return { catalog: stores.catalog, reports: stores.reports, close };
});
searchIndexContract('MiniSearch over SQLite', async () => {
  const { stores, close } = fresh();
  await ingestSample(stores.catalog);
  return { catalog: stores.catalog, index: buildIndex(stores.catalog), close };
});
seenEventsContract('SQLite', async () => {
  // two processes on one data directory
  const dir = tempDir('jala-contract-');
  const first = openStores(dir);
  const second = openStores(dir);
  return { a: first.stores.seenEvents, b: second.stores.seenEvents, close: () => { first.close(); second.close(); } };
});

describe('Leadership with SQLite', () => {
  it('always leads: one process serves a data directory', () => {
    const { stores, close } = fresh();
    try {
      expect(stores.leadership.tryLead()).toBe(true);
      expect(stores.leadership.tryLead()).toBe(true);
      stores.leadership.release();
      expect(stores.leadership.tryLead()).toBe(true);
    } finally {
      close();
    }
  });
});
