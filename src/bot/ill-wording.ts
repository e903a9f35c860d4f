import type { Language } from '../answer/answer-types.ts';

/**
 * Interlibrary loan as librarians say it, in English and Bahasa Indonesia: the states of a request,
 * the lender's side, what was just done, the buttons, and the reasons a lender gives. Tables a
 * translator can read and correct; the keys of both languages are compared by a test. No internal
 * code (NEW, WILL_SUPPLY, ON_LOAN, NotAvailableForILL) is ever shown: these are what people read.
 */
export interface IllWording {
  /** the request's state, as a line of its card: "sent to the lending library — waiting for its answer" */
  state: Record<string, string>;
  /** the current lender's side of it */
  supplierState: Record<string, string>;
  /** what someone just did, as the start of a sentence with its subject before it: "UGM approved request R6" */
  done: Record<string, (id: string) => string>;
  /** what was done in a pending state (a cancellation, a renewal, the lender's conditions) */
  doneOnPending: Record<string, Record<string, (id: string) => string>>;
  /** button labels: what pressing does */
  button: Record<string, string>;
  /** button labels that depend on the state: deciding on a cancellation, a renewal, conditions */
  buttonInState: Record<string, Record<string, string>>;
  /** the reasons a lender gives for not supplying (ISO 18626 reasonUnfilled) */
  declineReason: Record<string, string>;
  /** "UGM approved request R6. Now: sent to the lending library — waiting for its answer." */
  event(who: string, did: string, state: string): string;
  /** the lender's decision and the librarian's own words, for /ill why */
  decided(reason: string | undefined, words: string | undefined): string;
}

const en: IllWording = {
  state: {
    NEW: 'waiting for the borrowing library to review it',
    DUPLICATE_REVIEW: 'asked for recently — waiting for the borrowing library to review it',
    LOCAL_REVIEW: 'a copy is on the borrowing library’s own shelf — waiting for its decision',
    SOURCING: 'looking for a library to lend it',
    SENT: 'sent to the lending library — waiting for its answer',
    CONDITION_PENDING: 'the lending library set conditions — waiting for the borrowing library',
    WILL_SUPPLY: 'the lending library will lend it',
    CANCEL_PENDING: 'cancellation asked — waiting for the lending library',
    SHIPPED: 'shipped by the lending library',
    RECEIVED: 'received by the borrowing library — on loan',
    RENEW_PENDING: 'renewal asked — waiting for the lending library',
    OVERDUE: 'overdue',
    RECALLED: 'recalled by the lending library',
    RETURN_SHIPPED: 'sent back to the lending library',
    COMPLETED: 'returned — finished',
    COMPLETED_WITHOUT_RETURN: 'finished without a return (lost)',
    CANCELLED: 'cancelled',
    UNFILLED: 'no library could lend it',
    FILLED_LOCALLY: 'served from the borrowing library’s own collection',
    CLOSED_MANUALLY: 'closed by an administrator',
  },
  supplierState: {
    NEW: 'not answered yet',
    WILL_SUPPLY: 'will lend it',
    CONDITION_PENDING: 'waiting for its conditions to be accepted',
    CANCEL_REQUESTED: 'asked to agree to a cancellation',
    SHIPPED: 'shipped',
    ON_LOAN: 'on loan to the borrowing library',
    OVERDUE: 'overdue',
    RECALLED: 'recalled',
    RENEW_REQUESTED: 'asked for a renewal',
    RETURN_SHIPPED: 'on its way back',
    COMPLETED: 'back on its shelf',
    COMPLETED_WITHOUT_RETURN: 'not coming back (lost)',
    UNFILLED: 'did not lend it',
    CANCELLED: 'cancelled',
    CLOSED_MANUALLY: 'closed',
  },
  done: {
    place: (id) => `placed request ${id}`,
    route: (id) => `sent request ${id} to the lending library`,
    approve: (id) => `approved request ${id}`,
    reject: (id) => `turned down request ${id}`,
    fill: (id) => `served request ${id} from its own collection`,
    accept: (id) => `agreed to lend for request ${id}`,
    decline: (id) => `cannot lend for request ${id}`,
    condition: (id) => `set conditions on request ${id}`,
    ship: (id) => `shipped the book for request ${id}`,
    receive: (id) => `received the book for request ${id}`,
    return: (id) => `sent the book of request ${id} back`,
    checkin: (id) => `has the book of request ${id} back`,
    renew: (id) => `asked to renew request ${id}`,
    cancel: (id) => `cancelled request ${id}`,
    recall: (id) => `recalled the book of request ${id}`,
    lost: (id) => `reported the book of request ${id} lost`,
    note: (id) => `added a note to request ${id}`,
    close: (id) => `closed request ${id}`,
    timeout: (id) => `got no answer in time on request ${id}`,
    overdue: (id) => `marked request ${id} overdue`,
  },
  doneOnPending: {
    CANCEL_PENDING: { approve: (id) => `agreed to cancel request ${id}`, reject: (id) => `refused to cancel request ${id}; it goes on` },
    RENEW_PENDING: { approve: (id) => `renewed the loan of request ${id}`, reject: (id) => `refused to renew request ${id}` },
    CONDITION_PENDING: { approve: (id) => `accepted the lender’s conditions for request ${id}`, reject: (id) => `refused the lender’s conditions for request ${id}` },
    LOCAL_REVIEW: { approve: (id) => `chose to borrow request ${id} from another library` },
    SENT: { cancel: (id) => `asked the lending library to cancel request ${id}` },
    WILL_SUPPLY: { cancel: (id) => `asked the lending library to cancel request ${id}` },
  },
  button: {
    approve: 'Approve', reject: 'Turn down', fill: 'Serve from own collection', accept: 'Will lend', decline: 'Cannot lend', condition: 'Set conditions',
    ship: 'Mark shipped', receive: 'Mark received', return: 'Mark sent back', checkin: 'Mark checked in', renew: 'Ask to renew', cancel: 'Cancel request',
    recall: 'Recall', lost: 'Report lost', note: 'Add note', close: 'Close',
  },
  buttonInState: {
    CANCEL_PENDING: { approve: 'Agree to cancel', reject: 'Refuse cancellation' },
    RENEW_PENDING: { approve: 'Approve renewal', reject: 'Refuse renewal' },
    CONDITION_PENDING: { approve: 'Accept conditions', reject: 'Refuse conditions' },
    LOCAL_REVIEW: { approve: 'Borrow from another library anyway' },
    SENT: { cancel: 'Ask to cancel' },
    WILL_SUPPLY: { cancel: 'Ask to cancel' },
  },
  declineReason: {
    NotHeld: 'not held', NotOnShelf: 'not on the shelf', NonCirculating: 'not for loan', PolicyProblem: 'its lending policy',
    PoorCondition: 'the copy is in poor condition', Duplicate: 'a duplicate request', NotAvailableForILL: 'not available for interlibrary loan',
  },
  event: (who, did, state) => `${who} ${did}. Now: ${state}.`,
  decided: (reason, words) => `${reason ?? 'no reason given'}${words ? ` — “${words}”` : ''}`,
};

const id: IllWording = {
  state: {
    NEW: 'menunggu ditinjau perpustakaan peminjam',
    DUPLICATE_REVIEW: 'baru-baru ini sudah diminta — menunggu ditinjau perpustakaan peminjam',
    LOCAL_REVIEW: 'ada eksemplar di rak perpustakaan peminjam sendiri — menunggu keputusannya',
    SOURCING: 'mencari perpustakaan yang dapat meminjamkan',
    SENT: 'dikirim ke perpustakaan pemberi pinjam — menunggu jawabannya',
    CONDITION_PENDING: 'pemberi pinjam mengajukan syarat — menunggu perpustakaan peminjam',
    WILL_SUPPLY: 'pemberi pinjam bersedia meminjamkan',
    CANCEL_PENDING: 'pembatalan diminta — menunggu pemberi pinjam',
    SHIPPED: 'sudah dikirim oleh pemberi pinjam',
    RECEIVED: 'sudah diterima perpustakaan peminjam — sedang dipinjam',
    RENEW_PENDING: 'perpanjangan diminta — menunggu pemberi pinjam',
    OVERDUE: 'terlambat dikembalikan',
    RECALLED: 'diminta kembali oleh pemberi pinjam',
    RETURN_SHIPPED: 'dalam perjalanan kembali ke pemberi pinjam',
    COMPLETED: 'sudah dikembalikan — selesai',
    COMPLETED_WITHOUT_RETURN: 'selesai tanpa pengembalian (hilang)',
    CANCELLED: 'dibatalkan',
    UNFILLED: 'tidak ada perpustakaan yang dapat meminjamkan',
    FILLED_LOCALLY: 'dilayani dari koleksi perpustakaan peminjam sendiri',
    CLOSED_MANUALLY: 'ditutup oleh admin',
  },
  supplierState: {
    NEW: 'belum dijawab',
    WILL_SUPPLY: 'bersedia meminjamkan',
    CONDITION_PENDING: 'menunggu syaratnya diterima',
    CANCEL_REQUESTED: 'diminta menyetujui pembatalan',
    SHIPPED: 'sudah dikirim',
    ON_LOAN: 'sedang dipinjam perpustakaan peminjam',
    OVERDUE: 'terlambat dikembalikan',
    RECALLED: 'diminta kembali',
    RENEW_REQUESTED: 'diminta perpanjangan',
    RETURN_SHIPPED: 'dalam perjalanan kembali',
    COMPLETED: 'sudah kembali di rak',
    COMPLETED_WITHOUT_RETURN: 'tidak kembali (hilang)',
    UNFILLED: 'tidak meminjamkan',
    CANCELLED: 'dibatalkan',
    CLOSED_MANUALLY: 'ditutup',
  },
  done: {
    place: (i) => `mengajukan permintaan ${i}`,
    route: (i) => `meneruskan permintaan ${i} ke perpustakaan pemberi pinjam`,
    approve: (i) => `menyetujui permintaan ${i}`,
    reject: (i) => `menolak permintaan ${i}`,
    fill: (i) => `melayani permintaan ${i} dari koleksi sendiri`,
    accept: (i) => `bersedia meminjamkan untuk permintaan ${i}`,
    decline: (i) => `tidak dapat meminjamkan untuk permintaan ${i}`,
    condition: (i) => `mengajukan syarat untuk permintaan ${i}`,
    ship: (i) => `mengirim buku untuk permintaan ${i}`,
    receive: (i) => `menerima buku untuk permintaan ${i}`,
    return: (i) => `mengirim kembali buku permintaan ${i}`,
    checkin: (i) => `sudah menerima kembali buku permintaan ${i}`,
    renew: (i) => `meminta perpanjangan untuk permintaan ${i}`,
    cancel: (i) => `membatalkan permintaan ${i}`,
    recall: (i) => `meminta kembali buku permintaan ${i}`,
    lost: (i) => `melaporkan buku permintaan ${i} hilang`,
    note: (i) => `menambahkan catatan pada permintaan ${i}`,
    close: (i) => `menutup permintaan ${i}`,
    timeout: (i) => `tidak mendapat jawaban tepat waktu untuk permintaan ${i}`,
    overdue: (i) => `mencatat permintaan ${i} terlambat`,
  },
  doneOnPending: {
    CANCEL_PENDING: { approve: (i) => `menyetujui pembatalan permintaan ${i}`, reject: (i) => `menolak pembatalan permintaan ${i}; permintaan berlanjut` },
    RENEW_PENDING: { approve: (i) => `memperpanjang pinjaman permintaan ${i}`, reject: (i) => `menolak perpanjangan permintaan ${i}` },
    CONDITION_PENDING: { approve: (i) => `menerima syarat pemberi pinjam untuk permintaan ${i}`, reject: (i) => `menolak syarat pemberi pinjam untuk permintaan ${i}` },
    LOCAL_REVIEW: { approve: (i) => `memilih meminjam permintaan ${i} dari perpustakaan lain` },
    SENT: { cancel: (i) => `meminta pemberi pinjam membatalkan permintaan ${i}` },
    WILL_SUPPLY: { cancel: (i) => `meminta pemberi pinjam membatalkan permintaan ${i}` },
  },
  button: {
    approve: 'Setujui', reject: 'Tolak', fill: 'Layani dari koleksi sendiri', accept: 'Bersedia meminjamkan', decline: 'Tidak dapat meminjamkan', condition: 'Ajukan syarat',
    ship: 'Tandai sudah dikirim', receive: 'Tandai sudah diterima', return: 'Tandai dikirim kembali', checkin: 'Tandai sudah kembali', renew: 'Minta perpanjangan', cancel: 'Batalkan permintaan',
    recall: 'Minta kembali', lost: 'Laporkan hilang', note: 'Tambah catatan', close: 'Tutup',
  },
  buttonInState: {
    CANCEL_PENDING: { approve: 'Setujui pembatalan', reject: 'Tolak pembatalan' },
    RENEW_PENDING: { approve: 'Setujui perpanjangan', reject: 'Tolak perpanjangan' },
    CONDITION_PENDING: { approve: 'Terima syarat', reject: 'Tolak syarat' },
    LOCAL_REVIEW: { approve: 'Tetap pinjam dari perpustakaan lain' },
    SENT: { cancel: 'Minta pembatalan' },
    WILL_SUPPLY: { cancel: 'Minta pembatalan' },
  },
  declineReason: {
    NotHeld: 'tidak memiliki', NotOnShelf: 'tidak ada di rak', NonCirculating: 'tidak untuk dipinjamkan', PolicyProblem: 'kebijakan peminjaman',
    PoorCondition: 'kondisi eksemplar buruk', Duplicate: 'permintaan ganda', NotAvailableForILL: 'tidak tersedia untuk pinjam antarperpustakaan',
  },
  event: (who, did, state) => `${who} ${did}. Sekarang: ${state}.`,
  decided: (reason, words) => `${reason ?? 'tanpa alasan'}${words ? ` — “${words}”` : ''}`,
};

export function illWording(lang: Language): IllWording {
  return lang === 'id' ? id : en;
}

/** The label of an action's button in a state: "Agree to cancel" on a cancellation, else the action's own. */
export function buttonLabel(lang: Language, action: string, state: string): string {
  const w = illWording(lang);
  return w.buttonInState[state]?.[action] ?? w.button[action] ?? action;
}

/** What was done, in the state it was done in: "agreed to cancel request R6". */
export function doneWords(lang: Language, action: string, fromState: string, requestId: string): string {
  const w = illWording(lang);
  const f = w.doneOnPending[fromState]?.[action] ?? w.done[action];
  return f ? f(requestId) : requestId;
}

/** A stored decline note "NotOnShelf: copy is damaged" → the reason in words and the librarian's own. */
export function declineInWords(lang: Language, stored: string | null | undefined): { reason?: string; words?: string } {
  if (!stored) return {};
  const w = illWording(lang);
  const m = /^([A-Za-z]+)(?::\s*([\s\S]*))?$/.exec(stored.trim());
  const code = m?.[1];
  if (code && w.declineReason[code]) return { reason: w.declineReason[code], ...(m?.[2] ? { words: m[2] } : {}) };
  return { words: stored };
}
