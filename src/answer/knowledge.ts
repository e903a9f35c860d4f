/**
 * The consortium's shared knowledge: facts about each member (opening hours, address, membership,
 * visiting rights, loan rules, contact) from the consortium config, and librarian-maintained FAQ
 * entries. Answers say where they came from.
 */
import type { Language } from './answer-types.ts';
import { detectLanguage } from './detect-language.ts';
import { createLibraryMatcher, type LibraryNames } from './library-mentions.ts';
import { foldedTokens } from '../search/analyze-text.ts';

export type FactTopic = 'hours' | 'address' | 'membership' | 'visiting' | 'loanRules' | 'contact';

const TOPICS: ReadonlyArray<{ topic: FactTopic; words: RegExp }> = [
  { topic: 'hours', words: /\b(jam (buka|layanan|operasional)|buka (jam|pukul|kapan|hari)|kapan buka|opening hours?|open(ing)? times?|hours|when (is|are) .* open|when does .* open|libur|tutup)\b/i },
  { topic: 'visiting', words: /\b(visit|berkunjung|kunjungi|mengunjungi|as an? .* (student|member)|sebagai (mahasiswa|anggota)|guest|tamu|pengunjung|akses untuk)\b/i },
  { topic: 'membership', words: /\b(member(ship)?|join|register|anggota|keanggotaan|daftar|mendaftar|kartu)\b/i },
  { topic: 'loanRules', words: /\b(loan (rules?|period|policy)|how (many|long) .* (borrow|loan|keep)|aturan (pinjam|peminjaman)|lama (pinjam|peminjaman)|berapa (lama|banyak) .* pinjam|denda|fines?)\b/i },
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
  | { kind: 'fact'; language: Language; library: string; libraryName: string; topic: FactTopic; text: string }
  | { kind: 'faq'; language: Language; entry: FaqItem }
  | { kind: 'ambiguous-library'; language: Language; topic: FactTopic; libraries: string[] };

/** A question about a member library or one the FAQ answers; undefined when it is a catalog question. */
export function answerFromKnowledge(question: string, libraries: readonly LibraryFacts[], faq: readonly FaqItem[], homeLibrary?: string): KnowledgeAnswer | undefined {
  const language = detectLanguage(question);
  const topic = TOPICS.find((t) => t.words.test(question))?.topic;
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
    const lib = libraries.find((l) => l.code === code);
    const value = lib?.info[topic];
    if (lib && value !== undefined) {
      const text = typeof value === 'string' ? value : (value[language] ?? value.en ?? value.id ?? '');
      if (text !== '') return { kind: 'fact', language, library: lib.code, libraryName: lib.name, topic, text };
    }
  }
  const best = bestFaq(question, faq, homeLibrary);
  return best ? { kind: 'faq', language, entry: best } : undefined;
}

/** The FAQ entry whose question shares most of its words with the asker's (at least two, and 60 %). */
function bestFaq(question: string, faq: readonly FaqItem[], homeLibrary?: string): FaqItem | undefined {
  const asked = new Set(foldedTokens(question).filter((w) => w.length > 2));
  let best: { entry: FaqItem; score: number } | undefined;
  for (const entry of faq) {
    if (entry.library !== null && homeLibrary !== undefined && entry.library !== homeLibrary && !question.toLowerCase().includes(entry.library.toLowerCase())) continue;
    const words = [...new Set(foldedTokens(entry.question).filter((w) => w.length > 2))];
    if (words.length === 0) continue;
    const shared = words.filter((w) => asked.has(w)).length;
    const score = shared / words.length;
    if (shared >= Math.min(2, words.length) && score >= 0.6 && (!best || score > best.score)) best = { entry, score };
  }
  return best?.entry;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
