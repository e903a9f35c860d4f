/**
 * A message that asks for an interlibrary loan and names what it is for: "pinjam buku saman",
 * "request Pulang please", "saya mau pinjam Laskar Pelangi", "I'd like to borrow Amba".
 * Returns the words that name the work ('' when the message names nothing: "request it", "pinjam
 * yang kedua" — those are follow-ups on the last results). Questions ("can I borrow X?", "bisa
 * pinjam X?") are availability questions, not requests, and return undefined.
 */

const LEAD = String.raw`(?:(?:tolong|please|pls|mohon|kak|min|halo|hi|hello)[\s,]+)*(?:(?:saya|aku|gue|gw|i)\s+(?:mau|ingin|pengen|pingin|want\s+to|wanna|would\s+like\s+to|'d\s+like\s+to|’d\s+like\s+to|need\s+to|perlu)\s+|(?:i'd|i’d)\s+like\s+to\s+|mau\s+|ingin\s+)?`;
const VERB = String.raw`(?:request|order|borrow|pinjam|minjam|meminjam|ajukan|pesan|minta(?:\s+pinjam)?)`;
const REQUEST_LINE = new RegExp(String.raw`^\s*${LEAD}${VERB}\b(.*)$`, 'iu');

/** Words around the title that are part of asking, not of the title. */
const FILLER_START = /^(?:\s*(?:the|a|an|buku|bukunya|novel|judul|karya|book|copy|of|a\s+copy\s+of|satu|lewat\s+ill|via\s+ill|through\s+ill|antarperpustakaan|interlibrary(?:\s+loan)?|ill|for\s+me|untuk\s+saya|buat\s+saya|dong|ya|please|berjudul|called|titled)\b[\s,:]*)+/iu;
const FILLER_END = /(?:[\s,]*\b(?:please|pls|dong|ya|yah|deh|aja|saja|thanks|thank\s+you|makasih|terima\s+kasih|for\s+me|untuk\s+saya|buat\s+saya|via\s+ill|lewat\s+ill|through\s+ill|via\s+interlibrary\s+loan|antarperpustakaan|juga|too|also|kak|min|gan)\b)+[\s.!?]*$/iu;

export function requestIntent(text: string): { item: string } | undefined {
  const t = text.trim();
  if (t === '' || t.length > 300 || t.startsWith('/')) return undefined;
  // a question is about availability ("can I borrow X?", "bisa pinjam X?")
  if (/^\s*(?:can|could|may|bisa|bisakah|boleh|bolehkah|apakah|apa)\b/iu.test(t)) return undefined;
  const m = REQUEST_LINE.exec(t);
  if (!m) return undefined;
  const item = (m[1] ?? '')
    .replace(FILLER_START, '')
    .replace(FILLER_END, '')
    .replace(/^[\s“"'‘]+|[\s”"'’.!?]+$/gu, '')
    .trim();
  return { item };
}

/** Words that point back at the last results rather than name a work. */
const POINTING = /^(?:it|this|that|them|one|ones|the|a|an|book|copy|edition|edisi|version|versi|itu|ini|tersebut|nya|bukunya|novelnya|judulnya|yang|nomor|number|no|first|second|third|fourth|fifth|last|pertama|kedua|ketiga|keempat|kelima|terakhir|ke|\d{1,4}(?:st|nd|rd|th)?|#\d)$/iu;

/** "it", "yang kedua", "the 2005 edition": nothing in the words names a work of its own. */
export function onlyPointsBack(item: string): boolean {
  return item.split(/[\s-]+/u).filter((w) => w !== '' && !POINTING.test(w.replace(/[?.!,]+$/u, ''))).length === 0;
}
