/**
 * How much of an incoming message is read. Every message is cut before any parsing, so no pattern
 * ever runs on more than this; the person is told when their message was cut. A pasted reading list
 * has its own, larger limits (reading-list.ts).
 */
import { READING_LIST_MAX_CHARS, cutAt } from '../answer/reading-list.ts';

/** A message or command line: longer than any question (2,000), FAQ entry (300 + 2,000) or ILL note (1,000) needs. */
export const MESSAGE_MAX_CHARS = 4000;
/** Details typed into a button's form (a reason, a note, a date). */
export const ACTION_INPUT_MAX_CHARS = 1000;

export interface CutMessage {
  /** the text to read: the whole message, or its first part */
  text: string;
  /** the limit it was cut to, when it was cut */
  cutTo?: number;
}

/** The message as read: at most READING_LIST_MAX_CHARS when it is a list of lines, else MESSAGE_MAX_CHARS. */
export function cutMessage(text: string, isList: (text: string) => boolean): CutMessage {
  if (text.length <= MESSAGE_MAX_CHARS) return { text };
  const head = cutAt(text, READING_LIST_MAX_CHARS);
  if (!head.startsWith('/') && isList(head)) return head.length < text.length ? { text: head, cutTo: READING_LIST_MAX_CHARS } : { text: head };
  return { text: cutAt(text, MESSAGE_MAX_CHARS), cutTo: MESSAGE_MAX_CHARS };
}

export { cutAt };
