import { resolveSourcePaths } from './source-paths.ts';
import type { ConsortiumConfig } from '../config/consortium-config.ts';
import { ingestMarcFiles, type IngestProgress, type IngestSummary } from './ingest-marc-files.ts';
import type { SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';

/**
 * Loads each configured library's MARC files (paths or globs relative to the config file's folder).
 * With `onlyMissing`, libraries that already have records are left alone: that is how
 * `npm start` builds what is missing of the sample consortium on first run.
 */
export async function ingestConfiguredSources(
  store: SqliteCatalogStore,
  config: ConsortiumConfig,
  configDir: string,
  opts: { onlyMissing?: boolean; onProgress?: (library: string, p: IngestProgress) => void } = {},
): Promise<IngestSummary[]> {
  const out: IngestSummary[] = [];
  const present = new Set(store.stats().perLibrary.filter((l) => l.records > 0).map((l) => l.library));
  for (const lib of config.libraries) {
    if (lib.files.length === 0) continue;
    if (opts.onlyMissing && present.has(lib.code)) continue;
    const resolved = await resolveSourcePaths(lib.files, configDir);
    out.push(
      await ingestMarcFiles({
        store,
        library: lib.code,
        name: lib.name,
        paths: resolved.paths,
        holdingsProfile: lib.holdingsProfile,
        // the files are the whole library only when it has no OAI-PMH source and every pattern matched
        replace: !opts.onlyMissing && lib.oai.length === 0 && resolved.unmatched.length === 0,
        ...(opts.onProgress ? { onProgress: (p: IngestProgress) => opts.onProgress?.(lib.code, p) } : {}),
      }),
    );
  }
  return out;
}
