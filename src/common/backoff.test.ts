import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.ts';

describe('backoffDelayMs', () => {
  const policy = { firstMs: 5_000, maxMs: 60_000 };

  it('doubles from the first wait up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 50, 5_000].map((n) => backoffDelayMs(n, policy))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('waits at least what the server asks, but never past the cap', () => {
    expect(backoffDelayMs(0, policy, 30_000)).toBe(30_000);
    expect(backoffDelayMs(3, policy, 1_000)).toBe(40_000);
    expect(backoffDelayMs(0, policy, 3_600_000)).toBe(60_000);
  });
});
