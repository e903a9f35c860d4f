/**
 * Member libraries named in a question: "di UGM", "at Universitas Gadjah Mada", "in the UI library",
 * "dari perpustakaan UIN Jakarta". A mention needs a preposition in front (di/at/in/from/dari/pada/ke/@)
 * so that a code such as "UI" inside a title ("UI design") is left alone. Codes, names and aliases
 * match case-insensitively; a library code wins over another member's alias; a name or alias shared
 * by several members is reported as ambiguous instead of guessed.
 */
import { WORD_END, WORD_START, alternation } from './question-lexicon.ts';
import { replaceMatches } from './replace-matches.ts';

export interface LibraryNames {
  code: string;
  name: string;
  aliases: readonly string[];
}

export type LibraryResolution =
  | { kind: 'none' }
  | { kind: 'one'; code: string }
  | { kind: 'ambiguous'; codes: string[] };

export interface LibraryMentions {
  /** the text with every recognised mention (preposition included) removed */
  text: string;
  /** the first mention that named exactly one member */
  library?: string;
  /** mentions that named several members, each as the list of their codes */
  ambiguous: string[][];
}

export interface LibraryMatcher {
  /** a name, alias or code as written (surrounding "perpustakaan"/"library" tolerated) → member(s) */
  resolve(phrase: string): LibraryResolution;
  /** find and cut out prepositional mentions ("di UGM") */
  extract(text: string): LibraryMentions;
}

const LIBRARY_NOUNS = '(?:perpustakaan|perpus|pustaka|library|libraries|lib|kampus|campus)';

function key(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').replace(/^[\s"'.,;:!?()[\]]+|[\s"'.,;:!?()[\]]+$/gu, '');
}

/** The forms a name can take in a question: as configured, without "Perpustakaan"/"Library", without "(UGM)". */
function variants(name: string): string[] {
  const base = key(name);
  const out = new Set<string>([base]);
  const unbracketed = key(base.replace(/\s*\([^)]*\)\s*/gu, ' '));
  for (const v of [base, unbracketed]) {
    const noLead = v.replace(/^(?:perpustakaan|perpus|library of(?: the)?|the)\s+/u, '');
    out.add(v);
    out.add(noLead);
    out.add(noLead.replace(/\s+(?:library|libraries|perpustakaan)$/u, ''));
    out.add(v.replace(/\s+(?:library|libraries|perpustakaan)$/u, ''));
  }
  return [...out].filter((v) => v.length > 0);
}

function stripLibraryWords(phrase: string): string {
  return key(phrase)
    .replace(/^(?:the\s+)?(?:(?:perpustakaan|perpus|library)\s+(?:of\s+(?:the\s+)?)?)?/u, '')
    .replace(/(?:'s)?(?:\s+(?:library|libraries|perpustakaan))?$/u, '');
}

export function createLibraryMatcher(libraries: readonly LibraryNames[]): LibraryMatcher {
  const byCode = new Map<string, string>();
  const byVariant = new Map<string, Set<string>>();
  for (const lib of libraries) {
    byCode.set(key(lib.code), lib.code);
    for (const phrase of [lib.name, ...lib.aliases, lib.code]) {
      for (const v of variants(phrase)) {
        const codes = byVariant.get(v) ?? new Set<string>();
        codes.add(lib.code);
        byVariant.set(v, codes);
      }
    }
  }

  const resolveExact = (phrase: string): LibraryResolution => {
    const k = key(phrase);
    const code = byCode.get(k);
    if (code !== undefined) return { kind: 'one', code };
    const codes = byVariant.get(k);
    if (codes === undefined || codes.size === 0) return { kind: 'none' };
    const list = [...codes];
    return list.length === 1 && list[0] !== undefined ? { kind: 'one', code: list[0] } : { kind: 'ambiguous', codes: list.sort() };
  };

  const resolve = (phrase: string): LibraryResolution => {
    const exact = resolveExact(phrase);
    return exact.kind !== 'none' ? exact : resolveExact(stripLibraryWords(phrase));
  };

  const candidates = [...byVariant.keys()];
  const mention =
    candidates.length === 0
      ? undefined
      : new RegExp(
          `${WORD_START}(?:(?:at|in|from|di|dari|pada|ke|on) |@ ?)(?:the )?(?:${LIBRARY_NOUNS}(?: of(?: the)?)? )?` +
            `(${alternation(candidates).replace(/ /gu, '\\s+')})(?:'s)?(?: (?:library|libraries|perpustakaan|campus|kampus|branch))?${WORD_END}`,
          'giu',
        );

  const extract = (text: string): LibraryMentions => {
    if (mention === undefined) return { text, ambiguous: [] };
    let library: string | undefined;
    const ambiguous: string[][] = [];
    const out = replaceMatches(text, mention, (m) => {
      const found = resolveExact(m[1] ?? '');
      if (found.kind === 'none') return undefined;
      if (found.kind === 'one') library ??= found.code;
      else ambiguous.push(found.codes);
      return ' ';
    });
    return library === undefined ? { text: out, ambiguous } : { text: out, library, ambiguous };
  };

  return { resolve, extract };
}
