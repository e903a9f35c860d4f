import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createJala } from '../src/app/create-jala.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { SqliteIllStore } from '../src/store/sqlite-ill-store.ts';
import { JALA_BIN } from './support/paths.ts';
import { sampleJala } from './support/sample-jala.ts';
import { illCommand } from './support/ill-request.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const run = promisify(execFile);

describe('ILL under concurrency', () => {
  it('many processes acting on the same requests at once: one transition per action, a complete event log, no request lost', async () => {
    const jala = await sampleJala();
    const ill = createIllService(jala);
    const rainbow = jala.ask('the rainbow troops').results[0]?.workId as string;
    const ids = [1, 2, 3].map(() => {
      const r = ill.handleCommand({ actor: { platform: 'cli', userId: 'u', role: 'librarian', library: 'UGM' }, conversationId: 'c', text: '' }, illCommand(`request ${rainbow}`), 'en');
      return r.replies[0]?.request?.id as string;
    });
    const dataDir = jala.dataDir;
    jala.close();

    // four lending librarians press Accept on every request, and the borrower tries to cancel each, all at once
    const say = (user: string, role: string, library: string, message: string) =>
      run(process.execPath, [JALA_BIN, 'say', '--json', '--user', user, '--role', role, '--library', library, '--data-dir', dataDir, message]).then(
        (o) => JSON.parse(o.stdout) as { replies: Array<{ error?: string; request?: { state: string } }> },
      );
    const jobs = ids.flatMap((id) => [
      ...[1, 2, 3, 4].map((n) => say(`ui-${n}`, 'librarian', 'UI', `/ill accept ${id}`)),
      say('ugm-1', 'librarian', 'UGM', `/ill cancel ${id} changed our mind`),
    ]);
    const outcomes = await Promise.all(jobs);
    expect(outcomes).toHaveLength(15);

    const j = await createJala({ dataDir });
    const store = new SqliteIllStore(sqliteOf(j.store));
    for (const id of ids) {
      const n = Number(id.slice(1));
      const r = store.request(n);
      expect(r).toBeDefined();
      const events = store.events(n);
      // exactly one accept at most, and the log replays to the current state
      expect(events.filter((e) => e.action === 'accept').length).toBeLessThanOrEqual(1);
      expect(events.filter((e) => e.action === 'cancel').length).toBe(1);
      expect(events.at(-1)?.toState).toBe(r?.state);
      for (let i = 1; i < events.length; i++) {
        const prev = events[i - 1];
        const cur = events[i];
        if (cur?.fromState !== null && prev && cur) expect(cur.fromState, `${id} event ${i}`).toBe(prev.toState);
      }
      expect(['WILL_SUPPLY', 'CANCEL_PENDING']).toContain(r?.state);
    }
    // every action got an answer: a transition or a clear refusal
    for (const o of outcomes) expect(o.replies[0]?.request ?? o.replies[0]?.error).toBeDefined();
    j.close();
  });
});
