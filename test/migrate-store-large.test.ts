/**
 * `jala migrate-store` both ways on a large generated catalog, when one is at hand: JALA_MIGRATE_CATALOG
 * names a data directory made by the bench (`npm run bench -- --records 100k --runs 1 --no-protocols
 * --oai-peer-records 0 --keep DIR` leaves it in DIR/data). Without it the test is skipped with one line;
 * generating 100k records takes minutes, so `npm test` does not do it by itself. `.ci/run` makes that
 * catalog first and sets the variable; there (JALA_REQUIRE_SYSTEM_TOOLS=1) a missing catalog fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MigrateStoreReport } from '../src/migrate-store/copy-store.ts';
import { JALA_BIN, tempDir } from './support/paths.ts';
import { POSTGRES_TOOL } from './support/postgres-server.ts';
import { usePostgresServer } from './support/postgres-suite.ts';
import { runTool } from './support/run-tool.ts';
import { describeWithTools, SYSTEM_TOOLS_REQUIRED } from './support/system-tools.ts';

const catalog = process.env.JALA_MIGRATE_CATALOG;
const jala = (...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => runTool(process.execPath, [JALA_BIN, ...args], { timeoutMs: 3_600_000 });

const HOW = 'set JALA_MIGRATE_CATALOG to a bench data directory (npm run bench -- --records 100k --runs 1 --no-protocols --oai-peer-records 0 --keep DIR; then DIR/data)';
if (catalog === undefined || !fs.existsSync(path.join(catalog, 'jala.db'))) {
  if (SYSTEM_TOOLS_REQUIRED) {
    // .ci/run makes the catalog before the tests: without it CI would silently run less
    describe('jala migrate-store on a large generated catalog', () =>
      it('copies it both ways', () => {
        throw new Error(`no generated catalog at JALA_MIGRATE_CATALOG=${catalog ?? '(unset)'}: ${HOW}`);
      }));
  } else {
    process.stderr.write(`skipped: jala migrate-store on a large generated catalog — ${HOW}\n`);
    describe.skip('jala migrate-store on a large generated catalog', () => it('copies it both ways', () => {}));
  }
} else {
  describeWithTools([POSTGRES_TOOL], `jala migrate-store on the generated catalog in ${catalog}`, () => {
    const postgres = usePostgresServer();

    it('copies it into PostgreSQL and back with every table and the catalog digest equal', async () => {
      const url = postgres().createDatabase();
      const there = await jala('migrate-store', '--data-dir', catalog, '--to', url, '--json');
      expect(there.code, there.stderr).toBe(0);
      const forward = JSON.parse(there.stdout) as MigrateStoreReport;
      expect(forward.tables.every((t) => t.equal)).toBe(true);
      expect(forward.tables.find((t) => t.table === 'records')?.target.rows).toBeGreaterThan(0);
      const back = tempDir('jala-migrate-large-');
      try {
        const home = await jala('migrate-store', '--from', url, '--to', back, '--json');
        expect(home.code, home.stderr).toBe(0);
        const reverse = JSON.parse(home.stdout) as MigrateStoreReport;
        expect(reverse.tables.map((t) => [t.table, t.target.rows, t.target.digest])).toEqual(forward.tables.map((t) => [t.table, t.source.rows, t.source.digest]));
        const digest = async (dir: string): Promise<string> => (JSON.parse((await jala('stats', '--digest', '--json', '--data-dir', dir)).stdout) as { digest: string }).digest;
        expect(await digest(back)).toBe(await digest(catalog));
        expect(reverse.catalog.target.digest).toBe(forward.catalog.source.digest);
      } finally {
        fs.rmSync(back, { recursive: true, force: true });
      }
    }, 3_600_000);
  });
}
