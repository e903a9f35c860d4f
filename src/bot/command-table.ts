import type { Language } from '../answer/answer-types.ts';
import type { Role } from './bot-types.ts';

/** Text in both languages. */
export interface Bilingual {
  en: string;
  id: string;
}

export interface CommandArg {
  name: string;
  description: Bilingual;
  required: boolean;
  kind: 'text' | 'request-id' | 'date' | 'library';
  /** Discord autocompletes it from the catalog */
  autocomplete?: boolean;
}

export interface SubcommandSpec {
  name: string;
  description: Bilingual;
  args: CommandArg[];
  /** who may run it; absent = everyone */
  roles?: Role[];
}

/**
 * One chat command. Slack slash commands, the Slack app manifest, Discord application commands,
 * help texts and usage messages are all derived from this table.
 */
export interface CommandSpec {
  name: 'catalog' | 'ill' | 'reindex' | 'jala';
  description: Bilingual;
  /** arguments when the command has no subcommands */
  args: CommandArg[];
  subcommands: SubcommandSpec[];
  /** who may run it; absent = everyone */
  roles?: Role[];
}

const REQUEST_ID: CommandArg = { name: 'id', description: { en: 'request id, e.g. R12', id: 'nomor permintaan, mis. R12' }, required: true, kind: 'request-id' };
const DETAILS: CommandArg = { name: 'details', description: { en: 'reason, note, date or details', id: 'alasan, catatan, tanggal, atau rincian' }, required: false, kind: 'text' };

/** ILL actions on a request: `/ill <action> <id> [details]`. The state table decides who may use which, when. */
export const ILL_ACTIONS: ReadonlyArray<{ name: string; description: Bilingual }> = [
  { name: 'approve', description: { en: 'approve (a patron request, a renewal, a cancellation, conditions)', id: 'setujui (permintaan pemustaka, perpanjangan, pembatalan, syarat)' } },
  { name: 'reject', description: { en: 'reject with a reason', id: 'tolak dengan alasan' } },
  { name: 'fill', description: { en: 'fill from our own shelf (local review)', id: 'penuhi dari koleksi sendiri' } },
  { name: 'accept', description: { en: 'lender: will supply', id: 'pemberi pinjam: akan memenuhi' } },
  { name: 'decline', description: { en: 'lender: cannot supply (not-held, not-on-shelf, non-circulating, policy, poor-condition)', id: 'pemberi pinjam: tidak dapat memenuhi' } },
  { name: 'condition', description: { en: 'lender: supply on a condition or cost', id: 'pemberi pinjam: memenuhi dengan syarat atau biaya' } },
  { name: 'ship', description: { en: 'lender: shipped (optional due date YYYY-MM-DD)', id: 'pemberi pinjam: dikirim (tanggal kembali opsional)' } },
  { name: 'receive', description: { en: 'borrower: received', id: 'peminjam: diterima' } },
  { name: 'return', description: { en: 'borrower: shipped back', id: 'peminjam: dikirim kembali' } },
  { name: 'checkin', description: { en: 'lender: returned copy checked in', id: 'pemberi pinjam: eksemplar sudah kembali' } },
  { name: 'renew', description: { en: 'ask for a renewal', id: 'minta perpanjangan' } },
  { name: 'cancel', description: { en: 'cancel the request', id: 'batalkan permintaan' } },
  { name: 'recall', description: { en: 'lender: recall the loan', id: 'pemberi pinjam: tarik kembali pinjaman' } },
  { name: 'lost', description: { en: 'borrower: the copy is lost', id: 'peminjam: eksemplar hilang' } },
  { name: 'note', description: { en: 'add a note to the request', id: 'tambahkan catatan' } },
  { name: 'close', description: { en: 'admin: close manually with an outcome', id: 'admin: tutup manual dengan hasil' } },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'catalog',
    description: { en: 'Search the union catalog', id: 'Cari di katalog induk' },
    args: [{ name: 'question', description: { en: 'title, author, ISBN or a question', id: 'judul, pengarang, ISBN, atau pertanyaan' }, required: true, kind: 'text', autocomplete: true }],
    subcommands: [],
  },
  {
    name: 'ill',
    description: { en: 'Interlibrary loan', id: 'Pinjam antarperpustakaan' },
    args: [],
    subcommands: [
      {
        name: 'request',
        description: { en: 'request a work: work id, ISBN or title words [need-by:YYYY-MM-DD] [note:…]', id: 'ajukan permintaan: id karya, ISBN, atau judul [need-by:YYYY-MM-DD] [note:…]' },
        args: [
          { name: 'item', description: { en: 'work id, ISBN or title words', id: 'id karya, ISBN, atau judul' }, required: true, kind: 'text', autocomplete: true },
          { name: 'need-by', description: { en: 'needed by (YYYY-MM-DD)', id: 'dibutuhkan sebelum (YYYY-MM-DD)' }, required: false, kind: 'date' },
          { name: 'note', description: { en: 'note for the libraries', id: 'catatan untuk perpustakaan' }, required: false, kind: 'text' },
        ],
      },
      { name: 'status', description: { en: 'a request and its history', id: 'status dan riwayat permintaan' }, args: [REQUEST_ID] },
      { name: 'mine', description: { en: 'my requests', id: 'permintaan saya' }, args: [] },
      { name: 'queue', description: { en: "my library's open requests", id: 'permintaan terbuka perpustakaan saya' }, args: [], roles: ['librarian', 'admin'] },
      { name: 'why', description: { en: 'why each lender was chosen or skipped', id: 'alasan pemilihan pemberi pinjam' }, args: [REQUEST_ID] },
      { name: 'stats', description: { en: 'ILL statistics per library', id: 'statistik pinjam antarperpustakaan' }, args: [] },
      ...ILL_ACTIONS.map((a) => ({ name: a.name, description: a.description, args: [REQUEST_ID, DETAILS] })),
    ],
  },
  {
    name: 'reindex',
    description: {
      en: 'Admin: harvest the configured sources (files, OAI-PMH) in the background and swap in the new index',
      id: 'Admin: panen sumber yang dikonfigurasi (berkas, OAI-PMH) di latar belakang lalu ganti indeks',
    },
    args: [
      { name: 'library', description: { en: 'only this library (default: all)', id: 'hanya perpustakaan ini (bawaan: semua)' }, required: false, kind: 'library' },
      {
        name: 'mode',
        description: { en: '"full" to harvest everything again and rebuild the index (default: only changes)', id: '"full" untuk memanen ulang semuanya dan membangun ulang indeks (bawaan: hanya perubahan)' },
        required: false,
        kind: 'text',
      },
    ],
    subcommands: [],
    roles: ['admin'],
  },
  {
    name: 'jala',
    description: { en: 'Jala: help, statistics, settings, FAQ, reports', id: 'Jala: bantuan, statistik, pengaturan, FAQ, laporan' },
    args: [],
    subcommands: [
      { name: 'help', description: { en: 'what Jala can do', id: 'apa yang bisa dilakukan Jala' }, args: [] },
      { name: 'stats', description: { en: 'union catalog statistics', id: 'statistik katalog induk' }, args: [] },
      { name: 'settings', description: { en: 'your library and role as Jala sees them', id: 'perpustakaan dan peran Anda menurut Jala' }, args: [] },
      {
        name: 'faq',
        description: { en: 'the FAQ: list, or add|edit|remove (librarians)', id: 'FAQ: daftar, atau add|edit|remove (pustakawan)' },
        args: [{ name: 'details', description: { en: 'add [LIB:] question | answer · edit ID question | answer · remove ID', id: 'add [KODE:] pertanyaan | jawaban · edit ID … · remove ID' }, required: false, kind: 'text' }],
      },
      {
        name: 'quality',
        description: { en: 'bibliographic-control report: invalid ISBNs, missing 245/001, repaired encodings, borderline duplicates', id: 'laporan kendali bibliografis: ISBN tidak sah, tanpa 245/001, pengodean diperbaiki, duplikat meragukan' },
        args: [{ name: 'library', description: { en: 'only this library (default: all)', id: 'hanya perpustakaan ini (bawaan: semua)' }, required: false, kind: 'library' }],
        roles: ['librarian', 'admin'],
      },
      {
        name: 'overlap',
        description: { en: 'coordinated acquisition: works two libraries share and hold alone, per format and subject', id: 'pengadaan terkoordinasi: karya yang dimiliki bersama dan sendiri oleh dua perpustakaan' },
        args: [
          { name: 'library1', description: { en: 'first library', id: 'perpustakaan pertama' }, required: true, kind: 'library' },
          { name: 'library2', description: { en: 'second library', id: 'perpustakaan kedua' }, required: true, kind: 'library' },
        ],
        roles: ['librarian', 'admin'],
      },
      {
        name: 'unique',
        description: { en: 'works only this library holds (last copies in the consortium), per format and subject', id: 'karya yang hanya dimiliki perpustakaan ini (eksemplar terakhir di konsorsium)' },
        args: [{ name: 'library', description: { en: 'the library', id: 'perpustakaan' }, required: true, kind: 'library' }],
        roles: ['librarian', 'admin'],
      },
      {
        name: 'export',
        description: { en: 'the MARC record of a work or record as a file, for copy cataloguing', id: 'cantuman MARC sebuah karya atau cantuman sebagai berkas, untuk salin katalog' },
        args: [{ name: 'id', description: { en: 'work id (w42) or record id (UGM.12345)', id: 'id karya (w42) atau id cantuman (UGM.12345)' }, required: true, kind: 'text' }],
        roles: ['librarian', 'admin'],
      },
    ],
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** "/ill ship <id> [details]" — the usage line of a command or subcommand, in a language. */
export function usageOf(command: CommandSpec, sub: SubcommandSpec | undefined, lang: Language): string {
  const args = (sub ? sub.args : command.args).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ');
  if (sub) return `/${command.name} ${sub.name}${args ? ` ${args}` : ''} — ${sub.description[lang]}`;
  if (command.subcommands.length > 0) return `/${command.name} <${command.subcommands.map((s) => s.name).join(' | ')}> — ${command.description[lang]}`;
  return `/${command.name}${args ? ` ${args}` : ''} — ${command.description[lang]}`;
}

/** Every usage line of a command, for help and for "bad arguments" replies. */
export function fullUsage(command: CommandSpec, lang: Language): string[] {
  if (command.subcommands.length === 0) return [usageOf(command, undefined, lang)];
  return command.subcommands.map((s) => usageOf(command, s, lang));
}
