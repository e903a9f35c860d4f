import { describe, expect, it } from 'vitest';
import { formatDate } from './format-date.ts';

describe('formatDate', () => {
  it('writes a date the way each language does', () => {
    expect(formatDate('2026-12-06', 'id')).toBe('6 Des 2026');
    expect(formatDate('2026-12-06', 'en')).toBe('6 Dec 2026');
    expect(formatDate('2026-05-15T10:00:00.000Z', 'id')).toBe('15 Mei 2026');
  });
  it('shows what is not a date as it is', () => {
    expect(formatDate('soon', 'en')).toBe('soon');
  });
});
