import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoadedRows, PackedDocumentIds, PackedFieldLengths, PackedIdLookup, PackedStoredFields } from './packed-documents.ts';

// The document tables claim to be the Maps MiniSearch keeps, before and after changes: a Map given
// the same rows and the same changes is the oracle, entry for entry and in order.

/** Loaded rows: short ids 0 … n-1, some without a document; ids are short id × 3 + 7. */
const loadedRows = fc.array(fc.boolean(), { maxLength: 40 }).map((present) => Float64Array.from(present, (p, shortId) => (p ? shortId * 3 + 7 : Number.NaN)));

/** MiniSearch's changes: removing a document (from every map), adding one with the next short id. */
const changes = fc.array(fc.oneof(fc.record({ remove: fc.nat(60) }), fc.record({ add: fc.constantFrom(1, 2, 3) })), { maxLength: 30 });

describe('the packed document tables', () => {
  it('answer as the Maps MiniSearch would hold, through documents removed and added', () => {
    fc.assert(
      fc.property(loadedRows, changes, fc.nat(60), (ids, steps, probe) => {
        const fieldCount = 2;
        const lengths = new Int32Array(ids.length * fieldCount);
        lengths.forEach((_, i) => (lengths[i] = i % 5));
        const names = ['libs', 'year'];
        const values = [[['UGM'], ['UGM', 'ITB']], [1999, 2005, 2020]];
        const columns = [Uint8Array.from(ids, (_, i) => i % 3), Uint16Array.from(ids, (_, i) => (i * 7) % 4)];
        const loaded = new LoadedRows(ids);
        const tables = {
          documentIds: new PackedDocumentIds(loaded),
          idToShortId: new PackedIdLookup(loaded),
          fieldLength: new PackedFieldLengths(loaded, lengths, fieldCount),
          storedFields: new PackedStoredFields(loaded, { names, values, columns }),
        };
        // the oracle: real Maps filled as MiniSearch's loader fills them
        const maps = {
          documentIds: new Map<number, unknown>(),
          idToShortId: new Map<unknown, number>(),
          fieldLength: new Map<number, number[]>(),
          storedFields: new Map<number, Record<string, unknown>>(),
        };
        ids.forEach((id, shortId) => {
          if (Number.isNaN(id)) return;
          maps.documentIds.set(shortId, id);
          maps.idToShortId.set(id, shortId);
          maps.fieldLength.set(shortId, [shortId * 2 % 5, (shortId * 2 + 1) % 5]);
          const record: Record<string, unknown> = {};
          const l = columns[0]?.[shortId] as number;
          const y = columns[1]?.[shortId] as number;
          if (l !== 0) record.libs = values[0]?.[l - 1];
          if (y !== 0) record.year = values[1]?.[y - 1];
          maps.storedFields.set(shortId, record);
        });
        let nextId = ids.length;
        for (const step of steps) {
          if ('remove' in step) {
            const shortId = step.remove;
            const id = maps.documentIds.get(shortId);
            // MiniSearch's discard: one map after another
            for (const both of [[tables.idToShortId, maps.idToShortId]] as const) expect(both[0].delete(id)).toBe(both[1].delete(id));
            expect(tables.documentIds.delete(shortId)).toBe(maps.documentIds.delete(shortId));
            expect(tables.storedFields.delete(shortId)).toBe(maps.storedFields.delete(shortId));
            expect(tables.fieldLength.get(shortId)).toEqual(maps.fieldLength.get(shortId));
            expect(tables.fieldLength.delete(shortId)).toBe(maps.fieldLength.delete(shortId));
          } else {
            // MiniSearch's add: set, then fill in the array and the record it set
            const shortId = nextId++;
            const id = 1000 + shortId;
            tables.idToShortId.set(id, shortId);
            maps.idToShortId.set(id, shortId);
            tables.documentIds.set(shortId, id);
            maps.documentIds.set(shortId, id);
            for (const m of [tables.fieldLength, maps.fieldLength]) {
              let row = m.get(shortId);
              if (row == null) m.set(shortId, (row = []));
              row[1] = step.add;
            }
            for (const m of [tables.storedFields, maps.storedFields]) {
              let record = m.get(shortId);
              if (record == null) m.set(shortId, (record = {}));
              record.year = 1990 + step.add;
            }
          }
        }
        for (const key of ['documentIds', 'fieldLength', 'storedFields'] as const) {
          const table = tables[key] as Map<number, unknown>;
          const map = maps[key] as Map<number, unknown>;
          expect([...table]).toEqual([...map]);
          expect([...table.keys()]).toEqual([...map.keys()]);
          expect(table.size).toBe(map.size);
          expect(table.get(probe)).toEqual(map.get(probe));
          expect(table.has(probe)).toBe(map.has(probe));
        }
        expect(new Map(tables.idToShortId)).toEqual(maps.idToShortId);
        expect(tables.idToShortId.size).toBe(maps.idToShortId.size);
        for (const id of [probe, probe * 3 + 7, 1000 + probe, 'x']) expect(tables.idToShortId.get(id)).toBe(maps.idToShortId.get(id));
        // boosts and the like: once per distinct combination, the same numbers as one call per record
        const out = new Float64Array(nextId).fill(-1);
        const fn = (r: Record<string, unknown>): number => JSON.stringify(r).length + ((r.year as number | undefined) ?? 0);
        tables.storedFields.fill(out, ['year', 'libs'], fn);
        const expected = new Float64Array(nextId).fill(-1);
        for (const [shortId, r] of maps.storedFields) expected[shortId] = fn({ ...(r.libs !== undefined ? { libs: r.libs } : {}), ...(r.year !== undefined ? { year: r.year } : {}) });
        expect([...out]).toEqual([...expected]);
      }),
      { numRuns: 500 },
    );
  });
});
