import { Presets, SingleBar } from 'cli-progress';
import { adminPhrases, createJala, resolveDataDir, type ReindexProgress } from '../../src/index.ts';
import { formatNumber } from './format-number.ts';

interface ReindexFlags {
  dataDir?: string;
  full?: boolean;
  json?: boolean;
}

/**
 * `jala reindex [LIBRARY] [--full]`: the configured sources, as `/reindex` runs them, in the foreground.
 * A progress bar per source on a terminal. Exit 0 when every source succeeded, 1 when one failed,
 * 2 when it could not start (unknown library, no sources, another reindex running).
 */
export async function runReindex(library: string | undefined, flags: ReindexFlags): Promise<number> {
  const jala = await createJala({ dataDir: resolveDataDir(flags.dataDir) });
  const p = adminPhrases('en');
  const bar = process.stderr.isTTY && !flags.json ? progressBar() : undefined;
  try {
    const started = jala.reindex.start(
      { ...(library ? { library } : {}), full: flags.full ?? false, trigger: 'cli', by: `${process.env.USER ?? 'someone'} (jala reindex)` },
      bar?.update,
    );
    if (!started.ok) {
      const why =
        started.error === 'reindex/already-running'
          ? p.alreadyRunning(started.running)
          : started.error === 'reindex/unknown-library'
            ? p.unknownLibrary(started.library, started.known)
            : p.noSources(started.library);
      process.stderr.write(`jala reindex: ${why}\n`);
      return 2;
    }
    const report = await started.done;
    bar?.stop();
    process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${p.finished(report, jala.store.workCount())}\n`);
    return report.outcome === 'ok' ? 0 : 1;
  } finally {
    bar?.stop();
    jala.close();
  }
}

function progressBar(): { update: (p: ReindexProgress) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  let source = '';
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update: (p) => {
      const cur = p.current;
      const label = p.phase === 'index' ? 'search index' : cur ? `${cur.library} ${cur.label}` : '';
      if (p.phase === 'done') return stop();
      if (label !== source) {
        stop();
        source = label;
        bar = new SingleBar(
          { format: ' {source} {bar} {value}/{total} | {rate} records/s | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
          Presets.shades_classic,
        );
        bar.start(cur?.total ?? 0, 0, { source: label.slice(0, 60), rate: '0' });
      }
      if (cur?.total !== undefined) bar?.setTotal(cur.total);
      else if (cur?.received !== undefined) bar?.setTotal(Math.max(cur.received, 1));
      bar?.update(cur?.received ?? 0, { source: label.slice(0, 60), rate: formatNumber(p.ratePerSecond) });
    },
    stop,
  };
}
