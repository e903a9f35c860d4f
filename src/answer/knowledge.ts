/**
 * The consortium's shared knowledge: facts about each member (opening hours, address, membership,
 * visiting rights, loan rules, contact) from the consortium config, and librarian-maintained FAQ
 * entries. Answers say where they came from.
 */
import type { Language } from './answer-types.ts';
import { detectLanguage } from './detect-language.ts';
import { createLibraryMatcher, type LibraryNames } from './library-mentions.ts';
import { matchFaq } from './faq-match.ts';
import { MAX_QUESTION_LENGTH } from './parse-question.ts';
import { askedDay, hoursOn, type DayHours, type Weekday } from './opening-hours.ts';
import { serviceIntent } from './service-intents.ts';

export type FactTopic = 'hours' | 'address' | 'membership' | 'visiting' | 'loanRules' | 'contact';

// bounded gaps (.{0,60}), never `.*`: an open-ended gap is rescanned from every start and a long message takes minutes
const TOPICS: ReadonlyArray<{ topic: FactTopic; words: RegExp }> = [
  { topic: 'hours', words: /\b(jam (buka|tutup|layanan|operasional|berapa)|buka (jam|pukul|kapan|hari)|kapan buka|opening hours?|open(ing)? times?|hours|when (is|are) .{0,60}open|when does .{0,60}(open|close)|what time .{0,60}(open|close)|libur|tutup|buka|(is|are) .{0,60}\b(open|closed)\b|open (on|today|tomorrow|this|tonight)|closed (on|today|tomorrow|this))\b/i },
  { topic: 'visiting', words: /\b(visit|berkunjung|kunjungi|mengunjungi|as an? .{0,60}(student|member)|sebagai (mahasiswa|anggota)|guest|tamu|pengunjung|akses untuk)\b/i },
  { topic: 'membership', words: /\b(member(ship)?|join|register|anggota|keanggotaan|daftar|mendaftar|kartu)\b/i },
  { topic: 'loanRules', words: /\b(loan (rules?|period|policy)|borrowing (rules?|limits?)|how (many|long) .{0,60}(borrow|loan|keep|renew)|aturan (pinjam|peminjaman)|lama (pinjam|peminjaman)|berapa (lama|banyak|buku|hari) .{0,60}(pinjam|dipinjam|minjem)|boleh pinjam berapa|denda|fines?|late fees?)\b/i },
  { topic: 'address', words: /\b(address|alamat|where is|located|lokasi|letak|di mana (letak|lokasi|alamat))\b/i },
  { topic: 'contact', words: /\b(contact|kontak|email|e-mail|phone|telepon|telp|whatsapp|wa|hubungi)\b/i },
];

export interface LibraryFacts extends LibraryNames {
  info: Record<string, string | { en?: string; id?: string }>;
}

export interface FaqItem {
  id: number;
  library: string | null;
  question: string;
  answer: string;
}

export type KnowledgeAnswer =
  | { kind: 'fact'; language: Language; library: string; libraryName: string; topic: FactTopic; text: string; day?: { day: Weekday; hours: DayHours | undefined } }
  | { kind: 'faq'; language: Language; entry: FaqItem }
  | { kind: 'ambiguous-library'; language: Language; topic: FactTopic; libraries: string[] };

/**
 * A question about a member library or one the FAQ answers; undefined when it is a catalog question.
 * Opening hours asked for a day ("open on Sunday?", "buka hari sabtu?") say that day's hours.
 */
export function answerFromKnowledge(
  question: string,
  libraries: readonly LibraryFacts[],
  faq: readonly FaqItem[],
  homeLibrary?: string,
  today: Weekday = new Date().getDay() as Weekday,
): KnowledgeAnswer | undefined {
  // a knowledge question is a sentence or two: never run the patterns below on more than a question's length
  if (question.length > MAX_QUESTION_LENGTH) question = question.slice(0, MAX_QUESTION_LENGTH);
  const language = detectLanguage(question);
  const service = serviceIntent(question);
  // a topic word alone ("tutup", "member") is not enough when the message reads as a catalog question
  const topic = service === 'library-info' || STRONG_TOPIC.test(question) ? TOPICS.find((t) => t.words.test(question))?.topic ?? (service === 'library-info' ? 'hours' : undefined) : undefined;
  if (topic) {
    const matcher = createLibraryMatcher(libraries);
    const mentions = matcher.extract(question);
    let code = mentions.library;
    if (!code) {
      // "jam buka perpustakaan UGM" — names without a preposition count here: the topic made it a library question
      // "as a USU student" / "sebagai mahasiswa USU" names where the asker comes from, not where they ask about
      const about = question.replace(/\b(as an?|sebagai)\s+(\S+\s+){0,3}?(student|member|mahasiswa|anggota|pemustaka|dosen|staff?)(\s+\S+){0,3}/giu, ' ').replace(/\b(as an?|sebagai)\s+(mahasiswa|anggota|pemustaka)\s+\S+/giu, ' ');
      const direct = libraries
        .filter((l) => new RegExp(`(^|[^\\p{L}])(${[l.code, ...l.aliases].map(escape).join('|')})([^\\p{L}]|$)`, 'iu').test(about))
        .sort((a, b) => Number(b.info[topic] !== undefined) - Number(a.info[topic] !== undefined));
      if (direct.length > 1) {
        const first = mentions.ambiguous[0];
        if (first && first.length > 1) return { kind: 'ambiguous-library', language, topic, libraries: first };
      }
      code = direct[0]?.code ?? (mentions.ambiguous[0] && mentions.ambiguous[0].length > 1 ? undefined : homeLibrary);
      if (!code && mentions.ambiguous[0] && mentions.ambiguous[0].length > 1) return { kind: 'ambiguous-library', language, topic, libraries: mentions.ambiguous[0] };
    }
    if (code === undefined) {
      // "is the library open on Sunday?" from someone of no member library: ask which one
      const withTopic = libraries.filter((l) => l.info[topic] !== undefined).map((l) => l.code);
      if (withTopic.length > 1) return { kind: 'ambiguous-library', language, topic, libraries: withTopic.slice(0, 5) };
      code = withTopic[0];
    }
    const lib = libraries.find((l) => l.code === code);
    const value = lib?.info[topic];
    if (lib && value !== undefined) {
      const text = typeof value === 'string' ? value : (value[language] ?? value.en ?? value.id ?? '');
      if (text !== '') {
        const answer: KnowledgeAnswer = { kind: 'fact', language, library: lib.code, libraryName: lib.name, topic, text };
        const day = topic === 'hours' ? askedDay(question, today) : undefined;
        if (day !== undefined) answer.day = { day, hours: hoursOn(text, day) };
        return answer;
      }
    }
  }
  const best = bestFaq(question, faq, homeLibrary);
  return best ? { kind: 'faq', language, entry: best } : undefined;
}

/** Topic words that make a library question on their own (without the whole-phrase service intents). */
const STRONG_TOPIC = /\b(jam (buka|tutup|layanan|operasional)|opening hours?|open(ing)? times?|loan (rules?|period|policy)|aturan (pinjam|peminjaman)|alamat|address|contact|kontak|keanggotaan|membership|visit|berkunjung|denda|fines?)\b/i;

/** The FAQ entry the question asks by meaning (faq-match.ts), among the entries for the asker's library and the consortium. */
function bestFaq(question: string, faq: readonly FaqItem[], homeLibrary?: string): FaqItem | undefined {
  const lower = question.toLowerCase();
  const visible = faq.filter((entry) => entry.library === null || homeLibrary === undefined || entry.library === homeLibrary || lower.includes(entry.library.toLowerCase()));
  return matchFaq(question, visible)?.entry;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
