import { readCommandLine } from '../../src/bot/command-input.ts';
import { parseCommand } from '../../src/bot/command-schemas.ts';
import type { IllCommand } from '../../src/bot/ill-commands.ts';
import type { SqliteDatabase } from '../../src/store/open-database.ts';
import { SqliteIllStore } from '../../src/store/sqlite-ill-store.ts';

/** An interlibrary loan request by the id chat shows for it ("R12"), as the store holds it now. */
export function illRequest(db: SqliteDatabase, rid: string): ReturnType<SqliteIllStore['request']> {
  return new SqliteIllStore(db).request(Number(rid.replace(/^R/, '')));
}

/** "/ill request laskar pelangi" or "request laskar pelangi" → the validated command the ILL service takes. */
export function illCommand(line: string): IllCommand {
  const input = readCommandLine(line.startsWith('/') ? line : `/ill ${line}`);
  const parsed = input ? parseCommand(input) : undefined;
  if (!parsed?.ok || !parsed.command.key.startsWith('ill ')) throw new Error(`not a valid /ill command: ${line}`);
  return parsed.command as IllCommand;
}
