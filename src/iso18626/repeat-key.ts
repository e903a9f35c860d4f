/**
 * Recognising a repeated message. A partner that lost Jala's confirmation sends the same message
 * again; it must be confirmed again without a second transition. Two layers:
 * - `repeatKey`: the same request id and the same status (with its answer and due date) or action
 *   (with a Notification's text) gives the same key. The wiring keeps, per request, the key of the
 *   last message it applied and the request's version right after; a message with that key arriving
 *   while the request is still at that version is a repeat.
 * - later repeats (after other steps) are caught by the planners, which answer "already" when the
 *   request already shows what the message says.
 */
import { createHash } from 'node:crypto';
import type { RequestMessage, RequestingAgencyMessage, SupplyingAgencyMessage } from './iso18626-model.ts';

function digest(text: string | undefined): string {
  return text === undefined ? '' : createHash('sha256').update(text.trim()).digest('base64url').slice(0, 16);
}

export function repeatKey(message: RequestMessage | SupplyingAgencyMessage | RequestingAgencyMessage): string {
  const h = message.header;
  const id = `${h.requestingAgencyId.type.value}:${h.requestingAgencyId.value}|${h.requestingAgencyRequestId}`;
  switch (message.kind) {
    case 'request':
      return `request|${id}`;
    case 'supplyingAgencyMessage': {
      const mi = message.messageInfo;
      const si = message.statusInfo;
      const renewOrRecall = mi.reasonForMessage === 'RenewResponse' || si.status === 'Recalled';
      return [
        'sam', id, mi.reasonForMessage, si.status ?? '', mi.answerYesNo ?? '',
        renewOrRecall ? (si.dueDate ?? '') : '',
        mi.reasonForMessage === 'Notification' ? digest(mi.note) : '',
      ].join('|');
    }
    case 'requestingAgencyMessage':
      return ['ram', id, message.action, message.action === 'Notification' ? digest(message.note) : ''].join('|');
  }
}

/** What the wiring keeps per request: the last applied message's key and the request's version after it. */
export interface LastInbound {
  key: string;
  versionAfter: number;
}

export function isRepeat(last: LastInbound | null | undefined, key: string, currentVersion: number): boolean {
  return last !== null && last !== undefined && last.key === key && last.versionAfter === currentVersion;
}
