/**
 * Questions that are not catalog searches, in English and Indonesian:
 * - the asker's own interlibrary-loan requests: "what is the status of my request?", "where is my
 *   ILL", "permintaan saya sudah sampai mana?", "status pinjaman antarperpustakaan saya";
 * - a member library's opening hours, visiting and borrowing rules, address, membership or contact:
 *   "is the library open on Sunday?", "buka hari sabtu?", "can I visit USU as a UGM student?",
 *   "how many books can I borrow?", "berapa lama boleh pinjam?".
 * They are recognised by whole phrases, never by a single word, so "the history of Sunday
 * schools" or "buku tentang hari buruh" stay catalog questions.
 */
export type ServiceIntent = 'my-requests' | 'library-info';

const MY_REQUESTS: readonly RegExp[] = [
  /\b(?:status|progress|state|update)\b.{0,30}\b(?:my|our)\s+(?:ill\s+|interlibrary[- ]loan\s+|loan\s+|book\s+)?(?:requests?|orders?|reservations?|holds?|ill|interlibrary[- ]loans?)\b/iu,
  /\b(?:my|our)\s+(?:ill\s+|interlibrary[- ]loan\s+|loan\s+|book\s+)?(?:requests?|ill|interlibrary[- ]loans?)\b.{0,40}\b(?:status|progress|update|arrived|ready|shipped|where|how|come|coming|approved|done|sent|now)\b/iu,
  /\b(?:where|what)\s+(?:is|are|'s)\s+(?:my|our)\s+(?:ill\s+|interlibrary[- ]loan\s+|loan\s+)?(?:requests?|ill|interlibrary[- ]loans?|orders?)\b/iu,
  /\b(?:show|list|check|see|view)\s+(?:me\s+)?(?:all\s+)?(?:my|our)\s+(?:ill\s+|interlibrary[- ]loan\s+|loan\s+|book\s+)?(?:requests?|ill|interlibrary[- ]loans?|orders?)\b/iu,
  /^\s*(?:my|our)\s+(?:ill\s+|interlibrary[- ]loan\s+|loan\s+)?(?:requests?|ill|interlibrary[- ]loans?)\s*[?.!]*\s*$/iu,
  /\b(?:permintaan|pengajuan|request|pesanan)\s+(?:pinjam(?:an)?\s+|peminjaman\s+|ill\s+|antar ?perpustakaan\s+)?(?:antar ?perpustakaan\s+)?(?:saya|aku|sy|gue|gw|kami)\b/iu,
  /\b(?:status|kabar|perkembangan)\s+(?:permintaan|pengajuan|request|pesanan|pinjaman|peminjaman|ill)\b(?!.{0,20}\b(?:buku|judul)\b)/iu,
  /\b(?:pinjaman|peminjaman)\s+(?:antar ?perpustakaan|ill)\s+(?:saya|aku|sy|gue|gw|kami)\b/iu,
  /\b(?:ill|request)\s+(?:saya|aku|sy|gue|gw)\b/iu,
];

const DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|weekends?|weekdays?|holidays?|today|tomorrow|tonight|senin|selasa|rabu|kamis|jumat|jum\'at|sabtu|minggu|ahad|hari libur|tanggal merah|akhir pekan|weekend|hari ini|besok|nanti malam|libur(?:an)?|lebaran|natal|christmas|new year)';

const LIBRARY_INFO: readonly RegExp[] = [
  // hours
  new RegExp(`\\b(?:is|are|will|does|do)\\b.{0,40}\\b(?:open|closed|opening)\\b.{0,20}\\b(?:on|at|this|next|during|over|in the|tonight|today|tomorrow)?\\s*${DAY}`, 'iu'),
  new RegExp(`\\b(?:open|closed|opening hours?|hours)\\s+(?:on\\s+|this\\s+|next\\s+|during\\s+|over\\s+the\\s+)?${DAY}\\b`, 'iu'),
  /\b(?:opening|business|library|open|service)\s+(?:hours|times)\b/iu,
  /\bwhat\s+time\s+(?:does|do|is|will)\b.{0,40}\b(?:open|close|closing|opening)\b/iu,
  /\bwhen\s+(?:does|do|is|will)\b.{0,40}\b(?:open|close|closed|opening)\b/iu,
  /\b(?:is|are)\s+(?:the\s+)?(?:\S+\s+){0,3}(?:library|libraries|perpus(?:takaan)?)\s+(?:\S+\s+){0,2}(?:open|closed)\b/iu,
  new RegExp(`\\b(?:buka|tutup|libur)\\b.{0,25}\\b(?:hari\\s+)?${DAY}`, 'iu'),
  new RegExp(`\\b(?:hari\\s+)?${DAY}\\b.{0,25}\\b(?:buka|tutup|libur)\\b`, 'iu'),
  /\bjam\s+(?:buka|tutup|layanan|operasional|kerja|berapa)\b/iu,
  /\b(?:buka|tutup)\s+(?:jam|pukul)\s+(?:berapa|brp)\b/iu,
  /\b(?:kapan|jam berapa)\s+(?:perpus(?:takaan)?\s+)?(?:\S+\s+){0,3}(?:buka|tutup)\b/iu,
  /\b(?:perpus(?:takaan)?)\s+(?:\S+\s+){0,3}(?:buka|tutup)\s+(?:gak|nggak|ga|tidak|ngga|kah|jam|sampai|sampe|hari)\b/iu,
  // visiting and membership
  /\b(?:can|may|could)\s+(?:i|we|visitors?|guests?|outsiders?|non-?members?|students? from|people from)\b.{0,60}\b(?:visit|enter|come in|use the (?:library|reading rooms?)|get in|register|join|become a member|sign up|get a (?:library )?card)\b/iu,
  /\b(?:as\s+an?\s+(?:\S+\s+){0,3}(?:student|member|visitor|guest|alumn\w*|outsider))\b.{0,40}\b(?:visit|use|borrow|enter|access)\b/iu,
  /\b(?:bisa|boleh|dapat)(?:kah)?\s+(?:saya\s+|aku\s+|kami\s+|orang\s+luar\s+|umum\s+|mahasiswa\s+\S+\s+)?(?:berkunjung|masuk|mengunjungi|ke sana|datang|jadi anggota|mendaftar|daftar)\b/iu,
  /\b(?:sebagai\s+(?:mahasiswa|anggota|pengunjung|tamu|alumni|orang luar|umum))\b.{0,40}\b(?:berkunjung|masuk|pinjam|meminjam|akses|baca)\b/iu,
  /\b(?:how\s+(?:do|can)\s+i|cara)\s+(?:become a member|join|register|sign up|get a (?:library )?card|daftar|mendaftar|jadi anggota|bikin kartu|membuat kartu)\b/iu,
  /\b(?:membership|keanggotaan|kartu anggota|library card)\b/iu,
  // borrowing rules
  /\bhow\s+(?:many|much|long)\b.{0,40}\b(?:borrow|loan|keep|check out|renew|fine|fines)\b/iu,
  /\b(?:loan|borrowing|lending|renewal)\s+(?:rules?|period|policy|policies|limits?|terms)\b/iu,
  /\b(?:late\s+fees?|overdue\s+fines?|fines?\s+for\s+late)\b/iu,
  /\bberapa\s+(?:lama|banyak|buku|hari|kali)\b.{0,40}\b(?:pinjam|meminjam|dipinjam|perpanjang|minjem)\b/iu,
  /\b(?:aturan|peraturan|ketentuan|syarat|batas|lama)\s+(?:pinjam|peminjaman|meminjam|perpanjangan)\b/iu,
  /\b(?:denda|telat\s+(?:mengembalikan|balikin|ngembaliin)|terlambat\s+mengembalikan)\b/iu,
  // address and contact
  /\b(?:where\s+is|address\s+of|how\s+do\s+i\s+get\s+to|directions\s+to)\s+(?:the\s+)?(?:\S+\s+){0,2}(?:library|perpustakaan|perpus)(?:\s+\S+){0,2}\s*[?.!]*$/iu,
  /\b(?:alamat|lokasi|letak)\s+(?:perpus(?:takaan)?)\b/iu,
  /\b(?:perpus(?:takaan)?)\s+(?:\S+\s+){0,3}(?:di ?mana|dimana)\s*(?:ya|sih)?\s*[?]*\s*$/iu,
  /\b(?:contact|email|e-mail|phone number|telephone|whatsapp)\s+(?:of|for)?\s*(?:the\s+)?(?:\S+\s+){0,3}(?:library|ill desk|librarian)\b/iu,
  /\b(?:kontak|email|nomor telepon|no\.? telp|whatsapp|wa)\s+(?:perpus(?:takaan)?|pustakawan)\b/iu,
];

/** The service intent of a whole message, or undefined for a catalog question. */
export function serviceIntent(text: string): ServiceIntent | undefined {
  const t = text.replace(/\s+/gu, ' ');
  // one cheap look for the words every pattern needs before the patterns themselves
  if (REQUEST_WORDS.test(t) && MY_REQUESTS.some((re) => re.test(t))) return 'my-requests';
  if (INFO_WORDS.test(t) && LIBRARY_INFO.some((re) => re.test(t))) return 'library-info';
  return undefined;
}

const REQUEST_WORDS = /request|permintaan|pengajuan|pesanan|\bill\b|pinjaman|peminjaman|interlibrary|orders?\b|reservation|holds?\b/iu;
const INFO_WORDS = /open|clos|buka|tutup|libur|hours|jam|time|kapan|when|visit|kunjung|member|anggota|daftar|register|join|sign up|card|kartu|borrow|pinjam|minjem|loan|renew|perpanjang|fine|fee|denda|telat|terlambat|address|alamat|lokasi|letak|where|mana|contact|kontak|email|phone|telepon|telp|whatsapp|\bwa\b|enter|masuk|how many|how long|how much|berapa|aturan|peraturan|ketentuan|syarat|batas/iu;
