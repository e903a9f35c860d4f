import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUESTION_LENGTH, createQuestionParser, parseQuestion, type LibraryRef, type ParsedQuestion, type QuestionKind } from './parse-question.ts';

const libraries: LibraryRef[] = [
  { code: 'UGM', name: 'Perpustakaan Universitas Gadjah Mada', aliases: ['Gadjah Mada', 'UGM Library'] },
  { code: 'UI', name: 'Perpustakaan Universitas Indonesia', aliases: ['Universitas Indonesia'] },
  { code: 'UINJKT', name: 'Perpustakaan UIN Syarif Hidayatullah Jakarta', aliases: ['UIN Jakarta', 'UIN'] },
  { code: 'UINSBY', name: 'Perpustakaan UIN Sunan Ampel Surabaya', aliases: ['UIN Surabaya', 'UIN'] },
  { code: 'FISIP', name: 'Perpustakaan FISIP UI', aliases: ['perpus FISIP'] },
];
const parse = createQuestionParser(libraries);

interface Case {
  q: string;
  kind: QuestionKind;
  lang: 'en' | 'id';
  text?: string;
  title?: string;
  author?: string;
  subject?: string;
  identifier?: ParsedQuestion['identifier'];
  filters?: ParsedQuestion['filters'];
  ambiguous?: string[][];
}

const cases: Case[] = [
  // --- search by title / keywords
  { q: 'laskar pelangi', kind: 'search', lang: 'id', text: 'laskar pelangi' },
  { q: 'do you have Bumi Manusia?', kind: 'search', lang: 'en', text: 'Bumi Manusia' },
  { q: 'apakah ada buku Laskar Pelangi?', kind: 'search', lang: 'id', text: 'Laskar Pelangi' },
  { q: 'ada buku Negeri 5 Menara?', kind: 'search', lang: 'id', text: 'Negeri 5 Menara' },
  { q: 'cari buku tentang perpustakaan digital', kind: 'search', lang: 'id', text: 'perpustakaan digital', subject: 'perpustakaan digital' },
  { q: 'is there anything on library cooperation', kind: 'search', lang: 'en', text: 'library cooperation', subject: 'library cooperation' },
  { q: 'saya mencari buku tentang sejarah Indonesia', kind: 'search', lang: 'id', text: 'sejarah Indonesia', subject: 'sejarah Indonesia' },
  { q: "I'm looking for a book called The Hobbit", kind: 'search', lang: 'en', text: 'The Hobbit', title: 'The Hobbit' },
  { q: 'Do you have any books about Javanese gamelan?', kind: 'search', lang: 'en', text: 'Javanese gamelan', subject: 'Javanese gamelan' },
  { q: 'tolong carikan buku Bumi Manusia', kind: 'search', lang: 'id', text: 'Bumi Manusia' },
  { q: 'can you find Laskar Pelangi please', kind: 'search', lang: 'en', text: 'Laskar Pelangi' },
  { q: 'help me find Ronggeng Dukuh Paruk', kind: 'search', lang: 'en', text: 'Ronggeng Dukuh Paruk' },
  { q: 'Halo kak, apakah ada buku Laskar Pelangi?', kind: 'search', lang: 'id', text: 'Laskar Pelangi' },
  { q: 'Hello, do you have Bumi Manusia?', kind: 'search', lang: 'en', text: 'Bumi Manusia' },
  { q: 'apakah ada buku "Dia adalah Kakakku"?', kind: 'search', lang: 'id', text: 'Dia adalah Kakakku', title: 'Dia adalah Kakakku' },
  { q: "I'm looking for 'The Hobbit'", kind: 'search', lang: 'en', text: 'The Hobbit', title: 'The Hobbit' },
  { q: '“Bumi Manusia”', kind: 'search', lang: 'id', text: 'Bumi Manusia', title: 'Bumi Manusia' },
  { q: 'Laskar Pelangi karya Andrea Hirata', kind: 'search', lang: 'id', text: 'Laskar Pelangi', title: 'Laskar Pelangi', author: 'Andrea Hirata' },
  { q: 'Laskar Pelangi by Andrea Hirata', kind: 'search', lang: 'en', text: 'Laskar Pelangi', title: 'Laskar Pelangi', author: 'Andrea Hirata' },
  { q: 'who wrote Laskar Pelangi?', kind: 'search', lang: 'en', text: 'Laskar Pelangi' },
  { q: 'siapa pengarang Bumi Manusia?', kind: 'search', lang: 'id', text: 'Bumi Manusia' },
  { q: 'Laskar Pelangi karya siapa?', kind: 'search', lang: 'id', text: 'Laskar Pelangi' },
  { q: 'what do you have on Javanese gamelan?', kind: 'search', lang: 'en', text: 'Javanese gamelan', subject: 'Javanese gamelan' },
  { q: 'cari judul Cantik Itu Luka', kind: 'search', lang: 'id', text: 'Cantik Itu Luka', title: 'Cantik Itu Luka' },
  { q: 'buku berjudul Pulang', kind: 'search', lang: 'id', text: 'Pulang', title: 'Pulang' },
  { q: 'ada gak buku Laskar Pelangi', kind: 'search', lang: 'id', text: 'Laskar Pelangi' },
  { q: 'Laskar Pelangi ada?', kind: 'search', lang: 'id', text: 'Laskar Pelangi' },
  { q: 'punya novel Cantik Itu Luka?', kind: 'search', lang: 'id', text: 'Cantik Itu Luka' },
  { q: 'APAKAH ADA BUKU LASKAR PELANGI', kind: 'search', lang: 'id', text: 'LASKAR PELANGI' },
  { q: '   DO YOU HAVE   bumi   manusia ???  ', kind: 'search', lang: 'en', text: 'bumi manusia' },

  // --- bare titles stay whole: no stopword is removed
  { q: 'Aku', kind: 'search', lang: 'id', text: 'Aku' },
  { q: 'Negeri 5 Menara', kind: 'search', lang: 'id', text: 'Negeri 5 Menara' },
  { q: 'Dia adalah Kakakku', kind: 'search', lang: 'id', text: 'Dia adalah Kakakku' },
  { q: 'Orang-Orang Biasa', kind: 'search', lang: 'id', text: 'Orang-Orang Biasa' },
  { q: 'The Lord of the Rings', kind: 'search', lang: 'en', text: 'The Lord of the Rings' },
  { q: 'Of Mice and Men', kind: 'search', lang: 'en', text: 'Of Mice and Men' },
  { q: 'Who Moved My Cheese?', kind: 'search', lang: 'en', text: 'Who Moved My Cheese' },
  { q: 'Ada Apa dengan Cinta?', kind: 'search', lang: 'id', text: 'Ada Apa dengan Cinta' },
  { q: 'Stand by Me', kind: 'search', lang: 'en', text: 'Stand by Me' },
  { q: 'Please Look After Mom', kind: 'search', lang: 'en', text: 'Please Look After Mom' },
  { q: 'do you have The Book Thief?', kind: 'search', lang: 'en', text: 'The Book Thief' },
  { q: 'Halo Bandung', kind: 'search', lang: 'id', text: 'Halo Bandung' },
  { q: 'Bumi Manusia film', kind: 'search', lang: 'id', text: 'Bumi Manusia film' },
  { q: 'Dilan 1990', kind: 'search', lang: 'en', text: 'Dilan 1990' },
  { q: 'Indonesia sebelum 1945', kind: 'search', lang: 'id', text: 'Indonesia sebelum 1945' },

  // --- author
  { q: 'books by Pramoedya Ananta Toer', kind: 'author', lang: 'en', author: 'Pramoedya Ananta Toer' },
  { q: 'buku karangan Andrea Hirata', kind: 'author', lang: 'id', author: 'Andrea Hirata' },
  { q: 'anything by Austen', kind: 'author', lang: 'en', author: 'Austen' },
  { q: 'karya Tere Liye', kind: 'author', lang: 'id', author: 'Tere Liye' },
  { q: 'novel-novel Pramoedya', kind: 'author', lang: 'id', author: 'Pramoedya' },
  { q: 'what has Andrea Hirata written?', kind: 'author', lang: 'en', author: 'Andrea Hirata' },
  { q: 'buku-buku yang ditulis oleh Ahmad Fuadi', kind: 'author', lang: 'id', author: 'Ahmad Fuadi' },
  { q: 'apa saja karya Pramoedya Ananta Toer?', kind: 'author', lang: 'id', author: 'Pramoedya Ananta Toer' },
  { q: 'Andrea Hirata menulis apa saja?', kind: 'author', lang: 'id', author: 'Andrea Hirata' },
  { q: "Austen's novels", kind: 'author', lang: 'en', author: 'Austen' },
  { q: 'author:hirata', kind: 'author', lang: 'en', author: 'hirata' },
  { q: 'novels by Jane Austen in English', kind: 'author', lang: 'en', author: 'Jane Austen', filters: { language: 'eng' } },

  // --- identifiers
  { q: 'ISBN 978-979-3062-79-2', kind: 'identifier', lang: 'en', identifier: { type: 'isbn', value: '9789793062792' } },
  { q: '979-3062-79-7', kind: 'identifier', lang: 'en', identifier: { type: 'isbn', value: '9793062797' } },
  { q: 'isbn:9789793062792', kind: 'identifier', lang: 'en', identifier: { type: 'isbn', value: '9789793062792' } },
  { q: 'isbn 979 3062 79 7', kind: 'identifier', lang: 'en', identifier: { type: 'isbn', value: '9793062797' } },
  { q: '978 979 3062 79 2', kind: 'identifier', lang: 'en', identifier: { type: 'isbn', value: '9789793062792' } },
  { q: 'who holds ISBN 9789793062792?', kind: 'holders', lang: 'en', identifier: { type: 'isbn', value: '9789793062792' } },
  { q: 'siapa yang punya ISBN 9789793062792?', kind: 'holders', lang: 'id', identifier: { type: 'isbn', value: '9789793062792' } },
  { q: 'apakah ada ISBN 979-3062-79-7?', kind: 'identifier', lang: 'id', identifier: { type: 'isbn', value: '9793062797' } },
  {
    q: 'is ISBN 9789793062792 available at UI?',
    kind: 'availability',
    lang: 'en',
    identifier: { type: 'isbn', value: '9789793062792' },
    filters: { library: 'UI', available: true },
  },
  { q: 'ISSN 0028-0836', kind: 'identifier', lang: 'en', identifier: { type: 'issn', value: '0028-0836' } },
  { q: 'issn:0028-0836', kind: 'identifier', lang: 'en', identifier: { type: 'issn', value: '0028-0836' } },
  { q: 'OCLC 12345678', kind: 'identifier', lang: 'en', identifier: { type: 'oclc', value: '12345678' } },
  { q: '(OCoLC)123', kind: 'identifier', lang: 'en', identifier: { type: 'oclc', value: '123' } },
  { q: '(OCoLC)ocm00123', kind: 'identifier', lang: 'en', identifier: { type: 'oclc', value: '123' } },
  { q: 'UGM.12345', kind: 'identifier', lang: 'en', identifier: { type: 'id', value: 'UGM.12345' } },
  { q: 'record ugm.b123-45', kind: 'identifier', lang: 'en', identifier: { type: 'id', value: 'UGM.b123-45' } },
  { q: 'w123', kind: 'identifier', lang: 'en', identifier: { type: 'id', value: 'w123' } },

  // --- holders
  { q: 'which libraries have Laskar Pelangi?', kind: 'holders', lang: 'en', text: 'Laskar Pelangi' },
  { q: 'siapa yang punya Bumi Manusia?', kind: 'holders', lang: 'id', text: 'Bumi Manusia' },
  { q: 'perpustakaan mana yang punya Ronggeng Dukuh Paruk?', kind: 'holders', lang: 'id', text: 'Ronggeng Dukuh Paruk' },
  { q: 'where can I borrow Laskar Pelangi?', kind: 'holders', lang: 'en', text: 'Laskar Pelangi' },
  { q: 'di mana saya bisa meminjam Bumi Manusia?', kind: 'holders', lang: 'id', text: 'Bumi Manusia' },
  { q: 'Laskar Pelangi ada di perpustakaan mana?', kind: 'holders', lang: 'id', text: 'Laskar Pelangi' },
  { q: 'who has a copy of The Hobbit?', kind: 'holders', lang: 'en', text: 'The Hobbit' },
  { q: 'which libraries have Laskar Pelangi available?', kind: 'holders', lang: 'en', text: 'Laskar Pelangi', filters: { available: true } },
  { q: 'saya mau pinjam Sang Pemimpi', kind: 'holders', lang: 'id', text: 'Sang Pemimpi' },

  // --- availability
  { q: 'is Laskar Pelangi available at UGM?', kind: 'availability', lang: 'en', text: 'Laskar Pelangi', filters: { library: 'UGM', available: true } },
  { q: 'apakah Bumi Manusia tersedia di UGM?', kind: 'availability', lang: 'id', text: 'Bumi Manusia', filters: { library: 'UGM', available: true } },
  { q: 'ada Laskar Pelangi di perpustakaan UI?', kind: 'availability', lang: 'id', text: 'Laskar Pelangi', filters: { library: 'UI', available: true } },
  {
    q: 'is Laskar Pelangi available at Universitas Gadjah Mada?',
    kind: 'availability',
    lang: 'en',
    text: 'Laskar Pelangi',
    filters: { library: 'UGM', available: true },
  },
  { q: 'does UGM have Laskar Pelangi?', kind: 'availability', lang: 'en', text: 'Laskar Pelangi', filters: { library: 'UGM', available: true } },
  { q: 'apakah ugm punya Laskar Pelangi?', kind: 'availability', lang: 'id', text: 'Laskar Pelangi', filters: { library: 'UGM', available: true } },
  { q: 'can I borrow Bumi Manusia from UGM?', kind: 'availability', lang: 'en', text: 'Bumi Manusia', filters: { library: 'UGM', available: true } },
  { q: 'bisakah saya meminjam Bumi Manusia di UI?', kind: 'availability', lang: 'id', text: 'Bumi Manusia', filters: { library: 'UI', available: true } },
  { q: 'do you have Laskar Pelangi at the UGM library?', kind: 'availability', lang: 'en', text: 'Laskar Pelangi', filters: { library: 'UGM', available: true } },
  { q: 'is Laskar Pelangi available?', kind: 'availability', lang: 'en', text: 'Laskar Pelangi', filters: { available: true } },
  { q: 'Bumi Manusia tersedia?', kind: 'availability', lang: 'id', text: 'Bumi Manusia', filters: { available: true } },
  { q: 'Laskar Pelangi ada di UGM?', kind: 'availability', lang: 'id', text: 'Laskar Pelangi', filters: { library: 'UGM', available: true } },
  {
    q: 'ada Laskar Pelangi di UIN?',
    kind: 'availability',
    lang: 'id',
    text: 'Laskar Pelangi',
    filters: { available: true },
    ambiguous: [['UINJKT', 'UINSBY']],
  },
  {
    q: 'apakah ada buku karangan Andrea Hirata yang bisa dipinjam di perpus FISIP?',
    kind: 'author',
    lang: 'id',
    author: 'Andrea Hirata',
    filters: { library: 'FISIP', available: true },
  },

  // --- librarian syntax
  { q: 'title:"bumi manusia" author:pramoedya', kind: 'search', lang: 'id', text: 'bumi manusia', title: 'bumi manusia', author: 'pramoedya' },
  {
    q: 'title:laskar pelangi lang:ind year:2000-2010',
    kind: 'search',
    lang: 'id',
    text: 'laskar pelangi',
    title: 'laskar pelangi',
    filters: { language: 'ind', yearFrom: 2000, yearTo: 2010 },
  },
  {
    q: 'subject:perpustakaan year:>2000 lib:UGM format:ebook available',
    kind: 'search',
    lang: 'en',
    text: 'perpustakaan',
    subject: 'perpustakaan',
    filters: { library: 'UGM', available: true, format: 'eBook', yearFrom: 2001 },
  },
  { q: 'lang:indonesian year:2005 laskar', kind: 'search', lang: 'id', text: 'laskar', filters: { language: 'ind', yearFrom: 2005, yearTo: 2005 } },
  { q: 'kw:sejarah lib:ugm tersedia', kind: 'search', lang: 'id', text: 'sejarah', filters: { library: 'UGM', available: true } },
  { q: 'lib:UIN title:Pulang', kind: 'search', lang: 'en', text: 'Pulang', title: 'Pulang', ambiguous: [['UINJKT', 'UINSBY']] },
  { q: 'year:<1980 subject:"sejarah indonesia"', kind: 'search', lang: 'id', text: 'sejarah indonesia', subject: 'sejarah indonesia', filters: { yearTo: 1979 } },
  { q: 'title:Aku lib:XYZ', kind: 'search', lang: 'id', text: 'Aku', title: 'Aku', filters: { library: 'XYZ' } },
  { q: 'which libraries have title:"Laskar Pelangi"', kind: 'holders', lang: 'en', text: 'Laskar Pelangi', title: 'Laskar Pelangi' },

  // --- filters said in words
  { q: 'laskar pelangi in English', kind: 'search', lang: 'en', text: 'laskar pelangi', filters: { language: 'eng' } },
  { q: 'buku sejarah dalam bahasa Indonesia', kind: 'search', lang: 'id', text: 'buku sejarah', filters: { language: 'ind' } },
  { q: 'novel berbahasa Inggris tentang Jawa', kind: 'search', lang: 'id', text: 'Jawa', subject: 'Jawa', filters: { language: 'eng' } },
  { q: 'books about Java published after 2000', kind: 'search', lang: 'en', text: 'Java', subject: 'Java', filters: { yearFrom: 2001 } },
  { q: 'buku terbitan tahun 2005 tentang sejarah', kind: 'search', lang: 'id', text: 'sejarah', subject: 'sejarah', filters: { yearFrom: 2005, yearTo: 2005 } },
  { q: 'cari buku tentang sejarah between 1990 and 2000', kind: 'search', lang: 'id', text: 'sejarah', subject: 'sejarah', filters: { yearFrom: 1990, yearTo: 2000 } },
  { q: 'cari buku sejarah sebelum 1980', kind: 'search', lang: 'id', text: 'sejarah', filters: { yearTo: 1979 } },
  { q: 'cari novel Pramoedya terbitan tahun 1980-an', kind: 'search', lang: 'id', text: 'Pramoedya', filters: { yearFrom: 1980, yearTo: 1989 } },
  { q: 'books on Indonesian history from the 1990s', kind: 'search', lang: 'en', text: 'Indonesian history', subject: 'Indonesian history', filters: { yearFrom: 1990, yearTo: 1999 } },
  { q: 'ebooks about Java', kind: 'search', lang: 'en', text: 'Java', subject: 'Java', filters: { format: 'eBook' } },
  { q: 'skripsi tentang perpustakaan', kind: 'search', lang: 'id', text: 'perpustakaan', subject: 'perpustakaan', filters: { format: 'Thesis' } },
  { q: 'ada film Bumi Manusia?', kind: 'search', lang: 'id', text: 'Bumi Manusia', filters: { format: 'Video' } },
  { q: 'maps of Java', kind: 'search', lang: 'en', text: 'Java', subject: 'Java', filters: { format: 'Map' } },
  { q: 'jurnal tentang perpustakaan', kind: 'search', lang: 'id', text: 'perpustakaan', subject: 'perpustakaan', filters: { format: 'Journal' } },
  { q: 'cari majalah tentang pertanian', kind: 'search', lang: 'id', text: 'pertanian', subject: 'pertanian', filters: { format: 'Journal' } },
  { q: 'Laskar Pelangi ebook', kind: 'search', lang: 'id', text: 'Laskar Pelangi', filters: { format: 'eBook' } },
  { q: 'do you have Laskar Pelangi as an ebook?', kind: 'search', lang: 'en', text: 'Laskar Pelangi', filters: { format: 'eBook' } },
  { q: 'DVD Laskar Pelangi', kind: 'search', lang: 'id', text: 'Laskar Pelangi', filters: { format: 'Video' } },
  { q: 'books about Java, available only', kind: 'search', lang: 'en', text: 'Java', subject: 'Java', filters: { available: true } },
  { q: 'buku tentang Jawa yang tersedia saja', kind: 'search', lang: 'id', text: 'Jawa', subject: 'Jawa', filters: { available: true } },

  // --- combinations
  { q: 'where can i get hold of a copy of Max Havelaar', kind: 'holders', lang: 'en', text: 'Max Havelaar' },
  { q: 'pinjam Bumi Manusia', kind: 'holders', lang: 'id', text: 'Bumi Manusia' },
  { q: 'which libraries have books by Andrea Hirata?', kind: 'holders', lang: 'en', author: 'Andrea Hirata' },
  { q: 'tersedia ga Laskar Pelangi di UI', kind: 'availability', lang: 'id', text: 'Laskar Pelangi', filters: { library: 'UI', available: true } },
  {
    q: 'Supernova karangan Dee Lestari ada di UGM?',
    kind: 'availability',
    lang: 'id',
    text: 'Supernova',
    title: 'Supernova',
    author: 'Dee Lestari',
    filters: { library: 'UGM', available: true },
  },
  { q: 'is there anything by Pramoedya at UGM?', kind: 'author', lang: 'en', author: 'Pramoedya', filters: { library: 'UGM' } },
  { q: 'ada buku tentang Jawa di UGM?', kind: 'search', lang: 'id', text: 'Jawa', subject: 'Jawa', filters: { library: 'UGM' } },
  { q: 'kak mau tanya buku Filosofi Teras ada gak ya?', kind: 'search', lang: 'id', text: 'Filosofi Teras' },
  { q: 'buku apa saja yang ditulis Dee Lestari?', kind: 'author', lang: 'id', author: 'Dee Lestari' },
  { q: 'books in English about Java', kind: 'search', lang: 'en', text: 'Java', subject: 'Java', filters: { language: 'eng' } },
  { q: 'apakah ada buku berbahasa Jawa?', kind: 'search', lang: 'id', text: '', filters: { language: 'jav' } },
  { q: 'Laskar Pelangi (2005)', kind: 'search', lang: 'id', text: 'Laskar Pelangi', filters: { yearFrom: 2005, yearTo: 2005 } },
  {
    q: 'apakah ada buku Harry Potter dalam bahasa Indonesia terbitan setelah 2010 di UGM?',
    kind: 'availability',
    lang: 'id',
    text: 'Harry Potter',
    filters: { library: 'UGM', language: 'ind', yearFrom: 2011, available: true },
  },

  // --- small talk
  { q: 'help', kind: 'help', lang: 'en' },
  { q: 'bantuan', kind: 'help', lang: 'id' },
  { q: 'tolong', kind: 'help', lang: 'id' },
  { q: 'apa yang bisa kamu lakukan?', kind: 'help', lang: 'id' },
  { q: 'what can you do', kind: 'help', lang: 'en' },
  { q: 'Hi! What can you do?', kind: 'help', lang: 'en' },
  { q: 'hi', kind: 'greeting', lang: 'en' },
  { q: 'hello', kind: 'greeting', lang: 'en' },
  { q: 'halo', kind: 'greeting', lang: 'id' },
  { q: 'Selamat pagi!', kind: 'greeting', lang: 'id' },
  { q: 'good morning Jala', kind: 'greeting', lang: 'en' },
  { q: 'thanks', kind: 'thanks', lang: 'en' },
  { q: 'thank you for your help', kind: 'thanks', lang: 'en' },
  { q: 'terima kasih', kind: 'thanks', lang: 'id' },
  { q: 'terima kasih banyak ya kak 🙏', kind: 'thanks', lang: 'id' },
  { q: 'makasih', kind: 'thanks', lang: 'id' },

  // --- empty and messy input
  { q: '', kind: 'empty', lang: 'en' },
  { q: '   \t\n ', kind: 'empty', lang: 'en' },
  { q: '?!', kind: 'empty', lang: 'en' },
  { q: '\u0000\u0007\u200b', kind: 'empty', lang: 'en' },
  { q: '🙂🙂', kind: 'empty', lang: 'en' },
  { q: 'Hi 👋 do you have Laskar Pelangi?? 🙏', kind: 'search', lang: 'en', text: 'Laskar Pelangi' },
  { q: 'laskar\u0000 pelangi\u200b\t\n', kind: 'search', lang: 'id', text: 'laskar pelangi' },
  { q: '<@U123ABC> cari buku Bumi Manusia', kind: 'search', lang: 'id', text: 'Bumi Manusia' },
];

describe('parseQuestion', () => {
  it.each(cases)('$q', (c) => {
    const p = parse(c.q);
    expect(p.kind).toBe(c.kind);
    expect(p.language).toBe(c.lang);
    expect(p.text).toBe(c.text ?? '');
    expect(p.title).toBe(c.title);
    expect(p.author).toBe(c.author);
    expect(p.subject).toBe(c.subject);
    expect(p.identifier).toEqual(c.identifier);
    expect(p.filters).toEqual(c.filters ?? {});
    expect(p.ambiguousLibraries).toEqual(c.ambiguous);
  });

  it('has the table it promises', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  it('reads no more than the first 500 characters', () => {
    const p = parse(`cari buku tentang ${'sejarah '.repeat(200)}`);
    expect(p.kind).toBe('search');
    expect(p.text.length).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
    expect(p.text.startsWith('sejarah sejarah')).toBe(true);
  });

  it('works without any member libraries', () => {
    const p = parseQuestion('ada Laskar Pelangi di perpustakaan UI?', { libraries: [] });
    expect(p.kind).toBe('search');
    expect(p.filters.library).toBeUndefined();
  });

  it('prefers a library code to another member whose alias is the same word', () => {
    const p = parseQuestion('is Pulang available at UI?', {
      libraries: [...libraries, { code: 'UNAIR', name: 'Universitas Airlangga', aliases: ['UI'] }],
    });
    expect(p.filters.library).toBe('UI');
    expect(p.ambiguousLibraries).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const TRICKY_WORDS = [
  'do', 'you', 'have', 'apakah', 'ada', 'buku', 'di', 'UGM', 'ui', 'uin', 'isbn', '978-979-3062-79-2', 'title:', 'author:',
  '"', "'", 'by', 'karya', 'tentang', 'in', 'English', 'published', 'after', '2000', 'sebelum', 'tahun', 'ebook',
  'film', 'available', 'tersedia', 'which', 'libraries', 'siapa', 'yang', 'punya', 'mana', 'hi', 'thanks', 'help',
  '?', ',', 'w1', 'ugm.1', '(OCoLC)', 'year:>', 'lib:', 'the', '👋', '\u0000', '\uE000', '\uE001', '\uE002', '\uE101',
];

const TITLE_WORDS = [
  'the', 'of', 'and', 'a', 'an', 'in', 'on', 'at', 'to', 'for', 'with', 'my', 'me', 'you', 'we', 'who', 'what', 'where',
  'aku', 'dia', 'kamu', 'adalah', 'yang', 'dan', 'di', 'ke', 'dari', 'dengan', 'untuk', 'tidak', 'bukan', 'ini', 'itu',
  'orang-orang', 'negeri', '5', 'lima', 'menara', 'bumi', 'manusia', 'laskar', 'pelangi', 'cinta', 'hari', 'baru',
  'kakakku', 'lord', 'rings', 'mice', 'men', 'cheese', 'moved', 'sang', 'pemimpi', 'perahu', 'kertas', 'ayat-ayat',
  '1984', '2', 'sejarah', 'jawa', 'hujan', 'bulan', 'rumah', 'kaca', 'gadis', 'pantai', 'ronggeng', 'dukuh', 'paruk',
  'cantik', 'luka', 'pulang', 'anak', 'semua', 'bangsa',
];

const normalise = (s: string): string => s.toLowerCase().replace(/\s+/gu, ' ').trim();

describe('parseQuestion properties', () => {
  it('never throws, and always returns a well-formed question', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 700 }),
      fc.array(fc.constantFrom(...TRICKY_WORDS, ...TITLE_WORDS), { maxLength: 25 }).map((ws) => ws.join(' ')),
    );
    fc.assert(
      fc.property(anyText, (q) => {
        const p = parse(q);
        expect(['search', 'author', 'identifier', 'holders', 'availability', 'help', 'greeting', 'thanks', 'empty']).toContain(p.kind);
        expect(['en', 'id']).toContain(p.language);
        expect(p.text.length).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
        for (const s of [p.text, p.title ?? '', p.author ?? '', p.subject ?? '']) expect(s).not.toMatch(/[\uE000-\uE002]/u);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves no marker of a cut-out identifier or a quote in the author (found by the property above: "karya ugm.1 , do")', () => {
    for (const q of ['karya ugm.1 , do', 'karya UGM.1, do', 'karangan UGM.1']) {
      const p = parse(q);
      expect(p.identifier).toEqual({ type: 'id', value: 'UGM.1' });
      for (const s of [p.text, p.title ?? '', p.author ?? '', p.subject ?? '']) expect(s).not.toMatch(/[\uE000-\uE002]/u);
    }
    // a quoted name after "karya" in a piece of its own is put back as typed, not left as a placeholder
    const quoted = parse('karya "sang pemimpi" , karya');
    for (const s of [quoted.text, quoted.title ?? '', quoted.author ?? '', quoted.subject ?? '']) expect(s).not.toMatch(/[\uE000-\uE002]/u);
  });

  it('never throws whatever the member libraries are called', () => {
    const library = fc.record({ code: fc.string({ maxLength: 8 }), name: fc.string({ maxLength: 30 }), aliases: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(library, { maxLength: 6 }), fc.string({ maxLength: 80 }), (libs, q) => {
        const p = parseQuestion(`is ${q} available at ${libs[0]?.name ?? 'UGM'}?`, { libraries: libs });
        expect(p.kind).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it('strips a question frame and keeps every word of the title inside it', () => {
    // words that are also relation words or particles ("on", "dari", "tidak", "yang") are left out:
    // "cari buku dari X" really is ambiguous
    const ambiguous = new Set(['on', 'dari', 'aku', 'tidak', 'yang', 'for', 'in']);
    const words = TITLE_WORDS.filter((w) => !ambiguous.has(w));
    const frames = [
      'do you have {}?', 'apakah ada buku {}?', 'which libraries have {}?', 'siapa yang punya {}?', 'cari buku {}',
      "I'm looking for {}", 'is {} available at UGM?', 'apakah {} tersedia di UGM?', 'tolong carikan {}', 'where can I borrow {}?',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }), fc.constantFrom(...frames), (ws, frame) => {
        const title = ws.join(' ');
        expect(parse(frame.replace('{}', title)).text.toLowerCase()).toBe(title);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives back a bare title word for word', () => {
    const title = fc
      .array(fc.tuple(fc.constantFrom(...TITLE_WORDS), fc.boolean(), fc.constantFrom(' ', '  ', '\t')), { minLength: 1, maxLength: 8 })
      .map((ws) => ws.map(([w, upper, space]) => (upper ? w.charAt(0).toUpperCase() + w.slice(1) : w) + space).join(''));
    fc.assert(
      fc.property(title, (q) => {
        const p = parse(q);
        expect(p.kind).toBe('search');
        expect(normalise(p.text)).toBe(normalise(q));
      }),
      { numRuns: 400 },
    );
  });
});
