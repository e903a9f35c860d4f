/**
 * The PostgreSQL server the tests start (test/bench/postgres-server.ts, shared with `jala bench --store
 * postgres`), and the system tool check that lets a test skip with one line when it cannot start.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isRoot, PG_BIN } from '../bench/postgres-server.ts';
import type { SystemTool } from './system-tools.ts';

export { PG_BIN, startPostgres, type PostgresServer } from '../bench/postgres-server.ts';

/** The PostgreSQL server programs, and a user that may run them. */
export const POSTGRES_TOOL: SystemTool = (() => {
  let cached: boolean | undefined;
  return {
    name: `PostgreSQL server (${PG_BIN}/initdb, pg_ctl) and the pg-native driver`,
    install: 'apt-get install postgresql libpq-dev, then npm install',
    present: () => {
      if (cached === undefined) {
        const bins = ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(PG_BIN, b)));
        const user = !isRoot() || spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0;
        let driver = true;
        try {
          createRequire(import.meta.url)('pg-native');
        } catch {
          driver = false;
        }
        cached = bins && user && driver;
      }
      return cached;
    },
  };
})();

