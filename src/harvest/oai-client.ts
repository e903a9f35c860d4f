/**
 * HTTP for a harvester: one GET per OAI-PMH request, a timeout per attempt (connecting and reading the
 * body), and retries with exponential backoff (or what Retry-After asks, within reason) when the network
 * fails, the server is busy (429, 503, other 5xx) or the body is not what was expected.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { backoffDelayMs } from '../common/backoff.ts';

export interface HttpPolicy {
  /** per attempt */
  timeoutMs: number;
  /** further attempts after the first */
  retries: number;
  /** wait before the first retry; doubled each time */
  retryDelayMs: number;
  maxDelayMs?: number;
  /** injected in tests; the global fetch otherwise */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

export type HttpErrorCode = 'harvest/unreachable' | 'harvest/timeout' | 'harvest/http-status' | 'harvest/bad-response';

export type HttpOutcome =
  | { ok: true; status: number; text: string; attempts: number }
  | { ok: false; error: { code: HttpErrorCode; message: string; attempts: number } };

/** Decides whether a 2xx/4xx body is usable; a reason makes the attempt count as failed (and retried). */
export type BodyCheck = (status: number, text: string) => string | undefined;

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const DEFAULT_MAX_DELAY = 300_000;

export async function getWithRetries(url: URL, policy: HttpPolicy, check: BodyCheck = () => undefined): Promise<HttpOutcome> {
  const doFetch = policy.fetch ?? fetch;
  const sleep = policy.sleep ?? ((ms: number) => sleepFor(ms));
  const maxDelay = policy.maxDelayMs ?? DEFAULT_MAX_DELAY;
  let last: { code: HttpErrorCode; message: string } = { code: 'harvest/unreachable', message: 'not tried' };
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const res = await doFetch(url, {
        signal: AbortSignal.timeout(policy.timeoutMs),
        headers: { accept: 'text/xml, application/xml;q=0.9, */*;q=0.1', 'user-agent': policy.userAgent ?? 'Jala OAI-PMH harvester' },
        redirect: 'follow',
      });
      const body = new TextDecoder('utf-8').decode(await res.arrayBuffer());
      if (RETRY_STATUS.has(res.status)) {
        retryAfterMs = retryAfter(res.headers.get('retry-after'));
        last = { code: 'harvest/http-status', message: `HTTP ${res.status} from ${url.host}` };
      } else if (res.status >= 300 && res.status < 400) {
        return { ok: false, error: { code: 'harvest/http-status', message: `HTTP ${res.status} (redirect not followed) from ${url.host}`, attempts: attempt + 1 } };
      } else {
        const problem = check(res.status, body);
        if (problem === undefined) return { ok: true, status: res.status, text: body, attempts: attempt + 1 };
        if (res.status >= 400) {
          // a client error with a body that is not an answer either: asking again will not help
          return { ok: false, error: { code: 'harvest/http-status', message: `HTTP ${res.status} from ${url.host}: ${problem}`, attempts: attempt + 1 } };
        }
        last = { code: 'harvest/bad-response', message: problem };
      }
    } catch (err) {
      last = describeFailure(err, policy.timeoutMs);
    }
    if (attempt < policy.retries) {
      await sleep(backoffDelayMs(attempt, { firstMs: policy.retryDelayMs, maxMs: maxDelay }, retryAfterMs));
    }
  }
  return { ok: false, error: { ...last, attempts: policy.retries + 1 } };
}

function describeFailure(err: unknown, timeoutMs: number): { code: HttpErrorCode; message: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return { code: 'harvest/timeout', message: `no complete answer within ${timeoutMs} ms` };
  const cause = e.cause?.code ?? e.cause?.message;
  return { code: 'harvest/unreachable', message: `${e.message ?? String(err)}${cause ? ` (${cause})` : ''}` };
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
