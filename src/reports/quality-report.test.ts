import { describe, expect, it } from 'vitest';
import { ingestMarcRecords, type IngestItem } from '../ingest/ingest-marc-records.ts';
import type { MarcReadResult } from '../marc/marc-record.ts';
import { openMemoryDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { storesOf } from '../app/open-stores.ts';
import { qualityReport } from './quality-report.ts';

function record(id: string, title: string, isbn: string): IngestItem {
  const result: MarcReadResult = {
    ok: true,
    record: {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: id },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: isbn }] },
        { tag: '041', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Indonesia' }] },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      ],
    },
    source: { file: 'test', position: id, format: 'marcxml', encoding: 'utf8', encodingMismatch: false, warnings: [] },
  };
  return { type: 'record', key: id, result };
}

async function* items(list: IngestItem[]): AsyncIterable<IngestItem> {
  yield* list;
}

describe('the quality report groups records by warning code', () => {
  it('counts invalid ISBNs and language names by their codes, whatever the sentences say, and reads warnings stored before codes', async () => {
    const store = new SqliteCatalogStore(openMemoryDatabase());
    await ingestMarcRecords({
      store,
      library: 'LIB',
      items: items([record('1', 'Satu', '979-3062-79-8'), record('2', 'Dua', '123-bad'), record('3', 'Tiga', '9793062797')]),
    });
    const stored = (id: string): unknown => JSON.parse((store.db.prepare('SELECT warnings FROM records WHERE id = ?').get(id) as { warnings: string }).warnings);
    expect(stored('LIB.1')).toContainEqual({ code: 'mapping/invalid-isbn', message: 'invalid ISBN in 020$a: "979-3062-79-8"' });

    // a sentence reworded (the code decides), and a catalog written before warnings had codes (sentences only)
    store.db.prepare('UPDATE records SET warnings = ? WHERE id = ?').run(JSON.stringify([{ code: 'mapping/invalid-isbn', message: 'ISBN tidak sah di 020$a: "123-bad"' }]), 'LIB.2');
    store.db
      .prepare('UPDATE records SET warnings = ? WHERE id = ?')
      .run(JSON.stringify(['041$a has "Indonesia" instead of a MARC language code (ind)']), 'LIB.3');

    const report = qualityReport(storesOf(store.db));
    if (!report.ok) throw new Error(report.error);
    const finding = (check: string) => report.report.findings.find((f) => f.check === check);
    expect(finding('invalid-isbn')).toMatchObject({ count: 2, examples: [{ recordId: 'LIB.1', detail: '020$a "979-3062-79-8"' }, { recordId: 'LIB.2', detail: 'ISBN tidak sah di 020$a: "123-bad"' }] });
    // LIB.2's stored warnings were replaced above: its language name is no longer among them
    expect(finding('language-name')?.examples.map((e) => [e.recordId, e.detail])).toEqual([
      ['LIB.1', '041$a has "Indonesia" instead of a MARC language code (ind)'],
      ['LIB.3', '041$a has "Indonesia" instead of a MARC language code (ind)'],
    ]);
    expect(finding('language-name')?.count).toBe(2);
  });
});
