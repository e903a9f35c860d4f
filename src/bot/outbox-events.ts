import type { Language } from '../common/language.ts';
import type { ReindexProgress } from '../harvest/reindex-runner.ts';
import type { IllRequest } from '../ill/ill-request.ts';
import type { IllNotice } from '../ill/ill-workflow.ts';
import type { OutboxRow } from '../ill/outbox.ts';
import { adminPhrases } from './admin-messages.ts';
import type { BotReply } from './bot-types.ts';
import type { IllCards } from './ill-cards.ts';

/**
 * What the outbox keeps: an event, not its wording. It is rendered when it is delivered, in the
 * language its reader has then, so a patron who switched to English reads the next notice in English
 * even if it was queued before.
 * - `ill-notice`: a request notice, with the request as it stood when the notice was made (the card
 *   shows that moment, not a later one); patron identifiers are kept only where the card names the patron;
 * - `reindex-progress`: a progress report of a reindex, for the admin who started it.
 */
export type OutboxEvent =
  | { kind: 'ill-notice'; request: IllRequest; event: IllNotice }
  | { kind: 'reindex-progress'; key: string; done: boolean; progress: ReindexProgress; workCount: number; language: Language };

/** The request fields a notice keeps: no patron identifiers unless the card shows the patron's name. */
export function noticeEvent(event: IllNotice, request: IllRequest): OutboxEvent {
  const showPatron = event.kind === 'transition' && event.showPatron;
  return { kind: 'ill-notice', event, request: { ...request, patronUserId: null, ...(showPatron ? {} : { patronName: null }) } };
}

export interface OutboxRendering {
  /** the reader's language now: the person's last language, else their library's, else the library channel's */
  languageOf(row: Pick<OutboxRow, 'targetType' | 'target' | 'targetPlatform'>, event: OutboxEvent | undefined): Language;
  cards: IllCards;
}

/**
 * The reply an outbox row reads as now. A row stored before events (format 'reply') is its reply as it
 * was rendered then; an unreadable row renders as undefined (the caller gives it up with a code).
 */
export function renderOutboxRow(row: OutboxRow, r: OutboxRendering): BotReply | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.payload);
  } catch {
    return undefined;
  }
  if (row.format === 'reply') return parsed as BotReply;
  const event = parsed as OutboxEvent;
  const lang = r.languageOf(row, event);
  switch (event.kind) {
    case 'ill-notice':
      return r.cards.notice(event.event, event.request, lang);
    case 'reindex-progress': {
      const p = adminPhrases(lang);
      const body = event.done && event.progress.report ? p.finished(event.progress.report, event.workCount) : p.progress(event.progress);
      return { language: lang, blocks: [{ type: 'text', text: body }], actions: [], private: true, progress: { key: event.key, done: event.done } };
    }
    default:
      return undefined;
  }
}
