import { describe, expect, it } from 'vitest';
import { hidePasswordIn, hideUrlPassword } from './url-password.ts';

describe('hiding a database URL password', () => {
  it('hides the user-info password, also one with an unescaped @, and a password= parameter', () => {
    expect(hideUrlPassword('postgres://jala:s3cret@db.example:5432/jala')).toBe('postgres://jala:***@db.example:5432/jala');
    expect(hideUrlPassword('postgres://jala:p@ss@word@db/jala')).toBe('postgres://jala:***@db/jala');
    expect(hideUrlPassword('postgres://db/jala?user=jala&password=s3cret&sslmode=require')).toBe('postgres://db/jala?user=jala&password=***&sslmode=require');
    expect(hideUrlPassword('postgres://db/jala')).toBe('postgres://db/jala');
  });

  it('hides the password wherever a driver message quotes it, raw or percent-decoded', () => {
    const url = 'postgres://jala:p%40ss%20w@db/jala';
    expect(hidePasswordIn('invalid connection string "postgres://jala:p%40ss%20w@db/jala"; password "p@ss w" rejected', url)).toBe(
      'invalid connection string "postgres://jala:***@db/jala"; password "***" rejected',
    );
  });
});
