import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';

/**
 * The developer MARC test set (2,321 real records), copied into the repository with its attribution
 * (test/fixtures/marc/SOURCES.md), so that a fresh clone runs every test without anything beside it.
 */
export const MARC_FIXTURES_DIR = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'marc');

export function marcFixtures(): string {
  if (!fs.existsSync(path.join(MARC_FIXTURES_DIR, 'SOURCES.md'))) {
    throw new Error(`MARC fixtures not found at ${MARC_FIXTURES_DIR}: the checkout is incomplete`);
  }
  return MARC_FIXTURES_DIR;
}

export function tempDir(prefix = 'jala-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Record counts per file from SOURCES.md's Files table (`path` → count). */
export function sourcesRecordCounts(): Map<string, number> {
  const text = fs.readFileSync(path.join(marcFixtures(), 'SOURCES.md'), 'utf8');
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\| `([^`]+)` \| [^|]+ \| [^|]+ \| [^|]+ \| (\d+) \|/.exec(line);
    if (m && m[1] && m[2]) counts.set(m[1], Number(m[2]));
  }
  return counts;
}

/** Every file under a folder, relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export const JALA_BIN = path.join(PACKAGE_ROOT, 'adapters', 'cli', 'bin.mjs');
