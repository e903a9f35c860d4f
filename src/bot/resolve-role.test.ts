import { describe, expect, it } from 'vitest';
import { resolveRole } from './resolve-role.ts';

describe('resolveRole', () => {
  it('takes the grant for the library of the place first, then an admin grant before a librarian one', () => {
    const grants = [{ role: 'librarian' as const, library: 'UI' }, { role: 'admin' as const, library: 'USU' }, { role: 'librarian' as const, library: 'UGM' }];
    expect(resolveRole(grants, 'UGM', 'UGM')).toEqual({ role: 'librarian', library: 'UGM' });
    expect(resolveRole(grants, 'DISPUSIP', 'DISPUSIP')).toEqual({ role: 'admin', library: 'USU' });
    expect(resolveRole(grants, undefined, undefined)).toEqual({ role: 'admin', library: 'USU' });
  });

  it('makes anyone without a grant a patron of the fallback library, or of none', () => {
    expect(resolveRole([], 'UI', 'UGM')).toEqual({ role: 'patron', library: 'UGM' });
    expect(resolveRole([], undefined, undefined)).toEqual({ role: 'patron' });
  });
});
