import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../adapters/cli/render-reply.ts';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor, BotReply, BotResult, OutboxMessage } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { REQUESTER_STATES, SUPPLIER_STATES, DECLINE_REASONS } from '../src/ill/ill-states.ts';
import { sampleJala } from './support/sample-jala.ts';

/**
 * Conversations as people have them, in English and Indonesian, through the bot. Every step says
 * which work an action (a request shown or placed, "who has it", "is it available") must be about,
 * the language of the reply, and — for ILL — of every notification. No text anyone reads may carry
 * an internal state or reason code.
 */

type Lang = 'en' | 'id';
type Who = { patron: string; library: string; name?: string } | { librarian: string } | { admin: string };

interface Step {
  by: Who;
  say?: string;
  /** press the reply's button of this action id (instead of saying something) */
  press?: string;
  lang: Lang;
  /** the work (by title) every action in the reply touched; null: the reply must touch no work */
  work?: string | null;
  /** a request was placed (true) or not (false) by this step */
  placed?: boolean;
  error?: string;
  text?: RegExp;
  notText?: RegExp;
  /** the language of notifications to a user (the patron) sent by this step */
  patronNotified?: Lang;
  /** what the notifications to one party say (or must not say): the borrowing library, the lender, the patron */
  notify?: Array<{ to: { library: string } | 'patron'; text?: RegExp; notText?: RegExp }>;
  /** buttons (action ids) the reply may and may not offer; labels they must carry */
  buttons?: { has?: string[]; hasNot?: string[]; labels?: RegExp };
}

interface Script {
  name: string;
  steps: Step[];
}

const P = (patron: string, library: string): Who => ({ patron, library });
const L = (librarian: string): Who => ({ librarian });

let jala: Jala;
let bot: Bot;
const titles = new Map<string, string>();
const clock = Date.parse('2026-11-24T09:00:00Z');

const workOf = (title: string): string => {
  let id = titles.get(title);
  if (id) return id;
  const hit = jala.ask(title, { pageSize: 20 }).results.find((r) => r.title.toLowerCase().startsWith(title.toLowerCase()));
  if (!hit) throw new Error(`no work titled ${title}`);
  titles.set(title, (id = hit.workId));
  return id;
};

const actorOf = (who: Who, prefix: string): BotActor => {
  if ('patron' in who) return { platform: 'cli', userId: `${prefix}-${who.patron}`, role: 'patron', library: who.library, displayName: who.name ?? who.patron };
  if ('librarian' in who) return { platform: 'cli', userId: `${prefix}-lib-${who.librarian}`, role: 'librarian', library: who.librarian };
  return { platform: 'cli', userId: `${prefix}-admin`, role: 'admin', library: who.admin };
};

/** The works a reply acted on: the request it is about, the work shown for confirmation or refused, the work asked "who has" / "is it available". */
function touched(reply: BotReply): Set<string> {
  const out = new Set<string>();
  if (reply.request?.workId) out.add(reply.request.workId);
  if (reply.workId) out.add(reply.workId);
  for (const b of reply.blocks) {
    if (b.type === 'answer' && (b.answer.kind === 'holders' || b.answer.kind === 'availability') && b.answer.results[0]) out.add(b.answer.results[0].workId);
  }
  return out;
}

/** Internal codes that must never reach a person. */
const INTERNAL = new RegExp(`\\b(?:${[...new Set([...REQUESTER_STATES, ...SUPPLIER_STATES, ...DECLINE_REASONS.map((d) => d.code)])].join('|')})\\b`);

/** Words only our English sentences use, and only our Indonesian ones (names and titles aside). */
const ENGLISH_ONLY = /\b(?:found for|copies|copy|Actions|your|Request|awaiting|lender|on the shelf|Borrower|Shall I|cannot)\b/;
const INDONESIAN_ONLY = /\b(?:ditemukan|eksemplar|Tindakan|Anda|menunggu|pemberi pinjam|diajukan|Permintaan|tersedia di rak|tidak dapat)\b/;

function expectLanguage(text: string, lang: Lang, where: string): void {
  if (lang === 'en') expect(text, `${where} reads as Indonesian`).not.toMatch(INDONESIAN_ONLY);
  else expect(text, `${where} reads as English`).not.toMatch(ENGLISH_ONLY);
}

function libraryLanguage(code: string): Lang {
  return jala.config.libraries.find((l) => l.code === code)?.language ?? 'id';
}

function checkNotifications(notifications: OutboxMessage[], step: Step, where: string): void {
  for (const n of notifications) {
    const text = renderReply(n.reply);
    expect(text, `${where}: notification carries a code`).not.toMatch(INTERNAL);
    if (n.target.type === 'library') {
      expect(n.reply.language, `${where}: notification to ${n.target.library}`).toBe(libraryLanguage(n.target.library));
      expectLanguage(text, libraryLanguage(n.target.library), `${where}: notification to ${n.target.library}`);
    } else {
      const lang = step.patronNotified ?? step.lang;
      expect(n.reply.language, `${where}: notification to the patron`).toBe(lang);
      expectLanguage(text, lang, `${where}: notification to the patron`);
    }
  }
}

function run(script: Script, prefix: string): void {
  let last: BotReply | undefined;
  let request = '';
  script.steps.forEach((step, i) => {
    const where = `${script.name}, step ${i + 1} (${step.say ?? step.press})`;
    const actor = actorOf(step.by, prefix);
    let result: BotResult;
    if (step.press) {
      const button = last?.actions.find((a) => a.id === step.press);
      expect(button, `${where}: no ${step.press} button`).toBeDefined();
      result = bot.handle({ actor, conversationId: `${prefix}-${actor.userId}`, action: { id: button?.id ?? '', target: button?.target ?? '', version: button?.version ?? 0 } });
    } else {
      result = bot.handle({ actor, conversationId: `${prefix}-${actor.userId}`, text: (step.say ?? '').replaceAll('$R', request) });
    }
    const reply = result.replies[0];
    expect(reply, where).toBeDefined();
    if (!reply) return;
    last = reply;
    if (reply.request && !request) request = reply.request.id;
    const text = result.replies.map(renderReply).join('\n');
    expect(reply.language, `${where}: reply language`).toBe(step.lang);
    expectLanguage(text, step.lang, where);
    expect(text, `${where}: reply carries a code`).not.toMatch(INTERNAL);
    if (step.work !== undefined) {
      const works = [...touched(reply)];
      expect(works, `${where}: works acted on`).toEqual(step.work === null ? [] : [workOf(step.work)]);
    }
    if (step.placed !== undefined) expect(Boolean(reply.request && /placed|diajukan|ditinjau|review/i.test(text) && result.notifications.length > 0), `${where}: placed`).toBe(step.placed);
    if (step.error !== undefined) expect(reply.error, `${where}: error`).toBe(step.error);
    if (step.text) expect(text, where).toMatch(step.text);
    if (step.notText) expect(text, where).not.toMatch(step.notText);
    checkNotifications(result.notifications, step, where);
    for (const n of step.notify ?? []) {
      const to = result.notifications.filter((m) => (n.to === 'patron' ? m.target.type === 'user' : m.target.type === 'library' && m.target.library === n.to.library));
      expect(to.length, `${where}: notified ${JSON.stringify(n.to)}`).toBeGreaterThan(0);
      const said = to.map((m) => renderReply(m.reply)).join('\n');
      if (n.text) expect(said, `${where}: to ${JSON.stringify(n.to)}`).toMatch(n.text);
      if (n.notText) expect(said, `${where}: to ${JSON.stringify(n.to)}`).not.toMatch(n.notText);
    }
    if (step.buttons) {
      const ids = result.replies.flatMap((r) => r.actions.map((a) => a.id));
      for (const b of step.buttons.has ?? []) expect(ids, `${where}: buttons`).toContain(b);
      for (const b of step.buttons.hasNot ?? []) expect(ids, `${where}: buttons`).not.toContain(b);
      if (step.buttons.labels) expect(result.replies.flatMap((r) => r.actions.map((a) => a.label)).join(' | '), `${where}: labels`).toMatch(step.buttons.labels);
    }
  });
}

const SCRIPTS: Script[] = [
  // ——— the work named in the message wins ———
  { name: 'pinjam buku saman after laskar pelangi', steps: [
    { by: P('ani', 'UGM'), say: 'laskar pelangi', lang: 'id' },
    { by: P('ani', 'UGM'), say: 'pinjam buku saman', lang: 'id', work: 'Saman', placed: false, text: /Saman/ },
    { by: P('ani', 'UGM'), say: 'ya', lang: 'id', work: 'Saman', placed: true },
  ] },
  { name: 'request Pulang please after laskar pelangi', steps: [
    { by: P('amy', 'UGM'), say: 'do you have laskar pelangi?', lang: 'en' },
    { by: P('amy', 'UGM'), say: 'request Pulang please', lang: 'en', work: 'Pulang', placed: false },
    { by: P('amy', 'UGM'), say: 'yes', lang: 'en', work: 'Pulang', placed: true },
  ] },
  { name: 'request Pulang please with nothing said before', steps: [
    { by: P('ben', 'UGM'), say: 'request Pulang please', lang: 'en', work: 'Pulang', text: /Pulang.*Leila S\. Chudori \(2012\)[\s\S]*come from UI/ },
  ] },
  { name: 'pinjam buku Pulang with nothing said before', steps: [
    { by: P('budi', 'UGM'), say: 'pinjam buku Pulang dong', lang: 'id', work: 'Pulang', text: /dipinjam dari UI/ },
    { by: P('budi', 'UGM'), say: 'iya', lang: 'id', work: 'Pulang', placed: true },
  ] },
  { name: 'siapa yang punya Negeri 5 Menara (the help example), no context', steps: [
    { by: P('citra', 'UGM'), say: 'siapa yang punya Negeri 5 Menara?', lang: 'id', work: 'Negeri 5 menara', notText: /belum tahu/ },
  ] },
  { name: 'siapa yang punya Negeri 5 Menara after another search', steps: [
    { by: P('dewi', 'UI'), say: 'laskar pelangi', lang: 'id' },
    { by: P('dewi', 'UI'), say: 'siapa yang punya Negeri 5 Menara?', lang: 'id', work: 'Negeri 5 menara', notText: /Laskar/ },
  ] },
  { name: 'who has Pulang after laskar pelangi', steps: [
    { by: P('dan', 'UGM'), say: 'do you have laskar pelangi?', lang: 'en' },
    { by: P('dan', 'UGM'), say: 'who has Pulang?', lang: 'en', work: 'Pulang' },
  ] },
  { name: 'is Saman available at UGM after laskar pelangi', steps: [
    { by: P('eve', 'UI'), say: 'do you have laskar pelangi?', lang: 'en' },
    { by: P('eve', 'UI'), say: 'is Saman available at UGM?', lang: 'en', work: 'Saman', text: /missing/ },
  ] },
  { name: 'siapa yang punya? refers to the last title', steps: [
    { by: P('eka', 'UGM'), say: 'apakah ada cantik itu luka?', lang: 'id' },
    { by: P('eka', 'UGM'), say: 'siapa yang punya?', lang: 'id', work: 'Cantik itu luka' },
  ] },
  { name: 'who has it, then request it, then no', steps: [
    { by: P('fay', 'UGM'), say: 'do you have Saman?', lang: 'en' },
    { by: P('fay', 'UGM'), say: 'who has it?', lang: 'en', work: 'Saman' },
    { by: P('fay', 'UGM'), say: 'request it', lang: 'en', work: 'Saman', placed: false },
    { by: P('fay', 'UGM'), say: 'no', lang: 'en', work: null, placed: false, text: /not placed/ },
  ] },
  { name: 'pinjam yang kedua takes the second result', steps: [
    { by: P('gita', 'UGM'), say: 'laskar pelangi', lang: 'id' },
    { by: P('gita', 'UGM'), say: 'pinjam yang kedua', lang: 'id', work: 'The rainbow troops', placed: false },
    { by: P('gita', 'UGM'), say: 'ya', lang: 'id', work: 'The rainbow troops', placed: true },
  ] },
  { name: 'pinjam bukunya dong refers to the book in focus', steps: [
    { by: P('hana', 'UI'), say: 'cantik itu luka', lang: 'id' },
    { by: P('hana', 'UI'), say: 'pinjam bukunya dong', lang: 'id', work: 'Cantik itu luka', placed: false },
  ] },
  { name: 'is it available at UI? after Saman', steps: [
    { by: P('ian', 'UGM'), say: 'do you have Saman?', lang: 'en' },
    { by: P('ian', 'UGM'), say: 'is it available at UI?', lang: 'en', work: 'Saman' },
  ] },
  { name: "I'd like to borrow Cantik itu luka", steps: [
    { by: P('jon', 'UI'), say: "I'd like to borrow Cantik itu luka", lang: 'en', work: 'Cantik itu luka', placed: false },
    { by: P('jon', 'UI'), say: 'yes please', lang: 'en', work: 'Cantik itu luka', placed: true },
  ] },
  { name: 'saya mau pinjam laskar pelangi (UI holds it, status unknown)', steps: [
    { by: P('joko', 'UI'), say: 'saya mau pinjam laskar pelangi', lang: 'id', work: 'Laskar pelangi', placed: false },
  ] },
  { name: 'request by ISBN', steps: [
    { by: P('kim', 'UI'), say: 'request 9789793062792', lang: 'en', work: 'Laskar pelangi', placed: false },
  ] },
  { name: "a patron's /ill request is shown with the best match, placed on confirmation", steps: [
    { by: P('kiki', 'UI'), say: 'apakah ada cantik itu luka?', lang: 'id' },
    { by: P('kiki', 'UI'), say: '/ill request cantik itu luka need-by:2026-12-20', lang: 'id', work: 'Cantik itu luka', placed: false, text: /judul yang paling cocok[\s\S]*Ajukan sekarang/ },
    { by: P('kiki', 'UI'), press: 'ill:confirm', lang: 'id', work: 'Cantik itu luka', placed: true, text: /Dibutuhkan sebelum 20 Des 2026/ },
  ] },
  { name: 'the confirmation button places the request shown', steps: [
    { by: P('lee', 'UGM'), say: 'request Saman', lang: 'en', work: 'Saman', placed: false },
    { by: P('lee', 'UGM'), press: 'ill:confirm', lang: 'en', work: 'Saman', placed: true },
  ] },
  { name: 'the cancel button places nothing, and "yes" after it neither', steps: [
    { by: P('lena', 'UGM'), say: '/ill request Saman', lang: 'en', work: 'Saman', placed: false, buttons: { has: ['ill:confirm', 'ill:dismiss'] } },
    { by: P('lena', 'UGM'), press: 'ill:dismiss', lang: 'en', placed: false, text: /not placed/ },
    { by: P('lena', 'UGM'), say: 'yes', lang: 'en', placed: false },
  ] },
  { name: '"tidak" to a request shown places nothing', steps: [
    { by: P('lani', 'UGM'), say: 'pinjam buku saman', lang: 'id', work: 'Saman', placed: false },
    { by: P('lani', 'UGM'), say: 'tidak', lang: 'id', placed: false, text: /tidak saya ajukan/ },
  ] },
  { name: 'a new question drops the request shown', steps: [
    { by: P('lia', 'UGM'), say: 'request Saman', lang: 'en', work: 'Saman', placed: false },
    { by: P('lia', 'UGM'), say: 'do you have Pulang?', lang: 'en' },
    { by: P('lia', 'UGM'), say: 'yes', lang: 'en', placed: false },
  ] },
  { name: 'nothing to refer to: request it', steps: [
    { by: P('mia', 'UGM'), say: 'request it', lang: 'en', work: null, placed: false, text: /not sure which title/ },
  ] },
  { name: 'nothing to refer to: siapa yang punya?', steps: [
    { by: P('mira', 'UGM'), say: 'siapa yang punya?', lang: 'id', work: null, text: /belum tahu/ },
  ] },
  // ——— what cannot be lent, and the own shelf ———
  { name: 'Perahu kertas: only a library that does not lend holds it', steps: [
    { by: P('nia', 'UI'), say: 'perahu kertas', lang: 'id' },
    { by: P('nia', 'UI'), say: 'pinjam bukunya', lang: 'id', work: 'Perahu kertas', error: 'ill/not-requestable', placed: false, text: /DISPUSIP memilikinya, tetapi tidak meminjamkan/ },
  ] },
  { name: 'Perahu kertas in English', steps: [
    { by: P('ned', 'UGM'), say: 'request Perahu kertas please', lang: 'en', work: 'Perahu kertas', error: 'ill/not-requestable', text: /DISPUSIP holds it but does not lend/ },
  ] },
  { name: 'Aku ini binatang jalang: library use only and a non-lender', steps: [
    { by: P('oki', 'USU'), say: 'pinjam buku aku ini binatang jalang', lang: 'id', work: 'Aku ini binatang jalang', error: 'ill/not-requestable', text: /UGM hanya untuk dibaca di tempat[\s\S]*DISPUSIP|DISPUSIP[\s\S]*UGM hanya untuk dibaca di tempat/ },
  ] },
  { name: 'own copy on the shelf is named at request time', steps: [
    { by: P('omar', 'UGM'), say: "I'd like to request Negeri 5 Menara", lang: 'en', work: 'Negeri 5 menara', placed: false, text: /Your own library, UGM, has it on the shelf: 899\.2213 FUA n/ },
  ] },
  { name: 'own copy on the shelf and nobody else lends it', steps: [
    { by: P('putri', 'UGM'), say: 'pinjam buku burung-burung manyar', lang: 'id', work: 'Burung-burung manyar', error: 'ill/not-requestable', text: /Perpustakaan Anda sendiri, UGM, punya eksemplar di rak/ },
  ] },
  // ——— one language per person ———
  { name: 'an Indonesian conversation stays Indonesian through a typo and a bare title', steps: [
    { by: P('rina', 'UGM'), say: 'apakah ada buku laskar pelangi?', lang: 'id' },
    { by: P('rina', 'UGM'), say: 'laskar pelagi', lang: 'id' },
    { by: P('rina', 'UGM'), say: 'ronggeng dukuh paru', lang: 'id' },
  ] },
  { name: 'an English conversation stays English through Indonesian titles', steps: [
    { by: P('rob', 'UGM'), say: 'do you have laskar pelangi?', lang: 'en' },
    { by: P('rob', 'UGM'), say: 'laskar pelagi', lang: 'en' },
    { by: P('rob', 'UGM'), say: 'ronggeng dukuh paru', lang: 'en' },
    { by: P('rob', 'UGM'), say: 'Cantik itu luka', lang: 'en' },
  ] },
  { name: 'a clear sentence changes the language, a title does not change it back', steps: [
    { by: P('sam', 'UGM'), say: 'do you have Saman?', lang: 'en' },
    { by: P('sam', 'UGM'), say: 'apakah ada buku Pulang?', lang: 'id' },
    { by: P('sam', 'UGM'), say: 'The rainbow troops', lang: 'id' },
  ] },
  { name: '"Book" is "Buku" in Indonesian', steps: [
    { by: P('sari', 'UGM'), say: 'apakah ada buku Saman?', lang: 'id', text: /· Buku ·/, notText: /· Book ·/ },
  ] },
  { name: 'library hours, then a title, in English', steps: [
    { by: P('tom', 'UGM'), say: 'is the library open on Saturday?', lang: 'en' },
    { by: P('tom', 'UGM'), say: 'laskar pelagi', lang: 'en' },
  ] },
  { name: 'library hours, then a title, in Indonesian', steps: [
    { by: P('tuti', 'UGM'), say: 'perpus buka hari sabtu gak kak?', lang: 'id' },
    { by: P('tuti', 'UGM'), say: 'Saman', lang: 'id' },
  ] },
  { name: '/ill mine answers in the person\'s language', steps: [
    { by: P('uma', 'UGM'), say: 'do you have Saman?', lang: 'en' },
    { by: P('uma', 'UGM'), say: '/ill mine', lang: 'en' },
  ] },
  // ——— availability in words ———
  { name: 'copies counted, in English', steps: [
    { by: P('vic', 'UI'), say: 'do you have laskar pelangi?', lang: 'en', text: /UGM \([^)]*\)\): 2 of 3 copies on the shelf; 1 on loan until 15 Dec 2026/ },
  ] },
  { name: 'copies counted, in Indonesian', steps: [
    { by: P('wati', 'UI'), say: 'apakah ada laskar pelangi?', lang: 'id', text: /UGM \([^)]*\)\): 2 dari 3 eksemplar tersedia di rak; 1 dipinjam sampai 15 Des 2026/ },
  ] },
  { name: 'library use only counted apart', steps: [
    { by: P('will', 'UI'), say: 'do you have Ronggeng Dukuh Paruk?', lang: 'en', text: /UGM \([^)]*\)\): 1 of 2 copies on the shelf; 1 for library use only/ },
  ] },
  { name: 'missing counted apart', steps: [
    { by: P('yan', 'UI'), say: 'do you have Para priyayi?', lang: 'en', text: /USU \([^)]*\)\): 1 copy, missing/ },
  ] },
  { name: 'no ILL offer for a book the asker\'s library holds', steps: [
    { by: P('yuni', 'UI'), say: 'apakah ada the rainbow troops?', lang: 'id', notText: /Tidak tersedia di rak perpustakaan Anda|\/ill request/ },
  ] },
  { name: 'an ILL offer for a book the asker\'s library does not hold', steps: [
    { by: P('zed', 'UI'), say: 'do you have Sang pemimpi?', lang: 'en', text: /Not on your shelf\?[\s\S]*\/ill request/ },
  ] },
  // ——— help and lists ———
  { name: 'help covers catalog, library questions and ILL', steps: [
    { by: P('adi', 'UGM'), say: 'help', lang: 'en', text: /Library questions[\s\S]*Interlibrary loan[\s\S]*\/ill mine[\s\S]*\/ill queue[\s\S]*\/jala/ },
  ] },
  { name: 'bantuan covers catalog, library questions and ILL', steps: [
    { by: P('ayu', 'UGM'), say: 'bantuan', lang: 'id', text: /Pertanyaan tentang perpustakaan[\s\S]*Pinjam antarperpustakaan[\s\S]*\/ill mine[\s\S]*\/jala/ },
  ] },
  { name: 'a pasted reading list is answered as one list', steps: [
    { by: P('bea', 'UGM'), say: 'hi, can you check my reading list?', lang: 'en' },
    { by: P('bea', 'UGM'), say: 'Laskar pelangi\nNegeri 5 menara\nCantik itu luka\nPulang / Leila S. Chudori', lang: 'en', text: /Reading list: 4 of 4/ },
  ] },
];

/** Interlibrary loan as librarians and patrons go through it: the cards and notifications each side reads. */
const ILL_SCRIPTS: Script[] = [
  { name: 'an English patron hears every step in English, the libraries in their own language', steps: [
    { by: P('ella', 'UGM'), say: 'request Pulang please', lang: 'en', work: 'Pulang', placed: false },
    { by: P('ella', 'UGM'), say: 'yes', lang: 'en', work: 'Pulang', placed: true, notify: [{ to: { library: 'UGM' }, text: /pemustaka mengajukan permintaan R\d+\. Sekarang: menunggu ditinjau/ }] },
    { by: L('UGM'), say: '/ill approve $R', lang: 'en', work: 'Pulang', patronNotified: 'en',
      notify: [{ to: 'patron', text: /UGM approved request R\d+\. Now: sent to the lending library — waiting for its answer/ }, { to: { library: 'UI' }, text: /dikirim ke perpustakaan pemberi pinjam/ }] },
    { by: L('UI'), say: '/ill decline $R copy is damaged', lang: 'en', work: 'Pulang', patronNotified: 'en',
      notify: [{ to: 'patron', text: /no library could lend it[\s\S]*ask again/ }, { to: { library: 'UI' }, notText: /mengajukan lagi|ask again/ }, { to: { library: 'UGM' }, text: /mengajukan lagi/ }] },
    { by: L('UGM'), say: '/ill why $R', lang: 'en', text: /UI — declined: not available for interlibrary loan — “copy is damaged”/ },
    { by: P('ella', 'UGM'), say: '/ill mine', lang: 'en', text: /no library could lend it/ },
  ] },
  { name: 'an Indonesian patron hears every step in Indonesian', steps: [
    { by: P('fitri', 'UGM'), say: 'pinjam buku saman dong', lang: 'id', work: 'Saman', placed: false },
    { by: P('fitri', 'UGM'), say: 'ya', lang: 'id', work: 'Saman', placed: true, buttons: { has: ['ill:cancel'], labels: /Batalkan permintaan/ } },
    { by: L('UGM'), say: 'setujui ya', lang: 'id' },
    { by: L('UGM'), say: '/ill approve $R', lang: 'id', work: 'Saman', patronNotified: 'id', notify: [{ to: 'patron', text: /UGM menyetujui permintaan R\d+\. Sekarang: dikirim ke perpustakaan pemberi pinjam/ }] },
    { by: L('UI'), say: '/ill ship $R', lang: 'en', work: 'Saman', patronNotified: 'id', notify: [{ to: 'patron', text: /sudah dikirim oleh pemberi pinjam/ }] },
  ] },
  { name: 'a lender is not offered the borrower\'s actions, and a cancellation says it is one', steps: [
    { by: L('UGM'), say: '/ill request the rainbow troops', lang: 'en', work: 'The rainbow troops', placed: true, notify: [{ to: { library: 'UI' }, text: /dikirim ke perpustakaan pemberi pinjam/ }] },
    { by: L('UI'), say: '/ill status $R', lang: 'en', buttons: { has: ['ill:accept', 'ill:decline'], hasNot: ['ill:cancel', 'ill:approve', 'ill:reject'], labels: /Will lend/ } },
    { by: L('UGM'), say: '/ill cancel $R', lang: 'en', text: /cancellation asked/, notify: [{ to: { library: 'UI' }, text: /UGM meminta pemberi pinjam membatalkan permintaan R\d+/ }] },
    { by: L('UI'), say: '/ill status $R', lang: 'en', buttons: { has: ['ill:approve', 'ill:reject'], labels: /Agree to cancel \| Refuse cancellation|Refuse cancellation.*Agree to cancel|Agree to cancel.*Refuse cancellation/ } },
    { by: L('UI'), say: '/ill approve $R', lang: 'en', text: /cancelled/, notify: [{ to: { library: 'UGM' }, text: /UI menyetujui pembatalan permintaan R\d+/ }] },
  ] },
  { name: 'the borrowing library serves a request from its own shelf before asking anyone', steps: [
    { by: P('gilang', 'UGM'), say: 'pinjam buku Laskar Pelangi', lang: 'id', work: 'Laskar pelangi', placed: false, text: /Perpustakaan Anda sendiri, UGM, punya eksemplar di rak: 899\.2213 HIR l/ },
    { by: P('gilang', 'UGM'), say: 'ya', lang: 'id', work: 'Laskar pelangi', placed: true },
    { by: L('UGM'), say: '/ill fill $R', lang: 'en', work: 'Laskar pelangi', patronNotified: 'id', notify: [{ to: 'patron', text: /dilayani dari koleksi perpustakaan peminjam sendiri/ }] },
  ] },
  { name: 'a librarian cannot request what no library lends', steps: [
    { by: L('UI'), say: '/ill request perahu kertas', lang: 'id', work: 'Perahu kertas', error: 'ill/not-requestable', placed: false },
  ] },
  { name: 'the request button under a result is refused for what cannot be lent', steps: [
    { by: P('hadi', 'USU'), say: 'apakah ada aku ini binatang jalang?', lang: 'id', buttons: { hasNot: ['ill:request'] } },
  ] },
  { name: 'a librarian requests by title at once', steps: [
    { by: L('UGM'), say: 'request Pulang', lang: 'en', work: 'Pulang', placed: true },
  ] },
  { name: 'a librarian requests "it" at once', steps: [
    { by: L('UI'), say: 'apakah ada sang pemimpi?', lang: 'id' },
    { by: L('UI'), say: 'pinjam bukunya', lang: 'id', work: 'Sang pemimpi', placed: true },
  ] },
];

beforeAll(async () => {
  jala = await sampleJala();
  bot = createBot(jala, { ill: createIllService(jala, { now: () => new Date(clock) }), now: () => new Date(clock) });
}, 120_000);
afterAll(() => jala.close());

describe('conversation scripts', () => {
  it('has at least 40 scripts', () => expect(SCRIPTS.length + ILL_SCRIPTS.length).toBeGreaterThanOrEqual(40));
  SCRIPTS.forEach((script, i) => {
    it(script.name, () => run(script, `s${i}`));
  });
});

describe('interlibrary loan scripts', () => {
  ILL_SCRIPTS.forEach((script, i) => {
    it(script.name, () => run(script, `i${i}`));
  });
});
