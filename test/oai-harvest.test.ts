/**
 * The OAI-PMH harvester against a real third-party data provider (Dancer::Plugin::Catmandu::OAI,
 * test/oai-peer) started on 127.0.0.1: full harvests through every resumption page, incremental
 * harvests with changes and deletions, dropped and stalled connections, an interrupted harvest resumed,
 * and the OAI errors. Needs the Debian packages `.ci/run` installs (skipped with a line when missing; JALA_SKIP_OAI_PEER=1 skips).
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harvestOai, oaiSourceKey } from '../src/harvest/oai-harvester.ts';
import { createJala, type Jala } from '../src/app/create-jala.ts';
import { isDataField, type MarcRecord } from '../src/marc/marc-record.ts';
import { openMemoryDatabase } from '../src/store/open-database.ts';
import { SqliteCatalogStore } from '../src/store/sqlite-catalog-store.ts';
import { SqliteHarvestStore } from '../src/store/sqlite-harvest-store.ts';
import { FlakyProxy } from './support/flaky-proxy.ts';
import { loadPeerData, OaiPeer, peerNow, PEER_PREFIX } from './support/oai-peer.ts';
import { tempDir } from './support/paths.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { sqliteOf } from './support/sqlite-of.ts';

function peerJala(oai: Record<string, unknown>, harvest: Record<string, unknown> = {}): Promise<Jala> {
  const dataDir = tempDir('jala-harvest-');
  const configPath = path.join(dataDir, 'consortium.json');
  fs.writeFileSync(configPath, JSON.stringify({ name: 'Harvest test', harvest, libraries: [{ code: 'PEER', name: 'Peer library', oai: [oai] }] }));
  return createJala({ dataDir, configPath });
}

/** OAI identifier → the stored record it names. */
function storedKeys(jala: Jala): Map<string, string> {
  const rows = sqliteOf(jala.store).prepare('SELECT key, record_id AS recordId FROM record_source_keys').all() as Array<{ key: string; recordId: string }>;
  return new Map(rows.map((r) => [r.key, r.recordId]));
}

function title245a(fields: MarcRecord['fields']): string | undefined {
  const f = fields.find((x) => x.tag === '245');
  return f && isDataField(f) ? f.subfields.find((s) => s.code === 'a')?.value.normalize('NFC') : undefined;
}

async function reindex(jala: Jala, full = false) {
  const started = jala.reindex.start({ trigger: 'cli', full });
  if (!started.ok) throw new Error(`reindex did not start: ${started.error}`);
  return started.done;
}

describeWithTools([TOOLS.oaiPeer], 'OAI-PMH harvesting from a real data provider', () => {
  let template: string;
  const cleanup: Array<() => Promise<void> | void> = [];

  beforeAll(() => {
    template = loadPeerData(['jazz', 'koha', 'bu']);
  });

  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  describe('a full harvest, then incremental ones', () => {
    let peer: OaiPeer;
    let jala: Jala;

    beforeAll(async () => {
      peer = await OaiPeer.fromTemplate(template).start();
      cleanup.push(() => peer.stop());
      jala = await peerJala({ baseUrl: peer.baseUrl, metadataPrefix: 'marc21' });
      cleanup.push(() => jala.close());
    });

    it('harvests through every resumption page and holds exactly the records served', async () => {
      const served = peer.liveIdentifiers();
      expect(served).toHaveLength(1318);
      const report = await reindex(jala); // the first harvest of a source is a full one
      expect(report.outcome).toBe('ok');
      const [src] = report.sources;
      expect(src).toMatchObject({ kind: 'oai', mode: 'full', outcome: 'ok', pages: 132, received: 1318, ingested: 1318, skipped: 0, deleted: 0 });
      const keys = storedKeys(jala);
      expect([...keys.keys()].sort()).toEqual(served);
      expect(jala.store.stats().records).toBe(1318);
      // each stored record is the one served under its identifier (the Koha set's ids are 999$c, not 001)
      for (const row of peer.rows()) {
        const served245 = title245a(OaiPeer.fields(row).map((f) => ({ tag: f[0] as string, ind1: f[1] as string, ind2: f[2] as string, subfields: pairs(f.slice(3)) })));
        const stored = jala.store.recordMarc(keys.get(`${PEER_PREFIX}${row.id}`) as string);
        expect(title245a(stored?.fields ?? []), row.id).toBe(served245);
      }
      // the new index is in use
      expect(jala.indexInfo.seq).toBe(jala.store.currentSeq());
      expect(jala.ask('friendly fire lovano').results[0]?.title).toMatch(/Friendly fire/i);
    });

    it('an incremental harvest picks up exactly the changes, additions and deletions', async () => {
      const rows = peer.rows();
      const bySet = (set: string) => rows.filter((r) => r.setspec === set);
      const touched = [bySet('jazz')[0]!.id, bySet('koha')[0]!.id, bySet('bu')[0]!.id];
      const removed = [bySet('jazz')[1]!.id, bySet('koha')[1]!.id];
      const keysBefore = storedKeys(jala);
      const now = peerNow();
      for (const id of touched) peer.retitle(id, ' (revised edition)', now);
      for (const id of removed) peer.markDeleted(id, now);
      peer.add('JALA-T1', 'Sang pemimpi uji panen', 'bu', now);
      peer.add('JALA-T2', 'Ronggeng dukuh paruk uji panen', 'bu', now);
      await sleep(1100); // the next harvest's responseDate is a later second than these changes

      const report = await reindex(jala);
      const [src] = report.sources;
      expect(src).toMatchObject({ mode: 'incremental', outcome: 'ok', pages: 1, received: 7, ingested: 2, updated: 3, unchanged: 0, deleted: 2, skipped: 0 });
      const keys = storedKeys(jala);
      expect([...keys.keys()].sort()).toEqual(peer.liveIdentifiers());
      for (const id of touched) expect(jala.store.recordDoc(keys.get(`${PEER_PREFIX}${id}`)!)?.title).toMatch(/revised edition/);
      for (const id of removed) {
        expect(keys.has(`${PEER_PREFIX}${id}`)).toBe(false);
        expect(jala.store.recordMeta(keysBefore.get(`${PEER_PREFIX}${id}`)!)).toBeUndefined();
      }
      expect(jala.store.stats().records).toBe(1318);
      expect(jala.ask('ronggeng dukuh paruk uji panen').results[0]?.title).toMatch(/Ronggeng dukuh paruk uji panen/i);

      // nothing changed since: noRecordsMatch is an empty list, not an error
      const quiet = await reindex(jala);
      expect(quiet.sources[0]).toMatchObject({ mode: 'incremental', outcome: 'ok', pages: 0, received: 0 });
    });

    it('a full reindex harvests everything again and removes what the repository no longer has', async () => {
      // a record vanishes without a tombstone (as from a repository with deletedRecord=no): only a full harvest notices
      const gone = peer.rows().find((r) => r.setspec === 'bu' && !r.deleted && r.id !== 'JALA-T1')!.id;
      const goneRecord = storedKeys(jala).get(`${PEER_PREFIX}${gone}`)!;
      peer.purge(gone);
      expect((await reindex(jala)).sources[0]).toMatchObject({ received: 0 });
      expect(jala.store.recordMeta(goneRecord)).toBeDefined();
      const report = await reindex(jala, true);
      expect(report.index?.how).toBe('built');
      // 1,317 records and the 2 tombstones of the earlier deletions
      expect(report.sources[0]).toMatchObject({ mode: 'full', outcome: 'ok', pages: 132, received: 1319, unchanged: 1317, deleted: 1 });
      expect(jala.store.recordMeta(goneRecord)).toBeUndefined();
      expect([...storedKeys(jala).keys()].sort()).toEqual(peer.liveIdentifiers());
    });
  });

  it('retries a connection dropped mid-response and a request that times out, and completes', async () => {
    const peer = await OaiPeer.fromTemplate(template).start();
    cleanup.push(() => peer.stop());
    const proxy = await new FlakyProxy(peer.port, (n) => (n === 5 ? 'drop-mid-response' : n === 9 ? 'stall' : 'pass')).start();
    cleanup.push(() => proxy.stop());
    const jala = await peerJala({ baseUrl: proxy.baseUrl, metadataPrefix: 'marc21', set: 'koha' }, { timeoutSeconds: 2, retries: 3, retryDelaySeconds: 0.05 });
    cleanup.push(() => jala.close());
    const report = await reindex(jala);
    expect(report.sources[0]).toMatchObject({ outcome: 'ok', pages: 22, received: 218, ingested: 218 });
    expect(proxy.requests.map((r) => r.fault).filter((f) => f !== 'pass')).toEqual(['drop-mid-response', 'stall']);
    // each failed request was asked again: the same request line comes right after it
    for (const n of [5, 9]) expect(proxy.requests[n]?.line).toBe(proxy.requests[n - 1]?.line);
    expect(proxy.requests.length).toBeGreaterThanOrEqual(1 + 22 + 2); // Identify, the pages, and the two retries
    expect([...storedKeys(jala).keys()].sort()).toEqual(peer.liveIdentifiers('koha'));
  });

  it('resumes an interrupted harvest from its saved resumptionToken', async () => {
    const peer = await OaiPeer.fromTemplate(template).start();
    cleanup.push(() => peer.stop());
    const proxy = await new FlakyProxy(peer.port, (n) => (n > 8 ? 'refuse' : 'pass')).start();
    cleanup.push(() => proxy.stop());
    const jala = await peerJala({ baseUrl: proxy.baseUrl, metadataPrefix: 'marc21', set: 'koha' }, { timeoutSeconds: 10, retries: 2, retryDelaySeconds: 0.02 });
    cleanup.push(() => jala.close());

    // the provider goes away after Identify and 7 pages: the harvest stops, keeping what it stored
    const failed = await reindex(jala);
    expect(failed.outcome).toBe('failed');
    expect(failed.sources[0]).toMatchObject({ outcome: 'failed', pages: 7, received: 70, error: { code: 'harvest/unreachable' } });
    expect(jala.store.stats().records).toBe(70);
    const harvest = new SqliteHarvestStore(sqliteOf(jala.store));
    const state = harvest.state(oaiSourceKey('PEER', { baseUrl: proxy.baseUrl, metadataPrefix: 'marc21', set: 'koha' }));
    expect(state).toMatchObject({ pendingMode: 'full', pendingHarvested: 70, pendingTotal: 218 });
    expect(state?.pendingToken).toBeTruthy();

    // back again: the next reindex carries on from page 8, fetching nothing twice
    const seen = proxy.requests.length;
    proxy.decide = () => 'pass';
    const resumed = await reindex(jala);
    expect(resumed.sources[0]).toMatchObject({ outcome: 'ok', mode: 'full, resumed', pages: 15, received: 148 });
    const later = proxy.requests.slice(seen).map((r) => r.line);
    expect(later).toHaveLength(1 + 15);
    expect(later.filter((l) => l.includes('resumptionToken='))).toHaveLength(15);
    expect([...storedKeys(jala).keys()].sort()).toEqual(peer.liveIdentifiers('koha'));
    expect(jala.store.stats().records).toBe(218);
    expect(harvest.state(state!.source)).toMatchObject({ pendingToken: null, pendingMode: null });
  });

  describe('OAI-PMH errors', () => {
    let peer: OaiPeer;
    beforeAll(async () => {
      peer = await OaiPeer.fromTemplate(template).start();
      cleanup.push(() => peer.stop());
    });
    const run = async (source: { metadataPrefix: string; set?: string }, prepare?: (h: SqliteHarvestStore) => void) => {
      const db = openMemoryDatabase();
      const store = new SqliteCatalogStore(db);
      const harvest = new SqliteHarvestStore(db);
      prepare?.(harvest);
      const result = await harvestOai({
        store, harvest, library: 'PEER', source: { baseUrl: peer.baseUrl, ...source }, holdingsProfile: 'auto', mode: 'incremental',
        http: { timeoutMs: 5000, retries: 1, retryDelayMs: 10 },
      });
      return { result, store, harvest };
    };

    it('stops a source the repository cannot serve in the configured format (cannotDisseminateFormat)', async () => {
      const { result } = await run({ metadataPrefix: 'mods' });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('harvest/cannot-disseminate-format');
    });

    it('reports an unknown set (badArgument) as a configuration error', async () => {
      const { result } = await run({ metadataPrefix: 'marc21', set: 'no-such-set' });
      expect(!result.ok && result.error.code).toBe('harvest/bad-argument');
    });

    it('starts the list again when its saved resumptionToken is refused (badResumptionToken)', async () => {
      const source = { metadataPrefix: 'marc21', set: 'bu' };
      const { result, store } = await run(source, (h) =>
        h.saveState({
          source: oaiSourceKey('PEER', { baseUrl: peer.baseUrl, ...source }), library: 'PEER', granularity: null, nextFrom: null, lastSuccessAt: null,
          pendingToken: 'bm90LWEtdG9rZW4', pendingMode: 'full', pendingFrom: null, pendingResponseDate: null, pendingRun: 1, pendingHarvested: 40,
          pendingTotal: 100, updatedAt: new Date().toISOString(),
        }),
      );
      expect(result.ok).toBe(true);
      expect(result.summary).toMatchObject({ resumed: true, pages: 10, records: 100 });
      expect(store.stats().records).toBe(100);
    });

    it('skips, with a reason, records served without MARC (oai_dc, all SLiMS serves)', async () => {
      const { result, store } = await run({ metadataPrefix: 'oai_dc', set: 'bu' });
      expect(result.ok).toBe(true);
      expect(result.summary.ingest).toMatchObject({ read: 100, skipped: 100, ingested: 0 });
      expect(result.summary.ingest.problems[0]?.reason).toMatch(/no MARCXML record/);
      expect(store.stats().records).toBe(0);
    });
  });
}, { optOut: 'JALA_SKIP_OAI_PEER' });

function pairs(flat: string[]): Array<{ code: string; value: string }> {
  const out: Array<{ code: string; value: string }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ code: flat[i] as string, value: flat[i + 1] as string });
  return out;
}
