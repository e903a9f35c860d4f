import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('requests per client per minute', () => {
  it('lets a client spend a quarter of its minute at once, then refills at the rate', () => {
    const limit = createRateLimiter(60);
    const t = 1_000_000;
    for (let i = 0; i < 15; i++) expect(limit.take('a', t)).toBe(0);
    expect(limit.take('a', t)).toBe(1);
    // another client is not affected
    expect(limit.take('b', t)).toBe(0);
    // a second later one more request is allowed
    expect(limit.take('a', t + 1000)).toBe(0);
    expect(limit.take('a', t + 1000)).toBeGreaterThan(0);
  });

  it('says how long to wait', () => {
    const limit = createRateLimiter(6);
    expect(limit.take('a', 0)).toBe(0);
    expect(limit.take('a', 0)).toBe(0);
    expect(limit.take('a', 0)).toBe(10);
  });

  it('remembers a bounded number of clients', () => {
    const limit = createRateLimiter(600, { maxClients: 100 });
    for (let i = 0; i < 1000; i++) limit.take(`c${i}`, i);
    expect(limit.size()).toBeLessThanOrEqual(100);
  });
});
