import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStoreLocation, sameStore } from './store-location.ts';

describe('where jala migrate-store copies from and to', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-location-'));

  it('reads postgres:// and postgresql:// URLs as PostgreSQL', () => {
    expect(parseStoreLocation('postgres://jala:pw@db:5432/jala')).toEqual({ ok: true, value: { kind: 'postgres', url: 'postgres://jala:pw@db:5432/jala' } });
    expect(parseStoreLocation('postgresql://db/jala')).toMatchObject({ ok: true, value: { kind: 'postgres' } });
  });

  it('reads a data directory as its jala.db, and a .db file, sqlite:PATH or sqlite:///PATH as that file', () => {
    expect(parseStoreLocation(dir)).toEqual({ ok: true, value: { kind: 'sqlite', file: path.join(dir, 'jala.db') } });
    expect(parseStoreLocation('new-data', dir)).toEqual({ ok: true, value: { kind: 'sqlite', file: path.join(dir, 'new-data', 'jala.db') } });
    expect(parseStoreLocation('copy.db', dir)).toEqual({ ok: true, value: { kind: 'sqlite', file: path.join(dir, 'copy.db') } });
    expect(parseStoreLocation(`sqlite:${dir}`)).toEqual({ ok: true, value: { kind: 'sqlite', file: path.join(dir, 'jala.db') } });
    expect(parseStoreLocation(`sqlite://${dir}/x.sqlite`)).toEqual({ ok: true, value: { kind: 'sqlite', file: path.join(dir, 'x.sqlite') } });
  });

  it('refuses other schemes, malformed URLs and an unescaped @ in a password, without showing the password', () => {
    for (const given of ['mysql://u:Secret9@h/d', 'postgres://u:Secret9@h:99999/d', 'postgres://u:Secret9@x@h/d', 'postgres:db', 'sqlite:', '  ']) {
      const r = parseStoreLocation(given);
      expect(r.ok, given).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('migrate-store/bad-location');
        expect(JSON.stringify(r.error)).not.toContain('Secret9');
      }
    }
  });

  it('knows a store named twice, by another path or URL form', () => {
    const a = parseStoreLocation(dir);
    const b = parseStoreLocation(path.join(dir, 'jala.db'));
    const c = parseStoreLocation('postgres://u:a@DB:5432/jala');
    const d = parseStoreLocation('postgresql://v@db/jala');
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('not parsed');
    expect(sameStore(a.value, b.value)).toBe(true);
    expect(sameStore(c.value, d.value)).toBe(true);
    expect(sameStore(a.value, c.value)).toBe(false);
  });
});
