import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMarc } from './bench/generate-marc.ts';
import { parseRecordCount, renderBenchTable, runBench } from './bench/run-bench.ts';
import { readMarcFile } from '../src/marc/read-marc-files.ts';
import { tempDir } from './support/paths.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { describeWithTools } from './support/system-tools.ts';

describe('the benchmark', () => {
  it('generates the same valid MARC from the same seed, in ISO 2709 and MARCXML', async () => {
    const a = generateMarc({ outDir: path.join(tempDir(), 'a'), records: 300, libraries: 8, questions: 40 });
    const b = generateMarc({ outDir: path.join(tempDir(), 'b'), records: 300, libraries: 8, questions: 40 });
    expect(a.records).toBe(300);
    expect(a.libraries.map((l) => l.format)).toContain('marcxml');
    expect(a.libraries.map((l) => l.holdings)).toContain('marc852');
    expect(a.questions).toEqual(b.questions);
    const files = (c: typeof a): string[] => c.libraries.flatMap((l) => l.files);
    expect(files(a).length).toBe(files(b).length);
    for (const [i, file] of files(a).entries()) {
      expect(fs.readFileSync(file).equals(fs.readFileSync(files(b)[i] as string))).toBe(true);
    }
    let read = 0;
    for (const file of files(a)) {
      for await (const r of readMarcFile(file)) {
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.source.warnings).toEqual([]);
        read++;
      }
    }
    expect(read).toBe(300);
  });

  it('measures a small catalog end to end and finds the works held by several libraries', async () => {
    const report = await runBench({ records: 2000, runs: 1, libraries: 10, questions: 60 });
    expect(report.records).toBe(2000);
    expect(report.ingest.recordsPerSecond).toBeGreaterThan(0);
    for (const v of Object.values(report.ingest.phases)) expect(v).toBeGreaterThanOrEqual(0);
    expect(report.index.bytes).toBeGreaterThan(0);
    expect(report.coldStartSeconds).toBeGreaterThan(0);
    // 60 templated questions and 4 of each of the 13 chat-style kinds
    expect(report.answers.questions).toBe(60 + 13 * 4);
    expect(Object.keys(report.answers.byKind)).toEqual(expect.arrayContaining(['title', 'chat-en', 'long', 'filters', 'nonsense']));
    expect(report.answers.p99Ms).toBeGreaterThanOrEqual(report.answers.p50Ms);
    expect(report.answers.answered).toBeGreaterThan(0.9);
    expect(report.memory.ingestPeakRssMb).toBeGreaterThan(0);
    expect(report.databaseBytes).toBeGreaterThan(0);
    expect(report.catalog.sharedWorks).toBeGreaterThan(200);
    // dedup merged (nearly) every multi-library work, and merged nothing else
    expect(report.dedup.sharedFound).toBeGreaterThan(0.95);
    expect(report.dedup.works).toBeGreaterThanOrEqual(report.catalog.works * 0.98);
    expect(report.dedup.works).toBeLessThanOrEqual(report.catalog.works * 1.02);
    expect(renderBenchTable(report)).toContain('answers p50 / p95 / p99');
    // the catalog server: every question as an SRU query, the whole catalog over OAI-PMH, the peer beside it
    const protocols = report.protocols;
    expect(protocols?.sru.queries).toBe(60);
    expect(protocols?.sru.p99Ms).toBeGreaterThanOrEqual(protocols?.sru.p50Ms ?? Infinity);
    expect(protocols?.sru.found).toBeGreaterThan(0.5);
    expect(protocols?.oai.records).toBe(report.dedup.works);
    expect(protocols?.oai.pages).toBe(Math.ceil(report.dedup.works / 200));
    if (protocols && !('skipped' in protocols.peer)) expect(protocols.peer.records).toBe(report.dedup.works);
    expect(renderBenchTable(report)).toContain('OAI-PMH ListRecords marc21, in full');
  });

  it('reads record counts as people write them', () => {
    expect(parseRecordCount('10k')).toBe(10_000);
    expect(parseRecordCount('1M')).toBe(1_000_000);
    expect(parseRecordCount('2.5m')).toBe(2_500_000);
    expect(parseRecordCount('25,000')).toBe(25_000);
    expect(parseRecordCount('lots')).toBeUndefined();
  });
});

describeWithTools([POSTGRES_TOOL], 'the benchmark on PostgreSQL (--store postgres)', () => {
  it('ingests into a throwaway server by the bulk path (COPY, swapped in), answers from the replica, and reports the database size', async () => {
    const saved = process.env.JALA_DATABASE_URL;
    delete process.env.JALA_DATABASE_URL;
    try {
      const report = await runBench({ records: 600, runs: 1, libraries: 6, questions: 20, store: 'postgres' });
      expect(report.store).toMatchObject({ kind: 'postgres', fsyncOff: true });
      // as `jala ingest` into an empty consortium loads PostgreSQL (--no-bulk measures record by record)
      expect(report.ingest.bulk).toBe(true);
      expect(report.dedup.records).toBe(600);
      expect(report.databaseBytes).toBeGreaterThan(1_000_000);
      expect(report.answers.questions).toBeGreaterThanOrEqual(20);
      expect(Object.keys(report.answers.byKind)).toEqual(expect.arrayContaining(['title', 'chat-en']));
      expect(report.answers.p99Ms).toBeGreaterThanOrEqual(report.answers.p50Ms);
      expect(report.answers.answered).toBeGreaterThan(0.9);
      expect(report.coldStartSeconds).toBeGreaterThan(0);
      expect(report.protocols).toBeNull();
      const table = renderBenchTable(report);
      expect(table).toContain('Jala bench — PostgreSQL');
      expect(table).toContain('fsync');
      expect(table).toContain('into PostgreSQL only (bulk path: COPY into staging tables, swapped in)');
      // the same questions through the PostgreSQL full-text SearchIndex, built in the run's database
      const fullText = report.answers.fullText;
      expect(fullText?.how).toBe('built');
      expect(fullText?.p99Ms).toBeGreaterThanOrEqual(fullText?.p50Ms ?? Number.NaN);
      expect(fullText?.answered).toBeGreaterThan(0.9);
      expect(fullText?.byKind.title?.answeredFullText).toBeGreaterThan(0.9);
      expect(fullText?.byKind.nonsense?.answeredFullText).toBe(1);
      expect(fullText?.sameFirst).toBeGreaterThan(0.5);
      expect(table).toContain('through the PostgreSQL full-text SearchIndex (JALA_SEARCH_INDEX=postgres) |');
      expect(table).toMatch(/full-text: answered \(memory → full-text\), same first result.*\| title 100 %→100 %, same \d+ %/);
      expect(table).not.toContain('not available');
    } finally {
      if (saved !== undefined) process.env.JALA_DATABASE_URL = saved;
    }
  }, 120_000);
});
