/**
 * A small reviewed table of words that mean the same in a library chat, in English and Indonesian,
 * including the short forms people type ("perpus", "ngeprint", "minjem"). Each group is one
 * concept; the first word names it. Used to match FAQ entries by meaning (faq-match.ts) and to
 * read library questions; never to rewrite a catalog search (a title is searched as typed).
 */
const GROUPS: readonly (readonly string[])[] = [
  ['perpustakaan', 'perpus', 'pustaka', 'library', 'libraries', 'lib'],
  ['print', 'printing', 'printer', 'ngeprint', 'ngeprin', 'ngeprintt', 'nge-print', 'print out', 'printout', 'cetak', 'mencetak', 'dicetak', 'nyetak'],
  ['photocopy', 'fotokopi', 'fotocopy', 'foto kopi', 'fotokopian', 'xerox', 'copy', 'copies', 'kopi', 'memfotokopi', 'ngefotokopi'],
  ['scan', 'scanner', 'scanning', 'pindai', 'memindai', 'ngescan', 'nyecan', 'scan-an'],
  ['borrow', 'borrowing', 'loan', 'loans', 'lend', 'lending', 'pinjam', 'meminjam', 'minjam', 'minjem', 'pinjem', 'peminjaman', 'dipinjam', 'check out', 'checkout'],
  ['return', 'returning', 'kembalikan', 'mengembalikan', 'pengembalian', 'balikin', 'ngembaliin', 'dikembalikan'],
  ['renew', 'renewal', 'extend', 'perpanjang', 'memperpanjang', 'perpanjangan', 'diperpanjang'],
  ['fine', 'fines', 'late fee', 'late fees', 'late', 'penalty', 'denda', 'didenda', 'telat', 'terlambat', 'keterlambatan', 'lambat', 'overdue'],
  ['member', 'members', 'membership', 'anggota', 'keanggotaan', 'daftar', 'mendaftar', 'register', 'registration', 'join', 'sign up'],
  ['card', 'cards', 'kartu', 'ktm', 'library card', 'kartu anggota'],
  ['internet', 'wifi', 'wi-fi', 'hotspot', 'online', 'jaringan'],
  ['laptop', 'laptops', 'notebook', 'komputer', 'computer', 'computers', 'pc'],
  ['charge', 'charger', 'charging', 'colokan', 'stopkontak', 'stop kontak', 'socket', 'outlet', 'power outlet', 'plug', 'ngecas', 'ngecharge', 'cas'],
  ['room', 'rooms', 'ruang', 'ruangan', 'ruang baca', 'reading room'],
  ['discussion', 'study room', 'group study', 'diskusi', 'ruang diskusi', 'meeting room'],
  ['locker', 'lockers', 'loker', 'penitipan', 'titip', 'tas', 'bag', 'bags'],
  ['parking', 'park', 'parkir', 'parkiran'],
  ['food', 'eat', 'eating', 'makan', 'makanan', 'snack', 'drink', 'drinks', 'minum', 'minuman'],
  ['fee', 'fees', 'cost', 'costs', 'price', 'pay', 'paid', 'charge fee', 'biaya', 'bayar', 'membayar', 'harga', 'tarif', 'berbayar'],
  ['free', 'gratis', 'free of charge', 'cuma-cuma', 'tanpa biaya'],
  ['lost', 'lose', 'hilang', 'kehilangan', 'menghilangkan', 'ilang'],
  ['damaged', 'damage', 'broken', 'rusak', 'merusak', 'sobek', 'torn'],
  ['open', 'opening', 'buka', 'dibuka', 'beroperasi'],
  ['closed', 'close', 'closing', 'tutup', 'ditutup', 'libur'],
  ['hours', 'jam', 'time', 'times', 'waktu', 'pukul'],
  ['visit', 'visiting', 'visitor', 'visitors', 'berkunjung', 'kunjungi', 'mengunjungi', 'pengunjung', 'datang', 'tamu', 'guest', 'guests'],
  ['student', 'students', 'mahasiswa', 'mahasiswi', 'siswa', 'pelajar', 'murid'],
  ['lecturer', 'lecturers', 'staff', 'faculty', 'dosen', 'pegawai', 'karyawan'],
  ['public', 'umum', 'masyarakat', 'outsider', 'outsiders', 'orang luar', 'non-member', 'non-members'],
  ['alumni', 'alumnus', 'graduate', 'graduates', 'lulusan'],
  ['thesis', 'theses', 'skripsi', 'tesis', 'disertasi', 'dissertation', 'tugas akhir'],
  ['ebook', 'ebooks', 'e-book', 'e-books', 'buku elektronik', 'digital', 'pdf'],
  ['journal', 'journals', 'jurnal', 'database', 'databases', 'e-journal', 'ejournal'],
  ['password', 'kata sandi', 'sandi', 'login', 'log in', 'akun', 'account'],
  ['interlibrary loan', 'ill', 'antarperpustakaan', 'antar perpustakaan', 'pinjam antarperpustakaan', 'silang layan'],
  ['book', 'books', 'buku', 'bukunya', 'novel', 'novels', 'title', 'titles', 'judul', 'koleksi', 'collection'],
  ['quiet', 'silent', 'tenang', 'sunyi', 'noise', 'berisik', 'ramai'],
  ['toilet', 'toilets', 'restroom', 'wc', 'kamar mandi', 'bathroom'],
  ['prayer', 'mushola', 'musala', 'musholla', 'masjid', 'mosque', 'sholat', 'salat', 'prayer room'],
];

const CONCEPT = new Map<string, string>();
for (const group of GROUPS) for (const word of group) CONCEPT.set(word, group[0] as string);

/** Longest phrases first, so "library card" is one concept and not two. */
const PHRASES = [...CONCEPT.keys()].filter((k) => k.includes(' ') || k.includes('-')).sort((a, b) => b.length - a.length);

/** The concept a folded word or phrase stands for, if the table knows it. */
export function conceptOf(word: string): string | undefined {
  return CONCEPT.get(word);
}

/** Multi-word phrases of the table found in folded text, joined so that tokenising keeps them one word. */
export function joinPhrases(folded: string): string {
  let out = ` ${folded} `;
  for (const p of PHRASES) if (out.includes(` ${p} `)) out = out.split(` ${p} `).join(` ${p.replace(/[\s-]+/gu, '_')} `);
  return out.trim();
}

/** A joined phrase back to the table's key ("library_card" → "library card"). */
export function phraseKey(token: string): string {
  return token.replace(/_/gu, ' ');
}
