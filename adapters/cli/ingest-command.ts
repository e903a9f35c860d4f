import { SingleBar, Presets } from 'cli-progress';
import {
  adminPhrases, bulkIngestLibrary, bulkLoadPossible, FULL_LOAD_BY, ingestMarcFiles, openCatalog, resolveDataDir, takeLibraryLoadLock, updatePersistedIndex,
  type HoldingsProfile, type IngestSummary,
} from '../../src/index.ts';
import { formatNumber } from './format-number.ts';

interface IngestFlags {
  library: string;
  name?: string;
  dataDir?: string;
  json?: boolean;
  replace?: boolean;
  /** false with --no-bulk */
  bulk?: boolean;
  holdings: HoldingsProfile;
}

/** `jala ingest`: exit 0 unless a path or the data directory could not be used (1), or a load or reindex in its way runs (2). */
export async function runIngest(paths: string[], flags: IngestFlags): Promise<number> {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(flags.library)) {
    process.stderr.write(`jala ingest: --library must be 1-32 letters, digits, _ or - (got "${flags.library}")\n`);
    return 2;
  }
  // the first ingest into an empty consortium takes the bulk path: a new catalog built aside and swapped in
  // (SQLite: a new file; PostgreSQL: new tables filled by COPY, in one transaction)
  const dataDir = resolveDataDir(flags.dataDir);
  const possible = flags.bulk === false ? { empty: false, exclusive: false } : bulkLoadPossible(dataDir);
  if (flags.bulk !== false && possible.empty && possible.exclusive) {
    const bulk = await runBulkIngest(dataDir, paths, flags);
    if (bulk !== 'harvest-running') return bulk;
  }
  const catalog = openCatalog(flags.dataDir);
  // the library's reindex lock while its records are stored: not beside a full load, a reindex of every
  // library, or a reindex or ingest of this library (other libraries' go on beside it)
  const lock = takeLibraryLoadLock(catalog.stores.harvest, flags.library, `${process.env.USER ?? 'someone'} (jala ingest)`, { replace: flags.replace ?? false });
  if (!lock.ok) {
    catalog.close();
    process.stderr.write(`jala ingest: ${adminPhrases('en').alreadyRunning(lock.running)}\n`);
    return 2;
  }
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: ' {bar} {value}/{total} files | {records} records | {file}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic)
    : undefined;
  let started = false;
  try {
    const summary = await ingestMarcFiles({
      store: catalog.store,
      library: flags.library,
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      paths,
      replace: flags.replace ?? false,
      holdingsProfile: flags.holdings,
      onProgress: (p) => {
        lock.beat();
        if (!bar) return;
        if (!started) {
          bar.start(p.files, 0, { records: 0, file: '' });
          started = true;
        }
        bar.update(p.fileIndex, { records: formatNumber(p.read), file: p.file.split('/').pop() ?? '' });
      },
    });
    if (started) bar?.stop();
    // keep a persisted search index current (add/replace/discard) so the next start needs no rebuild
    updatePersistedIndex(catalog.store, catalog.dataDir);
    process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : renderSummary(summary));
    return summary.fatal.length > 0 ? 1 : 0;
  } finally {
    if (started) bar?.stop();
    lock.release();
    catalog.close();
  }
}

/**
 * The bulk path, or 'harvest-running' when a library's reindex or harvest runs (its records are then
 * stored one by one, beside it, as into a catalog that is not empty).
 */
async function runBulkIngest(dataDir: string, paths: string[], flags: IngestFlags): Promise<number | 'harvest-running'> {
  const library = { code: flags.library, ...(flags.name !== undefined ? { name: flags.name } : {}), paths, holdingsProfile: flags.holdings };
  // one line per point of the build on stderr (a crash between two of them leaves the old catalog)
  const decision = await bulkIngestLibrary(dataDir, library, { onStage: (stage) => process.stderr.write(`jala ingest: bulk load: ${stage}\n`) });
  if (!decision.used) {
    if (decision.running.by === FULL_LOAD_BY) {
      process.stderr.write('jala ingest: another full load of this catalog is running [store/bulk-running]\n');
      return 1;
    }
    const r = decision.running;
    // a reindex of every library, or of this one, is in the way of the record-by-record path too
    if (r.library === undefined || r.library === flags.library) {
      process.stderr.write(`jala ingest: ${adminPhrases('en').alreadyRunning(r)}\n`);
      return 2;
    }
    process.stderr.write(`jala ingest: a reindex is running (${r.mode}, ${r.library ?? 'all libraries'}, started ${r.startedAt}${r.by ? ` by ${r.by}` : ''}): storing the records one by one instead of by the bulk path\n`);
    return 'harvest-running';
  }
  const result = decision.result;
  const summary = result.summaries[0];
  if (!result.ok) {
    process.stderr.write(`jala ingest: ${result.message} [${result.code}]\n`);
    if (summary && flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 1;
  }
  if (!summary) return 1;
  process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : renderSummary(summary));
  return summary.fatal.length > 0 ? 1 : 0;
}

function renderSummary(s: IngestSummary): string {
  const lines = [
    `Library ${s.library}: ${formatNumber(s.files)} file(s), ${formatNumber(s.read)} record(s) read`,
    `  ${formatNumber(s.ingested)} ingested, ${formatNumber(s.updated)} updated, ${formatNumber(s.unchanged)} unchanged, ${formatNumber(s.skipped)} skipped${s.deleted ? `, ${formatNumber(s.deleted)} removed (--replace)` : ''}`,
    `  union catalog: ${formatNumber(s.works)} works; ${formatNumber(s.sharedWorks)} of ${s.library}'s works are also held by another library`,
  ];
  if (s.warnings > 0) lines.push(`  ${formatNumber(s.warnings)} record(s) stored with repaired problems (see \`jala quality\`)`);
  if (s.problems.length > 0) {
    lines.push(`Problems (${s.problems.length}):`);
    for (const p of s.problems.slice(0, 50)) lines.push(`  ${p.file} @ ${p.position}: ${p.reason}`);
    if (s.problems.length > 50) lines.push(`  … and ${s.problems.length - 50} more (use --json for all)`);
  }
  return `${lines.join('\n')}\n`;
}
