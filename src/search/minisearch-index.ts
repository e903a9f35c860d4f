import fs from 'node:fs';
import path from 'node:path';
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { z } from 'zod';
import { foldTerm, tokenize } from './analyze-text.ts';
import { EXACT_FIELDS, FIELD_BOOST, INDEX_OPTIONS, INDEX_VERSION, type IndexField, type IndexedWork } from './index-options.ts';
import { stems } from './stemmers.ts';

export type FieldScope = 'all' | 'title' | 'author' | 'subject';

export interface SearchFilters {
  library?: string;
  available?: boolean;
  language?: string;
  yearFrom?: number;
  yearTo?: number;
  format?: string;
}

export interface SearchRequest {
  /** folded query words */
  terms: string[];
  scope: FieldScope;
  /** 'all' = every word must match (AND); 'any' = BM25 over any word (OR) */
  mode: 'all' | 'any';
  fuzzy: boolean;
  filters: SearchFilters;
  /** the asker's library: works available there rank higher */
  homeLibrary?: string;
}

export interface SearchHit {
  id: number;
  score: number;
  /** index terms that matched, with the fields they matched in */
  match: Record<string, string[]>;
}

const SCOPE_FIELDS: Record<FieldScope, { exact: IndexField[]; stemmed: IndexField[] }> = {
  all: { exact: [...EXACT_FIELDS], stemmed: ['title_s', 'subjects_s', 'other_s'] },
  title: { exact: ['titleShort', 'title', 'titleAlt', 'series'], stemmed: ['title_s'] },
  author: { exact: ['authors'], stemmed: [] },
  subject: { exact: ['subjects'], stemmed: ['subjects_s'] },
};

const IndexMeta = z.object({
  version: z.number(),
  catalogId: z.string(),
  seq: z.number(),
  documents: z.number(),
  savedAt: z.string(),
});
export type IndexMeta = z.infer<typeof IndexMeta>;

export const INDEX_DIR = 'index';
const INDEX_FILE = 'works-index.json';
const META_FILE = 'works-index.meta.json';

/** The works index: one entry per work, searched with MiniSearch; stored fields stay in SQLite. */
export class MiniSearchIndex {
  private constructor(private mini: MiniSearch<IndexedWork>) {}

  static empty(): MiniSearchIndex {
    return new MiniSearchIndex(new MiniSearch<IndexedWork>(INDEX_OPTIONS));
  }

  get size(): number {
    return this.mini.documentCount;
  }

  has(id: number): boolean {
    return this.mini.has(id);
  }

  upsert(doc: IndexedWork): void {
    if (this.mini.has(doc.id)) this.mini.replace(doc);
    else this.mini.add(doc);
  }

  addAll(docs: readonly IndexedWork[]): void {
    this.mini.addAll(docs);
  }

  remove(id: number): void {
    if (this.mini.has(id)) this.mini.discard(id);
  }

  search(req: SearchRequest, limit: number): SearchHit[] {
    if (req.terms.length === 0) return [];
    const fields = SCOPE_FIELDS[req.scope];
    const last = req.terms.length - 1;
    const perTerm: Query[] = req.terms.map((term, i) => {
      const leaves: Query[] = [
        {
          queries: [term],
          fields: fields.exact,
          prefix: i === last && term.length >= 3 && !/^\d+$/.test(term),
          fuzzy: req.fuzzy && term.length >= 4 && !/\d/.test(term) ? 0.2 : false,
          combineWith: 'OR',
        },
      ];
      if (fields.stemmed.length > 0) {
        leaves.push({ queries: [...stems(term)], fields: fields.stemmed, prefix: false, fuzzy: false, combineWith: 'OR' });
      }
      return { queries: leaves, combineWith: 'OR' };
    });
    const f = req.filters;
    const home = req.homeLibrary;
    const results: SearchResult[] = this.mini.search(
      { queries: perTerm, combineWith: req.mode === 'all' ? 'AND' : 'OR' },
      {
        boost: FIELD_BOOST,
        filter: (r) => {
          const libs = r.libs as string[];
          const avail = r.avail as string[];
          if (f.library && !libs.includes(f.library)) return false;
          if (f.available && (f.library ? !avail.includes(f.library) : avail.length === 0)) return false;
          if (f.language && !(r.lang as string[]).includes(f.language)) return false;
          const year = r.year as number | undefined;
          if (f.yearFrom !== undefined && (year === undefined || year < f.yearFrom)) return false;
          if (f.yearTo !== undefined && (year === undefined || year > f.yearTo)) return false;
          if (f.format && (r.format as string).toLowerCase() !== f.format.toLowerCase()) return false;
          return true;
        },
        boostDocument: (_id, _term, stored) => {
          const libs = (stored?.libs as string[] | undefined) ?? [];
          const avail = (stored?.avail as string[] | undefined) ?? [];
          let boost = 1 + Math.min(libs.length - 1, 4) * 0.03;
          if (home && avail.includes(home)) boost *= 1.15;
          return boost;
        },
      },
    );
    return results.slice(0, limit).map((r) => ({ id: r.id as number, score: r.score, match: r.match }));
  }

  /** Did-you-mean: the best re-spelling of the query from the index's own vocabulary. */
  suggest(text: string): string | undefined {
    const words = tokenize(text).map(foldTerm).filter((w) => w !== '');
    if (words.length === 0 || words.every((w) => /^\d+$/.test(w))) return undefined;
    const suggestions = this.mini.autoSuggest(words.join(' '), {
      tokenize: (t) => tokenize(t),
      processTerm: (t) => foldTerm(t),
      fields: ['titleShort', 'title', 'authors', 'subjects'],
      // one edit for words of 5-9 letters, two from 10: "austen" must not become "listen"
      fuzzy: (term) => (term.length >= 10 ? 2 : term.length >= 5 ? 1 : false),
      prefix: false,
      combineWith: 'AND',
    });
    const best = suggestions[0];
    if (!best || best.suggestion === words.join(' ')) return undefined;
    return best.suggestion;
  }

  /** Writes the index and its meta atomically (temp file + rename). */
  save(dataDir: string, meta: Omit<IndexMeta, 'version' | 'documents' | 'savedAt'>): void {
    const dir = path.join(dataDir, INDEX_DIR);
    fs.mkdirSync(dir, { recursive: true });
    const full: IndexMeta = { version: INDEX_VERSION, documents: this.size, savedAt: new Date().toISOString(), ...meta };
    writeAtomic(path.join(dir, INDEX_FILE), JSON.stringify(this.mini));
    writeAtomic(path.join(dir, META_FILE), JSON.stringify(full));
  }

  /** The persisted index, or undefined when missing, of another version, or unreadable. */
  static load(dataDir: string): { index: MiniSearchIndex; meta: IndexMeta } | undefined {
    const dir = path.join(dataDir, INDEX_DIR);
    try {
      const meta = IndexMeta.parse(JSON.parse(fs.readFileSync(path.join(dir, META_FILE), 'utf8')));
      if (meta.version !== INDEX_VERSION) return undefined;
      const mini = MiniSearch.loadJSON<IndexedWork>(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'), INDEX_OPTIONS);
      if (mini.documentCount !== meta.documents) return undefined;
      return { index: new MiniSearchIndex(mini), meta };
    } catch {
      return undefined;
    }
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
