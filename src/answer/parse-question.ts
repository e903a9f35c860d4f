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
import { FORMAT_MATERIALS, GENERIC_MATERIALS, GREETING_PATTERNS, HELP_PATTERNS, SMALL_TALK_FILLERS, THANKS_PATTERNS, alternation, type Relation } from './question-lexicon.ts';
import { contentScore, isStory, splitPieces, storyContent, trimName, withoutHedges } from './message-segments.ts';
import { serviceIntent } from './service-intents.ts';
import { cutEditionYear, cutInvalidIsbn, innerFrame, stripTrailingQuestion } from './question-tails.ts';

export interface LibraryRef {
  code: string;
  name: string;
  aliases: string[];
}

/**
 * 'my-requests': the asker's own interlibrary-loan requests ("status of my request", "permintaan
 * saya"); 'library-info': opening hours, visiting or borrowing rules of a member (answered from the
 * libraries' info, not the catalog).
 */
export type QuestionKind =
  | 'search'
  | 'author'
  | 'identifier'
  | 'holders'
  | 'availability'
  | 'help'
  | 'greeting'
  | 'thanks'
  | 'empty'
  | 'my-requests'
  | 'library-info';

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
  /** the subject was given with `subject:` (searched in subjects only); a subject asked in words is searched in titles too */
  subjectFielded?: boolean;
  /** a year asked as the edition wanted ("Pride and prejudice 1967"): ranks that year first, filters nothing */
  editionYear?: number;
  /** an ISBN written in the question with a wrong check digit (ISBN-10 or -13 as typed, compact) */
  invalidIsbn?: string;
  /** other readings of the message (another clause asking the same in other words), tried when this one finds little */
  alternatives?: ParsedQuestion[];
}

/** Longest input read (a long message about one book is reduced to its content); the rest is ignored. */
export const MAX_QUESTION_LENGTH = 2000;

const MARKER = '\uE002';
const MARKERS = /\uE002/gu;
const PLACEHOLDER = /\uE000(.)\uE001/gu;
const PLACEHOLDER_BASE = 0xe100;
const MAX_QUOTES = 200;

export function parseQuestion(input: string, ctx: { libraries: readonly LibraryRef[] }): ParsedQuestion {
  let parser = parsers.get(ctx.libraries);
  if (!parser) parsers.set(ctx.libraries, (parser = createQuestionParser(ctx.libraries)));
  return parser(input);
}

/** One parser per list of libraries (building one compiles the library and identifier patterns). */
const parsers = new WeakMap<readonly LibraryRef[], (input: string) => ParsedQuestion>();

/** A parser for one consortium's libraries (build once, call per message). */
export function createQuestionParser(libraries: readonly LibraryRef[]): (input: string) => ParsedQuestion {
  const matcher = createLibraryMatcher(libraries);
  const codes = libraries.map((l) => l.code);
  const scanIdentifiers = createIdentifierScanner(codes);
  const isLibrary = (phrase: string): boolean => matcher.resolve(phrase).kind !== 'none';

  /** Steps 5–10 on one piece of the message: library mentions, filter phrases, the frame, the material phrase, slots. */
  const readPiece = (text: string, question: boolean, restore: (s: string) => string): PieceRead => {
    const mentions = matcher.extract(text);
    const phrases = extractFilterPhrases(mentions.text);
    const filters: QuestionFilters = {};
    if (mentions.library !== undefined) mergeFilters(filters, { library: mentions.library });
    mergeFilters(filters, phrases.filters);
    const ambiguous = [...mentions.ambiguous];
    const libraryNamed = (): boolean => filters.library !== undefined || ambiguous.length > 0;

    // 7–8: the frame, and the material phrase that opens its content
    let body = trimEnds(phrases.text);
    let frame: FrameMatch | undefined;
    let framedMaterial = undefined as MaterialRead | undefined;
    const tryFrames = (text: string): void => {
      for (const candidate of greetingVariants(text)) {
        frame = matchFrame(candidate, isLibrary, (f) => {
          const content = stripPoliteness(f.content, true);
          const read = readMaterial(content, true, f.relation);
          if (!weakFrameHolds(f, { hasMaterial: read.matched, content, whole: candidate, question, library: libraryNamed() })) {
            return false;
          }
          framedMaterial = read;
          return true;
        });
        if (frame !== undefined) break;
      }
    };
    tryFrames(body);
    // a question hung on the end ("Laskar Pelangi, ada gak ya?"): cut, kept as what is asked
    let trail: ReturnType<typeof stripTrailingQuestion> = { text: body };
    if (frame === undefined) {
      trail = stripTrailingQuestion(body);
      if (trail.intent !== undefined) {
        body = trail.text;
        tryFrames(body);
      }
    }
    if (frame === undefined) {
      // a request that starts inside the piece: "saya mahasiswa UGM mau cari buku X"
      const inner = innerFrame(body, isLibrary, question, libraryNamed());
      if (inner) {
        frame = inner.frame;
        framedMaterial = inner.material;
      }
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

    // 9: trailing filters, politeness and questions about it ("…, ada gak ya?")
    // a material phrase ("books on …", "buku tentang …") is a request too: its tail may carry filters
    const requested = framed || material.matched;
    let content = material.content;
    let trailingIntent = trail.intent;
    for (let before = ''; before !== content; ) {
      before = content;
      content = stripPoliteness(content, framed || trail.intent !== undefined);
      const question2 = stripTrailingQuestion(content);
      content = question2.text;
      trailingIntent ??= question2.intent;
      const trailing = stripTrailingFilters(content, requested);
      mergeFilters(filters, trailing.filters);
      content = trimEnds(trailing.text);
    }
    if (trail.library !== undefined) {
      const found = matcher.resolve(trail.library);
      if (found.kind === 'one') mergeFilters(filters, { library: found.code });
    }

    // 10: slots; a story sentence ("my professor recommended Damned to Fame by James Knowlson")
    // gives the title and author it names, and an author's name loses the story after it
    let slots = fillSlots(content, material.relation, frame?.intent, framed || trailingIntent !== undefined, restore);
    const story = material.relation === 'author' || frame?.intent === 'author' ? undefined : framed ? leadingTitle(content) ?? storyContent(content) : storyContent(content);
    if (story !== undefined) {
      const told = `${story.title} ${story.author ?? ''}`.split(/\s+/u).filter((w) => w !== '').length;
      const rest = content.split(/\s+/u).length - told;
      if (rest >= 3) {
        const title = trimEnds(restore(story.title.replace(MARKERS, ' ')));
        slots = { text: title, title, authorFromPhrase: false };
        if (story.author) slots.author = trimEnds(restore(story.author));
      }
    }
    if (slots.author !== undefined && !slots.authorFromPhrase) {
      const trimmed = trimName(slots.author);
      if (trimmed !== '') slots.author = trimmed;
    } else if (slots.author !== undefined) {
      const trimmed = trimName(withoutHedges(slots.author));
      if (trimmed !== '' && trimmed.split(' ').length >= 1) slots.author = trimmed;
    }
    return {
      slots,
      filters,
      ambiguous,
      intent: frame?.intent ?? trailingIntent,
      framed: framed || trailingIntent !== undefined,
      relation: material.relation,
      content,
    };
  };

  return (input) => {
    const cleaned = cleanInput(typeof input === 'string' ? input : '');
    const language = detectLanguage(cleaned.text);
    if (!/[\p{L}\p{N}]/u.test(cleaned.text)) return { kind: 'empty', language, text: '', filters: {} };
    const smallTalk = classifySmallTalk(cleaned.text);
    if (smallTalk !== undefined) return { kind: smallTalk, language, text: '', filters: {} };

    // 2–4: cut out what is unambiguous wherever it stands
    const quoted = extractQuotes(cleaned.text);
    const restore = (s: string): string => s.replace(PLACEHOLDER, (_, c: string) => quoted.quotes[c.charCodeAt(0) - PLACEHOLDER_BASE] ?? '');
    const fielded = extractFielded(quoted.text, { marker: MARKER, resolveLibrary: matcher.resolve, libraryCodes: codes, restore });
    const badIsbn = fielded.identifier === undefined ? cutInvalidIsbn(fielded.text, MARKER) : { text: fielded.text };
    const ids = scanIdentifiers(badIsbn.text, MARKER);
    const identifier = fielded.identifier ?? ids.identifier;
    if (identifier === undefined && badIsbn.isbn === undefined) {
      const service = serviceIntent(cleaned.text);
      if (service !== undefined) return { kind: service, language, text: '', filters: {} };
    }

    // the message reduced to the pieces that carry what is asked (message-segments.ts)
    const reduced = reduceMessage(ids.text, cleaned.question, restore);
    const read = reduced.main;

    const filters: QuestionFilters = {};
    mergeFilters(filters, fielded.filters);
    mergeFilters(filters, read.filters);
    for (const extra of reduced.extraFilters) mergeFilters(filters, extra);
    const ambiguous = [...fielded.ambiguousLibraries, ...read.ambiguous];
    const libraryNamed = (): boolean => filters.library !== undefined || ambiguous.length > 0;

    const slots = read.slots;
    const title = fielded.title ?? slots.title;
    const author = fielded.author ?? slots.author ?? reduced.author;
    const subject = fielded.subject ?? slots.subject;
    let text = tidySpaces([slots.text, fielded.title, fielded.subject].filter((s) => s !== undefined && s !== '').join(' '));
    // "buku berbahasa Jawa", "books in French": a material word and filters ask for the filters alone
    const listing = (f: QuestionFilters): boolean => f.language !== undefined || f.yearFrom !== undefined || f.yearTo !== undefined || f.format !== undefined;
    const hasFilters = listing(fielded.filters) || listing(read.filters);
    if (hasFilters && title === undefined && author === undefined && subject === undefined && LONE_MATERIALS.has(text.toLowerCase())) {
      text = '';
      slots.text = '';
    }
    // "Pride and prejudice 1967": a year after the title asks for that edition; it filters nothing, and
    // the words stay as typed ("Dilan 1990" is a title too: the answer tries both readings)
    let editionYear = reduced.year;
    const titleOut = title;
    if (fielded.title === undefined && filters.yearFrom === undefined && filters.yearTo === undefined) editionYear ??= cutEditionYear(text)?.year;
    const intent = strongestIntent(read.intent, reduced.intents);
    const kind = decideKind({
      intent,
      identifier: identifier !== undefined,
      library: libraryNamed(),
      relation: read.relation,
      authorOnly: author !== undefined && titleOut === undefined && subject === undefined && text === '',
      authorFromPhrase: slots.authorFromPhrase,
    });
    if (kind === 'availability') filters.available = true;

    const parsed: ParsedQuestion = { kind, language, text, filters };
    if (titleOut !== undefined && titleOut !== '') parsed.title = titleOut;
    if (author !== undefined && author !== '') parsed.author = author;
    if (subject !== undefined && subject !== '') parsed.subject = subject;
    if (fielded.subject !== undefined) parsed.subjectFielded = true;
    if (identifier !== undefined) parsed.identifier = identifier;
    if (ambiguous.length > 0) parsed.ambiguousLibraries = ambiguous;
    if (editionYear !== undefined && (text !== '' || parsed.title !== undefined)) parsed.editionYear = editionYear;
    if (badIsbn.isbn !== undefined) parsed.invalidIsbn = badIsbn.isbn;
    const alternatives = reduced.alternatives
      .map((alt): ParsedQuestion | undefined => {
        const altText = tidySpaces(alt.slots.text);
        const altKind = decideKind({
          intent: strongestIntent(alt.intent, reduced.intents),
          identifier: false,
          library: libraryNamed(),
          relation: alt.relation,
          authorOnly: alt.slots.author !== undefined && alt.slots.title === undefined && alt.slots.subject === undefined && altText === '',
          authorFromPhrase: alt.slots.authorFromPhrase,
        });
        if (altText === '' && alt.slots.author === undefined) return undefined;
        const q: ParsedQuestion = { kind: altKind, language, text: altText, filters: { ...filters, ...alt.filters } };
        if (alt.slots.title) q.title = alt.slots.title;
        if (alt.slots.author) q.author = alt.slots.author;
        if (alt.slots.subject) q.subject = alt.slots.subject;
        return q;
      })
      .filter((q): q is ParsedQuestion => q !== undefined);
    if (alternatives.length > 0) parsed.alternatives = alternatives;
    return parsed;
  };

  /**
   * The pieces of the message that carry the question: the best content piece (the main reading),
   * other content pieces that open a request of their own (alternatives), and what the set-aside
   * pieces add — what to do with the book ("does any library have it?"), a library, an author
   * ("it's by Andrea Hirata"), an edition year ("the 1967 edition").
   */
  function reduceMessage(text: string, question: boolean, restore: (s: string) => string): Reduced {
    const whole = (): Reduced => ({ main: readPiece(text, question, restore), alternatives: [], intents: [], extraFilters: [] });
    const pieces = splitPieces(text);
    if (pieces.length <= 1) return whole();
    interface Part {
      text: string;
      read: PieceRead;
      role: 'noise' | 'intent' | 'author' | 'year' | 'content';
      score: number;
      opens: boolean;
    }
    const parts: Part[] = [];
    for (const piece of pieces) {
      // greetings and thanks need no reading
      if (classifySmallTalk(piece.text) !== undefined || POLITE_ONLY.test(piece.text)) {
        parts.push({ text: piece.text, read: EMPTY_READ, role: 'noise', score: 0, opens: false });
        continue;
      }
      const read = readPiece(piece.text, question, restore);
      const role = roleOf(piece.text, read, restore);
      const prev = parts.at(-1);
      // a clause that opens nothing of its own belongs to the one before it ("Eats, Shoots & Leaves", "Hirata, Andrea")
      const glue = prev !== undefined && prev.role === 'content' && ((!piece.sentence && role === 'content' && !read.framed) || RELATION_LEAD.test(piece.text));
      if (glue) {
        const joined = `${prev.text}${piece.sentence ? ' ' : ', '}${piece.text}`;
        const joinedRead = readPiece(joined, question, restore);
        parts[parts.length - 1] = { text: joined, read: joinedRead, role: 'content', score: contentScore(joined, joinedRead.framed), opens: prev.opens };
        continue;
      }
      parts.push({ text: piece.text, read, role, score: role === 'content' ? contentScore(piece.text, read.framed) : 0, opens: read.framed });
    }
    const contents = parts.filter((p) => p.role === 'content');
    if (contents.length === 0) {
      // nothing but set-aside pieces: an author or a year on its own is still a question
      const authorPart = parts.find((p) => p.role === 'author');
      if (authorPart) return { main: authorPart.read, alternatives: [], intents: intentsOf(parts), extraFilters: [] };
      return whole();
    }
    let best = contents[0] as Part;
    for (const c of contents) if (c.score > best.score) best = c;
    const reduced: Reduced = {
      main: best.read,
      alternatives: contents.filter((c) => c !== best && c.opens).map((c) => c.read),
      intents: intentsOf(parts),
      extraFilters: parts.filter((p) => p.role !== 'content').map((p) => p.read.filters),
    };
    if (best.read.slots.author === undefined) {
      const authorPart = parts.find((p) => p.role === 'author');
      if (authorPart) reduced.author = authorPart.read.slots.author;
      else if (parts.some((p) => p.read.authorWanted)) {
        const name = nameIn(best.text);
        if (name !== undefined) best.read.slots = { text: '', author: name, authorFromPhrase: true };
      }
    }
    const yearPart = parts.find((p) => p.role === 'year');
    const year = yearPart ? /\b(1[5-9]\d\d|20\d\d)\b/u.exec(yearPart.text)?.[1] : undefined;
    if (year !== undefined) reduced.year = Number(year);
    return reduced;
  }

  function roleOf(piece: string, read: PieceRead, restore: (s: string) => string): 'noise' | 'intent' | 'author' | 'year' | 'content' {
    if (classifySmallTalk(piece) !== undefined || POLITE_ONLY.test(piece)) return 'noise';
    const slots = read.slots;
    const searchable = tidySpaces([slots.text, slots.title ?? '', slots.subject ?? ''].join(' '));
    const info = AUTHOR_INFO.exec(piece);
    if (info) {
      // the marker left where an identifier was cut out ends the name ("karya UGM.1, …" names no one)
      // (a quoted name is put back as typed)
      const name = trimEnds(restore(trimName(piece.slice(info[0].length).split(MARKER)[0] ?? '')));
      if (name !== '') {
        read.slots = { text: '', author: name, authorFromPhrase: true };
        return 'author';
      }
    }
    if (slots.author !== undefined && PRONOUN_CONTENT.test(slots.author) && searchable === '') {
      // "what do you have by him?": the name is in another piece
      read.authorWanted = true;
      return 'intent';
    }
    if (slots.author === undefined && (searchable === '' || PRONOUN_CONTENT.test(searchable))) {
      return read.intent !== undefined || read.filters.library !== undefined ? 'intent' : 'noise';
    }
    if (EDITION_INFO.test(piece)) return 'year';
    if (slots.author === undefined && isStory(piece, (w) => isLibrary(w))) return 'noise';
    return 'content';
  }
}

interface PieceRead {
  slots: Slots;
  /** the piece asks for the works of someone named elsewhere ("what do you have by him?") */
  authorWanted?: boolean;
  filters: QuestionFilters;
  ambiguous: string[][];
  intent: FrameIntent | undefined;
  framed: boolean;
  relation: Relation | undefined;
  content: string;
}

const LONE_MATERIALS: ReadonlySet<string> = new Set([...GENERIC_MATERIALS, ...FORMAT_MATERIALS.keys()]);

const EMPTY_READ: PieceRead = { slots: { text: '', authorFromPhrase: false }, filters: {}, ambiguous: [], intent: undefined, framed: false, relation: undefined, content: '' };

interface Reduced {
  main: PieceRead;
  alternatives: PieceRead[];
  intents: Array<FrameIntent | undefined>;
  extraFilters: QuestionFilters[];
  author?: string | undefined;
  year?: number;
}

function intentsOf(parts: ReadonlyArray<{ role: string; read: PieceRead }>): Array<FrameIntent | undefined> {
  return parts.filter((p) => p.role === 'intent').map((p) => p.read.intent);
}

/** What to do with the book, when pieces say different things: where it is and whether it is free say most. */
function strongestIntent(main: FrameIntent | undefined, others: ReadonlyArray<FrameIntent | undefined>): FrameIntent | undefined {
  const all = [main, ...others];
  for (const wanted of ['availability', 'holders', 'author', 'who-wrote', 'have', 'search'] as const) if (all.includes(wanted)) return wanted;
  return undefined;
}

const RELATION_LEAD = /^(?:by|written by|karya|karangan|oleh|ditulis oleh|tulisan|dikarang oleh)\s/u;
/** Content that only points back: "it", "this book", "bukunya", "buku itu". */
const PRONOUN_CONTENT = /^(?:it|this|that|them|these|those|one|him|her|his books|her books|his work|her work|a copy|any copies|copies|the book|this book|that book|the novel|this one|that one|the title|a copy of it|it in stock|itu|ini|tersebut|bukunya|buku itu|buku ini|buku tersebut|novelnya|judul itu|judul ini|nya|yang itu|yang ini|koleksinya|dia|beliau|karyanya|karya dia|bukunya dia)(?: (?:too|as well|also|juga|lagi))?$/iu;
const POLITE_ONLY = /^(?:(?:excuse me|sorry|sorry to bother you|maaf|permisi|dear librarian|dear sir|dear madam|dear sir or madam|good (?:morning|afternoon|evening|day)|selamat (?:pagi|siang|sore|malam)|assalamu'?alaikum|i hope you(?:'re| are) (?:doing )?well|hope you(?:'re| are) well|quick question|pertanyaan singkat|mau tanya|mau nanya|numpang tanya|boleh tanya|perkenalkan|kind regards|best|many thanks|thanks so much|thank you so much|thanks a lot|terima kasih banyak|makasih banyak|please|pls|plz|thanks?|thank you|thx|ty|tia|thanks in advance|in advance|much appreciated|any help (?:is|would be) (?:much |greatly )?appreciated|i hope you can help(?: me)?|hope you can help|can you help(?: me)?|could you help(?: me)?|help me|tolong(?: ya)?|mohon(?: bantuannya| info(?:nya)?)?|bantu(?: ya)?|makasih|terima ?kasih|trims|kak|min|gan|sis|bro|mas|mbak|pak|bu|ya|yah|dong|deh|sih|nih|ok|oke|okay|hehe|hihi|wkwk\w*|sebelumnya|banyak|sekali|so much|a lot|very much|in advance|salam|regards|best regards|cheers|hi|hello|hey|halo|hai)[\s,!.]*)+$/iu;
const AUTHOR_INFO = /^(?:(?:it'?s|it is|it was|the (?:book|novel) is|that'?s) (?:by|written by)|(?:the )?(?:author|writer) (?:is|was)|penulisnya|pengarangnya|karangan|karya|tulisan|ditulis oleh|by|written by|pengarang(?:nya)? (?:adalah|itu)?|penulis(?:nya)? (?:adalah|itu)?)\s/iu;
const EDITION_INFO = /^(?:(?:the|an?|that) )?(?:(?:1[5-9]\d\d|20\d\d) (?:edition|ed|version|printing)|(?:edition|edisi|cetakan|terbitan|versi)(?: (?:tahun|of|from))? (?:1[5-9]\d\d|20\d\d)|(?:it was |it's )?(?:published|printed|terbit) (?:in )?(?:tahun )?(?:1[5-9]\d\d|20\d\d)|(?:yang )?(?:terbitan|cetakan|edisi) (?:tahun )?(?:1[5-9]\d\d|20\d\d))(?:\s.*)?$/iu;

/** The first capitalised name in a piece ("I love Eka Kurniawan" → "Eka Kurniawan"). */
function nameIn(text: string): string | undefined {
  const m = /(?:^|\s)((?!I\b)\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*)*)/u.exec(text.replace(/^\S+/u, (w) => (w === 'I' ? ' ' : w)));
  const name = m?.[1]?.trim();
  return name !== undefined && name !== '' ? name : undefined;
}

/** Framed content that opens with a capitalised title ended by a comma: "Sang Pemimpi, itu lanjutan …". */
function leadingTitle(content: string): { title: string; author?: string } | undefined {
  const m = /^((?:\p{Lu}|\uE000)[^,]*?),\s+(.+)$/u.exec(content);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  // only when the rest tells about it ("…, itu lanjutan …", "…, which my teacher …"), not when it goes on with the title
  const next = m[2].split(/\s+/u)[0] ?? '';
  if (/^\p{Lu}/u.test(next) || /^(?:and|or|dan|atau|&|the|of|a|an)$/iu.test(next) || !isStory(next, () => false)) return undefined;
  const words = m[1].split(/\s+/u);
  if (!words.every((w, i) => /^[\p{Lu}\p{N}\uE000]/u.test(w) || (i > 0 && w.length <= 4))) return undefined;
  const by = /(?:^|[\s,]+)(?:written by|by|karya|karangan|oleh|tulisan|ditulis oleh)\s+(?=\p{Lu})/u.exec(m[2]);
  const author = by ? trimName(m[2].slice(by.index + by[0].length)) : undefined;
  return author ? { title: m[1], author } : { title: m[1] };
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
    // "buku2", "novel2", "ayat2": Indonesian reduplication written with a 2
    .replace(/(?<![\p{L}\p{N}])(\p{L}{3,})2(?![\p{L}\p{N}])/gu, '$1-$1')
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
    case 'title':
      return e.library || e.hasMaterial || /^[\uE000\p{Lu}]/u.test(e.content);
  }
}

// ---------------------------------------------------------------------------------------------
// 9. Politeness

const POLITE_WORDS = alternation([
  'please', 'pls', 'plz', 'thanks', 'thank you', 'thx', 'ty', 'tq', 'terima kasih', 'makasih', 'trims', 'ya', 'yah',
  'dong', 'deh', 'nih', 'sih', 'kak', 'min', 'gan', 'sis', 'bro', 'bang', 'mas', 'mbak', 'pak', 'bu', 'jala', 'ok',
  'oke', 'gak', 'nggak', 'ngga', 'ga', 'enggak', 'tidak', 'ndak', 'gk', 'kah', 'for me', 'untuk saya', 'buat saya',
  'thanks in advance', 'asap', 'as soon as possible', 'urgently', 'urgent', 'soon', 'segera', 'secepatnya', 'cepat',
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
