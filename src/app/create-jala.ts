import path from 'node:path';
import type { IngestProgress } from '../ingest/ingest-marc-files.ts';
import { ingestConfiguredSources } from '../ingest/ingest-configured-sources.ts';
import { bulkLoadConfigured } from './bulk-load-catalog.ts';
import { answerParsed, answerQuestion, type AnswerOptions, type MemberLibrary } from '../answer/answer-question.ts';
import { parseQuestion, type ParsedQuestion } from '../answer/parse-question.ts';
import type { Answer } from '../answer/answer-types.ts';
import type { ConsortiumConfig } from '../config/consortium-config.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { loadConsortiumConfig } from '../config/load-config.ts';
import { foldedTokens } from '../search/analyze-text.ts';
import type { IndexProgress, OpenedIndex } from '../search/catalog-index.ts';
import { openSearchIndex, searchIndexKindOf } from './open-search-index.ts';
import type { SearchHit, SearchRequest } from '../search/minisearch-index.ts';
import { StoreError } from '../store/open-database.ts';
import { openStores, type JalaStores } from './open-stores.ts';
import { warmUpAnswering, type WarmUpReport } from './warm-up.ts';
import { followCatalog } from './follow-catalog.ts';
import { createReindexRunner, type ReindexDeps, type ReindexRunner } from '../harvest/reindex-runner.ts';

export interface JalaOptions {
  dataDir: string;
  /** the consortium config file; default $JALA_CONFIG, else <dataDir>/consortium.json */
  configPath?: string;
  onIndexProgress?: (p: IndexProgress) => void;
  /** first ingest the configured libraries that have no records yet (the sample consortium on first start) */
  ingestMissing?: boolean;
  onIngestProgress?: (library: string, p: IngestProgress) => void;
  /** with `ingestMissing`: told when another process is loading the empty consortium and this one waits for it */
  onWaiting?: (line: string) => void;
  /**
   * answer a few questions made from the catalog before returning (warm-up.ts), and again after a
   * reindex swaps the index: what a serving process does before it says it is ready
   */
  warmUp?: boolean;
  /** overrides of the harvest HTTP policy (tests) */
  harvestHttp?: ReindexDeps['http'];
}

export interface Jala {
  dataDir: string;
  config: ConsortiumConfig;
  /** the catalog store (also `stores.catalog`) */
  store: CatalogStore;
  /** every store, by its port: what the conversation, ILL, reports and the catalog server are given */
  stores: JalaStores;
  /** how the index in use was made ready and the catalog change it reflects (changes when a reindex swaps it) */
  indexInfo: Pick<OpenedIndex, 'how' | 'seq'>;
  libraries: MemberLibrary[];
  /** with `warmUp`: the last warm-up's questions and milliseconds */
  warmedUp?: WarmUpReport;
  ask(question: string, opts?: AnswerOptions & { homeLibrary?: string }): Answer;
  /** understand a question without answering it */
  parse(question: string): ParsedQuestion;
  /** answer an already understood (or constructed) question: follow-ups and clarifications use it */
  askParsed(q: ParsedQuestion, opts?: AnswerOptions & { homeLibrary?: string }): Answer;
  /** a search of the works index in use (the one questions are answered from): the catalog server's entry */
  search(req: SearchRequest, limit: number): SearchHit[];
  /** up to 25 titles starting like the text typed so far (autocomplete), each ≤ 100 characters */
  suggestTitles(prefix: string): string[];
  /**
   * Brings the search index up to date with the catalog off to the side (caught up from the saved index,
   * or rebuilt with `rebuild`), saves it, and swaps it in at once: questions never see a half-built index.
   */
  refreshIndex(opts?: { rebuild?: boolean }): Pick<OpenedIndex, 'how' | 'seq'>;
  /** runs the configured sources (files, OAI-PMH) in the background, one reindex at a time */
  reindex: ReindexRunner;
  /**
   * Keeps the index in use in step with changes other processes make to the catalog (another replica's
   * harvest, a `jala ingest` beside the bot): caught up and swapped in when the catalog says it changed
   * (src/app/follow-catalog.ts). For serving processes; stopped by `close`. `say` gets a line per catch-up.
   */
  followCatalog(say?: (line: string) => void): void;
  close(): void;
}

/** The composition root: open the store, load (or build) the index, wire the answer service. */
export async function createJala(opts: JalaOptions): Promise<Jala> {
  const configResult = loadConsortiumConfig(opts.dataDir, opts.configPath ? { ...process.env, JALA_CONFIG: opts.configPath } : process.env);
  if (!configResult.ok) throw new StoreError('store/unusable-data-dir', configResult.message);
  const config = configResult.config;
  const configDir = configResult.path ? path.dirname(configResult.path) : opts.dataDir;
  if (opts.ingestMissing) {
    // an empty consortium is loaded by the bulk path (a file built aside and swapped in) before the
    // stores open it; when that cannot be (another process has it open), record by record below. When
    // another process is loading it that way already (replicas started together), this one waits.
    await bulkLoadConfigured(opts.dataDir, config, configDir, 'first-start', {
      index: false,
      ...(opts.onIngestProgress ? { onProgress: opts.onIngestProgress } : {}),
      ...(opts.onWaiting ? { onWaiting: opts.onWaiting } : {}),
    });
  }
  const { stores, close, database } = openStores(opts.dataDir);
  const store = stores.catalog;
  let searchKind;
  try {
    searchKind = searchIndexKindOf(process.env, database !== undefined);
  } catch (e) {
    close();
    throw e;
  }
  if (opts.ingestMissing) {
    await ingestConfiguredSources(store, config, configDir, {
      onlyMissing: true,
      ...(opts.onIngestProgress ? { onProgress: opts.onIngestProgress } : {}),
    });
  }
  let opened;
  try {
    opened = openSearchIndex(searchKind, store, opts.dataDir, database, opts.onIndexProgress ? { onProgress: opts.onIndexProgress } : {});
  } catch (e) {
    close();
    throw e;
  }
  const libraries = memberLibraries(config, store);
  let warmedUp = opts.warmUp ? warmUpAnswering(store, opened.index, libraries) : undefined;
  // the index in use: replaced as a whole (never edited in place) when a reindex finishes
  let index = opened.index;
  const indexInfo: Pick<OpenedIndex, 'how' | 'seq'> = { how: opened.how, seq: opened.seq };
  const refreshIndex = (o: { rebuild?: boolean } = {}): Pick<OpenedIndex, 'how' | 'seq'> => {
    const next = openSearchIndex(searchKind, store, opts.dataDir, database, { rebuild: o.rebuild ?? false });
    if (opts.warmUp) warmedUp = warmUpAnswering(store, next.index, libraries);
    index = next.index;
    indexInfo.how = next.how;
    indexInfo.seq = next.seq;
    return { how: next.how, seq: next.seq };
  };
  let stopFollowing: (() => void) | undefined;
  const reindex = createReindexRunner({ store, harvest: stores.harvest, config, configDir, refreshIndex, ...(opts.harvestHttp ? { http: opts.harvestHttp } : {}) });
  return {
    dataDir: opts.dataDir,
    config,
    store,
    stores,
    indexInfo,
    libraries,
    get warmedUp() {
      return warmedUp;
    },
    refreshIndex,
    reindex,
    followCatalog: (say) => {
      stopFollowing ??= followCatalog({
        changes: stores.catalogChanges,
        currentSeq: () => store.currentSeq(),
        indexedSeq: () => indexInfo.seq,
        busy: () => store.inTransaction(),
        refresh: () => refreshIndex(),
        ...(say ? { say } : {}),
      });
    },
    ask: (question, o = {}) =>
      answerQuestion(
        { store, index, libraries, ...(o.homeLibrary ? { homeLibrary: o.homeLibrary } : {}) },
        question,
        o,
      ),
    parse: (question) => parseQuestion(question, { libraries }),
    askParsed: (q, o = {}) =>
      answerParsed({ store, index, libraries, ...(o.homeLibrary ? { homeLibrary: o.homeLibrary } : {}) }, q, o),
    search: (req, limit) => index.search(req, limit),
    suggestTitles: (prefix) => {
      const terms = foldedTokens(prefix);
      if (terms.length === 0) return [];
      const hits = index.search({ terms, scope: 'title', mode: 'all', fuzzy: false, filters: {} }, 25);
      const titles = hits.map((h) => store.work(h.id)?.title).filter((t): t is string => t !== undefined);
      return [...new Set(titles.map((t) => (t.length > 100 ? `${t.slice(0, 99)}…` : t)))];
    },
    close: () => {
      stopFollowing?.();
      close();
    },
  };
}

/** Libraries from the config, plus any library registered by ingest but not configured. */
function memberLibraries(config: ConsortiumConfig, store: CatalogStore): MemberLibrary[] {
  const out: MemberLibrary[] = config.libraries.map((l) => ({ code: l.code, name: l.name, aliases: l.aliases, lends: l.lends }));
  for (const l of store.libraries()) {
    if (!out.some((m) => m.code === l.code)) out.push({ code: l.code, name: l.name, aliases: [], lends: true });
  }
  return out;
}
