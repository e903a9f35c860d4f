import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteHarvestStore } from '../store/sqlite-harvest-store.ts';
import { createRecordIngester, ingestMarcRecords, type IngestItem } from './ingest-marc-records.ts';
import type { MarcReadResult } from '../marc/marc-record.ts';

const SOURCE = 'LIB oai http://repo/oai marc21';

function record(f001: string | undefined, title: string, extra: string = ''): MarcReadResult {
  return {
    ok: true,
    record: {
      leader: '00000nam a2200000 a 4500',
      fields: [
        ...(f001 !== undefined ? [{ tag: '001', value: f001 }] : []),
        { tag: '008', value: '200101s2020    io            000 0 ind d' },
        { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Hirata, Andrea' }] },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }, ...(extra ? [{ code: 'b', value: extra }] : [])] },
      ],
    },
    source: { file: 'oai', position: 'page 1', format: 'marcxml', encoding: 'utf8', encodingMismatch: false, warnings: [] },
  };
}

function setup() {
  const db = openMemoryDatabase();
  const store = new SqliteCatalogStore(db);
  const harvest = new SqliteHarvestStore(db);
  const ingester = (fullRun?: number) =>
    createRecordIngester({ store, library: 'LIB', keys: { source: SOURCE, harvest, ...(fullRun !== undefined ? { fullRun } : {}) } });
  return { store, harvest, ingester };
}

const item = (key: string, result: MarcReadResult): IngestItem => ({ type: 'record', key, result });

describe('ingesting records that carry source keys', () => {
  it('keeps records that share a 001 apart, with the same ids in every harvest', () => {
    const { store, harvest, ingester } = setup();
    const first = ingester();
    first.ingestBatch([item('oai:r:1', record('X1', 'Laskar pelangi')), item('oai:r:2', record('X1', 'Sang pemimpi'))]);
    expect(first.finish()).toMatchObject({ read: 2, ingested: 2 });
    const ids = [harvest.recordIdForKey(SOURCE, 'oai:r:1'), harvest.recordIdForKey(SOURCE, 'oai:r:2')];
    expect(ids).toEqual(['LIB.X1', 'LIB.X1~2']);
    // next time they come the other way round: nothing changes
    const again = ingester();
    again.ingestBatch([item('oai:r:2', record('X1', 'Sang pemimpi')), item('oai:r:1', record('X1', 'Laskar pelangi'))]);
    expect(again.finish()).toMatchObject({ unchanged: 2, ingested: 0, updated: 0 });
    expect(store.recordDoc('LIB.X1~2')?.title).toBe('Sang pemimpi');
  });

  it('updates a record under its key even when its 001 changed', () => {
    const { store, harvest, ingester } = setup();
    ingester().ingestBatch([item('oai:r:1', record('OLD', 'Edensor'))]);
    const next = ingester();
    next.ingestBatch([item('oai:r:1', record('NEW', 'Edensor', 'novel'))]);
    expect(next.finish()).toMatchObject({ updated: 1, ingested: 0 });
    expect(harvest.recordIdForKey(SOURCE, 'oai:r:1')).toBe('LIB.OLD');
    expect(store.stats().records).toBe(1);
  });

  it('deletes the record a key names, with its work; an unknown key changes nothing', () => {
    const { store, ingester } = setup();
    const i = ingester();
    i.ingestBatch([item('oai:r:1', record('A', 'Maryamah karpov')), item('oai:r:2', record('B', 'Padang bulan'))]);
    const workOfA = store.workOfRecord('LIB.A')!;
    const changes = i.ingestBatch([{ type: 'delete', key: 'oai:r:1' }, { type: 'delete', key: 'oai:r:99' }]);
    expect(changes.deleted).toEqual([workOfA]);
    expect(i.summary).toMatchObject({ deleted: 1, deletedUnknown: 1 });
    expect(store.recordMeta('LIB.A')).toBeUndefined();
    expect(store.work(workOfA)).toBeUndefined();
    expect(store.stats().records).toBe(1);
  });

  it('adopts a record loaded from a file with the same id, and marks what a full harvest saw', () => {
    const { store, harvest, ingester } = setup();
    const fromFile = createRecordIngester({ store, library: 'LIB' });
    fromFile.ingestBatch([{ type: 'record', result: record('F1', 'Ayahku (bukan) pembohong') }, { type: 'record', result: record('F2', 'Cinta di dalam gelas') }]);
    const full = ingester(7);
    full.ingestBatch([item('oai:r:F1', record('F1', 'Ayahku (bukan) pembohong'))]);
    expect(full.summary).toMatchObject({ unchanged: 1, ingested: 0 });
    expect(harvest.recordIdForKey(SOURCE, 'oai:r:F1')).toBe('LIB.F1');
    expect(harvest.recordsNotSeenIn(SOURCE, 7)).toEqual([]);
    expect(harvest.recordsNotSeenIn(SOURCE, 8)).toEqual(['LIB.F1']);
  });

  it('skips a broken record with its reason and goes on', async () => {
    const { store } = setup();
    const items = (async function* (): AsyncGenerator<IngestItem> {
      yield { type: 'record', result: { ok: false, problem: { file: 'oai:r:bad', position: 'page 2', reason: 'not well-formed XML' } } };
      yield { type: 'record', result: record('OK', 'Guru aini') };
    })();
    const summary = await ingestMarcRecords({ store, library: 'LIB', items, batchSize: 1 });
    expect(summary).toMatchObject({ read: 2, skipped: 1, ingested: 1, problems: [{ file: 'oai:r:bad', position: 'page 2', reason: 'not well-formed XML' }] });
  });
});
