/**
 * Vitest's global setup: one temporary directory for the whole run, under the system's, made the
 * temporary directory of every test process and of what they start (TMPDIR, which os.tmpdir() and
 * mktemp read), and removed when the run ends. Tests make data directories, SQLite files, PostgreSQL
 * clusters and generated catalogs in it (tempDir, sampleDataDir, startPostgres) and need not clean up
 * each one. Before, every run left its directories in /tmp: 25 GB had gathered on the development machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-tests-'));
  // shared as /tmp is (sticky, open to all): a root run starts the PostgreSQL server as postgres and asks
  // as nobody in some tests, and those processes make their own files here (tsx its cache, for one)
  fs.chmodSync(root, 0o1777);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(root, { recursive: true, force: true });
  };
}
