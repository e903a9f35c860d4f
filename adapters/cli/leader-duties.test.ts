import { describe, expect, it } from 'vitest';
import { startDuties, type LeaderDuty } from './leader-duties.ts';

/** A duty whose first `failures` starts throw (as Slack's apps.connections.open in an outage), and that records what runs. */
function flakyDuty(name: string, failures: number): LeaderDuty & { running: number; attempts: number } {
  const d = {
    name,
    running: 0,
    attempts: 0,
    start: async () => {
      d.attempts++;
      if (d.attempts <= failures) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      d.running++;
      return { stop: async () => void d.running-- };
    },
  };
  return d;
}

const until = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};
const retry = { firstMs: 10, maxMs: 20 };

describe('startDuties on a replica that takes the lead', () => {
  it('tries a duty that failed to start again until it runs, and the others run meanwhile', async () => {
    const lines: string[] = [];
    const timers = flakyDuty('the ILL timers', 0);
    const slack = flakyDuty('Slack Socket Mode', 2);
    const lead = await startDuties([timers, slack], (l) => lines.push(l), { retry });
    expect(timers.running).toBe(1);
    expect(lines).toContain('jala: this replica leads — it runs the ILL timers');
    await until(() => slack.running === 1);
    expect(slack.attempts).toBe(3);
    expect(lines.filter((l) => l.startsWith('jala: Slack Socket Mode could not start on the leader (ECONNREFUSED)'))).toHaveLength(2);
    expect(lines).toContain('jala: Slack Socket Mode started on the leader');
    await lead.stop();
    expect([timers.running, slack.running]).toEqual([0, 0]);
  });

  it('stops trying once the lead is lost, and nothing started is left running', async () => {
    const gateway = flakyDuty('the Discord gateway', Number.POSITIVE_INFINITY);
    const lead = await startDuties([gateway], () => {}, { retry });
    await until(() => gateway.attempts >= 2);
    await lead.stop();
    const attempts = gateway.attempts;
    await new Promise((r) => setTimeout(r, 100));
    expect(gateway.attempts).toBe(attempts);
    expect(gateway.running).toBe(0);
  });

  it('at start-up (failFast) throws the first failure and stops what had started', async () => {
    const timers = flakyDuty('the ILL timers', 0);
    const slack = flakyDuty('Slack Socket Mode', 1);
    await expect(startDuties([timers, slack], () => {}, { failFast: true, retry })).rejects.toThrow('connection refused');
    expect(timers.running).toBe(0);
    expect(slack.attempts).toBe(1);
  });
});
