/**
 * The stored facts every filter reads (libraries, availability, languages, year, format), copied
 * once into typed arrays by MiniSearch's short document id, so that a question of filters alone
 * ("lang:ind", "year:2000-2010", "buku berbahasa Jawa") walks a million works in a few milliseconds
 * instead of visiting a million stored-field objects. Built on first use, dropped by every change
 * to the index (the caller's job).
 */
import type { MiniSearchInternals } from './minisearch-internals.ts';
import { PackedStoredFields } from './packed-documents.ts';

export interface FacetFilters {
  library?: string;
  available?: boolean;
  language?: string;
  yearFrom?: number;
  yearTo?: number;
  format?: string;
}

const EMPTY: readonly string[] = [];

/** the stored fields the table is made of, and where each is in FACET_FIELDS */
const FACET_FIELDS = ['libs', 'avail', 'year', 'lang', 'format'] as const;
const LIBS = 0;
const AVAIL = 1;
const YEAR = 2;
const LANG = 3;
const FORMAT = 4;

/** language slots per work; a work with more keeps a flag and is checked against its stored list */
const LANGUAGE_SLOTS = 2;

export class FacetTable {
  private constructor(
    private readonly size: number,
    private readonly words: number,
    private readonly present: Uint8Array,
    private readonly libs: Uint32Array,
    private readonly avail: Uint32Array,
    private readonly libCount: Uint8Array,
    private readonly year: Int16Array,
    private readonly langs: Uint16Array,
    private readonly moreLangs: Uint8Array,
    private readonly format: Uint16Array,
    private readonly libraryIds: ReadonlyMap<string, number>,
    private readonly languageIds: ReadonlyMap<string, number>,
    private readonly formatIds: ReadonlyMap<string, number>,
    private readonly storedLangs: (shortId: number) => readonly string[],
    /** 1 where the stored year is not the small nonzero integer `year` holds (the stored record is then asked) */
    private readonly oddYear: Uint8Array,
    private readonly storedYear: (shortId: number) => unknown,
  ) {}

  static build(m: MiniSearchInternals): FacetTable {
    const size = m._nextId + 1;
    const libraryIds = new Map<string, number>();
    const languageIds = new Map<string, number>();
    const formatIds = new Map<string, number>();
    const idOf = (map: Map<string, number>, key: string, start = 0): number => {
      let id = map.get(key);
      if (id === undefined) map.set(key, (id = map.size + start));
      return id;
    };
    // every document's libs, avail, year, lang and format, in the stored fields' order: read from the
    // packed columns of a loaded index (no record made per document), else from each stored record
    const each = (fn: (shortId: number, values: readonly unknown[], present: boolean) => void): void => {
      const stored = m._storedFields;
      if (stored instanceof PackedStoredFields) {
        stored.forEachValues(FACET_FIELDS, fn);
        return;
      }
      const values: unknown[] = FACET_FIELDS.map(() => undefined);
      for (const [shortId, record] of stored) {
        for (let i = 0; i < FACET_FIELDS.length; i++) values[i] = record?.[FACET_FIELDS[i] as string];
        fn(shortId, values, record !== undefined && record !== null);
      }
    };
    // a library with an available item is one of the holders; should one not be, it still gets a bit
    each((_shortId, values) => {
      for (const l of (values[LIBS] as string[] | undefined) ?? []) idOf(libraryIds, l);
      for (const l of (values[AVAIL] as string[] | undefined) ?? []) idOf(libraryIds, l);
    });
    const words = Math.max(1, Math.ceil(libraryIds.size / 32));
    const present = new Uint8Array(size);
    const libs = new Uint32Array(size * words);
    const avail = new Uint32Array(size * words);
    const libCount = new Uint8Array(size);
    const year = new Int16Array(size);
    const langs = new Uint16Array(size * LANGUAGE_SLOTS);
    const moreLangs = new Uint8Array(size);
    const format = new Uint16Array(size);
    const oddYear = new Uint8Array(size);
    // the stored lists are interned (one array per distinct list): their ids are worked out once each
    const libBits = new Map<readonly string[], number[]>();
    const availBits = new Map<readonly string[], number[]>();
    const bitsOf = (cache: Map<readonly string[], number[]>, list: readonly string[]): number[] => {
      let bits = cache.get(list);
      if (bits === undefined) {
        bits = [];
        for (const code of list) {
          const b = libraryIds.get(code);
          if (b !== undefined && !bits.includes(b)) bits.push(b);
        }
        cache.set(list, bits);
      }
      return bits;
    };
    const langIds = new Map<readonly string[], number[]>();
    const formatOf = new Map<string, number>();
    each((shortId, values, stored) => {
      if (!stored) return;
      present[shortId] = 1;
      const lb = bitsOf(libBits, (values[LIBS] as string[] | undefined) ?? EMPTY);
      libCount[shortId] = Math.min(255, lb.length);
      const base = shortId * words;
      for (const b of lb) libs[base + (b >>> 5)] = (libs[base + (b >>> 5)] as number) | (1 << (b & 31));
      for (const b of bitsOf(availBits, (values[AVAIL] as string[] | undefined) ?? EMPTY)) avail[base + (b >>> 5)] = (avail[base + (b >>> 5)] as number) | (1 << (b & 31));
      const y = values[YEAR] as number | undefined;
      year[shortId] = y !== undefined && y > -32768 && y < 32768 ? y : 0;
      if (y !== undefined && (!Number.isInteger(y) || y === 0 || y <= -32768 || y >= 32768)) oddYear[shortId] = 1;
      const lang = (values[LANG] as string[] | undefined) ?? EMPTY;
      let ids = langIds.get(lang);
      if (ids === undefined) langIds.set(lang, (ids = lang.slice(0, LANGUAGE_SLOTS).map((l) => idOf(languageIds, l, 1))));
      for (let k = 0; k < ids.length; k++) langs[shortId * LANGUAGE_SLOTS + k] = ids[k] as number;
      if (lang.length > LANGUAGE_SLOTS) moreLangs[shortId] = 1;
      const fmt = (values[FORMAT] as string | undefined) ?? '';
      let f = formatOf.get(fmt);
      if (f === undefined) formatOf.set(fmt, (f = idOf(formatIds, fmt.toLowerCase(), 1)));
      format[shortId] = f;
    });
    const storedLangs = (shortId: number): readonly string[] => (m._storedFields.get(shortId)?.lang as string[] | undefined) ?? [];
    const storedYear = (shortId: number): unknown => m._storedFields.get(shortId)?.year;
    const table = new FacetTable(size, words, present, libs, avail, libCount, year, langs, moreLangs, format, libraryIds, languageIds, formatIds, storedLangs, oddYear, storedYear);
    // the order the filters' answers are listed in, now: the table is built on the first search, not on a question of filters
    table.rankOrder();
    return table;
  }

  /**
   * The table as sections for the index file (index-file.ts' derived sections), so that a loaded
   * index takes it as it was built instead of building it again: `fromSections` gives it back.
   */
  sections(): Record<string, Uint8Array | Uint32Array | Int16Array | Uint16Array | Int32Array | { json: unknown }> {
    return {
      keys: { json: { size: this.size, words: this.words, libraries: [...this.libraryIds.keys()], languages: [...this.languageIds.keys()], formats: [...this.formatIds.keys()] } },
      present: this.present,
      libs: this.libs,
      avail: this.avail,
      libCount: this.libCount,
      year: this.year,
      langs: this.langs,
      moreLangs: this.moreLangs,
      format: this.format,
      oddYear: this.oddYear,
      order: this.rankOrder(),
    };
  }

  /**
   * The table `sections` saved, over the index `m` it was built from (its stored fields answer the
   * odd years and long language lists); undefined when the sections are missing or do not fit `m`.
   */
  static fromSections(m: MiniSearchInternals, sections: Readonly<Record<string, unknown>>): FacetTable | undefined {
    const keys = sections.keys as { json?: { size?: unknown; words?: unknown; libraries?: unknown; languages?: unknown; formats?: unknown } } | undefined;
    const k = keys?.json;
    const size = m._nextId + 1;
    const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!k || k.size !== size || typeof k.words !== 'number' || !strings(k.libraries) || !strings(k.languages) || !strings(k.formats)) return undefined;
    const words = k.words;
    if (words !== Math.max(1, Math.ceil(k.libraries.length / 32))) return undefined;
    const { present, libs, avail, libCount, year, langs, moreLangs, format, oddYear, order } = sections;
    if (
      !(present instanceof Uint8Array && present.length === size) ||
      !(libs instanceof Uint32Array && libs.length === size * words) ||
      !(avail instanceof Uint32Array && avail.length === size * words) ||
      !(libCount instanceof Uint8Array && libCount.length === size) ||
      !(year instanceof Int16Array && year.length === size) ||
      !(langs instanceof Uint16Array && langs.length === size * LANGUAGE_SLOTS) ||
      !(moreLangs instanceof Uint8Array && moreLangs.length === size) ||
      !(format instanceof Uint16Array && format.length === size) ||
      !(oddYear instanceof Uint8Array && oddYear.length === size) ||
      !(order instanceof Int32Array && inRange(order, size))
    ) {
      return undefined;
    }
    const ids = (list: string[], start: number): Map<string, number> => new Map(list.map((key, i) => [key, i + start]));
    const storedLangs = (shortId: number): readonly string[] => (m._storedFields.get(shortId)?.lang as string[] | undefined) ?? [];
    const storedYear = (shortId: number): unknown => m._storedFields.get(shortId)?.year;
    const table = new FacetTable(size, words, present, libs, avail, libCount, year, langs, moreLangs, format, ids(k.libraries, 0), ids(k.languages, 1), ids(k.formats, 1), storedLangs, oddYear, storedYear);
    table.order = order;
    return table;
  }

  /**
   * The search filter (minisearch-index.ts' filterOf over a stored record) as a test of a short id
   * on these arrays: the same answer for every document, without building its record. Search asks
   * it of every posting before scoring, so a filtered question scores only what it may show.
   */
  passes(f: FacetFilters): (shortId: number) => boolean {
    const lib = f.library !== undefined ? this.libraryIds.get(f.library) : undefined;
    const format = f.format !== undefined ? this.formatIds.get(f.format.toLowerCase()) : undefined;
    if ((f.library !== undefined && lib === undefined) || (f.format !== undefined && format === undefined)) return () => false;
    const lang = f.language !== undefined ? this.languageIds.get(f.language) : undefined;
    const { words, present, libs, avail, year, langs, moreLangs, oddYear, size } = this;
    const libWord = lib !== undefined ? lib >>> 5 : 0;
    const libBit = lib !== undefined ? 1 << (lib & 31) : 0;
    const { yearFrom, yearTo, language } = f;
    const available = f.available === true;
    const years = yearFrom !== undefined || yearTo !== undefined;
    return (d: number): boolean => {
      if (d >= size || present[d] === 0) return false;
      if (lib !== undefined && ((libs[d * words + libWord] as number) & libBit) === 0) return false;
      if (available) {
        if (lib !== undefined) {
          if (((avail[d * words + libWord] as number) & libBit) === 0) return false;
        } else {
          let any = 0;
          for (let w = 0; w < words; w++) any |= avail[d * words + w] as number;
          if (any === 0) return false;
        }
      }
      if (years) {
        if (oddYear[d] === 1) {
          const y = this.storedYear(d) as number | undefined;
          if (yearFrom !== undefined && (y === undefined || y < yearFrom)) return false;
          if (yearTo !== undefined && (y === undefined || y > yearTo)) return false;
        } else {
          const y = year[d] as number;
          if (yearFrom !== undefined && (y === 0 || y < yearFrom)) return false;
          if (yearTo !== undefined && (y === 0 || y > yearTo)) return false;
        }
      }
      if (format !== undefined && this.format[d] !== format) return false;
      if (language !== undefined) {
        let has = lang !== undefined && (langs[d * LANGUAGE_SLOTS] === lang || langs[d * LANGUAGE_SLOTS + 1] === lang);
        if (!has && moreLangs[d] === 1) has = this.storedLangs(d).includes(language);
        if (!has) return false;
      }
      return true;
    };
  }

  /** Short ids of the present works by rank, best first (see `rankOf`; an earlier id first among equals): worked out on first use. */
  private order: Int32Array | undefined;

  /** A work's place among the filters' answers: the libraries holding it, then its year. */
  private rankOf(d: number): number {
    return (this.libCount[d] as number) * 10_000 + Math.max(0, Math.min(this.year[d] as number, 9999));
  }

  private rankOrder(): Int32Array {
    if (this.order) return this.order;
    // a counting sort by rank (at most libraries × 10,000), best first; the ids within one rank ascend by themselves
    let maxRank = 0;
    let present = 0;
    for (let d = 0; d < this.size; d++) {
      if (this.present[d] === 0) continue;
      maxRank = Math.max(maxRank, this.rankOf(d));
      present++;
    }
    const next = new Int32Array(maxRank + 2);
    for (let d = 0; d < this.size; d++) if (this.present[d] !== 0) { const slot = maxRank - this.rankOf(d) + 1; next[slot] = (next[slot] as number) + 1; }
    for (let r = 1; r < next.length; r++) next[r] = (next[r] as number) + (next[r - 1] as number);
    const order = new Int32Array(present);
    for (let d = 0; d < this.size; d++) {
      if (this.present[d] === 0) continue;
      const slot = maxRank - this.rankOf(d);
      order[next[slot] as number] = d;
      next[slot] = (next[slot] as number) + 1;
    }
    this.order = order;
    return order;
  }

  /** The test `select` applies to a short id; undefined when no work can pass. */
  private listTest(f: FacetFilters): ((d: number) => boolean) | undefined {
    const lib = f.library !== undefined ? this.libraryIds.get(f.library) : undefined;
    if (f.library !== undefined && lib === undefined) return undefined;
    const lang = f.language !== undefined ? this.languageIds.get(f.language) : undefined;
    const format = f.format !== undefined ? this.formatIds.get(f.format.toLowerCase()) : undefined;
    if (f.format !== undefined && format === undefined) return undefined;
    const { words, present, libs, avail, year, langs, moreLangs } = this;
    const formats = this.format;
    const libWord = lib !== undefined ? lib >>> 5 : 0;
    const libBit = lib !== undefined ? 1 << (lib & 31) : 0;
    const available = f.available === true;
    const { yearFrom, yearTo, language } = f;
    return (d: number): boolean => {
      if (present[d] === 0) return false;
      if (lib !== undefined && ((libs[d * words + libWord] as number) & libBit) === 0) return false;
      if (available) {
        if (lib !== undefined) {
          if (((avail[d * words + libWord] as number) & libBit) === 0) return false;
        } else {
          let any = 0;
          for (let w = 0; w < words; w++) any |= avail[d * words + w] as number;
          if (any === 0) return false;
        }
      }
      const y = year[d] as number;
      if (yearFrom !== undefined && (y === 0 || y < yearFrom)) return false;
      if (yearTo !== undefined && (y === 0 || y > yearTo)) return false;
      if (format !== undefined && formats[d] !== format) return false;
      if (language !== undefined) {
        let has = lang !== undefined && (langs[d * LANGUAGE_SLOTS] === lang || langs[d * LANGUAGE_SLOTS + 1] === lang);
        if (!has && moreLangs[d] === 1) has = this.storedLangs(d).includes(language);
        if (!has) return false;
      }
      return true;
    };
  }

  /**
   * How many works pass `listTest(f)` (which must not be undefined), the first of them kept in
   * `few`: the same test written out as one loop over the arrays, with no call per work.
   */
  private count(f: FacetFilters, few: Int32Array): number {
    const lib = f.library !== undefined ? (this.libraryIds.get(f.library) as number) : -1;
    const lang = f.language !== undefined ? this.languageIds.get(f.language) : undefined;
    const format = f.format !== undefined ? (this.formatIds.get(f.format.toLowerCase()) as number) : -1;
    const { words, present, libs, avail, year, langs, moreLangs, size } = this;
    const formats = this.format;
    const libWord = lib >= 0 ? lib >>> 5 : 0;
    const libBit = lib >= 0 ? 1 << (lib & 31) : 0;
    const available = f.available === true;
    const yearFrom = f.yearFrom ?? Number.NEGATIVE_INFINITY;
    const yearTo = f.yearTo ?? Number.POSITIVE_INFINITY;
    const years = f.yearFrom !== undefined || f.yearTo !== undefined;
    const language = f.language;
    const langId = lang ?? -1;
    const keep = few.length;
    let total = 0;
    for (let d = 0; d < size; d++) {
      if (present[d] === 0) continue;
      if (lib >= 0 && ((libs[d * words + libWord] as number) & libBit) === 0) continue;
      if (available) {
        if (lib >= 0) {
          if (((avail[d * words + libWord] as number) & libBit) === 0) continue;
        } else {
          let any = 0;
          for (let w = 0; w < words; w++) any |= avail[d * words + w] as number;
          if (any === 0) continue;
        }
      }
      if (years) {
        const y = year[d] as number;
        if (y === 0 || y < yearFrom || y > yearTo) continue;
      }
      if (format >= 0 && formats[d] !== format) continue;
      if (language !== undefined && langs[d * LANGUAGE_SLOTS] !== langId && langs[d * LANGUAGE_SLOTS + 1] !== langId) {
        if (moreLangs[d] !== 1 || !this.storedLangs(d).includes(language)) continue;
      }
      if (total < keep) few[total] = d;
      total++;
    }
    return total;
  }

  /**
   * The best `limit` works passing the filters, by short id, best first (libraries holding it, then
   * year, then the earlier work), and how many pass in all. One pass counts them (and keeps them
   * when they are few); the best are then the first to pass in rank order, or the few kept, sorted.
   */
  select(f: FacetFilters, limit: number): { ids: number[]; ranks: number[]; total: number } {
    const ids: number[] = [];
    const ranks: number[] = [];
    const test = this.listTest(f);
    if (test === undefined) return { ids, ranks, total: 0 };
    // few passing works are sorted; many are found early in rank order (about limit × size / total visits)
    const few = new Int32Array(Math.max(limit, Math.ceil(this.size / 64)));
    const total = this.count(f, few);
    const take = Math.max(0, Math.min(limit, total));
    if (take === 0) return { ids, ranks, total };
    if (total <= few.length) {
      const kept = Array.from(few.subarray(0, total));
      const rank = kept.map((d) => this.rankOf(d));
      const at = kept.map((_, i) => i).sort((a, b) => (rank[b] as number) - (rank[a] as number) || (kept[a] as number) - (kept[b] as number));
      for (const i of at.slice(0, take)) {
        ids.push(kept[i] as number);
        ranks.push(rank[i] as number);
      }
      return { ids, ranks, total };
    }
    for (const d of this.rankOrder()) {
      if (!test(d)) continue;
      ids.push(d);
      ranks.push(this.rankOf(d));
      if (ids.length === take) break;
    }
    return { ids, ranks, total };
  }
}

/** Whether every element of `ids` is a short id below `size`. */
function inRange(ids: Int32Array, size: number): boolean {
  for (let i = 0; i < ids.length; i++) if ((ids[i] as number) < 0 || (ids[i] as number) >= size) return false;
  return true;
}
