/**
 * Question understanding for English and Bahasa Indonesia, deterministic (no network, no model):
 * a chat message → what kind of question it is, the words to search, fielded parts and filters.
 *
 * The pipeline, each step cutting what it understood out of the text:
 *  1. clean: cap at 500 characters, drop control characters, emoji and chat mentions, normalise quotes
 *     and spaces; empty → 'empty'; only greetings / thanks / help phrases → 'greeting' / 'thanks' / 'help'
 *  2. quoted parts become opaque placeholders (a quoted title is never taken apart)
 *  3. librarian syntax (`title:`, `year:2000-2010`, `lib:UGM`…) — fielded-query.ts
 *  4. identifiers: ISBN, ISSN, OCLC, record/work ids — question-identifiers.ts
 *  5. library mentions with a preposition ("di UGM", "at Universitas Gadjah Mada") — library-mentions.ts
 *  6. unambiguous filter phrases ("published after 2000", "berbahasa Inggris") — question-filters.ts
 *  7. one question frame, matched as a whole leading/trailing pattern — question-frames.ts
 *  8. the material phrase opening the content ("buku karangan", "ebooks about") — material-phrase.ts
 *  9. trailing filters and politeness ("… in English", "… sebelum 1980", "…, please")
 * 10. "Title karya Author" / "Title by Author" split; quoted part → title
 * Words are never removed one by one from a list: a bare title comes back whole.
 *
 * `text` holds everything searchable except an author's name: for "books by X" it is empty and
 * `author` is X; for "a book called X" or "buku tentang X" it is X (and `title` / `subject` say how
 * it was asked); for `title:x author:y` it is "x".
 */
import { detectLanguage } from './detect-language.ts';
import { extractFielded } from './fielded-query.ts';
import { createLibraryMatcher } from './library-mentions.ts';
import { readMaterial, type MaterialRead } from './material-phrase.ts';
import {
  extractFilterPhrases,
  mergeFilters,
  stripTrailingFilters,
  tidySpaces,
  type QuestionFilters,
} from './question-filters.ts';
import { PARTICLE_AT_END, matchFrame, type FrameIntent, type FrameMatch } from './question-frames.ts';
import { createIdentifierScanner, type QuestionIdentifier } from './question-identifiers.ts';
import { GREETING_PATTERNS, HELP_PATTERNS, SMALL_TALK_FILLERS, THANKS_PATTERNS, alternation, type Relation } from './question-lexicon.ts';

export interface LibraryRef {
  code: string;
  name: string;
  aliases: string[];
}

export type QuestionKind = 'search' | 'author' | 'identifier' | 'holders' | 'availability' | 'help' | 'greeting' | 'thanks' | 'empty';

export interface ParsedQuestion {
  kind: QuestionKind;
  language: 'en' | 'id';
  /** free-text words to search, question words stripped ("do you have", "apakah ada buku", "cari buku tentang") */
  text: string;
  /** fielded parts (librarian syntax or understood from phrasing) */
  title?: string;
  author?: string;
  subject?: string;
  /** isbn: 10 or 13 characters without hyphens; issn: NNNN-NNNX; oclc: digits; id: `CODE.localId` or `w123` */
  identifier?: QuestionIdentifier;
  filters: QuestionFilters;
  /** library names in the question that matched several members (for a clarifying question later) */
  ambiguousLibraries?: string[][];
}

/** Longest input read; the rest is ignored. */
export const MAX_QUESTION_LENGTH = 500;

const MARKER = '\uE002';
const MARKERS = /\uE002/gu;
const PLACEHOLDER = /\uE000(.)\uE001/gu;
const PLACEHOLDER_BASE = 0xe100;
const MAX_QUOTES = 200;

export function parseQuestion(input: string, ctx: { libraries: readonly LibraryRef[] }): ParsedQuestion {
  return createQuestionParser(ctx.libraries)(input);
}

/** A parser for one consortium's libraries (build once, call per message). */
export function createQuestionParser(libraries: readonly LibraryRef[]): (input: string) => ParsedQuestion {
  const matcher = createLibraryMatcher(libraries);
  const codes = libraries.map((l) => l.code);
  const scanIdentifiers = createIdentifierScanner(codes);
  const isLibrary = (phrase: string): boolean => matcher.resolve(phrase).kind !== 'none';

  return (input) => {
    const cleaned = cleanInput(typeof input === 'string' ? input : '');
    const language = detectLanguage(cleaned.text);
    if (!/[\p{L}\p{N}]/u.test(cleaned.text)) return { kind: 'empty', language, text: '', filters: {} };
    const smallTalk = classifySmallTalk(cleaned.text);
    if (smallTalk !== undefined) return { kind: smallTalk, language, text: '', filters: {} };

    // 2–6: cut out what is unambiguous wherever it stands
    const quoted = extractQuotes(cleaned.text);
    const restore = (s: string): string => s.replace(PLACEHOLDER, (_, c: string) => quoted.quotes[c.charCodeAt(0) - PLACEHOLDER_BASE] ?? '');
    const fielded = extractFielded(quoted.text, { marker: MARKER, resolveLibrary: matcher.resolve, libraryCodes: codes, restore });
    const ids = scanIdentifiers(fielded.text, MARKER);
    const mentions = matcher.extract(ids.text);
    const phrases = extractFilterPhrases(mentions.text);

    const filters: QuestionFilters = {};
    mergeFilters(filters, fielded.filters);
    if (mentions.library !== undefined) mergeFilters(filters, { library: mentions.library });
    mergeFilters(filters, phrases.filters);
    const ambiguous = [...fielded.ambiguousLibraries, ...mentions.ambiguous];
    const identifier = fielded.identifier ?? ids.identifier;
    const libraryNamed = (): boolean => filters.library !== undefined || ambiguous.length > 0;

    // 7–8: the frame, and the material phrase that opens its content
    const body = trimEnds(phrases.text);
    let frame: FrameMatch | undefined;
    let framedMaterial = undefined as MaterialRead | undefined;
    for (const candidate of greetingVariants(body)) {
      frame = matchFrame(candidate, isLibrary, (f) => {
        const content = stripPoliteness(f.content, true);
        const read = readMaterial(content, true, f.relation);
        if (!weakFrameHolds(f, { hasMaterial: read.matched, content, whole: candidate, question: cleaned.question, library: libraryNamed() })) {
          return false;
        }
        framedMaterial = read;
        return true;
      });
      if (frame !== undefined) break;
    }
    const framed = frame !== undefined;
    if (frame?.library !== undefined) {
      const found = matcher.resolve(frame.library);
      if (found.kind === 'one') mergeFilters(filters, { library: found.code });
      else if (found.kind === 'ambiguous') ambiguous.push(found.codes);
    }
    const material = framed && framedMaterial !== undefined ? framedMaterial : readMaterial(stripPoliteness(body, false), false);
    mergeFilters(filters, {
      ...(material.format !== undefined ? { format: material.format } : {}),
      ...(material.language !== undefined ? { language: material.language } : {}),
    });

    // 9: trailing filters and politeness
    // a material phrase ("books on …", "buku tentang …") is a request too: its tail may carry filters
    const requested = framed || material.matched;
    let content = material.content;
    for (let before = ''; before !== content; ) {
      before = content;
      content = stripPoliteness(content, framed);
      const trailing = stripTrailingFilters(content, requested);
      mergeFilters(filters, trailing.filters);
      content = trimEnds(trailing.text);
    }

    // 10: slots
    const slots = fillSlots(content, material.relation, frame?.intent, framed, restore);
    const title = fielded.title ?? slots.title;
    const author = fielded.author ?? slots.author;
    const subject = fielded.subject ?? slots.subject;
    const text = tidySpaces([slots.text, fielded.title, fielded.subject].filter((s) => s !== undefined && s !== '').join(' '));

    const kind = decideKind({
      intent: frame?.intent,
      identifier: identifier !== undefined,
      library: libraryNamed(),
      relation: material.relation,
      authorOnly: author !== undefined && title === undefined && subject === undefined && text === '',
      authorFromPhrase: slots.authorFromPhrase,
    });
    if (kind === 'availability') filters.available = true;

    const parsed: ParsedQuestion = { kind, language, text, filters };
    if (title !== undefined && title !== '') parsed.title = title;
    if (author !== undefined && author !== '') parsed.author = author;
    if (subject !== undefined && subject !== '') parsed.subject = subject;
    if (identifier !== undefined) parsed.identifier = identifier;
    if (ambiguous.length > 0) parsed.ambiguousLibraries = ambiguous;
    return parsed;
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Cleaning

interface CleanInput {
  text: string;
  /** the message contained a question mark */
  question: boolean;
}

function cleanInput(input: string): CleanInput {
  let s = input.slice(0, MAX_QUESTION_LENGTH * 4).normalize('NFC');
  s = s
    .replace(/<[@#][!&]?[\w-]+(?:\|[^>]*)?>/gu, ' ') // Slack/Discord mentions
    .replace(/(^|\s):[a-z0-9_+-]+:(?=\s|$)/giu, '$1 ') // :emoji: shortcodes
    .replace(/\p{Cf}/gu, '') // zero-width characters inside words
    .replace(/[\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u20E3\uFE0E\uFE0F]/gu, ' ')
    .replace(/[“”„‟«»〝〞＂]/gu, '"')
    .replace(/[‘’‚‛`´]/gu, "'")
    .replace(/[？]/gu, '?')
    .replace(/[！]/gu, '!')
    .replace(/\s+/gu, ' ')
    .trim();
  if (s.length > MAX_QUESTION_LENGTH) s = Array.from(s).slice(0, MAX_QUESTION_LENGTH).join('');
  return { text: trimEnds(s), question: s.includes('?') };
}

/** Trim spaces and sentence punctuation (not quotes or placeholders) from both ends. */
function trimEnds(text: string): string {
  return tidySpaces(text)
    .replace(/^[\s,;:.!?¿¡…~*_|\-–—]+/u, '')
    .replace(/[\s,;:.!?…~*_|\-–—]+$/u, '');
}

// ---------------------------------------------------------------------------------------------
// Small talk

const SMALL_TALK: ReadonlyArray<[QuestionKind, RegExp]> = [
  // thanks first: "thank you for your help" is thanks, not help
  ['thanks', phraseSet(THANKS_PATTERNS)],
  ['help', phraseSet(HELP_PATTERNS)],
  ['greeting', phraseSet(GREETING_PATTERNS)],
];
const FILLERS = new RegExp(`(?<= )${alternation(SMALL_TALK_FILLERS)}(?= )`, 'gu');

function phraseSet(patterns: readonly string[]): RegExp {
  return new RegExp(`(?<= )(?:${patterns.join('|')})(?= )`, 'gu');
}

/** 'help' / 'thanks' / 'greeting' when the message is nothing but such phrases (help wins, then thanks). */
function classifySmallTalk(text: string): QuestionKind | undefined {
  let rest = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}'\s]/gu, ' ').replace(/\s+/gu, ' ').trim()} `;
  const found = new Set<QuestionKind>();
  for (const [kind, re] of SMALL_TALK) {
    rest = rest.replace(re, () => {
      found.add(kind);
      return ' ';
    });
  }
  if (found.size === 0) return undefined;
  if (rest.replace(FILLERS, ' ').trim() !== '') return undefined;
  return found.has('help') ? 'help' : found.has('thanks') ? 'thanks' : 'greeting';
}

const GREETING_LEAD = new RegExp(
  `^(?:${GREETING_PATTERNS.join('|')})(?: ${alternation(SMALL_TALK_FILLERS)})*(?<p> ?[,!.:]+)? `,
  'iu',
);

/** The text without a leading greeting ("Halo, apakah ada …"): always when punctuated, else tried first. */
function greetingVariants(text: string): string[] {
  const m = GREETING_LEAD.exec(text);
  if (!m) return [text];
  const rest = text.slice(m[0].length);
  return m.groups?.['p'] !== undefined ? [rest] : [rest, text];
}

// ---------------------------------------------------------------------------------------------
// 2. Quotes

function extractQuotes(text: string): { text: string; quotes: string[] } {
  const quotes: string[] = [];
  const out = text
    .replace(/"([^"]*)"|(?<![\p{L}\p{N}])'([^']{2,})'(?![\p{L}\p{N}])/gu, (_whole, dq: string | undefined, sq: string | undefined) => {
      const inner = tidySpaces(dq ?? sq ?? '');
      if (!/[\p{L}\p{N}]/u.test(inner) || quotes.length >= MAX_QUOTES) return ` ${inner} `;
      quotes.push(inner);
      return ` \uE000${String.fromCharCode(PLACEHOLDER_BASE + quotes.length - 1)}\uE001 `;
    })
    .replace(/"/gu, ' ');
  return { text: tidySpaces(out), quotes };
}

// ---------------------------------------------------------------------------------------------
// 7. Frames

interface FrameEvidence {
  /** the content opens with a material phrase ("buku …") */
  hasMaterial: boolean;
  content: string;
  /** the text the frame was matched on */
  whole: string;
  question: boolean;
  library: boolean;
}

function weakFrameHolds(frame: FrameMatch, e: FrameEvidence): boolean {
  switch (frame.weak) {
    case undefined:
      return true;
    case 'library':
      return e.library;
    case 'lead':
      return e.library || e.hasMaterial || /^\uE000/u.test(e.content) || PARTICLE_AT_END.test(e.content);
    case 'trail':
      return e.library || e.question || PARTICLE_AT_END.test(e.whole);
  }
}

// ---------------------------------------------------------------------------------------------
// 9. Politeness

const POLITE_WORDS = alternation([
  'please', 'pls', 'plz', 'thanks', 'thank you', 'thx', 'ty', 'tq', 'terima kasih', 'makasih', 'trims', 'ya', 'yah',
  'dong', 'deh', 'nih', 'sih', 'kak', 'min', 'gan', 'sis', 'bro', 'bang', 'mas', 'mbak', 'pak', 'bu', 'jala', 'ok',
  'oke', 'gak', 'nggak', 'ngga', 'ga', 'enggak', 'tidak', 'ndak', 'gk', 'kah', 'for me', 'untuk saya', 'buat saya',
  'thanks in advance',
]);
const POLITE_FRAMED = new RegExp(`(?:[\\s,.!?]+${POLITE_WORDS})+$`, 'iu');
const POLITE_BARE = new RegExp(`\\s*[,.!?]+\\s*${POLITE_WORDS}(?:[\\s,.!?]+${POLITE_WORDS})*$`, 'iu');
const POLITE_LEAD = new RegExp(`^(?:please|pls|plz|tolong|mohon)[,\\s]+(?=\\S)`, 'iu');

function stripPoliteness(text: string, framed: boolean): string {
  let out = trimEnds(text.replace(framed ? POLITE_FRAMED : POLITE_BARE, ''));
  if (framed) out = trimEnds(out.replace(POLITE_LEAD, ''));
  return out === '' ? trimEnds(text) : out;
}

// ---------------------------------------------------------------------------------------------
// 10. Slots

interface Slots {
  text: string;
  title?: string;
  author?: string;
  subject?: string;
  authorFromPhrase: boolean;
}

const STRONG_BY = /^(?<t>.+?) (?:karya|karangan|written by|ditulis oleh|yang ditulis oleh|dikarang oleh|yang dikarang oleh) (?<a>.+)$/iu;
const WEAK_BY = /^(?<t>.+?),? (?:by|oleh|tulisan) (?<a>.+)$/iu;

function fillSlots(content: string, relation: Relation | undefined, intent: FrameIntent | undefined, framed: boolean, restore: (s: string) => string): Slots {
  const finish = (s: string): string => trimEnds(restore(s.replace(MARKERS, ' ')));
  const hasQuote = /\uE000/u.test(content);
  if (intent === 'author' || relation === 'author') {
    const author = finish(content);
    return { text: '', ...(author !== '' ? { author } : {}), authorFromPhrase: true };
  }
  const split = splitTitleAuthor(content.replace(MARKERS, ' ').trim(), framed);
  const main = split === undefined ? content : split.title;
  const text = finish(main);
  const slots: Slots = { text, authorFromPhrase: false };
  if (split !== undefined) slots.author = finish(split.author);
  if (relation === 'about') slots.subject = text;
  else if (relation === 'title' || split !== undefined) slots.title = text;
  else if (hasQuote) {
    const first = /\uE000.\uE001/u.exec(main);
    if (first) slots.title = finish(first[0]);
  }
  if (slots.title === '') delete slots.title;
  if (slots.subject === '') delete slots.subject;
  return slots;
}

function splitTitleAuthor(content: string, framed: boolean): { title: string; author: string } | undefined {
  const strong = STRONG_BY.exec(content);
  if (strong?.groups?.['t'] !== undefined && strong.groups['a'] !== undefined) {
    return { title: strong.groups['t'], author: strong.groups['a'] };
  }
  const weak = WEAK_BY.exec(content);
  const t = weak?.groups?.['t'];
  const a = weak?.groups?.['a'];
  if (t === undefined || a === undefined) return undefined;
  // "Stand by Me" stays a title: without a frame, "by" needs a name of two or more capitalised words
  const words = a.split(' ');
  const name = words.length >= 2 && words.length <= 5 && words.every((w) => /^[\p{Lu}]/u.test(w));
  return framed || name ? { title: t, author: a } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Kind

function decideKind(q: {
  intent: FrameIntent | undefined;
  identifier: boolean;
  library: boolean;
  relation: Relation | undefined;
  authorOnly: boolean;
  authorFromPhrase: boolean;
}): QuestionKind {
  const haveAtLibrary = q.intent === 'have' && q.library && q.relation !== 'about' && q.relation !== 'author';
  if (q.intent === 'availability' || haveAtLibrary) return 'availability';
  if (q.intent === 'holders') return q.library ? 'availability' : 'holders';
  if (q.identifier) return 'identifier';
  if (q.authorFromPhrase || q.authorOnly) return 'author';
  return 'search';
}
