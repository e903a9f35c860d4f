/**
 * Where `jala migrate-store` copies from and to, as the operator writes it: a PostgreSQL URL
 * (postgres://… or postgresql://…), or SQLite as `sqlite:PATH` or a bare PATH. A PATH that names a
 * database file (it ends in .db, .sqlite or .sqlite3, or is an existing file) is that file; any other
 * PATH is a data directory and means its jala.db.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hideUrlPassword as hidePassword } from '../common/url-password.ts';

export type StoreLocation = { kind: 'postgres'; url: string } | { kind: 'sqlite'; file: string };

export type LocationError = { code: 'migrate-store/bad-location'; given: string; why: string };

/** The SQLite database file of a data directory (src/store/open-database.ts names it too). */
const DATABASE_FILE = 'jala.db';

export function parseStoreLocation(given: string, cwd: string = process.cwd()): { ok: true; value: StoreLocation } | { ok: false; error: LocationError } {
  const text = given.trim();
  const bad = (why: string): { ok: false; error: LocationError } => ({ ok: false, error: { code: 'migrate-store/bad-location', given: hidePassword(text), why } });
  if (text === '') return bad('empty');
  if (/^postgres(ql)?:/i.test(text)) {
    if (!/^postgres(ql)?:\/\/\S+$/i.test(text)) return bad('a PostgreSQL URL is postgres://user:password@host:port/database');
    // libpq splits user-info at the first @, a URL parser at the last: a second @ would put part of the password in the host name
    const authority = text.replace(/^[a-z]+:\/\//i, '').split(/[/?#]/)[0] ?? '';
    if ((authority.match(/@/g) ?? []).length > 1) return bad('a password with @ must be percent-encoded (%40)');
    try {
      new URL(text);
    } catch {
      return bad('not a well-formed URL (a password with @, / or : must be percent-encoded)');
    }
    return { ok: true, value: { kind: 'postgres', url: text } };
  }
  let p = text;
  if (/^sqlite:/i.test(p)) {
    p = p.slice('sqlite:'.length);
    // sqlite:///abs/file.db as well as sqlite:/abs/file.db and sqlite:relative/dir
    if (p.startsWith('//')) p = p.slice(2);
    if (p === '') return bad('sqlite: needs a path: sqlite:/path/to/jala.db or sqlite:/path/to/data-dir');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
    return bad('only postgres:// URLs and SQLite paths (sqlite:PATH, or a data directory or .db file) are understood');
  }
  const abs = path.resolve(cwd, p);
  let isFile = /\.(db|sqlite3?)$/i.test(abs);
  try {
    const st = fs.statSync(abs);
    isFile = st.isFile();
  } catch {
    // not there yet: named by its ending
  }
  return { ok: true, value: { kind: 'sqlite', file: isFile ? abs : path.join(abs, DATABASE_FILE) } };
}

/** The location as messages show it: a URL without its password, a file path. */
export function describeLocation(loc: StoreLocation): string {
  return loc.kind === 'postgres' ? `PostgreSQL ${hidePassword(loc.url)}` : `SQLite ${loc.file}`;
}

/** Two locations naming the same store (copying a store onto itself is refused). */
export function sameStore(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return realPath(a.file) === realPath(b.file);
  if (a.kind === 'postgres' && b.kind === 'postgres') return normalUrl(a.url) === normalUrl(b.url);
  return false;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function normalUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.toLowerCase()}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return url;
  }
}
