import { illWording } from './ill-wording.ts';
import type { Language } from '../common/language.ts';
import type { ChosenReason, SkipReason } from '../ill/lender-selection.ts';

/** ILL sentences in English and Bahasa Indonesia. */
export interface IllPhrases {
  state: Record<string, string>;
  action: Record<string, string>;
  errors: {
    notFound(id: string): string;
    forbidden: string;
    notAllowedNow(action: string, state: string): string;
    stale(id: string): string;
    needsDetails(action: string, what: string): string;
    badDate(text: string): string;
    noLibrary: string;
    noWork(item: string): string;
    badId(text: string): string;
    notYours: string;
    /** a confirmation pressed again after it placed the request, or after it expired or was cancelled */
    alreadyConfirmed: string;
  };
  placed(id: string, title: string): string;
  alreadyPlaced(id: string, title: string): string;
  placedForReview(id: string, title: string): string;
  duplicateReview(id: string): string;
  localReview(id: string): string;
  tookBestMatch(title: string): string;
  event(actor: string, action: string, id: string, to: string): string;
  lineRequester(requester: string, supplier: string | undefined): string;
  lineState(state: string, supplierState: string | undefined): string;
  lineNeedBy(d: string): string;
  lineDue(d: string): string;
  lineCondition(c: string): string;
  lineNote(n: string): string;
  linePatron(name: string): string;
  unfilledOffer(workId: string | undefined): string;
  reminderLender(id: string, deadline: string): string;
  dueReminder(id: string, title: string, due: string): string;
  overdue(id: string, title: string, due: string): string;
  mineHeader: string;
  queueHeader(library: string): string;
  nothingOpen: string;
  whyHeader(id: string): string;
  chosen: Record<ChosenReason, string>;
  skipped: Record<SkipReason, string>;
  rotaStatus: Record<string, string>;
  load(lent: number, borrowed: number, queue: number): string;
  statsHeader: string;
  statsLine(lib: string, s: { placed: number; filled: number; rate: string; median: string; lent: number; borrowed: number; open: number }): string;
  historyHeader: string;
  /** to a lender whose turn on a request has ended */
  endedTurn(id: string, title: string, requester: string): string;
  system: string;
  patronWord: string;
}

const en: IllPhrases = {
  state: illWording('en').state,
  action: illWording('en').button,
  errors: {
    notFound: (id) => `There is no request ${id}.`,
    forbidden: 'You cannot do that on this request: only librarians of the library concerned may (patrons may view, cancel and renew their own requests).',
    notAllowedNow: (a, s) => `“${a}” is not possible while the request is ${s}.`,
    stale: (id) => `Already done: request ${id} has changed since that card was shown. Here it is now.`,
    needsDetails: (a, w) => `“${a}” needs ${w}.`,
    badDate: (t) => `“${t}” is not a date; write it as YYYY-MM-DD.`,
    noLibrary: 'I do not know your library, so I cannot place an interlibrary loan for you. Ask a librarian to set it up.',
    noWork: (item) => `I found nothing in the union catalog for “${item}”.`,
    badId: (t) => `“${t}” is not a request id (they look like R12).`,
    notYours: 'You can only see your own requests.',
    alreadyConfirmed: 'That confirmation is no longer open: the request was already placed, cancelled, or the confirmation expired. See /ill mine, or ask for the title again.',
  },
  placed: (id, t) => `Request ${id} placed for “${t}”.`,
  alreadyPlaced: (id, t) => `Request ${id} for “${t}” was already placed a moment ago; I did not place it twice.`,
  placedForReview: (id, t) => `Request ${id} for “${t}” is with your library for review. I will tell you how it goes.`,
  duplicateReview: (id) => `You asked for this title recently, so request ${id} goes to your library for review first.`,
  localReview: (id) => `Your own library has a copy on the shelf; request ${id} waits for a librarian to decide.`,
  tookBestMatch: (t) => `I took the best match in the catalog: “${t}”.`,
  event: (actor, a, id, to) => `${actor}: ${a} — request ${id} is now ${to}.`,
  lineRequester: (r, s) => `Borrower ${r}${s ? ` · lender ${s}` : ''}`,
  lineState: (st, sup) => `Status: ${st}${sup ? ` (lender: ${sup})` : ''}`,
  lineNeedBy: (d) => `Needed by ${d}`,
  lineDue: (d) => `Due back ${d}`,
  lineCondition: (c) => `Lender's condition: ${c}`,
  lineNote: (n) => `Note: ${n}`,
  linePatron: (n) => `For patron ${n}`,
  unfilledOffer: (w) => `You can ask again later${w ? ` with /ill request ${w}` : ''}.`,
  reminderLender: (id, d) => `Reminder: request ${id} is waiting for your answer; it moves to the next library at ${d}.`,
  dueReminder: (id, t, d) => `Reminder: “${t}” (request ${id}) is due back on ${d}.`,
  overdue: (id, t, d) => `“${t}” (request ${id}) was due back on ${d} and is now overdue.`,
  mineHeader: 'Your requests',
  queueHeader: (l) => `Open requests of ${l}`,
  nothingOpen: 'Nothing here.',
  whyHeader: (id) => `Why request ${id} went where it went:`,
  chosen: {
    available: 'has a copy on the shelf', 'on-loan': 'every copy is on loan now', 'status-unknown': 'holds it; availability unknown',
    'no-item-information': 'holds it; no item details', 'last-resort': 'lender of last resort', partner: 'partner outside the consortium (ISO 18626)', 'asked-by-partner': 'asked directly by a partner (ISO 18626)',
  },
  skipped: {
    requester: 'the requesting library itself', 'does-not-lend': 'does not lend', 'closed-today': 'closed today',
    'library-use-only': 'library use only', missing: 'its copies are lost or withdrawn',
  },
  rotaStatus: { pending: 'waiting its turn', selected: 'asked now', skipped: 'skipped', declined: 'declined', timeout: 'did not answer in time', cancelled: 'cancelled', supplied: 'supplied' },
  load: (l, b, q) => `lent ${l}, borrowed ${b}, ${q} waiting`,
  statsHeader: 'Interlibrary loan per library (placed · filled · fill rate · median days to receive · lent/borrowed · open lending queue):',
  statsLine: (lib, s) => `${lib}: ${s.placed} placed · ${s.filled} filled · ${s.rate} · ${s.median} · lent ${s.lent}/borrowed ${s.borrowed} · ${s.open} open`,
  historyHeader: 'History:',
  endedTurn: (id, t, r) => `Request ${id} for “${t}” from ${r} is no longer with your library. Your part:`,
  system: 'Jala',
  patronWord: 'patron',
};

const id: IllPhrases = {
  state: illWording('id').state,
  action: illWording('id').button,
  errors: {
    notFound: (i) => `Tidak ada permintaan ${i}.`,
    forbidden: 'Anda tidak dapat melakukan itu pada permintaan ini: hanya pustakawan perpustakaan terkait yang boleh (pemustaka dapat melihat, membatalkan, dan memperpanjang permintaannya sendiri).',
    notAllowedNow: (a, s) => `“${a}” tidak dapat dilakukan saat permintaan ${s}.`,
    stale: (i) => `Sudah dilakukan: permintaan ${i} telah berubah sejak kartu itu ditampilkan. Ini keadaannya sekarang.`,
    needsDetails: (a, w) => `“${a}” memerlukan ${w}.`,
    badDate: (t) => `“${t}” bukan tanggal; tulis sebagai YYYY-MM-DD.`,
    noLibrary: 'Saya tidak tahu perpustakaan Anda, jadi belum bisa mengajukan pinjam antarperpustakaan. Minta pustakawan mengaturnya.',
    noWork: (item) => `Tidak ada yang cocok di katalog induk untuk “${item}”.`,
    badId: (t) => `“${t}” bukan nomor permintaan (contoh: R12).`,
    notYours: 'Anda hanya dapat melihat permintaan Anda sendiri.',
    alreadyConfirmed: 'Konfirmasi itu sudah tidak berlaku: permintaannya sudah diajukan, dibatalkan, atau waktunya habis. Lihat /ill mine, atau minta judulnya lagi.',
  },
  placed: (i, t) => `Permintaan ${i} untuk “${t}” telah diajukan.`,
  alreadyPlaced: (i, t) => `Permintaan ${i} untuk “${t}” baru saja diajukan; saya tidak mengajukannya dua kali.`,
  placedForReview: (i, t) => `Permintaan ${i} untuk “${t}” sedang ditinjau perpustakaan Anda. Saya akan mengabari perkembangannya.`,
  duplicateReview: (i) => `Anda baru saja meminta judul ini, jadi permintaan ${i} ditinjau dulu oleh perpustakaan Anda.`,
  localReview: (i) => `Perpustakaan Anda sendiri punya eksemplar di rak; permintaan ${i} menunggu keputusan pustakawan.`,
  tookBestMatch: (t) => `Saya memakai judul yang paling cocok di katalog: “${t}”.`,
  event: (actor, a, i, to) => `${actor}: ${a} — permintaan ${i} sekarang ${to}.`,
  lineRequester: (r, s) => `Peminjam ${r}${s ? ` · pemberi pinjam ${s}` : ''}`,
  lineState: (st, sup) => `Status: ${st}${sup ? ` (pemberi pinjam: ${sup})` : ''}`,
  lineNeedBy: (d) => `Dibutuhkan sebelum ${d}`,
  lineDue: (d) => `Harus kembali ${d}`,
  lineCondition: (c) => `Syarat pemberi pinjam: ${c}`,
  lineNote: (n) => `Catatan: ${n}`,
  linePatron: (n) => `Untuk pemustaka ${n}`,
  unfilledOffer: (w) => `Anda dapat mengajukan lagi nanti${w ? ` dengan /ill request ${w}` : ''}.`,
  reminderLender: (i, d) => `Pengingat: permintaan ${i} menunggu jawaban Anda; pada ${d} akan diteruskan ke perpustakaan berikutnya.`,
  dueReminder: (i, t, d) => `Pengingat: “${t}” (permintaan ${i}) harus dikembalikan pada ${d}.`,
  overdue: (i, t, d) => `“${t}” (permintaan ${i}) seharusnya kembali pada ${d} dan kini terlambat.`,
  mineHeader: 'Permintaan Anda',
  queueHeader: (l) => `Permintaan terbuka ${l}`,
  nothingOpen: 'Tidak ada.',
  whyHeader: (i) => `Alasan rute permintaan ${i}:`,
  chosen: {
    available: 'punya eksemplar di rak', 'on-loan': 'semua eksemplar sedang dipinjam', 'status-unknown': 'memiliki; ketersediaan tidak diketahui',
    'no-item-information': 'memiliki; tanpa rincian eksemplar', 'last-resort': 'pemberi pinjam terakhir', partner: 'mitra di luar konsorsium (ISO 18626)', 'asked-by-partner': 'diminta langsung oleh mitra (ISO 18626)',
  },
  skipped: {
    requester: 'perpustakaan peminjam sendiri', 'does-not-lend': 'tidak meminjamkan', 'closed-today': 'tutup hari ini',
    'library-use-only': 'hanya baca di tempat', missing: 'eksemplarnya hilang atau ditarik',
  },
  rotaStatus: { pending: 'menunggu giliran', selected: 'sedang ditanya', skipped: 'dilewati', declined: 'menolak', timeout: 'tidak menjawab tepat waktu', cancelled: 'dibatalkan', supplied: 'memenuhi' },
  load: (l, b, q) => `meminjamkan ${l}, meminjam ${b}, ${q} antre`,
  statsHeader: 'Pinjam antarperpustakaan per perpustakaan (diajukan · terpenuhi · tingkat · median hari sampai diterima · meminjamkan/meminjam · antrean):',
  statsLine: (lib, s) => `${lib}: ${s.placed} diajukan · ${s.filled} terpenuhi · ${s.rate} · ${s.median} · meminjamkan ${s.lent}/meminjam ${s.borrowed} · ${s.open} antre`,
  historyHeader: 'Riwayat:',
  endedTurn: (id, t, r) => `Permintaan ${id} untuk “${t}” dari ${r} tidak lagi di perpustakaan Anda. Bagian Anda:`,
  system: 'Jala',
  patronWord: 'pemustaka',
};

export function illPhrases(lang: Language): IllPhrases {
  return lang === 'id' ? id : en;
}
