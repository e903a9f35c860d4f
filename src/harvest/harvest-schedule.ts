import type { ReindexReport, ReindexRunner } from './reindex-runner.ts';

export interface HarvestScheduleOptions {
  intervalMinutes: number;
  /** told the outcome of each scheduled run, and when a run was skipped because another was running */
  onRun?: (outcome: { ok: true; report: ReindexReport } | { ok: false; error: string }) => void;
}

/** The longest delay Node's timers take (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The scheduled harvest: every `intervalMinutes`, an incremental reindex of every library through the
 * same path as `/reindex` and `jala reindex` (so it waits its turn behind a running one). Returns stop().
 */
export function scheduleHarvests(runner: ReindexRunner, opts: HarvestScheduleOptions): () => void {
  const tick = (): void => {
    const started = runner.start({ trigger: 'schedule', by: 'schedule' });
    if (!started.ok) {
      opts.onRun?.({ ok: false, error: started.error });
      return;
    }
    void started.done.then((report) => opts.onRun?.({ ok: true, report }));
  };
  // a timer longer than 2^31-1 ms fires at once, and then every millisecond: never ask Node for one
  const timer = setInterval(tick, Math.min(Math.max(opts.intervalMinutes * 60_000, 1), MAX_TIMER_MS));
  timer.unref();
  return () => clearInterval(timer);
}
