/**
 * PgDatabase.copyAhead (the PostgreSQL bulk load's COPY, issue 20): the rows are sent without waiting
 * for the server, and the next statement on the connection waits for the COPY's end. On a real
 * PostgreSQL: the rows are there for the next statement; a COPY the server refuses is reported by
 * that next statement with the server's message, nothing of it stored, and the connection goes on; a
 * transaction rolled back over a refused COPY leaves nothing behind. Without PostgreSQL: skipped, one
 * line.
 */
import { beforeEach, expect, it } from 'vitest';
import type { PgDatabase } from '../src/store-postgres/pg-database.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresConnection } from './support/postgres-suite.ts';
import { describeWithTools } from './support/system-tools.ts';

/** COPY text lines of (id, name), a megabyte-sized chunk every 5,000 rows */
function* rows(from: number, to: number, name = (i: number) => `name ${i}`): Generator<string> {
  let chunk: string[] = [];
  for (let i = from; i <= to; i++) {
    chunk.push(`${i}\t${name(i)}\n`);
    if (chunk.length === 5000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

describeWithTools([POSTGRES_TOOL], 'PgDatabase.copyAhead: a COPY the next statement waits for', () => {
  const connection = usePostgresConnection((d) => d.exec('CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)'));
  let db: PgDatabase;

  beforeEach(() => {
    db = connection();
    db.exec('TRUNCATE t');
  });

  it('sends the rows without waiting, and the next statement sees all of them', () => {
    // more than a socket holds, so that some is still in libpq when copyAhead returns
    db.copyAhead('COPY t (id, name) FROM STDIN', rows(1, 60_000, (i) => `a name long enough to fill the buffers ${i} ${'x'.repeat(100)}`));
    db.pump();
    expect(db.get<{ n: number }>('SELECT count(*) AS n, max(id) AS m FROM t')).toEqual({ n: 60_000, m: 60_000 });
  });

  it('reports a refused COPY at the next statement, with the server\'s message; nothing of it is stored and the connection goes on', () => {
    db.copyIn('COPY t (id, name) FROM STDIN', rows(1, 10));
    // row 5 again: a duplicate key, which the server finds after copyAhead has returned
    db.copyAhead('COPY t (id, name) FROM STDIN', rows(11, 20_000, (i) => (i === 15_000 ? 'x\n5\tagain' : `n${i}`)));
    expect(() => db.get('SELECT 1 AS one')).toThrow(/duplicate key value violates unique constraint "t_pkey"/);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual({ n: 10 });
    // and a COPY sent ahead that goes through, after it
    db.copyAhead('COPY t (id, name) FROM STDIN', rows(11, 20));
    expect(db.run('UPDATE t SET name = name WHERE id > 10')).toBe(10);
  });

  it('gives a refused COPY up in a rollback: the transaction rolled back with its first error, nothing left', () => {
    expect(() =>
      db.transaction(() => {
        db.copyIn('COPY t (id, name) FROM STDIN', rows(1, 100));
        db.copyAhead('COPY t (id, name) FROM STDIN', rows(100, 200));
        db.exec('SELECT 1');
      }),
    ).toThrow(/duplicate key value violates unique constraint "t_pkey"/);
    expect(db.inTransaction).toBe(false);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual({ n: 0 });
    // a COPY still open when the transaction fails for another reason is given up with it
    expect(() =>
      db.transaction(() => {
        db.copyAhead('COPY t (id, name) FROM STDIN', rows(1, 1000));
        throw new Error('the loader failed');
      }),
    ).toThrow('the loader failed');
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual({ n: 0 });
    // a transaction of begin/end: the commit fails with the refusal, and the transaction can still be rolled back
    db.begin();
    db.copyIn('COPY t (id, name) FROM STDIN', rows(1, 100));
    db.copyAhead('COPY t (id, name) FROM STDIN', rows(50, 60));
    expect(() => db.end(true)).toThrow(/duplicate key value violates unique constraint "t_pkey"/);
    expect(db.inTransaction).toBe(true);
    db.end(false);
    expect(db.get<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual({ n: 0 });
  });
});
