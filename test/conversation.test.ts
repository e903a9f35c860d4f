import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jala } from '../src/app/create-jala.ts';
import type { BotActor, BotReply } from '../src/bot/bot-types.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { JALA_BIN } from './support/paths.ts';
import { sampleJala } from './support/sample-jala.ts';

const run = promisify(execFile);

const patron = (userId: string, library = 'UGM'): BotActor => ({ platform: 'cli', userId, role: 'patron', library });
const librarian = (library: string): BotActor => ({ platform: 'cli', userId: `lib-${library}`, role: 'librarian', library });

function textOf(reply: BotReply | undefined): string {
  if (!reply) return '';
  return reply.blocks
    .map((b) => (b.type === 'text' ? b.text : b.type === 'answer' ? b.answer.results.map((r) => `${r.title} (${r.year}) ${r.workId} [${r.libraries.join(',')}]`).join('\n') : b.type === 'request-card' ? `${b.request.id} ${b.request.state} ${b.lines.join(' ')}` : ''))
    .join('\n');
}

let jala: Jala;
let clock = Date.parse('2026-11-24T09:00:00Z');
let bot: Bot;
const say = (actor: BotActor, text: string, conversationId = 'thread-1'): BotReply | undefined => bot.handle({ actor, conversationId, text }).replies[0];

beforeAll(async () => {
  jala = await sampleJala();
  bot = createBot(jala, { ill: createIllService(jala), now: () => new Date(clock) });
});
afterAll(() => jala.close());

describe('follow-ups over the last result set', () => {
  it('resolves "the second one", "who has it?", "is it available at UI?" and "request it" (English)', () => {
    const first = say(patron('ana'), 'bumi manusia');
    expect(first?.blocks[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/Ada beberapa karya|Several works/) }); // a clarifying question: two editions
    const answer = first?.blocks.find((b) => b.type === 'answer');
    const second = answer?.type === 'answer' ? answer.answer.results[1] : undefined;
    expect(second).toBeDefined();
    const picked = say(patron('ana'), 'the second one');
    expect(textOf(picked)).toContain(second?.workId as string);
    const holders = say(patron('ana'), 'who has it?');
    expect(holders?.blocks.some((b) => b.type === 'answer' && b.answer.kind === 'holders' && b.answer.results[0]?.workId === second?.workId)).toBe(true);
    const available = say(patron('ana'), 'is it available at UI?');
    const verdict = available?.blocks.find((b) => b.type === 'answer');
    expect(verdict?.type === 'answer' ? verdict.answer.verdict?.library : undefined).toBe('UI');
    const preview = say(patron('ana'), 'request it');
    expect(preview?.request).toBeUndefined(); // shown first, placed when the patron says yes
    expect(preview?.workId).toBe(second?.workId);
    expect(preview?.actions.map((a) => a.id)).toEqual(['ill:confirm', 'ill:dismiss']);
    const request = say(patron('ana'), 'yes');
    expect(request?.request).toMatchObject({ state: 'NEW', requester: 'UGM', workId: second?.workId });
  });

  it('resolves "yang kedua" and "siapa yang punya?" (Indonesian), and "the 2010 edition"', () => {
    say(patron('budi'), 'buku karangan Pramoedya', 'dm-budi');
    const kedua = say(patron('budi'), 'yang kedua', 'dm-budi');
    expect(kedua?.language).toBe('id');
    expect(kedua?.blocks.some((b) => b.type === 'answer' && b.answer.results.length === 1)).toBe(true);
    const siapa = say(patron('budi'), 'siapa yang punya?', 'dm-budi');
    expect(siapa?.blocks.some((b) => b.type === 'answer' && b.answer.kind === 'holders')).toBe(true);
    say(patron('budi'), 'bumi manusia', 'dm-budi');
    const edition = say(patron('budi'), 'the 2010 edition', 'dm-budi');
    expect(textOf(edition)).toMatch(/Bumi manusia \(2010\)/);
  });

  it('keeps each user\'s context to themselves, and forgets it after it expires', () => {
    say(patron('citra'), 'laskar pelangi', 'shared-channel');
    const other = say(patron('dodi'), 'who has it?', 'shared-channel');
    expect(textOf(other)).toMatch(/ask me for it first|tanyakan judulnya dulu/);
    const own = say(patron('citra'), 'who has it?', 'shared-channel');
    expect(textOf(own)).toMatch(/Laskar pelangi/);
    clock += 31 * 60_000; // past the 30-minute context lifetime
    const expired = say(patron('citra'), 'who has it?', 'shared-channel');
    expect(textOf(expired)).toMatch(/ask me for it first|tanyakan judulnya dulu/);
  });
});

describe('clarifying questions', () => {
  it('asks back with choices as buttons when several works carry the title, and answers directly when one dominates', () => {
    const ambiguous = say(patron('eko'), 'Bumi Manusia', 'c-eko');
    expect(ambiguous?.actions.filter((a) => a.id === 'catalog:choose').length).toBeGreaterThanOrEqual(2);
    const chosen = bot.handle({ actor: patron('eko'), conversationId: 'c-eko', action: { id: 'catalog:choose', target: '2', version: 0 } }).replies[0];
    expect(chosen?.blocks.some((b) => b.type === 'answer' && b.answer.results.length === 1)).toBe(true);
    const clear = say(patron('eko'), 'Negeri 5 Menara', 'c-eko');
    expect(clear?.actions.filter((a) => a.id === 'catalog:choose')).toEqual([]);
  });
});

describe('consortium knowledge and the FAQ', () => {
  it('answers library facts in the asker\'s language and says where the answer came from', () => {
    const id = say(patron('fajar'), 'jam buka perpustakaan UGM?', 'k1');
    expect(id?.language).toBe('id');
    expect(textOf(id)).toMatch(/Monday-Friday 08:00-20:00[\s\S]*Sumber: Perpustakaan Universitas Gadjah Mada/);
    const en = say(patron('fajar'), 'can I visit the USU library as a UGM student?', 'k1');
    expect(textOf(en)).toMatch(/visitors[\s\S]*Source: Perpustakaan Universitas Sumatera Utara/);
  });

  it('lets librarians maintain their library\'s FAQ entries, and nobody else', () => {
    const refused = say(patron('gita'), '/jala faq add Can I borrow laptops? | Yes, at the desk.', 'k2');
    expect(refused?.error).toBe('faq/forbidden');
    const added = say(librarian('UGM'), '/jala faq add Can I borrow a laptop in the library? | Yes: UGM lends laptops at the circulation desk for 4 hours.', 'k2');
    expect(textOf(added)).toMatch(/#(\d+)/);
    const faqId = /#(\d+)/.exec(textOf(added))?.[1] as string;
    const answer = say(patron('gita'), 'can I borrow a laptop in the library?', 'k3');
    expect(textOf(answer)).toMatch(/lends laptops[\s\S]*FAQ/);
    expect(say(librarian('UI'), `/jala faq remove ${faqId}`, 'k2')?.error).toBe('faq/forbidden');
    expect(say(librarian('UGM'), `/jala faq edit ${faqId} | Yes, for 2 hours.`, 'k2')?.error).toBeUndefined();
    expect(textOf(say(patron('gita'), 'can I borrow a laptop in the library?', 'k4'))).toMatch(/2 hours/);
    expect(say(librarian('UGM'), `/jala faq remove ${faqId}`, 'k2')?.error).toBeUndefined();
  });
});

describe('questions that are not catalog searches, as people write them', () => {
  it('answers "what is the status of my request?" and "permintaan saya" as /ill mine does', () => {
    expect(say(patron('rina', 'USU'), '/ill request w3', 'm1')?.workId).toBe('w3'); // shown first, placed on "yes"
    const placed = say(patron('rina', 'USU'), 'yes', 'm1');
    expect(textOf(placed)).toMatch(/ILL-|w3|Bumi/i);
    for (const q of ['what is the status of my request?', 'permintaan saya sudah sampai mana ya?']) {
      const reply = say(patron('rina', 'USU'), q, 'm2');
      expect(reply?.blocks.some((b) => b.type === 'request-list')).toBe(true);
      expect(reply?.blocks.some((b) => b.type === 'answer')).toBe(false);
    }
  });

  it('says whether the asker\'s library is open on the day asked, from its hours', () => {
    expect(textOf(say(patron('sari', 'UGM'), 'is the library open on Sunday?', 'h1'))).toMatch(/^No — Perpustakaan Universitas Gadjah Mada \(demo\) is closed on Sunday[\s\S]*Source:/);
    expect(textOf(say(patron('sari', 'UGM'), 'perpus buka hari sabtu gak kak?', 'h2'))).toMatch(/^Ya — Perpustakaan Universitas Gadjah Mada \(demo\) buka hari Sabtu, 08:00-12:00/);
    // someone of no member library is asked which library
    const who = bot.handle({ actor: { platform: 'cli', userId: 'guest', role: 'patron' }, conversationId: 'h3', text: 'is the library open on Sunday?' }).replies[0];
    expect(who?.actions.filter((a) => a.id === 'catalog:choose').length).toBeGreaterThan(1);
  });

  it('finds a FAQ entry by meaning, not by its words, and leaves catalog questions to the catalog', () => {
    say(librarian('UGM'), '/jala faq add Apakah bisa cetak di perpustakaan? | Bisa: printer di lantai 2, Rp500 per halaman.', 'f1');
    expect(textOf(say(patron('tono', 'UGM'), 'bisa ngeprint di perpus gak?', 'f2'))).toMatch(/printer di lantai 2[\s\S]*FAQ/);
    expect(textOf(say(patron('tono', 'UGM'), 'can I print in the library?', 'f3'))).toMatch(/printer di lantai 2/);
    const catalog = say(patron('tono', 'UGM'), 'apakah ada buku tentang printer?', 'f4');
    expect(catalog?.blocks.some((b) => b.type === 'answer')).toBe(true);
  });

  it('reads a long message about one book as a new question, not a follow-up of the last one', () => {
    say(patron('umar'), 'laskar pelangi', 'l1');
    const long = say(
      patron('umar'),
      'Hi, I am a literature student and my lecturer asked us to read a novel for class. It is called Cantik Itu Luka, by Eka Kurniawan I think. Which library has it? Thanks!',
      'l1',
    );
    expect(textOf(long)).toMatch(/Cantik itu luka/);
    expect(textOf(long)).not.toMatch(/Laskar pelangi/);
  });

  it('names an ISBN with a wrong check digit instead of saying nothing matches', () => {
    const reply = say(patron('vina'), 'ISBN 978-979-3062-79-3', 'i1');
    expect(reply?.error).toBe('catalog/invalid-isbn');
    expect(textOf(reply)).toMatch(/9789793062793 is not a valid ISBN/);
  });
});

describe('reading lists', () => {
  it('answers a pasted list item by item, flags what nobody holds and offers ILL for the rest', () => {
    const reply = say(patron('hana', 'UI'), 'Daftar bacaan:\n1. Laskar pelangi\n2. ISBN 978-979-3062-79-2\n3. Hirata, A. (2006). Sang pemimpi. Bentang.\n4. Zzyzx quantum basket weaving', 'rl');
    const body = textOf(reply);
    expect(body).toMatch(/3 dari 4/);
    expect(body).toMatch(/4\. Zzyzx[\s\S]*tidak dimiliki/);
    expect(body).toMatch(/Sang pemimpi \(2006\)/);
    expect(reply?.actions.some((a) => a.id === 'ill:request')).toBe(true);
  });
});

describe('multi-turn through jala say and jala chat', () => {
  it('jala say remembers the conversation between invocations (persisted context)', async () => {
    const j = await sampleJala();
    const dataDir = j.dataDir;
    j.close();
    const s = async (text: string): Promise<string> =>
      (await run(process.execPath, [JALA_BIN, 'say', '--user', 'ika', '--role', 'patron', '--library', 'UGM', '--data-dir', dataDir, text])).stdout;
    expect(await s('negeri 5 menara')).toMatch(/Negeri 5 menara/);
    expect(await s('siapa yang punya?')).toMatch(/Dimiliki oleh 3 perpustakaan|Held by 3 libraries/);
  });

  it('jala chat follows up in one session', async () => {
    const j = await sampleJala();
    const dataDir = j.dataDir;
    j.close();
    const child = execFile(process.execPath, [JALA_BIN, 'chat', '--library', 'UGM', '--data-dir', dataDir]);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin?.end('sang pemimpi\nwho has it?\nkeluar\n');
    await new Promise((r) => child.once('close', r));
    expect(out).toMatch(/Sang pemimpi/);
    expect(out).toMatch(/Held by 1 library|Dimiliki oleh 1 perpustakaan/);
  });
});
