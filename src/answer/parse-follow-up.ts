/**
 * Follow-ups that only make sense against the last result set: "the second one", "the 2005 edition",
 * "who has it?", "is it available at UGM?", "yang kedua", "request it", "pinjam yang kedua".
 * Returns undefined for anything that reads as a new question.
 */
import { detectLanguage } from './detect-language.ts';
import type { Language } from './answer-types.ts';

export type FollowUpIntent = 'show' | 'holders' | 'availability' | 'request';

export interface FollowUp {
  intent: FollowUpIntent;
  /** which result: 1-based position, 'last', a publication year, or the one in focus */
  pick: { by: 'position'; n: number } | { by: 'last' } | { by: 'year'; year: number } | { by: 'focus' };
  language: Language;
}

const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5,
  pertama: 1, kedua: 2, ketiga: 3, keempat: 4, kelima: 5, satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5,
};

// whole words only: "punya", "hanya" end in -nya but point at nothing; "bukunya" (its book) does
const PRONOUN = /\b(it|that one|this one|that|this|them|itu|ini|tersebut|nya|(?:buku|novel|judul|karya|edisi|eksemplar|pinjam|yang)nya)\b/i;
const HOLDERS = /\b(who (has|holds|owns)|which librar(y|ies) (has|have|hold)|where can i (get|borrow|find)|siapa (saja )?yang (punya|memiliki|pegang)|perpustakaan mana|di mana (saya )?bisa (pinjam|meminjam|dapat))\b/i;
const AVAILABLE = /\b(available|on the shelf|can i borrow|tersedia|ada di|bisa dipinjam)\b/i;
const REQUEST = /\b(request|order|interlibrary|ill|pinjam(kan)?|ajukan|minta( dipinjamkan| pinjam)?|pesan)\b/i;

export function parseFollowUp(text: string): FollowUp | undefined {
  // the length first: nothing below runs on a long message (a follow-up is a few words)
  const trimmed = text.trim();
  if (trimmed.length > 240) return undefined;
  const t = withoutEndPunctuation(trimmed.toLowerCase());
  if (t === '' || t.length > 120) return undefined;
  const language = detectLanguage(text);
  const pick = pickOf(t);
  const mentionsIt = PRONOUN.test(t);
  let intent: FollowUpIntent | undefined;
  if (HOLDERS.test(t)) intent = 'holders';
  else if (AVAILABLE.test(t)) intent = 'availability';
  else if (REQUEST.test(t) && (pick || mentionsIt || (/^(request|pinjam|ajukan|minta)\b/.test(t) && namesNothing(t)))) intent = 'request';
  if (intent === undefined) {
    // a bare pick: "the second one", "yang kedua", "nomor 2", "the 2005 edition"
    if (pick && isBarePick(t)) return { intent: 'show', pick, language };
    return undefined;
  }
  if (!pick && !mentionsIt && intent !== 'request') {
    // "who has Laskar Pelangi?" is a new question, not a follow-up
    // "available at UGM?" refers back; "can I borrow a laptop?" is a new question
    const rest = t
      .replace(HOLDERS, ' ')
      .replace(AVAILABLE, ' ')
      .replace(/\b(at|di|in|from|dari|pada)\s+(the\s+|perpustakaan\s+|library\s+)?\S+/g, ' ')
      .replace(/\b(the|is|are|apakah|yang|library|perpustakaan|now|sekarang|still|masih|can|you|bisa|saya|i|me)\b/g, ' ');
    if (rest.split(/\s+/).filter((w) => w.length > 2).length > 0) return undefined;
  }
  return { intent, pick: pick ?? { by: 'focus' }, language };
}

/** "request please", "pinjam dong": a request verb and nothing that could name a work. */
function namesNothing(t: string): boolean {
  const rest = t
    .replace(REQUEST, ' ')
    .replace(/\b(please|pls|dong|ya|yah|deh|aja|saja|via|lewat|ill|antarperpustakaan|for me|untuk saya|buat saya|the|book|buku|thanks|thank you|makasih|terima kasih|juga|too|also)\b/g, ' ');
  return rest.trim() === '';
}

function pickOf(t: string): FollowUp['pick'] | undefined {
  const year = /\b(?:the |edisi |edition |terbitan |tahun |yang )?(1[5-9]\d\d|20\d\d)\b(?: (?:edition|one|edisi|version|versi))?/.exec(t);
  if (year && /\b(edition|edisi|one|terbitan|tahun|version|versi|yang)\b/.test(t)) return { by: 'year', year: Number(year[1]) };
  if (/\b(last|terakhir)\b/.test(t)) return { by: 'last' };
  const ord = /\b(?:the |yang |nomor |no\.? ?|number |#)?(?:ke-?)?(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|pertama|kedua|ketiga|keempat|kelima)\b/.exec(t);
  if (ord?.[1] !== undefined) return { by: 'position', n: ORDINALS[ord[1]] ?? 1 };
  const num = /(?:^|\b(?:nomor|number|no\.?|yang ke-?|the|#))\s*#?([1-9])\b(?!\d)/.exec(t);
  if (num?.[1] !== undefined) return { by: 'position', n: Number(num[1]) };
  return undefined;
}

function isBarePick(t: string): boolean {
  return /^(the |yang |nomor |no\.? ?|number |#|edisi |terbitan |ke-?)?\S+( one| edition| edisi| version| versi)?( (please|saja|dong|ya))?$/.test(t) || /^(the|yang) (\S+ )?(one|edition|edisi|tahun \d{4})$/.test(t) || /^(show|tampilkan|lihat) (me )?(the |yang )?\S+( one)?$/.test(t);
}

/** The text without the "?", "!" and "." at its end (a loop: `/[?!.]+$/` retries from every "?" of a long run). */
function withoutEndPunctuation(t: string): string {
  let end = t.length;
  while (end > 0 && '?!.'.includes(t[end - 1] ?? '')) end--;
  return t.slice(0, end);
}
