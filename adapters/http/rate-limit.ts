/**
 * Requests per client per minute, as a token bucket per client address: a client may spend a
 * quarter of a minute's allowance at once, then as fast as the allowance refills. Idle clients
 * are forgotten, and at most `maxClients` are remembered (the longest idle go first).
 */

export interface RateLimiter {
  /** 0 when the request may go ahead, else the seconds to wait */
  take(client: string, now?: number): number;
  size(): number;
}

export function createRateLimiter(perMinute: number, opts: { maxClients?: number } = {}): RateLimiter {
  const rate = perMinute / 60_000; // tokens per millisecond
  const capacity = Math.max(1, Math.ceil(perMinute / 4));
  const maxClients = opts.maxClients ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client, now = Date.now()) {
      let b = buckets.get(client);
      if (b) {
        buckets.delete(client);
        b.tokens = Math.min(capacity, b.tokens + (now - b.at) * rate);
        b.at = now;
      } else {
        if (buckets.size >= maxClients) {
          // forget the longest idle (the map keeps the least recently used first), and any full bucket
          for (const [key, old] of buckets) {
            if (buckets.size < maxClients && Math.min(capacity, old.tokens + (now - old.at) * rate) < capacity) break;
            buckets.delete(key);
          }
        }
        b = { tokens: capacity, at: now };
      }
      buckets.set(client, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
    },
    size: () => buckets.size,
  };
}
