import { controlValue, fieldsWithTag, type MarcRecord } from '../marc/marc-record.ts';
import { foldText } from './text-normalize.ts';
import { recordWarning, type RecordWarning } from '../catalog/record-warning.ts';

/** One MARC language code with the names people (and SLiMS exports) use for it. */
export interface LanguageInfo {
  /** MARC 21 language code (= ISO 639-2/B) */
  code: string;
  english: string;
  indonesian: string;
  /** other spellings accepted when reading names: ISO 639-1 codes, endonyms, "Bahasa X" is handled generically */
  aliases?: readonly string[];
}

export const LANGUAGES: readonly LanguageInfo[] = [
  { code: 'ind', english: 'Indonesian', indonesian: 'Indonesia', aliases: ['id', 'in'] },
  { code: 'eng', english: 'English', indonesian: 'Inggris', aliases: ['en'] },
  { code: 'jav', english: 'Javanese', indonesian: 'Jawa', aliases: ['jv', 'java'] },
  { code: 'sun', english: 'Sundanese', indonesian: 'Sunda', aliases: ['su'] },
  { code: 'may', english: 'Malay', indonesian: 'Melayu', aliases: ['ms', 'malaysia'] },
  { code: 'min', english: 'Minangkabau', indonesian: 'Minangkabau', aliases: ['minang'] },
  { code: 'ban', english: 'Balinese', indonesian: 'Bali' },
  { code: 'bug', english: 'Buginese', indonesian: 'Bugis' },
  { code: 'ace', english: 'Acehnese', indonesian: 'Aceh', aliases: ['achinese'] },
  { code: 'mad', english: 'Madurese', indonesian: 'Madura' },
  { code: 'mak', english: 'Makasar', indonesian: 'Makassar' },
  { code: 'btk', english: 'Batak', indonesian: 'Batak' },
  { code: 'tet', english: 'Tetum', indonesian: 'Tetun' },
  { code: 'ara', english: 'Arabic', indonesian: 'Arab', aliases: ['ar'] },
  { code: 'chi', english: 'Chinese', indonesian: 'Mandarin', aliases: ['zh', 'cina', 'china', 'tionghoa'] },
  { code: 'jpn', english: 'Japanese', indonesian: 'Jepang', aliases: ['ja'] },
  { code: 'kor', english: 'Korean', indonesian: 'Korea', aliases: ['ko'] },
  { code: 'dut', english: 'Dutch', indonesian: 'Belanda', aliases: ['nl'] },
  { code: 'ger', english: 'German', indonesian: 'Jerman', aliases: ['de', 'deutsch'] },
  { code: 'fre', english: 'French', indonesian: 'Prancis', aliases: ['fr', 'perancis', 'francais'] },
  { code: 'spa', english: 'Spanish', indonesian: 'Spanyol', aliases: ['es', 'espanol'] },
  { code: 'por', english: 'Portuguese', indonesian: 'Portugis', aliases: ['pt'] },
  { code: 'ita', english: 'Italian', indonesian: 'Italia', aliases: ['it'] },
  { code: 'rus', english: 'Russian', indonesian: 'Rusia', aliases: ['ru'] },
  { code: 'arm', english: 'Armenian', indonesian: 'Armenia', aliases: ['hy'] },
  { code: 'heb', english: 'Hebrew', indonesian: 'Ibrani', aliases: ['he'] },
  { code: 'gre', english: 'Greek, Modern', indonesian: 'Yunani', aliases: ['el', 'greek'] },
  { code: 'grc', english: 'Greek, Ancient', indonesian: 'Yunani Kuno', aliases: ['ancient greek'] },
  { code: 'lat', english: 'Latin', indonesian: 'Latin', aliases: ['la'] },
  { code: 'tha', english: 'Thai', indonesian: 'Thai', aliases: ['th'] },
  { code: 'vie', english: 'Vietnamese', indonesian: 'Vietnam', aliases: ['vi'] },
  { code: 'hin', english: 'Hindi', indonesian: 'Hindi', aliases: ['hi'] },
  { code: 'tam', english: 'Tamil', indonesian: 'Tamil', aliases: ['ta'] },
  { code: 'tgl', english: 'Tagalog', indonesian: 'Tagalog', aliases: ['tl'] },
  { code: 'fil', english: 'Filipino', indonesian: 'Filipina' },
  { code: 'khm', english: 'Khmer', indonesian: 'Khmer', aliases: ['km'] },
  { code: 'bur', english: 'Burmese', indonesian: 'Myanmar', aliases: ['my'] },
  { code: 'lao', english: 'Lao', indonesian: 'Laos', aliases: ['lo'] },
  { code: 'urd', english: 'Urdu', indonesian: 'Urdu', aliases: ['ur'] },
  { code: 'per', english: 'Persian', indonesian: 'Persia', aliases: ['fa', 'farsi'] },
  { code: 'tur', english: 'Turkish', indonesian: 'Turki', aliases: ['tr'] },
  { code: 'san', english: 'Sanskrit', indonesian: 'Sanskerta', aliases: ['sa'] },
  { code: 'pli', english: 'Pali', indonesian: 'Pali' },
  { code: 'kaw', english: 'Kawi', indonesian: 'Jawa Kuno', aliases: ['old javanese'] },
  { code: 'ben', english: 'Bengali', indonesian: 'Bengali', aliases: ['bn'] },
  { code: 'pol', english: 'Polish', indonesian: 'Polandia', aliases: ['pl'] },
  { code: 'cze', english: 'Czech', indonesian: 'Ceko', aliases: ['cs'] },
  { code: 'swe', english: 'Swedish', indonesian: 'Swedia', aliases: ['sv'] },
  { code: 'dan', english: 'Danish', indonesian: 'Denmark', aliases: ['da'] },
  { code: 'nor', english: 'Norwegian', indonesian: 'Norwegia', aliases: ['no'] },
  { code: 'fin', english: 'Finnish', indonesian: 'Finlandia', aliases: ['fi'] },
  { code: 'hun', english: 'Hungarian', indonesian: 'Hungaria', aliases: ['hu'] },
  { code: 'ukr', english: 'Ukrainian', indonesian: 'Ukraina', aliases: ['uk'] },
  { code: 'cat', english: 'Catalan', indonesian: 'Katalan', aliases: ['ca'] },
  { code: 'gla', english: 'Scottish Gaelic', indonesian: 'Gaelik Skotlandia', aliases: ['gd'] },
  { code: 'gle', english: 'Irish', indonesian: 'Irlandia', aliases: ['ga'] },
  { code: 'wel', english: 'Welsh', indonesian: 'Wales', aliases: ['cy'] },
  { code: 'zxx', english: 'No linguistic content', indonesian: 'Tanpa isi kebahasaan' },
  { code: 'und', english: 'Undetermined', indonesian: 'Tidak diketahui', aliases: ['unknown', 'lainnya'] },
  { code: 'mul', english: 'Multiple languages', indonesian: 'Multibahasa', aliases: ['multilingual', 'berbagai bahasa', 'campuran'] },
];

/** Codes that are not (or no longer) MARC bibliographic codes, mapped to the one MARC uses. */
const CODE_REPLACEMENTS: Readonly<Record<string, string>> = {
  // ISO 639-2/T → /B
  msa: 'may', zho: 'chi', deu: 'ger', fra: 'fre', nld: 'dut', hye: 'arm', ell: 'gre', fas: 'per',
  ces: 'cze', slk: 'slo', mya: 'bur', ron: 'rum', sqi: 'alb', eus: 'baq', kat: 'geo', isl: 'ice',
  mkd: 'mac', mri: 'mao', bod: 'tib', cym: 'wel',
  // obsolete MARC codes
  gae: 'gla', iri: 'gle', tag: 'tgl', mla: 'mlg', int: 'ina', mol: 'rum', scc: 'srp', scr: 'hrv',
  cam: 'khm', esp: 'epo', far: 'fao', lap: 'smi', gal: 'orm', fri: 'fry', taj: 'tgk', tar: 'tat',
  tsw: 'tsn', snh: 'sin', sso: 'sot', swz: 'ssw', sao: 'smo', max: 'glv', gua: 'grn', esk: 'ypk',
};

const BY_CODE = new Map(LANGUAGES.map((l) => [l.code, l]));

function nameKey(name: string): string {
  return foldText(name)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^bahasa\s+(?=\S)/u, '')
    .replace(/\s+language$/u, '');
}

const BY_NAME = new Map<string, string>();
for (const l of LANGUAGES) {
  for (const n of [l.english, l.indonesian, ...(l.aliases ?? [])]) BY_NAME.set(nameKey(n), l.code);
  BY_NAME.set(nameKey(l.english.replace(/,.*$/u, '')), l.code);
}
// "Greek" alone means the modern language (the loop above let "Greek, Ancient" claim it)
BY_NAME.set('greek', 'gre');

/** English or Indonesian name of a MARC language code; undefined for codes not in the table. */
export function languageName(code: string, lang: 'en' | 'id'): string | undefined {
  const info = BY_CODE.get(canonicalCode(code));
  if (!info) return undefined;
  return lang === 'en' ? info.english : `Bahasa ${info.indonesian}`;
}

/** Lower-case and map ISO 639-2/T and obsolete codes to the MARC code ("msa" → "may", "gae" → "gla"). */
export function canonicalCode(code: string): string {
  const c = code.trim().toLowerCase();
  return CODE_REPLACEMENTS[c] ?? c;
}

/**
 * The MARC code for a language *name* in English or Indonesian ("Indonesia", "Bahasa Inggris",
 * "English", "Jawa") or a two-letter ISO 639-1 code; undefined when unknown.
 */
export function languageCodeFromName(name: string): string | undefined {
  return BY_NAME.get(nameKey(name));
}

export interface LanguageCodes {
  /** MARC codes in record order (008 first), deduplicated */
  codes: string[];
  /** data-quality notes: names written instead of codes, unreadable values */
  warnings: RecordWarning[];
}

/** Read one 008/041 value into codes (several for jammed "engfre"), or report why not. */
function readValue(raw: string, where: string, out: LanguageCodes): void {
  const value = raw.trim();
  if (value === '' || /^[|#\s^-]+$/u.test(value)) return;
  if (/^[A-Za-z]{3}$/u.test(value) && (BY_CODE.has(canonicalCode(value)) || !BY_NAME.has(nameKey(value)))) {
    out.codes.push(canonicalCode(value));
    return;
  }
  const named = languageCodeFromName(value);
  if (named !== undefined) {
    out.warnings.push(recordWarning('mapping/language-name', `${where} has "${value}" instead of a MARC language code (${named})`));
    out.codes.push(named);
    return;
  }
  if (/^[a-z]{6,}$/u.test(value) && value.length % 3 === 0) {
    for (let i = 0; i < value.length; i += 3) out.codes.push(canonicalCode(value.slice(i, i + 3)));
    return;
  }
  out.warnings.push(recordWarning('mapping/unknown-language', `${where} has an unrecognised language "${value}"`));
}

/**
 * Language codes of a record: 008/35-37, then 041 $a and $d. Jammed codes ("engfreger") are split
 * into 3-letter chunks; language names (SLiMS writes "Indonesia", "English" into 041$a) are mapped
 * to codes with a warning; blanks and fill characters are dropped.
 */
export function languageCodes(record: MarcRecord): LanguageCodes {
  const out: LanguageCodes = { codes: [], warnings: [] };
  const f008 = controlValue(record, '008');
  if (f008 !== undefined && f008.length >= 38) {
    const code = f008.slice(35, 38);
    if (/^[A-Za-z]{3}$/u.test(code)) out.codes.push(canonicalCode(code));
  }
  for (const field of fieldsWithTag(record, '041')) {
    for (const sf of field.subfields) {
      if (sf.code !== 'a' && sf.code !== 'd') continue;
      const where = `041$${sf.code}`;
      // a whole name ("Bahasa Indonesia"), else several codes or names separated by spaces or punctuation
      const parts = sf.value.split(/[\s;,/]+/u).filter((p) => p !== '');
      const listOfCodes = parts.every((p) => /^[A-Za-z]{3}$|^[a-z]{6,}$/u.test(p) || languageCodeFromName(p) !== undefined);
      if (languageCodeFromName(sf.value) === undefined && parts.length > 1 && listOfCodes) {
        for (const part of parts) readValue(part, where, out);
      } else {
        readValue(sf.value, where, out);
      }
    }
  }
  out.codes = [...new Set(out.codes)];
  return out;
}
