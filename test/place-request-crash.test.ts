import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { tempDir } from './support/paths.ts';
import { sampleDataDir } from './support/sample-jala.ts';

const run = promisify(execFile);
const CHILD = path.join(PACKAGE_ROOT, 'test', 'support', 'place-request-crash.ts');

/**
 * Placing a request cannot half-happen (issue 17): a process placing one — the request, its event,
 * a librarian's routing to the first lender, the notices in the outbox — is SIGKILLed before each of
 * its writes and each commit in turn (test/support/place-request-crash.ts). Reopened, the database
 * holds either no trace of the request or all of it, exactly as an uninterrupted placing leaves it.
 */

interface Outcome {
  steps: string[];
  request?: string;
  error?: string;
}

/** Everything a placing writes, without ids and times. */
function snapshot(dataDir: string): { integrity: unknown[]; requests: unknown[]; rota: unknown[]; events: unknown[]; outbox: unknown[] } {
  const db = openDatabase(dataDir);
  try {
    return {
      integrity: [db.pragma('integrity_check', { simple: true })],
      requests: db.prepare('SELECT state, supplier, supplier_state, placed_by, patron_user_id, title FROM ill_requests ORDER BY id').all(),
      rota: db.prepare('SELECT request_id, position, library, status FROM ill_rota ORDER BY request_id, position').all(),
      events: db.prepare('SELECT request_id, action, from_state, to_state, supplier FROM ill_events ORDER BY id').all(),
      outbox: db.prepare('SELECT target_type, target, request_id FROM outbox ORDER BY id').all(),
    };
  } finally {
    db.close();
  }
}

let template: string;
let work: string;

beforeAll(async () => {
  const { dataDir } = sampleDataDir(undefined, { prefix: 'jala-place-crash-' });
  const jala = await createJala({ dataDir, ingestMissing: true });
  // a work UGM does not hold and UI lends: a librarian's request is routed to a lender at once
  const hit = jala.ask('The rainbow troops').results.find((r) => r.title.toLowerCase().startsWith('the rainbow troops'));
  jala.close();
  if (!hit) throw new Error('no sample work');
  work = hit.workId;
  template = dataDir;
}, 600_000);

async function placeIn(as: 'librarian' | 'patron', killAt: number): Promise<{ dir: string; outcome?: Outcome; killed: boolean }> {
  const dir = tempDir('jala-place-kill-');
  fs.cpSync(template, dir, { recursive: true });
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, '--data-dir', dir, '--as', as, '--work', work, '--kill-at', String(killAt)], {
      cwd: PACKAGE_ROOT, maxBuffer: 4 * 1024 * 1024,
    });
    return { dir, outcome: JSON.parse(stdout.trim().split('\n').at(-1) as string) as Outcome, killed: false };
  } catch (e) {
    const err = e as { signal?: string; stderr?: string };
    if (err.signal !== 'SIGKILL') throw new Error(`the placing process failed: ${err.stderr ?? String(e)}`);
    return { dir, killed: true };
  }
}

describe('placing a request is all or nothing under SIGKILL', () => {
  for (const as of ['librarian', 'patron'] as const) {
    it(`a ${as}'s placing killed before each write and each commit leaves nothing or everything`, async () => {
      const empty = snapshot(template);
      const whole = await placeIn(as, 0);
      expect(whole.killed).toBe(false);
      expect(whole.outcome?.error).toBeUndefined();
      const complete = snapshot(whole.dir);
      // what a whole placing leaves: the request, its events, its notices (and for a librarian the rota, the lender asked)
      expect(complete.requests).toHaveLength(1);
      expect(complete.outbox.length).toBeGreaterThan(0);
      if (as === 'librarian') {
        expect(complete.requests[0]).toMatchObject({ state: 'SENT' });
        expect(complete.rota.length).toBeGreaterThan(0);
      } else expect(complete.requests[0]).toMatchObject({ state: 'NEW', patron_user_id: 'patron-crash' });
      const steps = whole.outcome?.steps ?? [];
      expect(steps.filter((s) => s === 'commit').length).toBeGreaterThan(0);
      expect(steps.length).toBeGreaterThan(3);
      const seen = { nothing: 0, everything: 0 };
      for (let k = 1; k <= steps.length; k++) {
        const r = await placeIn(as, k);
        expect(r.killed, `kill before step ${k} (${steps[k - 1]})`).toBe(true);
        const after = snapshot(r.dir);
        const isEmpty = JSON.stringify(after) === JSON.stringify(empty);
        const isComplete = JSON.stringify(after) === JSON.stringify(complete);
        expect(isEmpty || isComplete, `kill before step ${k} (${steps[k - 1]}): ${JSON.stringify(after)}`).toBe(true);
        seen[isEmpty ? 'nothing' : 'everything']++;
        fs.rmSync(r.dir, { recursive: true, force: true });
      }
      // a kill before the last commit loses the placing; the placing's writes all came before it
      expect(seen.nothing).toBeGreaterThan(0);
    }, 900_000);
  }
});
