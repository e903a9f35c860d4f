/** `jala stats` / `/jala stats`: the catalog's numbers with each library's last harvest and how it ended. */
import type { CatalogStats, SqliteCatalogStore } from '../store/sqlite-catalog-store.ts';
import { SqliteHarvestStore, type HarvestRunRow } from '../store/sqlite-harvest-store.ts';

export interface HarvestRunView {
  /** "files" or the OAI source key */
  source: string;
  mode: string;
  startedAt: string;
  finishedAt?: string;
  outcome: HarvestRunRow['outcome'];
  errorCode?: string;
  error?: string;
}

export type LibraryStatus = CatalogStats['perLibrary'][number] & {
  /** the latest run of this library's sources */
  lastHarvest?: HarvestRunView;
  /** the latest run of each source */
  harvests: HarvestRunView[];
};

export type CatalogStatus = Omit<CatalogStats, 'perLibrary'> & { perLibrary: LibraryStatus[] };

export function catalogStatus(store: SqliteCatalogStore): CatalogStatus {
  const stats = store.stats();
  const runs = new SqliteHarvestStore(store.db).lastRuns();
  return {
    ...stats,
    perLibrary: stats.perLibrary.map((l) => {
      const mine = runs.filter((r) => r.library === l.library).sort((x, y) => y.id - x.id);
      const views = mine.map(view);
      return { ...l, harvests: views, ...(views[0] ? { lastHarvest: views[0] } : {}) };
    }),
  };
}

function view(r: HarvestRunRow): HarvestRunView {
  return {
    source: r.source,
    mode: r.mode,
    startedAt: r.startedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    outcome: r.outcome,
    ...(r.errorCode ? { errorCode: r.errorCode } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}
