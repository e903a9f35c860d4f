/**
 * One process of the bulk-load kill test (test/bulk-load.test.ts): runs `jala reindex --full`'s bulk
 * path (bulkReindexFromConfig, as adapters/cli/reindex-command.ts calls it) on a data directory and
 * SIGKILLs itself at one point of the build: a stage the build reports, or `loading` (the first
 * progress report of the second library: the first library's records are in the file being built).
 * The crash hook lives only in this test entry point: the production path only reports its stages.
 * With --stop-at STAGE it pauses there instead (prints `stopped at STAGE` and SIGSTOPs itself, holding
 * whatever the build holds at that point) until the test sends it SIGCONT.
 *
 *   node --import tsx test/support/bulk-load-crash.ts --data-dir DIR [--kill-at STAGE] [--stop-at STAGE]
 *
 * Prints one JSON line when it was not killed: { stages: [...], ok, code? }.
 */
import fs from 'node:fs';
import { bulkReindexFromConfig } from '../../src/app/bulk-load-catalog.ts';

function args(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) out.set(String(argv[i]).replace(/^--/, ''), String(argv[i + 1]));
  return out;
}

const a = args(process.argv.slice(2));
const killAt = a.get('kill-at');
const stopAt = a.get('stop-at');
const stages: string[] = [];
const reach = (stage: string): void => {
  stages.push(stage);
  if (stage === killAt) process.kill(process.pid, 'SIGKILL');
  if (stage === stopAt) {
    // written before the stop (a synchronous write): the test waits for this line, then for SIGCONT's effect
    fs.writeSync(1, `stopped at ${stage}\n`);
    process.kill(process.pid, 'SIGSTOP');
  }
};
const libraries: string[] = [];

const decision = await bulkReindexFromConfig(a.get('data-dir') as string, undefined, {
  onStage: reach,
  onProgress: (library) => {
    if (!libraries.includes(library)) libraries.push(library);
    if (libraries.length === 2 && !stages.includes('loading')) reach('loading');
  },
});
process.stdout.write(
  `${JSON.stringify({ stages, used: decision.used, ...(decision.used ? { ok: decision.result.ok, ...(decision.result.ok ? {} : { code: decision.result.code }) } : { why: decision.why }) })}\n`,
);
