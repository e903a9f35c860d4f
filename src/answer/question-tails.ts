/**
 * The loose ends of chat questions:
 * - questions hung on the end of the content ("Laskar Pelangi, ada gak ya?", "… ada di perpus mana
 *   ya", "…, does any library have it", "… in the library?") — cut, and what they ask kept;
 * - a request that starts inside a sentence ("saya mahasiswa UGM mau cari buku X", "so basically
 *   I'm looking for X") — the frame found from its opening verb;
 * - a year after a title, asking for that edition ("Pride and prejudice 1967", "… edisi 2005");
 * - an ISBN whose check digit is wrong: cut out and reported, so the rest is still answered.
 */
import { normalizeIsbn } from '../mapping/isbn.ts';
import { matchFrame, type FrameIntent, type FrameMatch } from './question-frames.ts';
import { readMaterial, type MaterialRead } from './material-phrase.ts';

const PARTICLES = '(?: (?:ya|yah|sih|kah|nih|kak|min|gan|dong|deh|kan|tuh|ga|gak|nggak|ngga))*';
const NEG = '(?: (?:gak|nggak|ga|ngga|enggak|tidak|ndak|gk|engga))?';
const PLACE_ID = '(?:perpus(?:takaan)?|sini|situ|katalog|koleksi|library|rak)';

const TRAILING_QUESTIONS: ReadonlyArray<readonly [RegExp, FrameIntent]> = [
  [new RegExp(`(?:^|[\\s,]+)(?:ada )?di ${PLACE_ID} (?:mana|apa)(?: (?:saja|aja))?${PARTICLES}$`, 'iu'), 'holders'],
  [new RegExp(`(?:^|[\\s,]+)(?:perpus(?:takaan)?|library) (?:mana|apa)(?: (?:saja|aja))?(?: yang)? (?:punya|ada|nyimpen|menyimpan|memiliki)${PARTICLES}$`, 'iu'), 'holders'],
  [new RegExp(`(?:^|[\\s,]+)(?:siapa|siapa aja|siapa saja) yang punya${PARTICLES}$`, 'iu'), 'holders'],
  [new RegExp(`(?:^|[\\s,]+)(?:ada )?(?:di ?mana|dimana)(?: (?:saja|aja))?${PARTICLES}$`, 'iu'), 'holders'],
  [new RegExp(`(?:^|[\\s,]+)(?:masih )?(?:bisa|boleh|dapat) (?:di)?pinjam${NEG}${PARTICLES}$`, 'iu'), 'availability'],
  [new RegExp(`(?:^|[\\s,]+)(?:masih )?tersedia${NEG}${PARTICLES}(?: (?:sekarang|saat ini|hari ini))?$`, 'iu'), 'availability'],
  [new RegExp(`(?:^|[\\s,]+)(?:apakah |apa )?(?:masih )?ada${NEG}${PARTICLES}(?: (?:di|dalam) ${PLACE_ID}(?: (?:ini|kalian|kampus|sini))?)?${PARTICLES}$`, 'iu'), 'have'],
  [new RegExp(`(?:^|[\\s,]+)(?:di|dalam) ${PLACE_ID}(?: (?:ini|kalian|kampus|sini))? ada${NEG}${PARTICLES}$`, 'iu'), 'have'],
  [new RegExp(`(?:^|[\\s,]+)(?:punya|nyimpen)${NEG}${PARTICLES}$`, 'iu'), 'have'],
  [/(?:^|[\s,]+)(?:does|do|can|could) (?:any|a|your|the|one of the|some) ?(?:library|libraries|member|members|one|body|campus)? ?(?:have|has|hold|own|carry|stock|lend)(?: (?:it|this|that|one|a copy|them|this book|the book|copies))?(?: (?:by any chance|at all|in stock|currently))?$/iu, 'holders'],
  [/(?:^|[\s,]+)(?:does|do) (?:anyone|anybody|someone|somebody) (?:have|has|hold|own)(?: (?:it|this|that|one|a copy|them))?$/iu, 'holders'],
  [/(?:^|[\s,]+)(?:which|what) (?:library|libraries|member|members|campus) (?:has|have|holds?|owns?|carr(?:y|ies)|stocks?)(?: (?:it|this|that|one|a copy|them|this book|the book))?$/iu, 'holders'],
  [/(?:^|[\s,]+)where (?:can i|could i|do i|to) (?:find|get|borrow|read)(?: (?:it|this|that|one|a copy|them|this book))?$/iu, 'holders'],
  [/(?:^|[\s,]+)(?:do|does) (?:you|u|ya|the library|you guys|the libraries|jala) (?:have|hold|carry|stock|got)(?: (?:it|this|that|one|a copy|them|this book|the book))?(?: (?:by any chance|at all|in stock|currently))?$/iu, 'have'],
  [/(?:^|[\s,]+)(?:is|are) (?:it|they|this|that|one) (?:available|on the shelf|in stock|in|there|borrowable|on loan|checked out|out)(?: (?:now|today|right now|currently))?$/iu, 'availability'],
  [/(?:^|[\s,]+)(?:can|could|may) i (?:borrow|get|check out|loan|read) (?:it|this|that|one|a copy|them)$/iu, 'availability'],
  [/(?:^|[\s,]+)(?:is|are) there (?:a copy|one|any copies|copies)(?: (?:of it|available|anywhere|in the library))?$/iu, 'have'],
  [/(?:^|[\s,]+)(?:in|at|from) (?:the |your |any |a |one of the |our )?(?:library|libraries|catalog(?:ue)?|collection|consortium|system|stock)(?: (?:by any chance|at all))?$/iu, 'have'],
  [/(?:^|[\s,]+)(?:by any chance|at all|anywhere|somewhere|anyone|anybody|available anywhere)$/iu, 'have'],
];

export interface TrailingQuestion {
  text: string;
  intent?: FrameIntent;
  library?: string;
}

/** Cut questions hung on the end of the content ("…, ada gak ya?"); the text is unchanged when none is there. */
export function stripTrailingQuestion(text: string): TrailingQuestion {
  let out = text;
  let intent: FrameIntent | undefined;
  for (let changed = true; changed && out !== ''; ) {
    changed = false;
    for (const [re, what] of TRAILING_QUESTIONS) {
      const m = re.exec(out);
      if (!m) continue;
      // the whole piece is such a question ("ada di perpustakaan mana ya"): nothing is left to search
      out = m.index === 0 ? '' : out.slice(0, m.index).replace(/[\s,;:.!?-]+$/u, '');
      intent ??= what;
      changed = true;
      break;
    }
  }
  return intent === undefined ? { text } : { text: out, intent };
}

/** Verbs and phrases that open a request inside a sentence. */
const OPENERS = /(?:^|\s)(?=(?:(?:saya|aku|gue|gw|sy|i|i'm|im|we)\s+)?(?:lagi\s+|sedang\s+|mau\s+|ingin\s+|pengen\s+|perlu\s+|butuh\s+|just\s+|currently\s+|also\s+)*(?:cari|mencari|nyari|carikan|cariin|looking for|look for|searching for|search for|trying to find|try to find|need|want|would like|butuh|perlu|minta|pinjam|meminjam|minjem|pinjem|borrow|apakah ada|apa ada|ada buku|ada novel|ada yang punya|do you have|have you got|is there|got any|punya buku|the book called|a book called|a novel called|buku berjudul|novel berjudul|buku yang judulnya|buku judulnya|judulnya|it's called|it is called)\b)/giu;

/** The frame of a request that starts after some preamble; undefined when none does. */
export function innerFrame(
  body: string,
  isLibrary: (phrase: string) => boolean,
  question: boolean,
  libraryNamed: boolean,
): { frame: FrameMatch; material: MaterialRead } | undefined {
  OPENERS.lastIndex = 0;
  for (let m = OPENERS.exec(body); m !== null; m = OPENERS.exec(body)) {
    if (m[0].length === 0) OPENERS.lastIndex++;
    const at = m.index + m[0].length;
    if (at === 0) continue;
    const rest = body.slice(at).trim();
    if (rest === '') break;
    let material: MaterialRead | undefined;
    const frame = matchFrame(rest, isLibrary, (f) => {
      if (f.weak !== undefined && !(f.weak === 'trail' && (question || libraryNamed))) return false;
      material = readMaterial(f.content, true, f.relation);
      return material.content !== '';
    });
    if (frame && material) return { frame, material };
  }
  return undefined;
}

const YEAR = '(?<y>1[4-9]\\d\\d|20\\d\\d)';
const EDITION_WORDS = '(?:edition|ed\\.?|version|printing|edisi|cetakan|terbitan|versi|tahun|thn\\.?|th\\.?|year|published)';
const TRAILING_EDITION = [
  new RegExp(`^(?:(?:the|an?|that|yang) )?${YEAR} (?:edition|ed\\.?|version|printing|edisi|cetakan|terbitan|reprint) (?:of|dari) (?<t>.*\\p{L}.*)$`, 'iu'),
  new RegExp(`^(?:(?:the|an?|that|yang) )?(?:edisi|cetakan|terbitan|edition|versi) (?:tahun )?${YEAR} (?:of|dari) (?<t>.*\\p{L}.*)$`, 'iu'),
  new RegExp(`^(?<t>.*\\p{L}.*?)[\\s,]+(?:(?:the|an?|its|in) )?(?:${EDITION_WORDS} )?(?:(?:of|from|dari|tahun|in) )?${YEAR}(?: ${EDITION_WORDS})?$`, 'iu'),
];

/** "Pride and prejudice 1967" → the title and the edition year; undefined when no year is there or nothing else is. */
export function cutEditionYear(text: string): { text: string; year: number } | undefined {
  for (const re of TRAILING_EDITION) {
    const m = re.exec(text.trim());
    const title = m?.groups?.['t']?.trim();
    const year = m?.groups?.['y'];
    if (!m || title === undefined || year === undefined) continue;
    const y = Number(year);
    if (!Number.isFinite(y) || y < 1400 || y > 2099) continue;
    if (!/\p{L}{2,}/u.test(title)) continue;
    return { text: title.replace(/[\s,;:(-]+$/u, ''), year: y };
  }
  return undefined;
}

const ISBN_CANDIDATE = /(?<![\p{L}\p{N}])(?:(?:isbn(?:-?1[03])?|e-?isbn)\s*:?\s*)?((?:97[89][ -]?)?\d{1,5}[ -]?\d{1,7}[ -]?\d{1,7}[ -]?[\dXx])(?![\p{L}\p{N}])/giu;

/**
 * An ISBN written with a wrong check digit, cut out of the text (replaced by `marker`): labelled
 * ("ISBN 978-…"), an ISBN-13 starting 978/979, or a hyphenated ISBN-10. Plain numbers of other
 * shapes are left alone (they may be years, call numbers or ids).
 */
export function cutInvalidIsbn(text: string, marker: string): { text: string; isbn?: string } {
  let isbn: string | undefined;
  const out = text.replace(ISBN_CANDIDATE, (whole, raw: string) => {
    const compact = raw.replace(/[\s-]/gu, '').toUpperCase();
    const labelled = /^\s*(?:isbn|e-?isbn)/iu.test(whole);
    const looksIsbn13 = compact.length === 13 && /^97[89]\d{10}$/u.test(compact);
    const looksIsbn10 = compact.length === 10 && /^\d{9}[\dX]$/u.test(compact) && (labelled || /-/u.test(raw));
    if (!(looksIsbn13 || looksIsbn10) || (!labelled && compact.length === 13 && !/^97[89]/u.test(compact))) return whole;
    if (normalizeIsbn(compact) !== null) return whole;
    isbn ??= compact;
    return ` ${marker} `;
  });
  return isbn === undefined ? { text } : { text: out, isbn };
}
