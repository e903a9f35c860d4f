/**
 * One process of the first-start test (test/first-start-together.test.ts), on a data directory with
 * the sample consortium's config:
 * - `--role hold --go FILE`: the first start's full load (bulkLoadConfigured 'first-start', as
 *   createJala runs it), paused once its records are loaded (it then holds the build: SQLite's file
 *   built aside, PostgreSQL's bulk-load lock) until FILE exists; prints `paused`, then one JSON line
 *   { used, ok, code? }. The pause lives only in this test entry point: the production path only
 *   reports its stages.
 * - `--role start`: a serving process's start (createJala with ingestMissing, as `jala serve` on the
 *   sample does); the line it is told while waiting goes to stderr; prints one JSON line
 *   { records, works, answered } once it is ready.
 *
 *   node --import tsx test/support/first-start-child.ts --role hold|start --data-dir DIR --config FILE [--go FILE]
 */
import fs from 'node:fs';
import path from 'node:path';
import { bulkLoadConfigured } from '../../src/app/bulk-load-catalog.ts';
import { createJala } from '../../src/app/create-jala.ts';
import { loadConsortiumConfig } from '../../src/config/load-config.ts';

function args(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) out.set(String(argv[i]).replace(/^--/, ''), String(argv[i + 1]));
  return out;
}

const a = args(process.argv.slice(2));
const dataDir = a.get('data-dir') as string;
const configPath = a.get('config') as string;

if (a.get('role') === 'hold') {
  const go = a.get('go') as string;
  const loaded = loadConsortiumConfig(dataDir, { ...process.env, JALA_CONFIG: configPath });
  if (!loaded.ok) throw new Error(loaded.message);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const decision = await bulkLoadConfigured(dataDir, loaded.config, path.dirname(configPath), 'first-start', {
    index: false,
    onStage: (stage) => {
      if (stage !== 'loaded') return;
      process.stdout.write('paused\n');
      // synchronously, as the stage is told: the build keeps what it holds meanwhile
      while (!fs.existsSync(go)) Atomics.wait(pause, 0, 0, 50);
    },
  });
  process.stdout.write(`${JSON.stringify({ used: decision.used, ...(decision.used ? { ok: decision.result.ok, ...(decision.result.ok ? {} : { code: decision.result.code }) } : { why: decision.why }) })}\n`);
} else {
  const jala = await createJala({ dataDir, configPath, ingestMissing: true, onWaiting: (line) => void process.stderr.write(`${line}\n`) });
  try {
    const stats = jala.store.stats();
    const answer = jala.ask('laskar pelangi');
    process.stdout.write(`${JSON.stringify({ records: stats.records, works: stats.works, answered: answer.results.length > 0 })}\n`);
  } finally {
    jala.close();
  }
}
