import { describe, expect, it } from 'vitest';
import { createRecordIngester } from '../ingest/ingest-marc-records.ts';
import type { MarcReadResult } from '../marc/marc-record.ts';
import { openMemoryDatabase } from './open-database.ts';
import { SqliteCatalogStore } from './sqlite-catalog-store.ts';
import { SqliteOaiStore } from './sqlite-oai-store.ts';

function book(f001: string, title: string, isbn: string, note = ''): MarcReadResult {
  return {
    ok: true,
    record: {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: f001 },
        { tag: '008', value: '200101s2020    io            000 0 ind d' },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: isbn }] },
        { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Hirata, Andrea' }] },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
        ...(note ? [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: note }] }] : []),
      ],
    },
    source: { file: 'test', position: '1', format: 'marcxml', encoding: 'utf8', encodingMismatch: false, warnings: [] },
  };
}

function setup() {
  const db = openMemoryDatabase();
  const store = new SqliteCatalogStore(db);
  const oai = new SqliteOaiStore(db);
  const put = (library: string, ...records: MarcReadResult[]) => {
    const ingester = createRecordIngester({ store, library });
    ingester.ingestBatch(records.map((result) => ({ type: 'record' as const, result })));
    ingester.finish();
  };
  const remove = (library: string, ...ids: string[]) => createRecordIngester({ store, library }).deleteRecords(ids);
  return { db, store, oai, put, remove };
}

describe('the OAI-PMH items kept in step with the catalog', () => {
  it('stamps every work at the first sync, with its sets per library and format', () => {
    const { store, oai, put } = setup();
    put('UGM', book('1', 'Laskar pelangi', '9789793062792'), book('2', 'Sang pemimpi', '9789793062815'));
    put('UI', book('A', 'Laskar pelangi', '9789793062792'));
    expect(oai.behind()).toBe(true);
    expect(oai.sync('2026-01-02T03:04:05Z')).toMatchObject({ changed: 2, deleted: 0 });
    expect(oai.behind()).toBe(false);
    const laskar = store.workOfRecord('UGM.1') as number;
    const items = oai.list({ until: '2100-01-01T00:00:00Z', limit: 10 });
    expect(items.map((i) => i.workId).sort()).toEqual([laskar, store.workOfRecord('UGM.2')].sort());
    expect(items.every((i) => !i.deleted && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(i.datestamp))).toBe(true);
    expect(oai.setsOf(items).get(laskar)).toEqual(['format:book', 'library:UGM', 'library:UI']);
    expect(oai.sets().map((s) => s.spec)).toEqual(['format:book', 'library:UGM', 'library:UI']);
    expect(oai.count({ set: 'library:UI', until: '2100-01-01T00:00:00Z' })).toBe(1);
  });

  it('moves a datestamp only when the work really changed', () => {
    const { store, oai, put } = setup();
    put('UGM', book('1', 'Laskar pelangi', '9789793062792'), book('2', 'Sang pemimpi', '9789793062815'));
    oai.sync('2026-01-01T00:00:00Z');
    const laskar = store.workOfRecord('UGM.1') as number;
    const pemimpi = store.workOfRecord('UGM.2') as number;
    const first = oai.item(laskar)?.datestamp;
    // the same records again: nothing changes
    put('UGM', book('1', 'Laskar pelangi', '9789793062792'));
    expect(oai.sync('2026-02-01T00:00:00Z')).toMatchObject({ changed: 0 });
    expect(oai.item(laskar)?.datestamp).toBe(first);
    // a changed record: its work is stamped with the time of the sync, the other stays
    put('UGM', book('1', 'Laskar pelangi', '9789793062792', 'Cetakan ke-10'));
    expect(oai.sync('2026-03-01T00:00:00Z')).toMatchObject({ changed: 1 });
    expect(oai.item(laskar)?.datestamp).toBe('2026-03-01T00:00:00Z');
    expect(oai.item(pemimpi)?.datestamp).not.toBe('2026-03-01T00:00:00Z');
    expect(oai.list({ from: '2026-03-01T00:00:00Z', until: '2100-01-01T00:00:00Z', limit: 10 }).map((i) => i.workId)).toEqual([laskar]);
  });

  it('keeps a work that left a library\'s set there as deleted, and a work that is gone as deleted everywhere', () => {
    const { store, oai, put, remove } = setup();
    put('UGM', book('1', 'Laskar pelangi', '9789793062792'));
    put('UI', book('A', 'Laskar pelangi', '9789793062792'), book('B', 'Edensor', '9789793062853'));
    oai.sync('2026-01-01T00:00:00Z');
    const laskar = store.workOfRecord('UGM.1') as number;
    const edensor = store.workOfRecord('UI.B') as number;
    remove('UI', 'UI.A', 'UI.B');
    expect(oai.sync('2026-04-01T00:00:00Z')).toMatchObject({ changed: 1, deleted: 1 });
    const all = oai.list({ until: '2100-01-01T00:00:00Z', limit: 10 });
    expect(all.find((i) => i.workId === laskar)).toMatchObject({ deleted: false, datestamp: '2026-04-01T00:00:00Z' });
    expect(all.find((i) => i.workId === edensor)).toMatchObject({ deleted: true, datestamp: '2026-04-01T00:00:00Z' });
    const ui = oai.list({ set: 'library:UI', from: '2026-04-01T00:00:00Z', until: '2100-01-01T00:00:00Z', limit: 10 });
    expect(ui.map((i) => [i.workId, i.deleted]).sort()).toEqual([[laskar, true], [edensor, true]].sort());
    // a deleted header names the sets the work was in; a live one only its sets now
    expect(oai.setsOf(all).get(edensor)).toEqual(['format:book', 'library:UI']);
    expect(oai.setsOf(all).get(laskar)).toEqual(['format:book', 'library:UGM']);
    // the identifier stays: the work comes back under it when a record brings it back
    expect(oai.count({ until: '2100-01-01T00:00:00Z' })).toBe(2);
  });

  it('pages in datestamp then work id order, continuing after the last item of a page', () => {
    const { oai, put } = setup();
    put('UGM', ...Array.from({ length: 7 }, (_, i) => book(String(i), `Judul ${i} ${'abcdefg'[i]}`, `97897930628${String(10 + i).padStart(2, '0')}`)));
    oai.sync('2026-01-01T00:00:00Z');
    const until = '2100-01-01T00:00:00Z';
    const seen: number[] = [];
    let after: { datestamp: string; workId: number } | undefined;
    for (;;) {
      const page = oai.list({ until, ...(after ? { after } : {}), limit: 3 });
      if (page.length === 0) break;
      seen.push(...page.map((i) => i.workId));
      const last = page[page.length - 1] as { datestamp: string; workId: number };
      after = { datestamp: last.datestamp, workId: last.workId };
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(oai.count({ until })).toBe(7);
  });

  it('leaves the items as they are while this connection has an open transaction', () => {
    const { db, oai, put } = setup();
    put('UGM', book('1', 'Laskar pelangi', '9789793062792'));
    db.exec('BEGIN');
    expect(oai.sync('2026-01-01T00:00:00Z')).toBe('busy');
    db.exec('COMMIT');
    expect(oai.sync('2026-01-01T00:00:00Z')).toMatchObject({ changed: 1 });
  });
});
