import { Presets, SingleBar } from 'cli-progress';
import { adminPhrases, bulkReindexFromConfig, createJala, resolveDataDir, type ReindexProgress } from '../../src/index.ts';
import { formatNumber } from './format-number.ts';

interface ReindexFlags {
  dataDir?: string;
  full?: boolean;
  json?: boolean;
  /** false with --no-bulk */
  bulk?: boolean;
}

/**
 * `jala reindex [LIBRARY] [--full]`: the configured sources, as `/reindex` runs them, in the foreground.
 * A progress bar per source on a terminal. Exit 0 when every source succeeded, 1 when one failed,
 * 2 when it could not start (unknown library, no sources, another reindex running).
 */
export async function runReindex(library: string | undefined, flags: ReindexFlags): Promise<number> {
  if (flags.full && flags.bulk !== false) {
    // a full reindex of files-only sources rebuilds the catalog aside and swaps it in (the bulk path)
    const bulk = await bulkReindexFromConfig(resolveDataDir(flags.dataDir), library, {
      onStage: (stage) => process.stderr.write(`jala reindex: bulk load: ${stage}\n`),
    });
    if (!bulk.used && bulk.why === 'harvest-running') {
      process.stderr.write(`jala reindex: ${adminPhrases('en').alreadyRunning(bulk.running)}\n`);
      return 2;
    }
    if (bulk.used) {
      const r = bulk.result;
      if (!r.ok) {
        process.stderr.write(`jala reindex: ${r.message} [${r.code}]\n`);
        return 1;
      }
      const read = r.summaries.reduce((n, s) => n + s.read, 0);
      const skipped = r.summaries.reduce((n, s) => n + s.skipped, 0);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ mode: 'full', bulk: true, outcome: 'ok', records: r.records, works: r.works, items: r.items, read, skipped, libraries: r.summaries.map((s) => ({ library: s.library, read: s.read, ingested: s.ingested, skipped: s.skipped })) })}\n`
          : `Full reindex (bulk load): ${formatNumber(read)} record(s) read from ${r.summaries.length} library(ies), ${formatNumber(skipped)} skipped; the catalog now holds ${formatNumber(r.records)} records in ${formatNumber(r.works)} works.\n`,
      );
      return 0;
    }
  }
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
