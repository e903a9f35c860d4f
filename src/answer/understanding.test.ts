import { describe, expect, it } from 'vitest';
import { matchFaq } from './faq-match.ts';
import { splitPieces, storyContent } from './message-segments.ts';
import { askedDay, hoursOn } from './opening-hours.ts';
import { parseQuestion } from './parse-question.ts';
import { cutEditionYear, cutInvalidIsbn, stripTrailingQuestion } from './question-tails.ts';
import { serviceIntent } from './service-intents.ts';

const libraries = [
  { code: 'UGM', name: 'Perpustakaan UGM', aliases: ['Gadjah Mada'] },
  { code: 'UI', name: 'Perpustakaan UI', aliases: ['Universitas Indonesia'] },
];
const parse = (q: string) => parseQuestion(q, { libraries });

describe('messages cut into pieces', () => {
  it('splits sentences and clauses, not initials, abbreviations or decimals', () => {
    expect(splitPieces('Hi! I need X by J. K. Rowling. Thanks').map((p) => p.text)).toEqual(['Hi', 'I need X by J. K. Rowling', 'Thanks']);
    expect(splitPieces('Dr. Zhivago, vol. 2 of 3.5').map((p) => p.text)).toEqual(['Dr. Zhivago', 'vol. 2 of 3.5']);
  });

  it('finds the title and author a story sentence names', () => {
    expect(storyContent('my professor recommended Damned to Fame by James Knowlson for the seminar')).toEqual({ title: 'Damned to Fame', author: 'James Knowlson' });
    expect(storyContent("It's called Laskar Pelangi, written by Andrea Hirata I think")).toEqual({ title: 'Laskar Pelangi', author: 'Andrea Hirata' });
    expect(storyContent('dosen saya menyuruh membaca novel Cantik Itu Luka karangan Eka Kurniawan untuk tugas')).toEqual({ title: 'Cantik Itu Luka', author: 'Eka Kurniawan' });
  });
});

describe('chat questions understood', () => {
  it('keeps the title and author of a polite message and sets the greeting and the question aside', () => {
    const q = parse("Hi! I'm looking for a book called Laskar Pelangi by Andrea Hirata. Does any library have it?");
    expect(q).toMatchObject({ kind: 'holders', title: 'Laskar Pelangi', author: 'Andrea Hirata' });
    const id = parse('Halo kak, saya lagi cari buku Cantik itu Luka karya Eka Kurniawan, ada di perpustakaan mana ya?');
    expect(id).toMatchObject({ kind: 'holders', language: 'id', title: 'Cantik itu Luka', author: 'Eka Kurniawan' });
  });

  it('reads an author asked for in chat', () => {
    expect(parse('bukunya eka kurniawan apa aja ya')).toMatchObject({ kind: 'author', author: 'eka kurniawan' });
    expect(parse('Eka Kurniawan nulis buku apa aja sih?')).toMatchObject({ kind: 'author', author: 'Eka Kurniawan' });
    expect(parse('novel2 andrea hirata ada apa aja?')).toMatchObject({ kind: 'author' });
  });

  it('reduces a long message to the book it is about', () => {
    const long = `Hello, I'm a second-year literature student at UGM and my lecturer asked us to read a novel for our class. It's called Laskar Pelangi, written by Andrea Hirata I think. I've already been to the campus library but I couldn't find it on the shelf. Does any library in the consortium have a copy I could borrow? Thank you so much for your help!`;
    expect(long.length).toBeGreaterThan(300);
    const q = parse(long);
    expect(q.title).toBe('Laskar Pelangi');
    expect(q.author).toBe('Andrea Hirata');
    expect(q.text.length).toBeLessThan(30);
  });

  it('keeps two clauses asking the same in two languages as readings of one question', () => {
    const q = parse('I need a book about library science, ada buku tentang ilmu perpustakaan?');
    expect(q.subject).toBe('library science');
    expect(q.alternatives?.[0]?.subject).toBe('ilmu perpustakaan');
  });

  it('takes a year after a title as the edition asked for, and a wrong ISBN check digit as a note', () => {
    expect(parse('Pride and prejudice 1967')).toMatchObject({ text: 'Pride and prejudice 1967', editionYear: 1967 });
    expect(cutEditionYear('the 2005 edition of Candide')).toEqual({ text: 'Candide', year: 2005 });
    expect(cutEditionYear('1984')).toBeUndefined();
    expect(parse('Laskar Pelangi ISBN 978-979-3062-79-3')).toMatchObject({ invalidIsbn: '9789793062793', text: 'Laskar Pelangi' });
    expect(cutInvalidIsbn('isbn 978-979-3062-79-2', '#').isbn).toBeUndefined();
  });

  it('cuts questions hung on the end and keeps what they ask', () => {
    expect(stripTrailingQuestion('Laskar Pelangi ada gak ya')).toEqual({ text: 'Laskar Pelangi', intent: 'have' });
    expect(stripTrailingQuestion('Saman, ada di perpus mana ya')).toEqual({ text: 'Saman', intent: 'holders' });
    expect(stripTrailingQuestion('Ada Apa dengan Cinta')).toEqual({ text: 'Ada Apa dengan Cinta' });
  });
});

describe('questions that are not catalog searches', () => {
  it('recognises requests status, opening hours and rules in both languages, and leaves titles alone', () => {
    expect(serviceIntent('what is the status of my request?')).toBe('my-requests');
    expect(serviceIntent('permintaan saya sudah sampai mana?')).toBe('my-requests');
    expect(serviceIntent('is the library open on Sunday?')).toBe('library-info');
    expect(serviceIntent('perpus UI buka hari sabtu gak?')).toBe('library-info');
    expect(serviceIntent('how many books can I borrow?')).toBe('library-info');
    expect(serviceIntent('Sunday school history')).toBeUndefined();
    expect(serviceIntent('where is Laskar Pelangi in the library')).toBeUndefined();
    expect(serviceIntent('buku tentang hari buruh')).toBeUndefined();
  });

  it('reads a day\'s hours from the hours as written', () => {
    const hours = 'Monday-Friday 08:00-20:00, Saturday 08:00-12:00; closed on Sundays and national holidays.';
    expect(hoursOn(hours, 0)).toEqual({ open: false });
    expect(hoursOn(hours, 6)).toEqual({ open: true, times: '08:00-12:00' });
    expect(hoursOn(hours, 3)).toEqual({ open: true, times: '08:00-20:00' });
    expect(hoursOn('Senin–Jumat 08.00–16.00, Sabtu 09.00–12.00, Minggu tutup', 0)).toEqual({ open: false });
    expect(askedDay('buka hari sabtu?', 1)).toBe(6);
    expect(askedDay('is it open tomorrow?', 6)).toBe(0);
    expect(askedDay('buka minggu ini?', 2)).toBeUndefined();
  });

  it('matches FAQ entries by meaning, and not a catalog question that shares a word', () => {
    const faq = [
      { id: 1, question: 'Apakah bisa cetak di perpustakaan?', answer: 'Bisa, di lantai 2.' },
      { id: 2, question: 'Berapa denda keterlambatan?', answer: 'Rp1.000 per hari.' },
      { id: 3, question: 'Can I bring food into the reading room?', answer: 'No food, drinks in closed bottles only.' },
    ];
    expect(matchFaq('bisa ngeprint di perpus gak?', faq)?.entry.id).toBe(1);
    expect(matchFaq('how much is the late fee?', faq)?.entry.id).toBe(2);
    expect(matchFaq('boleh makan di ruang baca?', faq)?.entry.id).toBe(3);
    expect(matchFaq('apakah ada buku tentang printer?', faq)).toBeUndefined();
    expect(matchFaq('laskar pelangi', faq)).toBeUndefined();
  });
});
