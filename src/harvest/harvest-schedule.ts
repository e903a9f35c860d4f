import type { ReindexReport, ReindexRunner } from './reindex-runner.ts';

export interface HarvestScheduleOptions {
  intervalMinutes: number;
  /** told the outcome of each scheduled run, and when a run was skipped because another was running */
  onRun?: (outcome: { ok: true; report: ReindexReport } | { ok: false; error: string }) => void;
}

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
  const timer = setInterval(tick, opts.intervalMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
