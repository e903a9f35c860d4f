import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsortiumConfig } from '../config/consortium-config.ts';
import { openMemoryDatabase } from '../store/open-database.ts';
import { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteHarvestStore } from '../store/sqlite-harvest-store.ts';
import { createReindexRunner } from './reindex-runner.ts';

const RECORD = (id: string, title: string): string =>
  `<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">${id}</controlfield><datafield tag="245" ind1="0" ind2="0"><subfield code="a">${title}</subfield></datafield></record>`;

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-runner-'));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'a.xml'), `<collection xmlns="http://www.loc.gov/MARC21/slim">${RECORD('1', 'Bumi manusia')}${RECORD('2', 'Anak semua bangsa')}</collection>`);
  const config = ConsortiumConfig.parse({
    libraries: [
      { code: 'A', name: 'Library A', files: ['lib/*.xml'] },
      { code: 'B', name: 'Library B' },
    ],
  });
  const store = new SqliteCatalogStore(openMemoryDatabase());
  const swaps: boolean[] = [];
  const runner = createReindexRunner({ store, harvest: new SqliteHarvestStore(store.db), config, configDir: dir, refreshIndex: ({ rebuild }) => (swaps.push(rebuild), { how: rebuild ? 'built' : 'caught-up', seq: store.currentSeq() }) });
  return { dir, store, runner, swaps };
}

describe('the reindex runner', () => {
  it('runs the sources, swaps the index once at the end, and reports progress to the end', async () => {
    const { store, runner, swaps } = setup();
    const phases: string[] = [];
    const started = runner.start({ trigger: 'cli' }, (p) => phases.push(p.phase));
    if (!started.ok) throw new Error(started.error);
    const report = await started.done;
    expect(report).toMatchObject({ outcome: 'ok', mode: 'incremental', sources: [{ library: 'A', kind: 'files', outcome: 'ok', received: 2, ingested: 2 }], index: { how: 'caught-up' } });
    expect(swaps).toEqual([false]);
    expect(phases.at(-1)).toBe('done');
    expect(phases.indexOf('index')).toBeGreaterThan(phases.lastIndexOf('harvest'));
    expect(store.stats().records).toBe(2);
    expect(runner.running()).toBeUndefined();
    expect(new SqliteHarvestStore(store.db).lastRuns()).toMatchObject([{ library: 'A', source: 'files', outcome: 'ok', mode: 'incremental' }]);
  });

  it('refuses a second run while one is running, and unknown libraries or libraries without sources', async () => {
    const { runner, swaps } = setup();
    const first = runner.start({ trigger: 'chat', full: true, by: 'Admin One' });
    expect(first.ok).toBe(true);
    expect(runner.start({ trigger: 'cli' })).toMatchObject({ ok: false, error: 'reindex/already-running', running: { mode: 'full', by: 'Admin One' } });
    if (first.ok) await first.done;
    expect(swaps).toEqual([true]);
    expect(runner.start({ trigger: 'cli', library: 'Z' })).toMatchObject({ ok: false, error: 'reindex/unknown-library', known: ['A', 'B'] });
    expect(runner.start({ trigger: 'cli', library: 'b' })).toMatchObject({ ok: false, error: 'reindex/no-sources', library: 'B' });
  });

  it('takes over the lock of a process that died holding it, and marks its run interrupted', async () => {
    const { store, runner } = setup();
    const harvest = new SqliteHarvestStore(store.db);
    const stamp = new Date().toISOString();
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max
    harvest.tryLock({ holder: `${os.hostname()}:${deadPid}:x`, pid: deadPid, description: '{}', scope: '*' }, stamp, () => true);
    harvest.startRun('A', 'files', 'full', stamp);
    const started = runner.start({ trigger: 'cli' });
    expect(started.ok).toBe(true);
    if (started.ok) await started.done;
    expect(harvest.recentRuns().map((r) => r.outcome)).toEqual(['ok', 'interrupted']);
  });
});

describe('reindex locks across processes', () => {
  it('runs two libraries at once in two runners, refuses the same library twice and every library beside them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-runner-'));
    for (const lib of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, lib));
      fs.writeFileSync(path.join(dir, lib, 'r.xml'), `<collection xmlns="http://www.loc.gov/MARC21/slim">${RECORD(`${lib}1`, `Buku ${lib}`)}</collection>`);
    }
    const config = ConsortiumConfig.parse({ libraries: [{ code: 'A', name: 'Library A', files: ['a/*.xml'] }, { code: 'B', name: 'Library B', files: ['b/*.xml'] }] });
    const store = new SqliteCatalogStore(openMemoryDatabase());
    // two runners on one database: as two processes (each its own lock holder)
    const runner = () => createReindexRunner({ store, harvest: new SqliteHarvestStore(store.db), config, configDir: dir, refreshIndex: () => ({ how: 'caught-up', seq: store.currentSeq() }) });
    const [one, two, three] = [runner(), runner(), runner()];
    const a = one.start({ trigger: 'cli', library: 'A', by: 'Admin A' });
    const b = two.start({ trigger: 'cli', library: 'b' });
    expect(a.ok && b.ok).toBe(true);
    expect(three.start({ trigger: 'cli', library: 'A' })).toMatchObject({ ok: false, error: 'reindex/already-running', running: { library: 'A', by: 'Admin A' } });
    expect(three.start({ trigger: 'cli' })).toMatchObject({ ok: false, error: 'reindex/already-running' });
    if (a.ok) expect((await a.done).outcome).toBe('ok');
    if (b.ok) expect((await b.done).outcome).toBe('ok');
    expect(new SqliteHarvestStore(store.db).lastRuns().map((r) => [r.library, r.outcome])).toEqual([['A', 'ok'], ['B', 'ok']]);
    // and within one process: its runs of A and B side by side, A twice refused with the run in the way
    const inOne = [one.start({ trigger: 'cli', library: 'A', by: 'Admin A' }), one.start({ trigger: 'cli', library: 'B' })];
    expect(inOne.map((s) => s.ok)).toEqual([true, true]);
    expect(one.start({ trigger: 'chat', library: 'a' })).toMatchObject({ ok: false, error: 'reindex/already-running', running: { library: 'A', by: 'Admin A' } });
    expect(one.start({ trigger: 'chat' })).toMatchObject({ ok: false, error: 'reindex/already-running' });
    expect(new SqliteHarvestStore(store.db).locks().map((l) => l.scope)).toEqual(['A', 'B']);
    await one.idle();
    expect(one.running()).toBeUndefined();
    expect(new SqliteHarvestStore(store.db).locks()).toEqual([]);
    // every library, alone: then neither library may start
    const all = three.start({ trigger: 'cli' });
    expect(all.ok).toBe(true);
    expect(one.start({ trigger: 'cli', library: 'B' })).toMatchObject({ ok: false, error: 'reindex/already-running', running: { trigger: 'cli' } });
    if (all.ok) expect((await all.done).outcome).toBe('ok');
    expect(store.stats().records).toBe(2);
  });
});
