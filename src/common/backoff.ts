/**
 * The one retry schedule: OAI-PMH harvesting (src/admin/oai-client.ts) and outbox delivery on every
 * platform wait by it. Exponential: `firstMs` after the first failure, doubling after each further one,
 * never more than `maxMs`. A server's Retry-After, when given, is waited at least (still capped).
 */
export interface BackoffPolicy {
  /** the wait after the first failure */
  firstMs: number;
  /** the longest wait */
  maxMs: number;
}

/** The wait before the next attempt after `failures` earlier failures (0 = after the first one). */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, retryAfterMs?: number): number {
  // 2^30 × any sensible first wait is past any cap; clamping keeps the product finite
  const exponential = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(Math.max(0, failures), 30));
  return retryAfterMs === undefined ? exponential : Math.min(policy.maxMs, Math.max(exponential, retryAfterMs));
}
