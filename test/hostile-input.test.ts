/**
 * Issue 17: no message can stall the bot. Every parser a chat message reaches — the command line,
 * ISBN and identifier extraction, the question parser with its fielded syntax, follow-ups, library
 * knowledge and service intents, FAQ matching and the FAQ command, reading lists, language detection —
 * is fed generated hostile inputs of 10 KB, 100 KB and 1 MB, each compared with ordinary words of the
 * same size (test/support/linear-growth.ts): a factor between two measurements, never a clock threshold.
 * A quadratic pattern is thousands of times off at 1 MB; a linear one a small constant.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../src/answer/detect-language.ts';
import { matchFaq } from '../src/answer/faq-match.ts';
import { extractFielded } from '../src/answer/fielded-query.ts';
import { answerFromKnowledge, type LibraryFacts } from '../src/answer/knowledge.ts';
import { createLibraryMatcher } from '../src/answer/library-mentions.ts';
import { askedDay, hoursOn } from '../src/answer/opening-hours.ts';
import { parseFollowUp } from '../src/answer/parse-follow-up.ts';
import { createQuestionParser } from '../src/answer/parse-question.ts';
import { createIdentifierScanner } from '../src/answer/question-identifiers.ts';
import { readReadingList } from '../src/answer/reading-list.ts';
import { serviceIntent } from '../src/answer/service-intents.ts';
import { parseFaqArgs } from '../src/bot/faq-command-args.ts';
import { parseCommandLine } from '../src/bot/parse-command-line.ts';
import { isbnCandidate, normalizeIsbn } from '../src/mapping/isbn.ts';
import { DEFAULT_DATA_DIR } from '../src/config/data-dir.ts';
import { MAX_DOUBLING_RATIO, MAX_HOSTILE_FACTOR, compareWithOrdinary, doublingRatio, hostile, ordinaryTimes } from './support/linear-growth.ts';

const config = JSON.parse(fs.readFileSync(path.join(DEFAULT_DATA_DIR, 'consortium.json'), 'utf8')) as { libraries: LibraryFacts[] };
const libraries = config.libraries.map((l) => ({ code: l.code, name: l.name, aliases: [...l.aliases], info: l.info, lends: true }));
const codes = libraries.map((l) => l.code);
const parseQuestion = createQuestionParser(libraries);
const scanIdentifiers = createIdentifierScanner(codes);
const matcher = createLibraryMatcher(libraries);
const faq = [
  { id: 1, library: null, question: 'Apakah bisa cetak di perpustakaan?', answer: 'Ya, di lantai 2.' },
  { id: 2, library: 'UGM', question: 'Can I bring a laptop?', answer: 'Yes.' },
];

/** Every parser a message can reach, called as the bot calls it. */
const PARSERS: Record<string, (text: string) => unknown> = {
  'command line': parseCommandLine,
  'ISBN candidate': isbnCandidate,
  'ISBN normalisation': normalizeIsbn,
  identifiers: (t) => scanIdentifiers(t, '\uE002'),
  question: parseQuestion,
  'fielded syntax': (t) => extractFielded(t, { marker: '\uE002', resolveLibrary: matcher.resolve, libraryCodes: codes, restore: (s) => s }),
  'follow-up': parseFollowUp,
  knowledge: (t) => answerFromKnowledge(t, libraries, faq, 'UGM', 1),
  'service intent': serviceIntent,
  'asked day': (t) => askedDay(t, 1),
  'opening hours text': (t) => hoursOn(t, 1),
  'FAQ match': (t) => matchFaq(t, faq),
  'FAQ command': (t) => parseFaqArgs(t, { libraryPrefix: true, questionRequired: true }),
  'reading list': readReadingList,
  language: detectLanguage,
};

/** Inputs that made patterns backtrack: long runs, and openings that start a pattern with no end in sight. */
const CASES: Record<string, (size: number) => string> = {
  digits: hostile('', '1'),
  'ill request + digits': hostile('/ill request ', '7'),
  'spaced digits': hostile('isbn ', '1 '),
  'hyphened digits': hostile('', '1-'),
  spaces: hostile('a', ' ', 'b'),
  'faq add + spaces': hostile('add UGM: q', ' ', 'x'),
  newlines: hostile('', 'a\n'),
  'question marks': hostile('', '?', 'a'),
  'when is': hostile('', 'when is '),
  'when is … (never open)': hostile('when is the library ', 'x '),
  'as a': hostile('', 'as a '),
  'how many': hostile('how many ', 'x '),
  'perpus dimana': hostile('perpus dimana', ' ', 'x'),
  'where is the library': hostile('', 'where is the library '),
  'my request': hostile('', 'my request '),
  words: hostile('', 'the book '),
  letters: hostile('', 'a'),
  parens: hostile('', '('),
  quotes: hostile('', '"a'),
  pipes: hostile('', '| '),
  'field values': hostile('title:', 'x '),
  'library codes': hostile('', 'UGM '),
  'record ids': hostile('', 'UGM.a-'),
  ampersands: hostile('', '& '),
  emoji: hostile('', '🙂'),
  'closed on': hostile('closed on ', 'sunday, '),
};

// generated cases: short mixes of the tokens patterns care about, repeated to the size (fixed seed: the same every run)
const TOKENS = ['1', '9', 'X', ' ', '-', '\n', '?', '.', ',', ':', '|', '(', '"', 'is', 'a', 'the', 'open', 'when', 'isbn', 'UGM', 'title:', 'buka', 'jam', 'how', 'many', '978'];
for (const [i, unit] of fc.sample(fc.array(fc.constantFrom(...TOKENS), { minLength: 2, maxLength: 6 }).map((a) => a.join('')), { numRuns: 4, seed: 17 }).entries()) {
  CASES[`generated ${i + 1} (${JSON.stringify(unit)})`] = hostile('', unit);
}

describe('hostile input: 10 KB, 100 KB and 1 MB are never both far slower than ordinary words and growing faster than their length', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name}`, { timeout: 600_000 }, () => {
      const ordinary = ordinaryTimes(parse);
      const slow: string[] = [];
      for (const [caseName, make] of Object.entries(CASES)) {
        const c = compareWithOrdinary(parse, make, ordinary);
        // far slower than ordinary words AND growing faster than its length on the last step measured
        const [before = 0, last = 0] = c.ms.slice(-2);
        const growth = c.ms.length < 2 ? 1 : last / Math.max(before, 0.5) / 10;
        if (!(c.factors.some((f) => f > MAX_HOSTILE_FACTOR) && growth > 3)) continue;
        // confirmed by one more doubling (1 MB → 2 MB, best of three): quadratic grows about fourfold, a pause on a busy machine does not
        const d = doublingRatio(parse, make);
        if (d.ratio > MAX_DOUBLING_RATIO) slow.push(`${caseName}: ${c.ms.map((m) => `${m.toFixed(1)} ms`).join(' → ')}, 2 MB ${d.ms[1].toFixed(1)} ms (ordinary: ${ordinary.map((m) => m.toFixed(1)).join(' → ')})`);
      }
      expect(slow).toEqual([]);
    });
  }
});
