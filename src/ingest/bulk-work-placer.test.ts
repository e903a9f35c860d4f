import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import type { RecordDocument } from '../catalog/record-document.ts';
import { recordDocument } from '../../test/support/record-document.ts';
import type { MarcSource } from '../marc/marc-record.ts';
import { compareBytes } from '../dedup/in-memory-dedup.ts';
import { BulkWorkPlacer } from './bulk-work-placer.ts';
import { placeRecord, rebuildWorks, type PlaceRecordInput } from './place-record.ts';

/** a record with one available item at its library's main branch */
function doc(id: string, over: Partial<RecordDocument> = {}): RecordDocument {
  const library = id.slice(0, id.indexOf('.'));
  return recordDocument(id, { items: [{ library, branch: 'main', status: 'available', callNumber: `${id} call` }], ...over });
}

const SOURCE: MarcSource = { file: 'test.mrc', position: 'record 1', format: 'iso2709', encoding: 'utf8', encodingMismatch: false, warnings: [] };

function input(d: RecordDocument): PlaceRecordInput {
  // a copy: the two paths must not share objects
  const copy = JSON.parse(JSON.stringify(d)) as RecordDocument;
  return { doc: copy, storedMarc: '{}', hash: copy.id, source: SOURCE, warnings: [], now: '2026-01-01T00:00:00.000Z' };
}

function newStore(libraries: RecordDocument[][]): SqliteCatalogStore {
  const store = new SqliteCatalogStore(openMemoryDatabase());
  for (const docs of libraries) if (docs[0]) store.ensureLibrary(docs[0].library, undefined, '2026-01-01T00:00:00.000Z');
  return store;
}

/** Libraries in order, each in batches of `batch` records: the per-record path's placeRecord + rebuildWorks. */
function perRecord(libraries: RecordDocument[][], batch: number): SqliteCatalogStore {
  const store = newStore(libraries);
  for (const docs of libraries) {
    for (let i = 0; i < docs.length; i += batch) {
      store.transaction(() => {
        const dirty = new Set<number>();
        const stored = new Map<string, RecordDocument>();
        for (const d of docs.slice(i, i + batch)) {
          const inp = input(d);
          placeRecord(store, inp, dirty);
          stored.set(inp.doc.id, inp.doc);
        }
        rebuildWorks(store, dirty, { stored });
      });
    }
  }
  return store;
}

function bulk(libraries: RecordDocument[][], batch: number): SqliteCatalogStore {
  const store = newStore(libraries);
  const placer = new BulkWorkPlacer();
  for (const docs of libraries) {
    for (let i = 0; i < docs.length; i += batch) {
      store.transaction(() => {
        for (const d of docs.slice(i, i + batch)) placer.place(store, input(d));
        placer.endBatch(store);
      });
    }
  }
  placer.finish(store);
  return store;
}

/** Each record with its work (numbers included: the bulk path opens works in the same order) and the rule that placed it. */
function placements(store: SqliteCatalogStore): Array<{ id: string; work: number; rule: string | null }> {
  return store.db.prepare('SELECT id, work_id AS work, matched_by AS rule FROM records ORDER BY id').all() as Array<{ id: string; work: number; rule: string | null }>;
}

function bothPaths(libraries: RecordDocument[][], batch = 2) {
  const a = perRecord(libraries, batch);
  const b = bulk(libraries, batch);
  const placed = placements(b);
  expect(placed).toEqual(placements(a));
  expect(b.digest()).toEqual(a.digest());
  const workOf = (id: string): number => placed.find((p) => p.id === id)?.work ?? -1;
  const ruleOf = (id: string): string | null | undefined => placed.find((p) => p.id === id)?.rule;
  return { workOf, ruleOf, works: b.digest().works };
}

describe('the bulk path deduplicates in memory exactly as the per-record path does through the store', () => {
  it('merges on a shared ISBN, a shared unique id, or title and author, and keeps vetoed editions apart', () => {
    const { workOf, ruleOf } = bothPaths([
      [
        doc('A.1', { isbns: ['9789793062792'], year: 2005 }),
        doc('A.2', { titleNorm: 'sangpemimpi', titleKey: 'sangpemimpihirata', year: 2006, idKeys: ['(OCoLC)123'] }),
        doc('A.3', { titleNorm: 'bumimanusia', titleKey: 'bumimanusiatoer', authorNorm: 'toerpramoedyaananta', edition: '2nd ed.' }),
        doc('A.4', { titleNorm: 'rumahkaca', titleKey: 'rumahkacatoer', authorNorm: 'toerpramoedyaananta', edition: 'Cet. 1' }),
      ],
      [
        // same ISBN, another format: vetoed
        doc('B.1', { isbns: ['9789793062792'], format: 'Video', year: 2005 }),
        // same unique id, titles catalogued differently
        doc('B.2', { titleNorm: 'sangpemimpisebuahnovel', titleKey: 'sangpemimpihirata', idKeys: ['(OCoLC)123'] }),
        // "Second edition" is "2nd ed."
        doc('B.3', { titleNorm: 'bumimanusia', titleKey: 'bumimanusiatoer', authorNorm: 'toerpramoedyaananta', edition: 'Second edition' }),
        // another printing: vetoed
        doc('B.4', { titleNorm: 'rumahkaca', titleKey: 'rumahkacatoer', authorNorm: 'toerpramoedyaananta', edition: 'Cet. 5' }),
      ],
      [
        // same title and author, another year: vetoed; the same year: merged by title
        doc('C.1', { year: 2008 }),
        doc('C.2', { year: 2005, isbns: ['9789793062792'] }),
      ],
    ]);
    expect(workOf('B.1')).not.toBe(workOf('A.1'));
    expect([workOf('B.2'), ruleOf('B.2')]).toEqual([workOf('A.2'), 'id']);
    expect([workOf('B.3'), ruleOf('B.3')]).toEqual([workOf('A.3'), 'title']);
    expect(workOf('B.4')).not.toBe(workOf('A.4'));
    expect(workOf('C.1')).not.toBe(workOf('A.1'));
    expect([workOf('C.2'), ruleOf('C.2')]).toEqual([workOf('A.1'), 'isbn']);
  });

  it('never puts two records of one library in a work, and picks the largest confirmed work, then the oldest', () => {
    const { workOf } = bothPaths([
      [
        doc('A.1', { isbns: ['9780000000001'] }), doc('A.2', { isbns: ['9780000000001'] }), doc('A.3', { isbns: ['9780000000002'] }),
        doc('A.4', { isbns: ['9780000000004'] }), doc('A.5', { isbns: ['9780000000005'] }),
      ],
      // B.1 could join A.1 or A.2 (equal size): the older work; B.2 joins A.3, B.5 joins A.5
      [doc('B.1', { isbns: ['9780000000001'] }), doc('B.2', { isbns: ['9780000000002'] }), doc('B.5', { isbns: ['9780000000005'] })],
      // C.1 is confirmed with both A.2's work (1 record) and A.1's (2 records): the larger wins;
      // C.4 with A.4's (1 record, older) and A.5's (2 records, younger): the larger wins again
      [doc('C.1', { isbns: ['9780000000001'] }), doc('C.4', { isbns: ['9780000000004', '9780000000005'] })],
      // D.1 is confirmed with A.1's work (3 records), A.2's (1) and A.3's (2, with B.2); D.2 cannot join A.1's any more
      [doc('D.1', { isbns: ['9780000000002', '9780000000001'] }), doc('D.2', { isbns: ['9780000000001'] })],
    ]);
    expect(workOf('A.1')).not.toBe(workOf('A.2'));
    expect(workOf('B.1')).toBe(workOf('A.1'));
    expect(workOf('C.1')).toBe(workOf('A.1'));
    expect(workOf('C.4')).toBe(workOf('A.5'));
    expect(workOf('D.1')).toBe(workOf('A.1')); // 3 records against A.3's 2
    expect(workOf('D.2')).toBe(workOf('A.2')); // A.1's work already holds a D record
  });

  it('looks at the first 101 candidates of a key in record id byte order, as SQLite lists them', () => {
    // 101 records whose ids sort before the one B.1 matches in UTF-8 byte order, but after it in UTF-16 order
    const a = Array.from({ length: 101 }, (_, i) => doc(`A.\uE000${String(i).padStart(3, '0')}`, { year: 1800 + i }));
    a.push(doc('A.\u{1F600}', { year: 1999 }));
    const { workOf, works } = bothPaths([a, [doc('B.1', { year: 1999 })]], 50);
    expect(workOf('B.1')).not.toBe(workOf('A.\u{1F600}'));
    expect(works).toBe(103);
  });

  it('merges each work from all its records, whichever batches they came in', () => {
    const libs = ['A', 'B', 'C', 'D', 'E'].map((l, li) =>
      Array.from({ length: 7 }, (_, i) =>
        doc(`${l}.${i}`, { isbns: [`97800000000${i % 3}${li % 2}`], subjects: [`${l} subject ${i}`], title: li === 2 ? 'LASKAR PELANGI' : 'Laskar pelangi' }),
      ),
    );
    const { works } = bothPaths(libs, 3);
    expect(works).toBeLessThan(35);
  });
});

describe('compareBytes', () => {
  it('orders strings as SQLite orders TEXT', () => {
    const values = ['b', 'a', 'ab', '', '\uE000', '\u{1F600}', '\uFFFF', 'é', 'z\u{10000}', 'z\uFFFD'];
    const db = openMemoryDatabase();
    db.exec('CREATE TEMP TABLE t (v TEXT)');
    const put = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (const v of values) put.run(v);
    const sqlite = db.prepare('SELECT v FROM t ORDER BY v').pluck().all();
    expect([...values].sort(compareBytes)).toEqual(sqlite);
  });
});
