import type { Answer, Language } from '../answer/answer-types.ts';
import type { ItemStatus } from '../catalog/record-document.ts';

/** Every sentence Jala says, in English and Bahasa Indonesia. Adapters render; they never word. */
interface Phrases {
  /** `estimated`: the total is the search index's rounded estimate (Answer.totalEstimated) */
  found(total: number, searched: string, estimated?: boolean): string;
  foundAt(total: number, searched: string, library: string): string;
  stepNote: Record<Exclude<Answer['step'], 'exact' | 'identifier' | 'none'>, (a: Answer) => string>;
  editionYearMissing(year: number): string;
  invalidIsbn(isbn: string): string;
  nothingFound(searched: string): string;
  didYouMean(s: string): string;
  status(status: ItemStatus, dueDate?: string): string;
  /** a material type in the reader's language ("Book" → "Buku") */
  format(format: string): string;
  /** 2026-12-15 → "15 Dec 2026" / "15 Des 2026" */
  date(iso: string): string;
  /** the copies of one library, counted by what a reader can do with them */
  copiesOnShelf(available: number, total: number): string;
  copies(total: number): string;
  countOnLoan(n: number, firstDue: string | undefined, all: boolean): string;
  countLibraryUse(n: number, all: boolean): string;
  countMissing(n: number, all: boolean): string;
  countUnknown(n: number, all: boolean): string;
  noItemInformation: string;
  holdersLine(n: number): string;
  availabilityYes(library: string): string;
  availabilityOnLoan(library: string, due?: string): string;
  availabilityLibraryUse(library: string): string;
  availabilityNotHeld(library: string): string;
  availabilityUnknown(library: string): string;
  availabilityMissing(library: string): string;
  availableAt(libraries: string): string;
  heldAt(libraries: string): string;
  more(shown: number, total: number, estimated?: boolean): string;
  requestHint(workId: string): string;
  online: string;
  help: string;
  greeting: string;
  thanks: string;
  empty: string;
  edition: string;
  apology: string;
  noMore: string;
  unknownAction: string;
  commandsHeader: string;
  usageHeader: string;
  unknownCommand(name: string): string;
  settings(role: string, library: string | undefined): string;
  faqEmpty: string;
  faqHeader: string;
  faqConsortium: string;
  faqForbidden: string;
  faqUsage: string;
  faqAdded(id: number): string;
  faqEdited(id: number): string;
  faqRemoved(id: number): string;
  faqNotFound(id: string): string;
  faqTooLong(questionMax: number, answerMax: number): string;
  faqMore(n: number): string;
  factAnswer(library: string, topic: string, text: string): string;
  openOn(library: string, day: number, times: string | undefined): string;
  closedOn(library: string, day: number): string;
  dayNotSaid(library: string, day: number): string;
  noLibraryInfo: string;
  /** `jala ask` only searches the catalog; a library question or "my requests" is answered in chat */
  askInChat: string;
  faqAnswer(answer: string, library: string | null): string;
  whichLibrary: string;
  whichWork: string;
  whichAuthor: string;
  readingListHeader(found: number, total: number): string;
  readingListFound(n: number, line: string, match: string, holders: string): string;
  readingListMissing(n: number, line: string): string;
  readingListOffer: string;
  readingListLinesCut(n: number, max: number): string;
  readingListItemsLeft(n: number, max: number): string;
  messageCut(max: number): string;
  nothingToRefer: string;
  slowDown: string;
  requestWhat(title: string, authors: string[], year: number | undefined, edition: string | undefined): string;
  requestGuessed: string;
  requestPreview(what: string): string;
  requestFrom(libraries: string[]): string;
  requestConfirm: string;
  requestButton(title: string): string;
  requestDropped: string;
  requestCancelButton: string;
  /** a shown request confirmed after its confirmation expired (minutes) */
  requestExpired(minutes: number): string;
  notRequestable(what: string): string;
  cannotLend(library: string, reason: 'does-not-lend' | 'library-use-only' | 'missing'): string;
  ownShelf(library: string, copies: ReadonlyArray<{ callNumber?: string; branch?: string; location?: string }>): string;
  ownHolds(library: string): string;
}

const what = (title: string, authors: string[], year: number | undefined, edition: string | undefined): string =>
  `“${title}”${authors.length > 0 ? ` — ${authors.join('; ')}` : ''}${year !== undefined ? ` (${year})` : ''}${edition ? `, ${edition}` : ''}`;

const shelfPlaces = (copies: ReadonlyArray<{ callNumber?: string; branch?: string; location?: string }>): string =>
  [...new Set(copies.map((c) => [c.callNumber, [c.branch, c.location].filter(Boolean).join(' / ')].filter(Boolean).join(', ')).filter((x) => x !== ''))].slice(0, 3).join('; ');

const en: Phrases = {
  found: (n, s, estimated) => (estimated ? `About ${count(n, 'en')} works found for “${s}”:` : n === 1 ? `1 work found for “${s}”:` : `${count(n, 'en')} works found for “${s}”:`),
  foundAt: (n, s, lib) => `${n === 1 ? '1 work' : `${count(n, 'en')} works`} found for “${s}” — looking at ${lib}:`,
  stepNote: {
    'all-fields': () => 'Nothing matched in that field, so I searched all fields.',
    fuzzy: () => 'No exact match; these are close spellings.',
    coverage: () => 'Nothing matched every word; these match most of them.',
    'without-filters': () => 'Nothing matched with your filters, so I dropped them.',
    suggestion: (a) => `No match for “${a.searched}”. Showing results for “${a.suggestion ?? ''}” instead.`,
    filters: () => 'Everything matching your filters, the most widely held first, then the newest.',
  },
  editionYearMissing: (year) => `No edition from ${year} is held; these are the other editions.`,
  invalidIsbn: (isbn) => `${isbn} is not a valid ISBN (its check digit is wrong), so I did not look it up.`,
  nothingFound: (s) => `Sorry, nothing in the union catalog matches “${s}”.`,
  didYouMean: (s) => `Did you mean “${s}”?`,
  format: (f) => FORMAT_EN[f] ?? f,
  date: (iso) => dateIn(iso, EN_MONTHS),
  copiesOnShelf: (a, n) => (n === 1 ? '1 copy, on the shelf' : a === n ? `all ${n} copies on the shelf` : `${a} of ${n} copies on the shelf`),
  copies: (n) => (n === 1 ? '1 copy' : `${n} copies`),
  countOnLoan: (n, due, all) => `${all ? 'on loan' : `${n} on loan`}${due ? (n > 1 ? `, the first back ${dateIn(due, EN_MONTHS)}` : ` until ${dateIn(due, EN_MONTHS)}`) : ''}`,
  countLibraryUse: (n, all) => (all ? 'for library use only' : `${n} for library use only`),
  countMissing: (n, all) => (all ? 'missing (lost or withdrawn)' : `${n} missing`),
  countUnknown: (n, all) => (all ? 'availability not known' : `${n} of unknown availability`),
  status: (st, due) =>
    ({
      available: 'available',
      'on-loan': due ? `on loan until ${dateIn(due, EN_MONTHS)}` : 'on loan',
      'library-use-only': 'library use only',
      lost: 'lost',
      withdrawn: 'withdrawn',
      unknown: 'status unknown',
    })[st],
  noItemInformation: 'held (no item details)',
  holdersLine: (n) => (n === 1 ? 'Held by 1 library:' : `Held by ${n} libraries:`),
  availabilityYes: (lib) => `Yes — ${lib} has a copy on the shelf.`,
  availabilityOnLoan: (lib, due) => `${lib} holds it, but every copy is on loan${due ? ` (the first is due back ${dateIn(due, EN_MONTHS)})` : ''}.`,
  availabilityLibraryUse: (lib) => `${lib} holds it for library use only (not for loan).`,
  availabilityNotHeld: (lib) => `${lib} does not hold it.`,
  availabilityUnknown: (lib) => `${lib} holds it; its catalog does not say whether a copy is free.`,
  availabilityMissing: (lib) => `${lib}'s copy is missing (lost or withdrawn).`,
  availableAt: (libs) => `On the shelf at: ${libs}.`,
  heldAt: (libs) => `Also held by: ${libs}.`,
  more: (shown, total, estimated) => `Showing ${shown} of ${estimated ? `about ${count(total, 'en')}` : total}. Say “more” for the next page.`,
  requestHint: (id) => `Not on your shelf? Request it via interlibrary loan: /ill request ${id}`,
  online: 'Online',
  help: [
    'Ask me about books and other items in the consortium, in English or Bahasa Indonesia:',
    '  • a title or keywords: “laskar pelangi”, “do you have Bumi Manusia?”',
    '  • an author: “books by Pramoedya Ananta Toer”',
    '  • an ISBN or ISSN: “ISBN 978-979-3062-79-2”',
    '  • who holds it: “which libraries have Negeri 5 Menara?”, “is Laskar Pelangi available at UGM?”',
    '  • a reading list: paste one title per line',
    '  • librarian syntax: title: author: subject: isbn: year:2000-2010 lang:ind lib:CODE format:book available',
    'Say “more” for the next page; “the second one”, “who has it?”, “request it” refer to the last results.',
    'Library questions: “is UGM open on Saturday?”, “can I visit USU as a UI student?”, borrowing rules, and the FAQ librarians keep.',
    'Interlibrary loan (a book your library does not have on its shelf):',
    '  • patrons: “request Saman” or /ill request <title or work id> — I show what would be requested and from where, you confirm;',
    '    /ill mine lists your requests, /ill status R12 shows one, /ill cancel R12 withdraws it, /ill renew R12 asks for more time',
    '  • librarians: /ill queue, then /ill approve | reject | fill | accept | decline | ship | receive | return | checkin R12; /ill why R12 shows where it went',
    '/catalog <question> · /jala help · /jala stats · /jala settings · /jala faq (librarians: faq add/edit/remove, quality, overlap, unique, export)',
  ].join('\n'),
  greeting: 'Hello! I am Jala, the consortium’s catalog assistant. Ask me for a title, an author or an ISBN.',
  thanks: 'You’re welcome! Happy reading.',
  empty: 'Ask me for a title, an author or an ISBN — or say “help”.',
  edition: 'ed.',
  apology: 'Sorry, something went wrong on my side. Please try again in a moment.',
  noMore: 'There are no more results. Ask me something else!',
  unknownAction: 'That button no longer does anything here.',
  commandsHeader: 'Commands:',
  usageHeader: 'Usage:',
  unknownCommand: (name) => `I don't know the command /${name}. These are mine:`,
  settings: (role, library) => `You are a ${role}${library ? ` of ${library}` : ' (no library set)'}.`,
  faqEmpty: 'The FAQ is empty. Librarians add entries with /jala faq add question | answer',
  faqHeader: 'FAQ:',
  faqConsortium: 'consortium',
  faqForbidden: 'Only librarians can change the FAQ, and only their own library\'s entries (admins: any).',
  faqUsage: 'Usage: /jala faq · /jala faq add [LIB: or *:] question | answer · /jala faq edit ID question | answer · /jala faq remove ID',
  faqAdded: (id) => `FAQ entry #${id} added.`,
  faqEdited: (id) => `FAQ entry #${id} updated.`,
  faqRemoved: (id) => `FAQ entry #${id} removed.`,
  faqNotFound: (id) => `There is no FAQ entry ${id}.`,
  faqTooLong: (q, a) => `That FAQ entry is too long: a question may have at most ${q} characters and an answer at most ${a}. Nothing was saved.`,
  faqMore: (n) => `… and ${n} more.`,
  factAnswer: (lib, topic, text) => `${text}\n(Source: ${lib}, “${topic}” in the consortium's library information.)`,
  openOn: (lib, day, times) => `Yes — ${lib} is open on ${EN_DAYS[day]}${times ? `, ${times}` : ''}.`,
  closedOn: (lib, day) => `No — ${lib} is closed on ${EN_DAYS[day]}.`,
  dayNotSaid: (lib, day) => `${lib}'s hours do not say anything about ${EN_DAYS[day]}; these are its hours:`,
  noLibraryInfo: 'I have no information about that in the libraries\' details. A librarian can add it to the FAQ (/jala faq add).',
  askInChat: 'That is a question for the chat, not a catalog search: ask it in `jala chat` (or `jala say`), where library hours, the FAQ and your requests (/ill mine) are answered.',
  faqAnswer: (answer, lib) => `${answer}\n(Source: the ${lib ? `${lib} ` : 'consortium '}FAQ kept by librarians.)`,
  whichLibrary: 'Which library do you mean?',
  whichWork: 'Several works carry that title. Which one do you mean?',
  whichAuthor: 'That name fits several authors. Which one do you mean?',
  readingListHeader: (found, total) => `Reading list: ${found} of ${total} found in the consortium.`,
  readingListFound: (n, line, match, holders) => `${n}. ${line}\n   → ${match} — ${holders}`,
  readingListMissing: (n, line) => `${n}. ${line}\n   ✗ not held by any member library`,
  readingListOffer: 'Items that are not on your shelf can be requested through interlibrary loan:',
  readingListLinesCut: (n, max) => `${n === 1 ? 'One line was' : `${n} lines were`} longer than ${max.toLocaleString('en')} characters; I read the first ${max.toLocaleString('en')}.`,
  readingListItemsLeft: (n, max) => `I answer at most ${max} items at once; ${n} more ${n === 1 ? 'was' : 'were'} left out — send them in another message.`,
  messageCut: (max) => `Your message was long, so I read only its first ${max.toLocaleString('en')} characters.`,
  nothingToRefer: 'I am not sure which title you mean — ask me for it first.',
  slowDown: 'You are asking faster than I can keep up with. Please wait a minute and ask again.',
  requestWhat: what,
  requestGuessed: 'This is the closest match in the catalog — please check it is the book you mean.',
  requestPreview: (w) => `You are about to request through interlibrary loan: ${w}.`,
  requestFrom: (libs) => (libs.length === 0 ? 'No library can be asked today; it will be asked on its next opening day.' : `It would come from ${libs[0]}${libs.length > 1 ? `, or else ${libs.slice(1).join(', ')}` : ''}. Your library reviews the request first.`),
  requestConfirm: 'Shall I place the request? Say “yes” or “no”, or press a button.',
  requestButton: (t) => `Yes, request “${t}”`,
  requestDropped: 'All right, I have not placed the request.',
  requestCancelButton: 'No, cancel',
  requestExpired: (m) => `That confirmation expired (they last ${m} minutes), so I placed nothing. Ask for the title again and I will show it once more.`,
  notRequestable: (w) => `${w} cannot be borrowed through interlibrary loan: no member library that lends has a copy it can lend.`,
  cannotLend: (lib, reason) =>
    ({
      'does-not-lend': `${lib} holds it but does not lend to other libraries.`,
      'library-use-only': `${lib}'s copies are for library use only.`,
      missing: `${lib}'s copies are missing (lost or withdrawn).`,
    })[reason],
  ownShelf: (lib, copies) => `Your own library, ${lib}, has it on the shelf${copies.length > 0 && shelfPlaces(copies) ? `: ${shelfPlaces(copies)}` : ''} — you can borrow it there without a request.`,
  ownHolds: (lib) => `Your own library, ${lib}, holds it: ask at the desk.`,
};

const id: Phrases = {
  found: (n, s, estimated) => `${estimated ? 'Sekitar ' : ''}${count(n, 'id')} karya ditemukan untuk “${s}”:`,
  foundAt: (n, s, lib) => `${count(n, 'id')} karya ditemukan untuk “${s}” — dilihat di ${lib}:`,
  stepNote: {
    'all-fields': () => 'Tidak ada yang cocok di ruas itu, jadi saya mencari di semua ruas.',
    fuzzy: () => 'Tidak ada yang persis cocok; ini ejaan yang mirip.',
    coverage: () => 'Tidak ada yang cocok dengan semua kata; ini yang cocok dengan sebagian besar kata.',
    'without-filters': () => 'Tidak ada yang cocok dengan filter Anda, jadi filter saya abaikan.',
    suggestion: (a) => `Tidak ada hasil untuk “${a.searched}”. Menampilkan hasil untuk “${a.suggestion ?? ''}”.`,
    filters: () => 'Semua yang cocok dengan filter Anda, yang dimiliki paling banyak perpustakaan dulu, lalu yang terbaru.',
  },
  editionYearMissing: (year) => `Tidak ada edisi tahun ${year}; ini edisi-edisi lainnya.`,
  invalidIsbn: (isbn) => `${isbn} bukan ISBN yang sah (digit pemeriksanya salah), jadi tidak saya cari.`,
  nothingFound: (s) => `Maaf, tidak ada koleksi di katalog induk yang cocok dengan “${s}”.`,
  didYouMean: (s) => `Mungkin maksud Anda “${s}”?`,
  format: (f) => FORMAT_ID[f] ?? f,
  date: (iso) => dateIn(iso, ID_MONTHS),
  copiesOnShelf: (a, n) => (n === 1 ? '1 eksemplar, tersedia di rak' : a === n ? `${n} eksemplar, semuanya tersedia di rak` : `${a} dari ${n} eksemplar tersedia di rak`),
  copies: (n) => `${n} eksemplar`,
  countOnLoan: (n, due, all) => `${all ? 'sedang dipinjam' : `${n} dipinjam`}${due ? (n > 1 ? `, paling cepat kembali ${dateIn(due, ID_MONTHS)}` : ` sampai ${dateIn(due, ID_MONTHS)}`) : ''}`,
  countLibraryUse: (n, all) => (all ? 'hanya untuk dibaca di tempat' : `${n} hanya untuk dibaca di tempat`),
  countMissing: (n, all) => (all ? 'hilang atau ditarik' : `${n} hilang atau ditarik`),
  countUnknown: (n, all) => (all ? 'ketersediaannya tidak diketahui' : `${n} tidak diketahui ketersediaannya`),
  status: (st, due) =>
    ({
      available: 'tersedia',
      'on-loan': due ? `dipinjam sampai ${dateIn(due, ID_MONTHS)}` : 'sedang dipinjam',
      'library-use-only': 'hanya baca di tempat',
      lost: 'hilang',
      withdrawn: 'ditarik',
      unknown: 'status tidak diketahui',
    })[st],
  noItemInformation: 'dimiliki (tanpa rincian eksemplar)',
  holdersLine: (n) => `Dimiliki oleh ${n} perpustakaan:`,
  availabilityYes: (lib) => `Ya — ${lib} punya eksemplar yang tersedia di rak.`,
  availabilityOnLoan: (lib, due) => `${lib} memilikinya, tetapi semua eksemplar sedang dipinjam${due ? ` (paling cepat kembali ${dateIn(due, ID_MONTHS)})` : ''}.`,
  availabilityLibraryUse: (lib) => `${lib} memilikinya, tetapi hanya untuk dibaca di tempat.`,
  availabilityNotHeld: (lib) => `${lib} tidak memilikinya.`,
  availabilityUnknown: (lib) => `${lib} memilikinya; katalognya tidak menyebutkan apakah ada eksemplar yang tersedia.`,
  availabilityMissing: (lib) => `Eksemplar di ${lib} hilang atau sudah ditarik.`,
  availableAt: (libs) => `Tersedia di rak: ${libs}.`,
  heldAt: (libs) => `Juga dimiliki oleh: ${libs}.`,
  more: (shown, total, estimated) => `Menampilkan ${shown} dari ${estimated ? `sekitar ${count(total, 'id')}` : total}. Ketik “lagi” untuk halaman berikutnya.`,
  requestHint: (wid) => `Tidak tersedia di rak perpustakaan Anda? Ajukan pinjam antarperpustakaan: /ill request ${wid}`,
  online: 'Daring',
  help: [
    'Tanyakan buku dan koleksi lain di konsorsium, dalam Bahasa Indonesia atau Inggris:',
    '  • judul atau kata kunci: “laskar pelangi”, “apakah ada buku Bumi Manusia?”',
    '  • pengarang: “buku karangan Andrea Hirata”',
    '  • ISBN atau ISSN: “ISBN 978-979-3062-79-2”',
    '  • siapa yang punya: “siapa yang punya Negeri 5 Menara?”, “apakah Laskar Pelangi tersedia di UGM?”',
    '  • daftar bacaan: tempel satu judul per baris',
    '  • sintaks pustakawan: title: author: subject: isbn: year:2000-2010 lang:ind lib:KODE format:book available',
    'Ketik “lagi” untuk halaman berikutnya; “yang kedua”, “siapa yang punya?”, “pinjam bukunya” merujuk ke hasil terakhir.',
    'Pertanyaan tentang perpustakaan: “UGM buka hari Sabtu?”, “boleh berkunjung ke USU sebagai mahasiswa UI?”, aturan peminjaman, dan FAQ dari pustakawan.',
    'Pinjam antarperpustakaan (buku yang tidak tersedia di rak perpustakaan Anda):',
    '  • pemustaka: “pinjam buku Saman” atau /ill request <judul atau nomor karya> — saya tunjukkan apa yang akan diajukan dan dari mana, lalu Anda setujui;',
    '    /ill mine daftar permintaan Anda, /ill status R12 satu permintaan, /ill cancel R12 membatalkan, /ill renew R12 minta perpanjangan',
    '  • pustakawan: /ill queue, lalu /ill approve | reject | fill | accept | decline | ship | receive | return | checkin R12; /ill why R12 menjelaskan rutenya',
    '/catalog <pertanyaan> · /jala help · /jala stats · /jala settings · /jala faq (pustakawan: faq add/edit/remove, quality, overlap, unique, export)',
  ].join('\n'),
  greeting: 'Halo! Saya Jala, asisten katalog konsorsium. Tanyakan judul, pengarang, atau ISBN.',
  thanks: 'Sama-sama! Selamat membaca.',
  empty: 'Tanyakan judul, pengarang, atau ISBN — atau ketik “bantuan”.',
  edition: 'ed.',
  apology: 'Maaf, ada gangguan di sisi saya. Silakan coba lagi sebentar lagi.',
  noMore: 'Tidak ada hasil lagi. Silakan tanyakan hal lain!',
  unknownAction: 'Tombol itu sudah tidak berlaku di sini.',
  commandsHeader: 'Perintah:',
  usageHeader: 'Cara pakai:',
  unknownCommand: (name) => `Saya tidak mengenal perintah /${name}. Perintah saya:`,
  settings: (role, library) => `Anda ${role === 'patron' ? 'pemustaka' : role === 'librarian' ? 'pustakawan' : 'admin'}${library ? ` di ${library}` : ' (perpustakaan belum diatur)'}.`,
  faqEmpty: 'FAQ masih kosong. Pustakawan menambah entri dengan /jala faq add pertanyaan | jawaban',
  faqHeader: 'FAQ:',
  faqConsortium: 'konsorsium',
  faqForbidden: 'Hanya pustakawan yang dapat mengubah FAQ, dan hanya entri perpustakaannya sendiri (admin: semua).',
  faqUsage: 'Cara pakai: /jala faq · /jala faq add [KODE: atau *:] pertanyaan | jawaban · /jala faq edit ID pertanyaan | jawaban · /jala faq remove ID',
  faqAdded: (id) => `Entri FAQ #${id} ditambahkan.`,
  faqEdited: (id) => `Entri FAQ #${id} diperbarui.`,
  faqRemoved: (id) => `Entri FAQ #${id} dihapus.`,
  faqNotFound: (id) => `Tidak ada entri FAQ ${id}.`,
  faqTooLong: (q, a) => `Entri FAQ itu terlalu panjang: pertanyaan paling banyak ${q} karakter dan jawaban paling banyak ${a}. Tidak ada yang disimpan.`,
  faqMore: (n) => `… dan ${n} lagi.`,
  factAnswer: (lib, topic, text) => `${text}\n(Sumber: ${lib}, “${topic}” dalam informasi perpustakaan konsorsium.)`,
  openOn: (lib, day, times) => `Ya — ${lib} buka hari ${ID_DAYS[day]}${times ? `, ${times}` : ''}.`,
  closedOn: (lib, day) => `Tidak — ${lib} tutup hari ${ID_DAYS[day]}.`,
  dayNotSaid: (lib, day) => `Jam buka ${lib} tidak menyebut hari ${ID_DAYS[day]}; ini jam bukanya:`,
  noLibraryInfo: 'Saya tidak punya informasi itu dalam data perpustakaan. Pustakawan dapat menambahkannya ke FAQ (/jala faq add).',
  askInChat: 'Itu pertanyaan untuk obrolan, bukan pencarian katalog: tanyakan di `jala chat` (atau `jala say`), tempat jam buka perpustakaan, FAQ, dan permintaan Anda (/ill mine) dijawab.',
  faqAnswer: (answer, lib) => `${answer}\n(Sumber: FAQ ${lib ? `${lib}` : 'konsorsium'} yang dikelola pustakawan.)`,
  whichLibrary: 'Perpustakaan yang mana maksud Anda?',
  whichWork: 'Ada beberapa karya dengan judul itu. Yang mana maksud Anda?',
  whichAuthor: 'Nama itu cocok dengan beberapa pengarang. Yang mana maksud Anda?',
  readingListHeader: (found, total) => `Daftar bacaan: ${found} dari ${total} ditemukan di konsorsium.`,
  readingListFound: (n, line, match, holders) => `${n}. ${line}\n   → ${match} — ${holders}`,
  readingListMissing: (n, line) => `${n}. ${line}\n   ✗ tidak dimiliki perpustakaan anggota mana pun`,
  readingListOffer: 'Judul yang tidak ada di perpustakaan Anda dapat diajukan lewat pinjam antarperpustakaan:',
  readingListLinesCut: (n, max) => `${n} baris lebih panjang dari ${max.toLocaleString('id')} karakter; saya hanya membaca ${max.toLocaleString('id')} karakter pertamanya.`,
  readingListItemsLeft: (n, max) => `Saya menjawab paling banyak ${max} judul sekaligus; ${n} judul lainnya tidak dibaca — kirim dalam pesan berikutnya.`,
  messageCut: (max) => `Pesan Anda panjang, jadi saya hanya membaca ${max.toLocaleString('id')} karakter pertamanya.`,
  nothingToRefer: 'Saya belum tahu judul mana yang Anda maksud — tanyakan judulnya dulu.',
  slowDown: 'Pertanyaan Anda terlalu cepat untuk saya. Mohon tunggu sebentar, lalu tanyakan lagi.',
  requestWhat: what,
  requestGuessed: 'Ini judul yang paling cocok di katalog — mohon periksa apakah ini buku yang Anda maksud.',
  requestPreview: (w) => `Anda akan mengajukan pinjam antarperpustakaan untuk: ${w}.`,
  requestFrom: (libs) => (libs.length === 0 ? 'Hari ini tidak ada perpustakaan yang dapat ditanya; permintaan diteruskan pada hari buka berikutnya.' : `Buku akan dipinjam dari ${libs[0]}${libs.length > 1 ? `, atau bila tidak bisa dari ${libs.slice(1).join(', ')}` : ''}. Permintaan ditinjau dulu oleh perpustakaan Anda.`),
  requestConfirm: 'Ajukan sekarang? Jawab “ya” atau “tidak”, atau tekan tombolnya.',
  requestButton: (t) => `Ya, ajukan “${t}”`,
  requestDropped: 'Baik, permintaan tidak saya ajukan.',
  requestCancelButton: 'Tidak, batalkan',
  requestExpired: (m) => `Konfirmasi itu sudah kedaluwarsa (berlaku ${m} menit), jadi tidak ada yang saya ajukan. Minta judulnya lagi dan akan saya tunjukkan sekali lagi.`,
  notRequestable: (w) => `${w} tidak dapat dipinjam lewat pinjam antarperpustakaan: tidak ada perpustakaan anggota yang meminjamkan dan punya eksemplar yang boleh dipinjam.`,
  cannotLend: (lib, reason) =>
    ({
      'does-not-lend': `${lib} memilikinya, tetapi tidak meminjamkan ke perpustakaan lain.`,
      'library-use-only': `Eksemplar di ${lib} hanya untuk dibaca di tempat.`,
      missing: `Eksemplar di ${lib} hilang atau sudah ditarik.`,
    })[reason],
  ownShelf: (lib, copies) => `Perpustakaan Anda sendiri, ${lib}, punya eksemplar di rak${copies.length > 0 && shelfPlaces(copies) ? `: ${shelfPlaces(copies)}` : ''} — Anda bisa meminjamnya langsung di sana tanpa permintaan.`,
  ownHolds: (lib) => `Perpustakaan Anda sendiri, ${lib}, memilikinya: tanyakan di meja layanan.`,
};

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ID_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

/** "2026-12-15" → "15 Dec 2026"; anything that is not such a date is shown as it is. */
function dateIn(iso: string, months: readonly string[]): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const month = m ? months[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** The material types of the catalog (src/catalog/format-classifier.ts FORMATS) in each language. */
const FORMAT_EN: Record<string, string> = {
  Book: 'Book', eBook: 'E-book', Journal: 'Journal', Map: 'Map', 'Musical Score': 'Musical score', Video: 'Video', 'Sound Recording': 'Sound recording',
  'Music Recording': 'Music recording', Image: 'Image', 'Software/Data': 'Software or data', Manuscript: 'Manuscript', Thesis: 'Thesis', Kit: 'Kit', Other: 'Other',
};
const FORMAT_ID: Record<string, string> = {
  Book: 'Buku', eBook: 'Buku elektronik', Journal: 'Jurnal', Map: 'Peta', 'Musical Score': 'Partitur musik', Video: 'Video', 'Sound Recording': 'Rekaman suara',
  'Music Recording': 'Rekaman musik', Image: 'Gambar', 'Software/Data': 'Perangkat lunak atau data', Manuscript: 'Naskah', Thesis: 'Tesis atau skripsi', Kit: 'Kit', Other: 'Lainnya',
};

const EN_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ID_DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];

/** 1,008 / 1.008 */
function count(n: number, language: Language): string {
  return n.toLocaleString(language === 'id' ? 'id-ID' : 'en-US');
}

export function phrases(language: Language): Phrases {
  return language === 'id' ? id : en;
}
