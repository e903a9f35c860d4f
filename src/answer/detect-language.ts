/**
 * English or Bahasa Indonesia, decided by counting cue words — no model, no network.
 *
 * The rule: every word that is an Indonesian function or question word (apakah, ada, yang, buku,
 * tentang, siapa, punya, tersedia, cari, saya, perpustakaan, tolong…) scores 2 for Indonesian,
 * every English function word (do, you, have, is, the, which, by, about…) 2 for English, and a
 * short list of frequent Indonesian content words (sejarah, manusia, pelangi…) plus the suffixes
 * -nya / -kan score 1 for Indonesian. Indonesian wins when it scores higher; otherwise (including
 * no cue at all, e.g. an ISBN) the answer is English.
 */

export type QuestionLanguage = 'en' | 'id';

export interface LanguageScore {
  language: QuestionLanguage;
  id: number;
  en: number;
}

const INDONESIAN_FUNCTION_WORDS = new Set([
  'apakah', 'apa', 'ada', 'adakah', 'yang', 'tentang', 'mengenai', 'soal', 'seputar', 'siapa', 'punya', 'memiliki',
  'mempunyai', 'mana', 'dimana', 'tersedia', 'cari', 'carikan', 'cariin', 'mencari', 'nyari', 'temukan', 'saya',
  'aku', 'kamu', 'anda', 'kami', 'kita', 'gue', 'gw', 'tolong', 'mohon', 'bisa', 'bisakah', 'dapat', 'dapatkah',
  'boleh', 'dong', 'deh', 'nih', 'sih', 'karangan', 'karya', 'buku', 'buku-buku', 'novel-novel', 'perpustakaan',
  'perpus', 'berjudul', 'judul', 'judulnya', 'dan', 'dengan', 'untuk', 'dari', 'oleh', 'ini', 'itu', 'tidak', 'gak',
  'nggak', 'ngga', 'enggak', 'ga', 'pinjam', 'meminjam', 'minjam', 'dipinjam', 'bahasa', 'berbahasa', 'terbitan',
  'terbit', 'diterbitkan', 'tahun', 'sebelum', 'sesudah', 'setelah', 'sejak', 'antara', 'sampai', 'hingga',
  'halo', 'hai', 'selamat', 'pagi', 'siang', 'sore', 'malam', 'terima', 'kasih', 'makasih', 'trims', 'bantuan',
  'bantu', 'ditulis', 'dikarang', 'tulisan', 'penulis', 'pengarang', 'saja', 'aja', 'juga', 'sudah', 'belum',
  'masih', 'sedang', 'lagi', 'mau', 'ingin', 'pengen', 'butuh', 'perlu', 'ke', 'di', 'pada', 'atau', 'adalah',
  'akan', 'skripsi', 'disertasi', 'majalah', 'jurnal', 'peta', 'bagaimana', 'gimana', 'kenapa', 'mengapa',
  'kapan', 'silakan', 'ya', 'koleksi', 'bacaan', 'lakukan', 'kerjakan', 'kah', 'sebuah', 'beberapa', 'semua',
]);

const ENGLISH_FUNCTION_WORDS = new Set([
  'do', 'does', 'did', 'you', 'your', 'have', 'has', 'had', 'is', 'are', 'was', 'were', 'there', 'the', 'of',
  'and', 'a', 'an', 'which', 'who', 'whom', 'where', 'what', 'how', 'libraries', 'library', 'book', 'books', 'by',
  'about', 'on', 'find', 'search', 'looking', 'look', 'for', 'available', 'can', 'could', 'would', 'i', "i'm", 'me',
  'my', 'please', 'any', 'anything', 'something', 'written', 'write', 'wrote', 'hello', 'hi', 'hey', 'thanks',
  'thank', 'help', 'in', 'at', 'with', 'from', 'to', 'it', 'this', 'that', 'want', 'need', 'borrow', 'published',
  'after', 'before', 'between', 'since', 'called', 'titled', 'novels', 'works', 'only', 'copy', 'copies', 'hold',
  'holds', 'own', 'some', 'like', 'got', 'get', 'show', 'list', 'be', 'or', 'not', 'we', 'our',
]);

/** Frequent Indonesian content words: weak evidence for a bare title ("laskar pelangi"). */
const INDONESIAN_CONTENT_WORDS = new Set([
  'sejarah', 'manusia', 'bumi', 'negeri', 'cinta', 'anak', 'anak-anak', 'rumah', 'orang', 'orang-orang', 'kota',
  'ilmu', 'pendidikan', 'ekonomi', 'hukum', 'agama', 'budaya', 'kebudayaan', 'masyarakat', 'politik', 'sastra',
  'puisi', 'cerita', 'kisah', 'perempuan', 'laki-laki', 'dunia', 'jalan', 'hidup', 'mati', 'langit', 'laut',
  'tanah', 'air', 'api', 'hati', 'jiwa', 'raja', 'ratu', 'perang', 'merdeka', 'kemerdekaan', 'bangsa', 'negara',
  'pemerintah', 'desa', 'petani', 'guru', 'sekolah', 'belajar', 'pembelajaran', 'teknologi', 'informasi',
  'keuangan', 'kesehatan', 'penyakit', 'obat', 'dokter', 'matematika', 'fisika', 'kimia', 'biologi', 'filsafat',
  'tafsir', 'hadis', 'laskar', 'pelangi', 'menara', 'biasa', 'kakak', 'adik', 'ibu', 'bapak', 'ayah', 'baru',
  'lama', 'besar', 'kecil', 'indah', 'bulan', 'matahari', 'bintang', 'malam', 'hujan', 'sang', 'pemimpi',
  'perahu', 'kertas', 'ayat', 'surga', 'neraka', 'tuhan', 'kitab', 'panduan', 'pengantar', 'dasar', 'teori',
  'metode', 'penelitian', 'kamus', 'lengkap', 'kumpulan', 'catatan', 'harian', 'kakakku', 'adikku', 'ibuku',
]);

function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? [];
}

/** The scores behind `detectLanguage`, for callers that want to know how sure it was. */
export function scoreLanguage(text: string): LanguageScore {
  let id = 0;
  let en = 0;
  for (const token of tokens(text)) {
    if (INDONESIAN_FUNCTION_WORDS.has(token)) id += 2;
    else if (INDONESIAN_CONTENT_WORDS.has(token)) id += 1;
    else if (token.length > 5 && /(?:nya|kan)$/u.test(token)) id += 1;
    if (ENGLISH_FUNCTION_WORDS.has(token)) en += 2;
  }
  return { language: id > en ? 'id' : 'en', id, en };
}

/** 'id' when Indonesian cue words outweigh English ones, else 'en' (see the rule above). */
export function detectLanguage(text: string): QuestionLanguage {
  return scoreLanguage(text).language;
}

/**
 * Function words that do not say which language a person writes in: they turn up inside titles of
 * both languages ("The rainbow troops", "Cantik itu luka", "Bumi dan manusia") and in names.
 */
const WEAK_CUES = new Set(['the', 'a', 'an', 'of', 'and', 'in', 'on', 'to', 'at', 'for', 'by', 'dan', 'di', 'ke', 'dari', 'yang', 'itu', 'ini', 'untuk', 'dengan', 'pada', 'oleh', 'atau', 'sang', 'ya']);

/**
 * A clear sign of the language a message is written in, or undefined when it gives none: a title,
 * a name, a typo ("laskar pelagi", "ronggeng dukuh paru") say nothing about the person's language.
 * Only function words outside `searched` (the words the message names a work with) count, and not
 * the weak ones above; the language with more of them wins, a tie is no signal.
 */
export function languageSignal(text: string, searched: readonly string[] = []): QuestionLanguage | undefined {
  const named = new Set(searched.flatMap((s) => tokens(s)));
  const own = tokens(text);
  // when the whole message is the searched text, every word is still counted (there is no frame to read)
  const frame = own.filter((t) => !named.has(t));
  const words = frame.length > 0 ? frame : own;
  let id = 0;
  let en = 0;
  for (const token of words) {
    if (WEAK_CUES.has(token)) continue;
    if (INDONESIAN_FUNCTION_WORDS.has(token)) id++;
    if (ENGLISH_FUNCTION_WORDS.has(token)) en++;
  }
  if (id === en) return undefined;
  return id > en ? 'id' : 'en';
}
