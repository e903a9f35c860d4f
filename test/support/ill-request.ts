import type { SqliteDatabase } from '../../src/store/open-database.ts';
import { SqliteIllStore } from '../../src/store/sqlite-ill-store.ts';

/** An interlibrary loan request by the id chat shows for it ("R12"), as the store holds it now. */
export function illRequest(db: SqliteDatabase, rid: string): ReturnType<SqliteIllStore['request']> {
  return new SqliteIllStore(db).request(Number(rid.replace(/^R/, '')));
}
