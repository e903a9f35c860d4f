/**
 * Sending one ISO 18626 message to a partner: POST application/xml with a timeout, then read the
 * confirmation in the response. The outcome tells apart what the outbox must do:
 *
 * - `ok`: the partner confirmed (messageStatus OK);
 * - `refused`: the partner read the message and said ERROR (errorData), or refused it with an HTTP
 *   4xx: retrying the same bytes cannot help — the librarian is shown errorType and errorValue;
 * - `network`: no answer (timeout, connection refused or cut, HTTP 5xx/429/408): retry later, in
 *   order, the same message (a partner that did get it will see a repeat and answer it again);
 * - `bad-answer`: HTTP 2xx whose body is no matching confirmation: the partner may have acted, so it
 *   is not retried blindly either; shown to the librarian.
 */
import { CONFIRMATION_OF, type ErrorType } from './iso18626-codes.ts';
import type { Confirmation, InitiatingMessage } from './iso18626-model.ts';
import { readIso18626 } from './iso18626-reader.ts';

export type SendOutcome =
  | { ok: true; confirmation: Confirmation; status: number }
  | { ok: false; failure: 'refused'; retry: false; status: number; errorType?: ErrorType; errorValue?: string; confirmation?: Confirmation; message: string }
  | { ok: false; failure: 'network'; retry: true; code: 'iso18626/timeout' | 'iso18626/connection' | 'iso18626/server-error'; status?: number; message: string }
  | { ok: false; failure: 'bad-answer'; retry: false; code: 'iso18626/unreadable-answer' | 'iso18626/wrong-answer'; status: number; message: string };

export interface SendOptions {
  /** the whole exchange, connect to last byte of the answer */
  timeoutMs: number;
  /** which message this is (decides the confirmation expected back) */
  kind: InitiatingMessage['kind'];
  /** the transaction's id, to check the confirmation is about it */
  requestingAgencyRequestId?: string;
  /** bytes of the answer read at most */
  maxAnswerBytes?: number;
  fetch?: typeof fetch;
}

export async function sendIso18626(endpoint: string, xml: string, opts: SendOptions): Promise<SendOutcome> {
  const doFetch = opts.fetch ?? fetch;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let response: Response;
  let body: Uint8Array;
  try {
    response = await doFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8', accept: 'application/xml, text/xml' },
      body: xml,
      signal,
      redirect: 'error',
    });
    body = await readLimited(response, opts.maxAnswerBytes ?? 1_000_000);
  } catch (err) {
    if (signal.aborted || isTimeout(err)) return { ok: false, failure: 'network', retry: true, code: 'iso18626/timeout', message: `no answer within ${Math.round(opts.timeoutMs / 1000)} s` };
    if (err instanceof AnswerTooLarge) return { ok: false, failure: 'bad-answer', retry: false, code: 'iso18626/unreadable-answer', status: err.status, message: err.message };
    return { ok: false, failure: 'network', retry: true, code: 'iso18626/connection', message: describeNetworkError(err) };
  }
  const status = response.status;
  if (status >= 500 || status === 429 || status === 408) {
    return { ok: false, failure: 'network', retry: true, code: 'iso18626/server-error', status, message: `HTTP ${status} from the partner` };
  }
  const read = readIso18626(body);
  const expected = CONFIRMATION_OF[opts.kind];
  const confirmation = read.ok && read.kind === expected && read.message ? (read.message as Confirmation) : undefined;
  const firstError = confirmation?.errors?.[0];
  if (status >= 300) {
    return {
      ok: false,
      failure: 'refused',
      retry: false,
      status,
      ...(firstError ? { errorType: firstError.errorType, ...(firstError.errorValue !== undefined ? { errorValue: firstError.errorValue } : {}) } : {}),
      ...(confirmation ? { confirmation } : {}),
      message: `HTTP ${status} from the partner${firstError ? `: ${firstError.errorType}${firstError.errorValue ? ` (${firstError.errorValue})` : ''}` : ''}`,
    };
  }
  if (!read.ok) return { ok: false, failure: 'bad-answer', retry: false, code: 'iso18626/unreadable-answer', status, message: `the partner's answer is not readable: ${read.reason}` };
  if (!confirmation) {
    return { ok: false, failure: 'bad-answer', retry: false, code: 'iso18626/wrong-answer', status, message: `the partner answered with ${read.kind}${read.problems[0] ? ` (${read.problems[0].errorValue})` : ''}, not ${expected}` };
  }
  const id = confirmation.header.requestingAgencyRequestId;
  if (opts.requestingAgencyRequestId !== undefined && id !== undefined && id !== opts.requestingAgencyRequestId) {
    return { ok: false, failure: 'bad-answer', retry: false, code: 'iso18626/wrong-answer', status, message: `the partner confirmed request ${id}, not ${opts.requestingAgencyRequestId}` };
  }
  if (confirmation.header.messageStatus === 'ERROR') {
    return {
      ok: false,
      failure: 'refused',
      retry: false,
      status,
      ...(firstError ? { errorType: firstError.errorType, ...(firstError.errorValue !== undefined ? { errorValue: firstError.errorValue } : {}) } : {}),
      confirmation,
      message: `the partner refused the message${firstError ? `: ${firstError.errorType}${firstError.errorValue ? ` (${firstError.errorValue})` : ''}` : ''}`,
    };
  }
  return { ok: true, confirmation, status };
}

class AnswerTooLarge extends Error {
  constructor(readonly status: number, limit: number) {
    super(`the partner's answer is larger than ${limit} bytes`);
  }
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLarge(response.status, limit);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code ?? (err as { code?: string } | undefined)?.code;
  const text = cause?.message ?? (err instanceof Error ? err.message : String(err));
  return code ? `${code}: ${text}` : text;
}
