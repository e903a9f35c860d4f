import { parseRecordCount, renderBenchTable, runBench } from '../../test/bench/run-bench.ts';

interface BenchFlags {
  records: string;
  runs: string;
  json?: boolean;
  keep?: string;
  libraries: string;
  seed: string;
  questions: string;
  inThread?: boolean;
  /** commander's --no-bulk */
  bulk?: boolean;
  /** commander's --no-protocols */
  protocols?: boolean;
  oaiPeerRecords?: string;
  cpuProf?: string;
  store: string;
}

/** `jala bench`: generate a consortium catalog, ingest, index and question it; print the medians. */
export async function runBenchCommand(flags: BenchFlags): Promise<number> {
  const records = parseRecordCount(flags.records);
  const runs = Number(flags.runs);
  const libraries = Number(flags.libraries);
  const seed = Number(flags.seed);
  const questions = Number(flags.questions);
  if (records === undefined) {
    process.stderr.write(`jala bench: --records must be a count such as 10k, 100k, 1M or 25000 (got "${flags.records}")\n`);
    return 2;
  }
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(libraries) || libraries < 5 || libraries > 50) {
    process.stderr.write('jala bench: --runs must be ≥ 1 and --libraries between 5 and 50\n');
    return 2;
  }
  if (!Number.isInteger(seed) || !Number.isInteger(questions) || questions < 10) {
    process.stderr.write('jala bench: --seed must be an integer and --questions at least 10\n');
    return 2;
  }
  const peerRecords = flags.oaiPeerRecords === undefined ? undefined : parseRecordCount(flags.oaiPeerRecords) ?? (flags.oaiPeerRecords.trim() === '0' ? 0 : undefined);
  if (flags.oaiPeerRecords !== undefined && peerRecords === undefined) {
    process.stderr.write(`jala bench: --oai-peer-records must be a count such as 100k or 0 (got "${flags.oaiPeerRecords}")\n`);
    return 2;
  }
  if (flags.store !== 'sqlite' && flags.store !== 'postgres') {
    process.stderr.write(`jala bench: --store must be sqlite or postgres (got "${flags.store}")\n`);
    return 2;
  }
  const report = await runBench({
    store: flags.store,
    records,
    runs,
    libraries,
    seed,
    questions,
    inThread: flags.inThread ?? false,
    bulk: flags.bulk ?? true,
    protocols: flags.protocols ?? true,
    ...(peerRecords !== undefined ? { oaiPeerRecords: peerRecords } : {}),
    ...(flags.keep ? { keepDir: flags.keep } : {}),
    ...(flags.cpuProf ? { cpuProfDir: flags.cpuProf } : {}),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : renderBenchTable(report));
  return 0;
}
