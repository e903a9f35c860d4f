import { controlValue, fieldsWithTag, isControlField, subfieldValues, type MarcRecord } from '../marc/marc-record.ts';
import { foldText } from './text-normalize.ts';

/** The coarse formats a record document carries (one per record). */
export const FORMATS = [
  'Book', 'eBook', 'Journal', 'Map', 'Musical Score', 'Video', 'Sound Recording', 'Music Recording',
  'Image', 'Software/Data', 'Manuscript', 'Thesis', 'Kit', 'Other',
] as const;
export type Format = (typeof FORMATS)[number];

/** Leader/06 type of record → format (language material and manuscripts are refined later). */
const BY_RECORD_TYPE: Readonly<Record<string, Format>> = {
  a: 'Book',
  t: 'Manuscript',
  c: 'Musical Score',
  d: 'Musical Score',
  e: 'Map',
  f: 'Map',
  g: 'Video',
  i: 'Sound Recording',
  j: 'Music Recording',
  k: 'Image',
  m: 'Software/Data',
  o: 'Kit',
  p: 'Manuscript',
  r: 'Other',
};

/**
 * General material designations (245$h) as LC/AACR2 and SLiMS write them ("[electronic resource]",
 * "Video Recording", "Skripsi"), tested in order against the folded GMD.
 */
const BY_GMD: ReadonlyArray<readonly [RegExp, Format]> = [
  [/skripsi|tesis|thesis|disertasi|dissertation|tugas akhir/u, 'Thesis'],
  [/electronic resource|e-?book|sumber elektronik|buku elektronik|online/u, 'eBook'],
  [/video|motion picture|film|dvd|digital versatile disc|vcd/u, 'Video'],
  [/sound recording|rekaman suara|audio|kaset|cassette/u, 'Sound Recording'],
  [/\bmusic\b|score|musik|partitur/u, 'Musical Score'],
  [/\bmap\b|cartographic|globe|atlas|\bpeta\b/u, 'Map'],
  [/computer|software|cd-?rom|data file|multimedia|perangkat lunak/u, 'Software/Data'],
  [/manuscript|naskah|manuskrip/u, 'Manuscript'],
  [/picture|graphic|photograph|slide|transparenc|chart|art original|technical drawing|gambar|foto/u, 'Image'],
  [/\bkit\b|realia|diorama|game|model|equipment/u, 'Kit'],
  [/serial|journal|periodical|jurnal|majalah|magazine|newspaper|surat kabar/u, 'Journal'],
  [/\btext\b|\bteks\b|book|buku|monograph|microform|mikro/u, 'Book'],
];

function gmdFormat(record: MarcRecord): Format | undefined {
  for (const f of fieldsWithTag(record, '245')) {
    for (const h of subfieldValues(f, 'h')) {
      const g = foldText(h);
      for (const [pattern, format] of BY_GMD) if (pattern.test(g)) return format;
    }
  }
  return undefined;
}

/** RDA carrier type (338 $a term / $b code) → format, for records without useful leader codes. */
function carrierFormat(record: MarcRecord): Format | undefined {
  for (const f of fieldsWithTag(record, '338')) {
    const code = subfieldValues(f, 'b')[0]?.trim().toLowerCase() ?? '';
    const term = foldText(subfieldValues(f, 'a')[0] ?? '');
    if (code === 'cr' || term.includes('online resource')) return 'eBook';
    if (code === 'nc' || term === 'volume') return 'Book';
    if (code === 'vd' || term.includes('videodisc') || term.includes('videocassette')) return 'Video';
    if (code === 'sd' || term.includes('audio disc') || term.includes('audiocassette')) return 'Sound Recording';
    if (code === 'cd' || term.includes('computer disc')) return 'Software/Data';
    if (code === 'nb' || term === 'sheet') return 'Image';
  }
  return undefined;
}

/** Is the described resource itself online (007 "cr", 008 form of item o/q/s, 245$h, 337/338)? */
function isOnline(record: MarcRecord): boolean {
  for (const f of record.fields) {
    if (f.tag === '007' && isControlField(f) && f.value.slice(0, 2).toLowerCase() === 'cr') return true;
  }
  const f008 = controlValue(record, '008');
  const type = record.leader[6] ?? ' ';
  // 008/23 is form of item for books, serials, music and mixed materials
  if (f008 !== undefined && 'acdijpt'.includes(type) && 'oqs'.includes(f008[23] ?? ' ')) return true;
  if (gmdFormat(record) === 'eBook') return true;
  if (carrierFormat(record) === 'eBook') return true;
  for (const f of fieldsWithTag(record, '337')) {
    const code = subfieldValues(f, 'b')[0]?.trim().toLowerCase();
    if (code === 'c' || foldText(subfieldValues(f, 'a')[0] ?? '') === 'computer') {
      // "computer" media with an unmediated volume carrier is a print book with a disc: not online
      if (carrierFormat(record) === undefined || carrierFormat(record) === 'eBook') return true;
    }
  }
  return false;
}

/** Formats that a GMD may assert over a generic leader "a" (SLiMS writes "nam" for everything). */
const GMD_OVERRIDES_TEXT: ReadonlySet<Format> = new Set<Format>([
  'Video', 'Sound Recording', 'Musical Score', 'Map', 'Software/Data', 'Image', 'Kit', 'Manuscript',
]);

/**
 * Coarse format of a record from leader/06-07, 007, 008/23, 502 (theses), 245$h and 338:
 * Book, eBook, Journal (print or online), Map, Musical Score, Video, Sound Recording,
 * Music Recording, Image, Software/Data, Manuscript, Thesis, Kit, Other.
 */
export function classifyFormat(record: MarcRecord): Format {
  const type = (record.leader[6] ?? ' ').toLowerCase();
  const level = (record.leader[7] ?? ' ').toLowerCase();
  const isThesis = fieldsWithTag(record, '502').length > 0 || gmdFormat(record) === 'Thesis';
  const fromLeader = BY_RECORD_TYPE[type];

  if (fromLeader === undefined) {
    // no usable leader: trust what the cataloguer wrote
    if (isThesis) return 'Thesis';
    return gmdFormat(record) ?? carrierFormat(record) ?? 'Other';
  }
  if (type === 'a' || type === 't') {
    if ('sbi'.includes(level) && level !== ' ') return 'Journal';
    if (isThesis) return 'Thesis';
    const gmd = gmdFormat(record);
    if (type === 'a' && gmd !== undefined && GMD_OVERRIDES_TEXT.has(gmd)) return gmd;
    if (type === 't') return 'Manuscript';
    return isOnline(record) ? 'eBook' : 'Book';
  }
  if (type === 'm' && isThesis) return 'Thesis';
  return fromLeader;
}
