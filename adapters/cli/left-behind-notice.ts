import fs from 'node:fs';
import path from 'node:path';
import { databaseUrlOf, resolveDataDir } from '../../src/index.ts';
import { DATABASE_FILE } from '../../src/store/open-database.ts';

/**
 * With JALA_DATABASE_URL set every store is in PostgreSQL and the data directory's jala.db is not
 * opened: when one is there (a consortium kept in SQLite before), one line on stderr says so and how
 * to move it, so that nobody takes an empty PostgreSQL catalog for a lost one.
 */
export function noticeSqliteLeftBehind(dataDirFlag: string | undefined): void {
  let url: string | undefined;
  try {
    url = databaseUrlOf();
  } catch {
    return; // a malformed URL is reported, with its code, by the command itself
  }
  if (url === undefined) return;
  const file = path.join(resolveDataDir(dataDirFlag), DATABASE_FILE);
  if (!fs.existsSync(file)) return;
  process.stderr.write(`jala: JALA_DATABASE_URL is set: the consortium is read from PostgreSQL, not from ${file} (jala migrate-store --to postgres://… moves it there)\n`);
}
