import { backoffDelayMs, followLeadership, type BackoffPolicy, scheduleHarvests, type Bot, type FollowedLeadership, type IllService, type Jala, type LeaderDuties, type Logger } from '../../src/index.ts';

/** One thing the leading replica runs: started when it takes the lead, stopped when it loses it. */
export interface LeaderDuty {
  /** for the log line that says what this replica leads */
  name: string;
  start(): Promise<{ stop(): Promise<void> }>;
}

/** How a duty that failed to start on a replica that took the lead is tried again. */
export const DUTY_RETRY: BackoffPolicy = { firstMs: 5_000, maxMs: 60_000 };

/**
 * Starts every duty and stops them all in reverse order: what `followLeadership` starts on the replica
 * that takes the lead. A duty that fails to start is logged and the others still run; it is tried again
 * (DUTY_RETRY's backoff) until it starts or the lead is lost — a Slack or Discord outage at the moment
 * of a takeover must not leave the new leader without the socket or the gateway for good. With
 * `failFast` (the lead taken at start-up) the error is thrown instead, after stopping what started.
 */
export async function startDuties(
  duties: readonly LeaderDuty[],
  log: (line: string) => void,
  opts: { failFast?: boolean; retry?: BackoffPolicy } = {},
): Promise<LeaderDuties> {
  const started: Array<{ name: string; stop(): Promise<void> }> = [];
  const failed: LeaderDuty[] = [];
  const why = (err: unknown): string => `(${(err as { code?: string }).code ?? (err as Error).name}): ${(err as Error).message}`;
  for (const d of duties) {
    try {
      started.push({ name: d.name, ...(await d.start()) });
    } catch (err) {
      if (opts.failFast) {
        // at start-up a bad setting (a rejected token) stops the process, as it did before replicas
        for (const s of started.reverse()) await s.stop().catch(() => {});
        throw err;
      }
      log(`jala: ${d.name} could not start on the leader ${why(err)}; trying again`);
      failed.push(d);
    }
  }
  log(`jala: this replica leads — it runs ${started.map((s) => s.name).join(', ') || 'nothing (every duty failed to start)'}`);

  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const retry = (d: LeaderDuty, failures: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const attempt = (async () => {
        if (stopped) return;
        try {
          const s = await d.start();
          // the lead may have been lost while it was starting: then it stops at once
          if (stopped) return void (await s.stop().catch(() => {}));
          started.push({ name: d.name, ...s });
          log(`jala: ${d.name} started on the leader`);
        } catch (err) {
          if (stopped) return;
          log(`jala: ${d.name} could not start on the leader ${why(err)}; trying again`);
          retry(d, failures + 1);
        }
      })();
      inFlight.add(attempt);
      void attempt.finally(() => inFlight.delete(attempt));
    }, backoffDelayMs(failures, opts.retry ?? DUTY_RETRY));
    timer.unref();
    timers.add(timer);
  };
  for (const d of failed) retry(d, 0);

  return {
    stop: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // a start under way finishes (and, seeing the lead lost, stops itself) before the lead is let go
      await Promise.all(inFlight);
      for (const s of started.reverse()) await s.stop().catch(() => {});
      log('jala: this replica no longer leads; its duties are stopped');
    },
  };
}

/**
 * The ILL timers (lender time-outs, reminders, overdue loans, the retention rule): once when the lead
 * is taken (a new leader catches up at once) and then every minute. `afterRun` is told when they queued
 * notifications, so the platforms deliver them now.
 */
export function illTimersDuty(ill: IllService, afterRun: () => void, log: (line: string) => void, intervalMs = 60_000): LeaderDuty {
  return {
    name: 'the ILL timers',
    start: async () => {
      const run = (): void => {
        try {
          if (ill.runTimers().length > 0) afterRun();
        } catch (err) {
          log(`jala: ILL timers failed (${(err as { code?: string }).code ?? (err as Error).name}): ${(err as Error).message}`);
        }
      };
      run();
      const timer = setInterval(run, intervalMs);
      timer.unref();
      return { stop: async () => clearInterval(timer) };
    },
  };
}

/** The scheduled harvests (harvest.intervalMinutes in the config), when configured. */
export function harvestDuty(jala: Jala, log: (line: string) => void): LeaderDuty[] {
  const interval = jala.config.harvest.intervalMinutes;
  if (!interval) return [];
  return [
    {
      name: `the scheduled harvests (every ${interval} minutes)`,
      start: async () => {
        const stop = scheduleHarvests(jala.reindex, { intervalMinutes: interval });
        log(`jala: harvesting every ${interval} minutes`);
        return { stop: async () => stop() };
      },
    },
  ];
}

/**
 * Slack Socket Mode: one connection per app, so only on the leader. `current` is told the running
 * Slack when it starts and undefined when it stops (the timers kick its delivery).
 */
export function slackSocketDuty<S extends { stop(): Promise<void> }>(start: () => Promise<S>, current: (s: S | undefined) => void): LeaderDuty {
  return {
    name: 'Slack Socket Mode',
    start: async () => {
      const s = await start();
      current(s);
      return {
        stop: async () => {
          current(undefined);
          await s.stop();
        },
      };
    },
  };
}

/** The Discord gateway: one connection per application, so only on the leader (the timers run as a duty of their own). */
export function discordGatewayDuty(bot: Bot, jala: Jala, env: NodeJS.ProcessEnv, log: (line: string) => void): LeaderDuty {
  return {
    name: 'the Discord gateway',
    start: async () => {
      const { startDiscord } = await import('../discord/start-discord.ts');
      const d = await startDiscord({ bot, jala, env, timerIntervalMs: 0 });
      log('jala: Discord connected');
      return d;
    },
  };
}

/** followLeadership's log lines on stderr, as `jala serve` writes its others. */
export function stderrLogger(write: (line: string) => void): Logger {
  const line = (event: string, fields?: Readonly<Record<string, unknown>>): void => write(`jala: ${event}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  const l: Logger = { info: line, warn: line, error: line, child: () => l };
  return l;
}

/**
 * The lead followed by a command that runs until stopped: duties that fail to start when the lead is
 * taken at start-up throw from here (the command stops with its readable error); a replica that takes
 * the lead later logs the failure and tries again at its next check.
 */
export async function followLead(jala: Jala, duties: readonly LeaderDuty[], say: (line: string) => void): Promise<FollowedLeadership> {
  let atStart = true;
  let startError: unknown;
  const leading = followLeadership(jala.stores.leadership, {
    lead: async () => {
      try {
        return await startDuties(duties, say, { failFast: atStart });
      } catch (err) {
        if (atStart) startError = err;
        throw err;
      }
    },
    log: stderrLogger(say),
  });
  await leading.settled;
  atStart = false;
  if (startError !== undefined) {
    await leading.stop();
    throw startError;
  }
  if (!leading.isLeader()) say(`jala: another replica leads (${jala.stores.leadership.kind}); this one takes over if it stops`);
  return leading;
}
