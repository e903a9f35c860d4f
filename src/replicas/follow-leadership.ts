import { silentLogger, type Logger } from '../common/logger.ts';
import type { Leadership } from './leadership.ts';

/** What a leader runs, started when it takes the lead and stopped when it loses it. */
export interface LeaderDuties {
  stop(): Promise<void>;
}

export interface FollowLeadershipOptions {
  /**
   * How often a follower tries to take the lead and the leader checks it still holds it (default 5 s).
   * A dead leader's duties start elsewhere within about this long after its database session ends.
   */
  intervalMs?: number;
  /** Starts the leader's duties; called each time this replica takes the lead. */
  lead(): Promise<LeaderDuties> | LeaderDuties;
  log?: Logger;
}

export interface FollowedLeadership {
  /** true while this replica leads and its duties are started */
  isLeader(): boolean;
  /** resolves when the first check is done (with SQLite: the duties are running) */
  readonly settled: Promise<void>;
  /** stops the duties (when leading) and gives up the lead */
  stop(): Promise<void>;
}

/**
 * Follows the lead: checks at once and then every `intervalMs`; starts the leader's duties when this
 * replica takes the lead and stops them when it loses it (its database session ended, so another
 * replica may already lead). Checks never overlap. A failure to start the duties is logged and tried
 * again at the next check.
 */
export function followLeadership(leadership: Leadership, opts: FollowLeadershipOptions): FollowedLeadership {
  const log = opts.log ?? silentLogger;
  let duties: LeaderDuties | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const check = async (): Promise<void> => {
    if (stopped) return;
    const leads = leadership.tryLead();
    if (leads && duties === undefined) {
      try {
        duties = await opts.lead();
        log.info('leader/leading', { how: leadership.kind });
      } catch (err) {
        log.error('leader/duties-failed', { code: (err as { code?: unknown }).code ?? (err as Error)?.name, message: (err as Error)?.message });
      }
      // stopped while the duties were starting: stop them again
      if (stopped && duties) await stopDuties();
    } else if (!leads && duties !== undefined) {
      log.warn('leader/lost', { how: leadership.kind });
      await stopDuties();
    }
  };
  const stopDuties = async (): Promise<void> => {
    const d = duties;
    duties = undefined;
    await d?.stop().catch((err: unknown) => log.error('leader/stop-failed', { message: (err as Error)?.message }));
  };
  const tick = (): void => {
    running = running.then(check, check);
  };

  tick();
  const settled = running;
  const timer = setInterval(tick, opts.intervalMs ?? 5_000);
  timer.unref();
  return {
    isLeader: () => duties !== undefined,
    settled,
    stop: async () => {
      clearInterval(timer);
      await running.catch(() => {});
      stopped = true;
      await stopDuties();
      leadership.release();
    },
  };
}
