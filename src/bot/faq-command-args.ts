/**
 * The arguments of `/jala faq add [LIB:] question | answer` and `/jala faq edit ID question | answer`,
 * read in one pass (indexOf, no pattern that rescans long whitespace), and the limits of an entry.
 */

/** Longest FAQ question and answer stored; longer ones are refused with these numbers. */
export const FAQ_QUESTION_MAX = 300;
export const FAQ_ANSWER_MAX = 2000;

export type FaqArgs =
  | { ok: true; library?: string; question: string; answer: string }
  | { ok: false; error: 'bot/usage' | 'faq/too-long' };

const LIBRARY_PREFIX = /^([A-Za-z0-9_-]{1,32}|\*):/u;

/** `[LIB: or *:] question | answer` (add) or `question | answer` (edit; the question may be empty there). */
export function parseFaqArgs(args: string, opts: { libraryPrefix: boolean; questionRequired: boolean }): FaqArgs {
  let body = args.trim();
  let library: string | undefined;
  if (opts.libraryPrefix) {
    const m = LIBRARY_PREFIX.exec(body);
    if (m?.[1] !== undefined) {
      library = m[1];
      body = body.slice(m[0].length).trim();
    }
  }
  const bar = body.indexOf('|');
  if (bar < 0) return { ok: false, error: 'bot/usage' };
  const question = body.slice(0, bar).trim();
  const answer = body.slice(bar + 1).trim();
  if (answer === '' || (opts.questionRequired && question === '')) return { ok: false, error: 'bot/usage' };
  if (question.length > FAQ_QUESTION_MAX || answer.length > FAQ_ANSWER_MAX) return { ok: false, error: 'faq/too-long' };
  return { ok: true, ...(library !== undefined ? { library } : {}), question, answer };
}

/** At most `max` characters of a stored text shown back in a reply (entries stored before the limits may be longer). */
export function capEcho(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
