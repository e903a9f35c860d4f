import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';

/** The shared MARC test data beside the checkout (CI clones the repo with shared/ next to it). */
export const SHARED_MARC_DIR = process.env.JALA_SHARED_MARC ?? path.resolve(PACKAGE_ROOT, '..', 'shared', 'data', 'marc');

export function requireSharedMarc(): string {
  if (!fs.existsSync(path.join(SHARED_MARC_DIR, 'SOURCES.md'))) {
    throw new Error(`shared MARC data not found at ${SHARED_MARC_DIR} (set JALA_SHARED_MARC)`);
  }
  return SHARED_MARC_DIR;
}

export function tempDir(prefix = 'jala-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Record counts per file from SOURCES.md's Files table (`path` → count). */
export function sourcesRecordCounts(): Map<string, number> {
  const text = fs.readFileSync(path.join(requireSharedMarc(), 'SOURCES.md'), 'utf8');
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
