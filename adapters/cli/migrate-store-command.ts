import { runMigrateStore, StoreError, type MigrateStoreFailure, type MigrateStoreReport } from '../../src/index.ts';
import { formatNumber } from './format-number.ts';

interface MigrateStoreFlags {
  to: string;
  from?: string;
  dataDir?: string;
  overwrite?: boolean;
  json?: boolean;
}

/**
 * `jala migrate-store --to postgres://…` (from the data directory's SQLite) and
 * `jala migrate-store --from postgres://… --to DIR|FILE` (back): prints each table's row counts and
 * digests on both sides and the catalog digest. Exit 0 when everything is equal and committed; 1 when
 * the copy did not verify or the target refused a row (nothing committed); 2 when it was refused
 * before writing (bad location, same store, schema difference, a target that is not empty) or a
 * store could not be opened.
 */
export function runMigrateStoreCommand(flags: MigrateStoreFlags): number {
  const progress = process.stderr.isTTY && !flags.json;
  let outcome;
  try {
    outcome = runMigrateStore({
      to: flags.to,
      from: flags.from,
      dataDir: flags.dataDir,
      overwrite: flags.overwrite ?? false,
      ...(progress ? { onTable: (e: { table: string; phase: string; rows?: number }) => process.stderr.write(e.rows === undefined ? `  ${e.phase} ${e.table}…\n` : `  ${e.table}: ${formatNumber(e.rows)} rows\n`) } : {}),
    });
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: err.code, message: err.message } })}\n`);
    process.stderr.write(`jala migrate-store: ${err.code}: ${err.message}\n`);
    return 2;
  }
  if (!outcome.ok) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: false, error: outcome.error })}\n`);
    else if (outcome.error.code === 'migrate-store/digest-mismatch') process.stdout.write(tableLines(outcome.error.tables, outcome.error.catalog));
    process.stderr.write(`jala migrate-store: ${outcome.error.code}: ${explain(outcome.error)}\n`);
    return outcome.error.code === 'migrate-store/digest-mismatch' || outcome.error.code === 'migrate-store/rejected' ? 1 : 2;
  }
  const r = outcome.value;
  process.stdout.write(flags.json ? `${JSON.stringify({ ok: true, ...r })}\n` : render(r));
  return 0;
}

function render(r: MigrateStoreReport): string {
  const notes = [
    ...(r.overwritten.length > 0 ? [`Overwrote what the target held: ${counts(r.overwritten)}.`] : []),
    ...(r.onlyInTarget.length > 0 ? [`Only in the target's schema, left empty: ${r.onlyInTarget.join(', ')}.`] : []),
    ...r.columnsOnlyInTarget.map((c) => `Only in the target's ${c.table}, left to their defaults: ${c.columns.join(', ')}.`),
  ];
  return [
    `${r.from} → ${r.to}`,
    tableLines(r.tables, r.catalog).trimEnd(),
    ...notes,
    `Copied ${formatNumber(r.rows)} rows in ${r.seconds.copy} s, verified in ${r.seconds.verify} s: every table's row count and digest are equal on both sides.`,
    '',
  ].join('\n');
}

function tableLines(tables: MigrateStoreReport['tables'], catalog: MigrateStoreReport['catalog']): string {
  const w = Math.max(...tables.map((t) => t.table.length), 5);
  const lines = [`  ${'table'.padEnd(w)} ${'rows from'.padStart(11)} ${'rows to'.padStart(11)}  ${'digest from'.padEnd(16)}  ${'digest to'.padEnd(16)}`];
  for (const t of tables) {
    lines.push(`  ${t.table.padEnd(w)} ${formatNumber(t.source.rows).padStart(11)} ${formatNumber(t.target.rows).padStart(11)}  ${t.source.digest.slice(0, 16)}  ${t.target.digest.slice(0, 16)}  ${t.equal ? 'equal' : 'DIFFERENT'}`);
  }
  const c = catalog;
  lines.push(
    `  catalog (jala stats --digest): ${c.source.digest} ${c.equal ? '=' : '≠'} ${c.target.digest}`,
    `    works ${formatNumber(c.source.works)} / ${formatNumber(c.target.works)} · records ${formatNumber(c.source.records)} / ${formatNumber(c.target.records)} · holdings ${formatNumber(c.source.items)} / ${formatNumber(c.target.items)}`,
  );
  return `${lines.join('\n')}\n`;
}

function counts(tables: Array<{ table: string; rows: number }>): string {
  return tables.map((t) => `${t.table} ${formatNumber(t.rows)}`).join(', ');
}

function explain(e: MigrateStoreFailure): string {
  switch (e.code) {
    case 'migrate-store/bad-location':
      return `cannot use "${e.given}" as a store: ${e.why}. Give postgres://user:password@host:port/database, sqlite:PATH, a data directory or a .db file.`;
    case 'migrate-store/no-source':
      return `there is no Jala store at ${e.from} to copy (a data directory's jala.db, or a PostgreSQL database Jala has used). Name it with --data-dir or --from.`;
    case 'migrate-store/same-store':
      return `${e.store} is both the source and the target.`;
    case 'migrate-store/target-not-empty':
      return `${e.to} already holds data (${counts(e.tables)}); nothing was written. Add --overwrite to replace it.`;
    case 'migrate-store/schema-mismatch':
      return `${e.to} has no place for everything in ${e.from}; nothing was written. ${[
        ...(e.missingTables.length > 0 ? [`Tables missing there: ${e.missingTables.join(', ')}.`] : []),
        ...e.missingColumns.map((c) => `Columns of ${c.table} missing there: ${c.columns.join(', ')}.`),
      ].join(' ')} Upgrade the Jala that made the target, or copy with the Jala that made the source.`;
    case 'migrate-store/digest-mismatch': {
      const bad = e.tables.filter((t) => !t.equal).map((t) => t.table);
      return `the copy in ${e.to} does not equal the source (${[...bad, ...(e.catalog.equal ? [] : ['the catalog digest'])].join(', ')}); it was rolled back, nothing was written.`;
    }
    case 'migrate-store/rejected':
      return `${e.to} refused rows of ${e.table}: ${e.why}; the copy was rolled back, nothing was written.`;
    default: {
      const never: never = e;
      return String(never);
    }
  }
}
