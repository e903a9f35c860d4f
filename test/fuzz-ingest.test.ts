import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestMarcFiles } from '../src/ingest/ingest-marc-files.ts';
import { writeIso2709 } from '../src/marc/iso2709-writer.ts';
import type { MarcRecord } from '../src/marc/marc-record.ts';
import { toMarcXml } from '../src/marc/marcxml-writer.ts';
import { readMarcFile } from '../src/marc/read-marc-files.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { SqliteCatalogStore } from '../src/store/sqlite-catalog-store.ts';
import { marcFixtures, tempDir } from './support/paths.ts';
import { seededPrng } from './support/seeded-prng.ts';


const ESC = 0x1b;
const FT = 0x1e;
const RT = 0x1d;

/** Ways real files go wrong, applied to one ISO 2709 record's bytes. */
const MUTATIONS: Array<(b: Uint8Array, r: () => number) => Uint8Array> = [
  (b, r) => b.slice(0, Math.floor(r() * b.length)), // truncated
  (b, r) => { const c = b.slice(); c[Math.floor(r() * c.length)] = Math.floor(r() * 256); return c; }, // a byte flipped
  (b) => { const c = b.slice(); c.set(new TextEncoder().encode('99999'), 0); return c; }, // leader length lies
  (b) => { const c = b.slice(); c.set(new TextEncoder().encode('00030'), 12); return c; }, // base address lies
  (b) => { const c = b.slice(); c.set(new TextEncoder().encode('9999'), 27); c.set(new TextEncoder().encode('99999'), 31); return c; }, // directory entry past the end
  (b) => b.filter((x) => x !== FT), // field terminators missing
  (b, r) => { const c = b.slice(); const at = 24 + Math.floor(r() * (c.length - 25)); c[at] = 0xc3; if (at + 1 < c.length) c[at + 1] = 0x28; return c; }, // invalid UTF-8
  (b, r) => { const at = 24 + Math.floor(r() * (b.length - 25)); return new Uint8Array([...b.slice(0, at), ESC, 0x28, 0x32, 0xff, ESC, ...b.slice(at)]); }, // stray MARC-8 escapes
  (b) => { const c = b.slice(); c.set(new TextEncoder().encode('xx'), 5); c.fill(0x41, 24, Math.min(36, c.length)); return c; }, // garbage directory
  (b, r) => { const c = b.slice(); for (let i = 0; i < 8; i++) c[Math.floor(r() * c.length)] = [RT, FT, 0x1f, 0][i % 4] as number; return c; }, // terminators in odd places
];

const XML_CASES: Array<(rec: string, i: number) => string> = [
  (rec) => `<collection>${rec}</collection>`, // good
  (rec) => `<collection>${rec.slice(0, Math.floor(rec.length / 2))}`, // truncated
  (rec) => `<collection>${rec.replace(/<subfield code="a">/, '<subfield code="a"><b>')}</collection>`, // bad markup
  (rec) => `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><collection>${rec.replace('</leader>', '&lol2;</leader>')}</collection>`, // a billion laughs
  (rec) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><collection>${rec.replace('</leader>', '&x;</leader>')}</collection>`, // external entity
  (rec) => `<collection>${rec.replace(/tag="245"/, 'tag="24\u00015"')}</collection>`, // control character
  (rec, i) => `<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">${rec.replace(/<(\/?)(\w+)/g, '<$1marc:$2').replace('</marc:leader>', `</marc:leader><marc:controlfield tag="009">${i}</marc:controlfield>`)}</marc:collection>`, // prefixed, good
];

describe('fuzzed MARC', () => {
  it('ingests 100 000 mutated, truncated and hostile records without a crash or a hang: every good record stored, every bad one reported', async () => {
    const shared = marcFixtures();
    const r = seededPrng(20261124);
    // real records to mutate, re-serialised so that each has a known, unique local id
    const base: MarcRecord[] = [];
    for (const file of ['evergreen/lul_fre_100.mrc', 'evergreen/jazz_1k.mrc', 'marc4j/selectedRecs.mrc', 'Catmandu-MARC/bu_bibs.mrc']) {
      for await (const res of readMarcFile(path.join(shared, file))) if (res.ok && base.length < 600) base.push(res.record);
    }
    const withId = (rec: MarcRecord, id: string): MarcRecord => ({
      leader: rec.leader,
      fields: [{ tag: '001', value: id }, ...rec.fields.filter((f) => f.tag !== '001')],
    });
    const dir = tempDir('jala-fuzz-');
    const goodIds: string[] = [];
    let inputs = 0;
    const ISO_FILES = 40;
    const PER_ISO_FILE = 2250;
    for (let f = 0; f < ISO_FILES; f++) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < PER_ISO_FILE; i++) {
        const id = `f${f}r${i}`;
        const bytes = writeIso2709(withId(base[Math.floor(r() * base.length)] as MarcRecord, id));
        if (i % 10 === 0) {
          parts.push(bytes); // a pristine record: must be stored
          goodIds.push(`FUZZ.${id}`);
        } else {
          const mutated = (MUTATIONS[Math.floor(r() * MUTATIONS.length)] as (b: Uint8Array, r: () => number) => Uint8Array)(bytes, r);
          parts.push(mutated.at(-1) === RT ? mutated : new Uint8Array([...mutated, RT]));
        }
        inputs++;
      }
      fs.writeFileSync(path.join(dir, `iso-${f}.mrc`), Buffer.concat(parts));
    }
    for (let i = 0; i < 10_000; i++) {
      const id = `x${i}`;
      const rec = toMarcXml([withId(base[Math.floor(r() * base.length)] as MarcRecord, id)]).replace(/^[\s\S]*?<record>/, '<record>').replace(/<\/collection>\s*$/, '');
      const kind = i % XML_CASES.length;
      fs.writeFileSync(path.join(dir, `xml-${i}.xml`), (XML_CASES[kind] as (rec: string, i: number) => string)(rec, i));
      if (kind === 0) goodIds.push(`FUZZ.${id}`);
      inputs++;
    }
    expect(inputs).toBe(100_000);

    const db = openDatabase(tempDir('jala-fuzz-db-'));
    const store = new SqliteCatalogStore(db);
    const summary = await ingestMarcFiles({ store, library: 'FUZZ', paths: [dir], batchSize: 2000 });
    console.log(`fuzz: ${inputs} inputs in ${summary.files} files → read ${summary.read}, stored ${summary.ingested}, skipped ${summary.skipped}, repaired ${summary.warnings}, problems ${summary.problems.length}`);

    expect(summary.fatal).toEqual([]);
    expect(summary.ingested + summary.skipped).toBe(summary.read);
    expect(summary.problems.length).toBeGreaterThanOrEqual(summary.skipped);
    expect(summary.problems.every((p) => p.reason.length > 0 && p.position !== '')).toBe(true);
    const missing = goodIds.filter((id) => store.recordMeta(id) === undefined);
    expect(missing).toEqual([]);
    // no entity was expanded and no file was read into a record
    expect(JSON.stringify(store.recordMarc('FUZZ.x3') ?? {})).not.toContain('lollol');
    expect(db.prepare("SELECT count(*) AS n FROM records WHERE marc LIKE '%root:%'").get()).toEqual({ n: 0 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 600_000);
});
