import { describe, expect, it } from 'vitest';
import { followLeadership } from './follow-leadership.ts';
import type { Leadership } from './leadership.ts';
import { SingleProcessLeadership } from './single-process-leadership.ts';

/** A lead handed over by the test: as a database would hand it, one answer per try. */
class HandedLeadership implements Leadership {
  readonly kind = 'handed';
  leads = false;
  released = 0;
  tryLead(): boolean {
    return this.leads;
  }
  release(): void {
    this.released++;
  }
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('followLeadership', () => {
  it('starts the duties at once with SQLite (one process always leads), and stops them and gives the lead up at stop', async () => {
    const log: string[] = [];
    const f = followLeadership(new SingleProcessLeadership(), { lead: () => (log.push('start'), { stop: async () => void log.push('stop') }) });
    await f.settled;
    expect(f.isLeader()).toBe(true);
    expect(log).toEqual(['start']);
    await f.stop();
    expect(f.isLeader()).toBe(false);
    expect(log).toEqual(['start', 'stop']);
  });

  it('starts the duties when the lead is taken, stops them when it is lost, and starts them again when it comes back', async () => {
    const lead = new HandedLeadership();
    const log: string[] = [];
    const f = followLeadership(lead, { intervalMs: 5, lead: () => (log.push('start'), { stop: async () => void log.push('stop') }) });
    await f.settled;
    expect(f.isLeader()).toBe(false);
    expect(log).toEqual([]);
    lead.leads = true;
    await until(() => f.isLeader());
    lead.leads = false;
    await until(() => !f.isLeader());
    lead.leads = true;
    await until(() => f.isLeader());
    await f.stop();
    expect(log).toEqual(['start', 'stop', 'start', 'stop']);
    expect(lead.released).toBe(1);
  });

  it('tries again to start duties that failed to start, while it leads', async () => {
    const lead = new HandedLeadership();
    lead.leads = true;
    let attempts = 0;
    const errors: string[] = [];
    const logger = { info: () => {}, warn: () => {}, error: (e: string) => void errors.push(e), child: () => logger };
    const f = followLeadership(lead, {
      intervalMs: 5,
      log: logger,
      lead: () => {
        if (++attempts < 3) throw Object.assign(new Error('gateway refused'), { code: 'discord/login-failed' });
        return { stop: async () => {} };
      },
    });
    await until(() => f.isLeader());
    expect(attempts).toBe(3);
    expect(errors).toEqual(['leader/duties-failed', 'leader/duties-failed']);
    await f.stop();
  });
});
