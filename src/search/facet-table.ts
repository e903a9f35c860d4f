/**
 * The stored facts every filter reads (libraries, availability, languages, year, format), copied
 * once into typed arrays by MiniSearch's short document id, so that a question of filters alone
 * ("lang:ind", "year:2000-2010", "buku berbahasa Jawa") walks a million works in a few milliseconds
 * instead of visiting a million stored-field objects. Built on first use, dropped by every change
 * to the index (the caller's job).
 */
import type { MiniSearchInternals } from './minisearch-internals.ts';

export interface FacetFilters {
  library?: string;
  available?: boolean;
  language?: string;
  yearFrom?: number;
  yearTo?: number;
  format?: string;
}

const EMPTY: readonly string[] = [];

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
    // a library with an available item is one of the holders; should one not be, it still gets a bit
    for (const stored of m._storedFields.values()) {
      for (const l of (stored?.libs as string[] | undefined) ?? []) idOf(libraryIds, l);
      for (const l of (stored?.avail as string[] | undefined) ?? []) idOf(libraryIds, l);
    }
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
    for (const [shortId, stored] of m._storedFields) {
      if (!stored) continue;
      present[shortId] = 1;
      const lb = bitsOf(libBits, (stored.libs as string[] | undefined) ?? EMPTY);
      libCount[shortId] = Math.min(255, lb.length);
      const base = shortId * words;
      for (const b of lb) libs[base + (b >>> 5)] = (libs[base + (b >>> 5)] as number) | (1 << (b & 31));
      for (const b of bitsOf(availBits, (stored.avail as string[] | undefined) ?? EMPTY)) avail[base + (b >>> 5)] = (avail[base + (b >>> 5)] as number) | (1 << (b & 31));
      const y = stored.year as number | undefined;
      year[shortId] = y !== undefined && y > -32768 && y < 32768 ? y : 0;
      if (y !== undefined && (!Number.isInteger(y) || y === 0 || y <= -32768 || y >= 32768)) oddYear[shortId] = 1;
      const lang = (stored.lang as string[] | undefined) ?? EMPTY;
      let ids = langIds.get(lang);
      if (ids === undefined) langIds.set(lang, (ids = lang.slice(0, LANGUAGE_SLOTS).map((l) => idOf(languageIds, l, 1))));
      for (let k = 0; k < ids.length; k++) langs[shortId * LANGUAGE_SLOTS + k] = ids[k] as number;
      if (lang.length > LANGUAGE_SLOTS) moreLangs[shortId] = 1;
      const fmt = (stored.format as string | undefined) ?? '';
      let f = formatOf.get(fmt);
      if (f === undefined) formatOf.set(fmt, (f = idOf(formatIds, fmt.toLowerCase(), 1)));
      format[shortId] = f;
    }
    const storedLangs = (shortId: number): readonly string[] => (m._storedFields.get(shortId)?.lang as string[] | undefined) ?? [];
    const storedYear = (shortId: number): unknown => m._storedFields.get(shortId)?.year;
    return new FacetTable(size, words, present, libs, avail, libCount, year, langs, moreLangs, format, libraryIds, languageIds, formatIds, storedLangs, oddYear, storedYear);
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

  /**
   * The best `limit` works passing the filters, by short id, best first (libraries holding it, then
   * year, then the earlier work), and how many pass in all.
   */
  select(f: FacetFilters, limit: number): { ids: number[]; ranks: number[]; total: number } {
    const top = new TopRanks(limit);
    const ids: number[] = [];
    const ranks: number[] = [];
    const lib = f.library !== undefined ? this.libraryIds.get(f.library) : undefined;
    if (f.library !== undefined && lib === undefined) return { ids, ranks, total: 0 };
    const lang = f.language !== undefined ? this.languageIds.get(f.language) : undefined;
    const format = f.format !== undefined ? this.formatIds.get(f.format.toLowerCase()) : undefined;
    if (f.format !== undefined && format === undefined) return { ids, ranks, total: 0 };
    const { words, present, libs, avail, libCount, year, langs, moreLangs } = this;
    const libWord = lib !== undefined ? lib >>> 5 : 0;
    const libBit = lib !== undefined ? 1 << (lib & 31) : 0;
    for (let d = 0; d < this.size; d++) {
      if (present[d] === 0) continue;
      if (lib !== undefined && ((libs[d * words + libWord] as number) & libBit) === 0) continue;
      if (f.available === true) {
        if (lib !== undefined) {
          if (((avail[d * words + libWord] as number) & libBit) === 0) continue;
        } else {
          let any = 0;
          for (let w = 0; w < words; w++) any |= avail[d * words + w] as number;
          if (any === 0) continue;
        }
      }
      const y = year[d] as number;
      if (f.yearFrom !== undefined && (y === 0 || y < f.yearFrom)) continue;
      if (f.yearTo !== undefined && (y === 0 || y > f.yearTo)) continue;
      if (format !== undefined && this.format[d] !== format) continue;
      if (f.language !== undefined) {
        let has = lang !== undefined && (langs[d * LANGUAGE_SLOTS] === lang || langs[d * LANGUAGE_SLOTS + 1] === lang);
        if (!has && moreLangs[d] === 1) has = this.storedLangs(d).includes(f.language);
        if (!has) continue;
      }
      top.offer(d, (libCount[d] as number) * 10_000 + Math.max(0, Math.min(y, 9999)));
    }
    return top.result();
  }
}

/** A bounded min-heap of the best ranks seen (offered in ascending id order: an earlier id wins a tie). */
class TopRanks {
  private readonly ids: number[] = [];
  private readonly ranks: number[] = [];
  total = 0;

  constructor(private readonly limit: number) {}

  /** a is worse than b: lower rank, or the same rank and a later id */
  private worse(a: number, b: number): boolean {
    const ra = this.ranks[a] as number;
    const rb = this.ranks[b] as number;
    return ra < rb || (ra === rb && (this.ids[a] as number) > (this.ids[b] as number));
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b] as number, this.ids[a] as number];
    [this.ranks[a], this.ranks[b]] = [this.ranks[b] as number, this.ranks[a] as number];
  }

  offer(id: number, rank: number): void {
    this.total++;
    if (this.limit <= 0) return;
    if (this.ids.length < this.limit) {
      this.ids.push(id);
      this.ranks.push(rank);
      for (let i = this.ids.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    // a later id with the same rank never beats the kept one
    if (rank <= (this.ranks[0] as number)) return;
    this.ids[0] = id;
    this.ranks[0] = rank;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < this.ids.length && this.worse(l, w)) w = l;
      if (r < this.ids.length && this.worse(r, w)) w = r;
      if (w === i) return;
      this.swap(i, w);
      i = w;
    }
  }

  result(): { ids: number[]; ranks: number[]; total: number } {
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ranks[b] as number) - (this.ranks[a] as number) || (this.ids[a] as number) - (this.ids[b] as number));
    return { ids: order.map((i) => this.ids[i] as number), ranks: order.map((i) => this.ranks[i] as number), total: this.total };
  }
}
