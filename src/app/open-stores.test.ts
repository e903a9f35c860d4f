import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/paths.ts';
import { POSTGRES_TOOL } from '../../test/support/postgres-server.ts';
import { itWithTools } from '../../test/support/system-tools.ts';
import { StoreError } from '../store/open-database.ts';
import { databaseUrlOf, openStores } from './open-stores.ts';

describe('JALA_DATABASE_URL', () => {
  it('selects nothing when unset or empty, and refuses what is not a postgres:// URL with a stable code, without echoing a password', () => {
    expect(databaseUrlOf({})).toBeUndefined();
    expect(databaseUrlOf({ JALA_DATABASE_URL: '  ' })).toBeUndefined();
    expect(databaseUrlOf({ JALA_DATABASE_URL: 'postgres://jala@127.0.0.1:5432/jala' })).toBe('postgres://jala@127.0.0.1:5432/jala');
    let err: unknown;
    try {
      databaseUrlOf({ JALA_DATABASE_URL: 'mysql://admin:s3cret@db/jala' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('store/bad-database-url');
    expect((err as StoreError).message).not.toContain('s3cret');
  });

  itWithTools([POSTGRES_TOOL], 'a server that does not answer is a store/unreachable-database error naming it without the password', async () => {
    // a port just closed on loopback: nothing listens there
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    let err: unknown;
    try {
      openStores(tempDir('jala-pg-unreachable-'), { databaseUrl: `postgres://jala:s3cret@127.0.0.1:${port}/jala` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('store/unreachable-database');
    expect((err as StoreError).message).toContain(`127.0.0.1:${port}`);
    expect((err as StoreError).message).not.toContain('s3cret');
  });
});
