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
    for (const stored of m._storedFields.values()) for (const l of (stored?.libs as string[] | undefined) ?? []) idOf(libraryIds, l);
    const words = Math.max(1, Math.ceil(libraryIds.size / 32));
    const present = new Uint8Array(size);
    const libs = new Uint32Array(size * words);
    const avail = new Uint32Array(size * words);
    const libCount = new Uint8Array(size);
    const year = new Int16Array(size);
    const langs = new Uint16Array(size * LANGUAGE_SLOTS);
    const moreLangs = new Uint8Array(size);
    const format = new Uint16Array(size);
    for (const [shortId, stored] of m._storedFields) {
      if (!stored) continue;
      present[shortId] = 1;
      const l = (stored.libs as string[] | undefined) ?? [];
      libCount[shortId] = Math.min(255, new Set(l).size);
      for (const code of l) {
        const b = libraryIds.get(code) as number;
        libs[shortId * words + (b >>> 5)] = (libs[shortId * words + (b >>> 5)] as number) | (1 << (b & 31));
      }
      for (const code of (stored.avail as string[] | undefined) ?? []) {
        const b = libraryIds.get(code);
        if (b === undefined) continue;
        avail[shortId * words + (b >>> 5)] = (avail[shortId * words + (b >>> 5)] as number) | (1 << (b & 31));
      }
      const y = stored.year as number | undefined;
      year[shortId] = y !== undefined && y > -32768 && y < 32768 ? y : 0;
      const lang = (stored.lang as string[] | undefined) ?? [];
      for (let k = 0; k < Math.min(lang.length, LANGUAGE_SLOTS); k++) langs[shortId * LANGUAGE_SLOTS + k] = idOf(languageIds, lang[k] as string, 1);
      if (lang.length > LANGUAGE_SLOTS) moreLangs[shortId] = 1;
      format[shortId] = idOf(formatIds, ((stored.format as string | undefined) ?? '').toLowerCase(), 1);
    }
    const storedLangs = (shortId: number): readonly string[] => (m._storedFields.get(shortId)?.lang as string[] | undefined) ?? [];
    return new FacetTable(size, words, present, libs, avail, libCount, year, langs, moreLangs, format, libraryIds, languageIds, formatIds, storedLangs);
  }

  /**
   * Every work passing the filters, by short id, with its rank (libraries holding it first, then
   * year): all of them are counted; the caller sorts the best.
   */
  select(f: FacetFilters): { ids: number[]; ranks: number[] } {
    const ids: number[] = [];
    const ranks: number[] = [];
    const lib = f.library !== undefined ? this.libraryIds.get(f.library) : undefined;
    if (f.library !== undefined && lib === undefined) return { ids, ranks };
    const lang = f.language !== undefined ? this.languageIds.get(f.language) : undefined;
    const format = f.format !== undefined ? this.formatIds.get(f.format.toLowerCase()) : undefined;
    if (f.format !== undefined && format === undefined) return { ids, ranks };
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
      ids.push(d);
      ranks.push((libCount[d] as number) * 10_000 + Math.max(0, Math.min(y, 9999)));
    }
    return { ids, ranks };
  }
}
