/**
 * Validates XML documents against an XSD with xmllint (Debian libxml2-utils), many at once: one
 * xmllint run over a temp folder, its verdict per file read from stderr.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './paths.ts';

export interface SchemaVerdict {
  valid: boolean;
  /** xmllint's complaints about this document */
  errors: string[];
}

export function validateWithXmllint(xsd: string, documents: ReadonlyMap<string, string>): Map<string, SchemaVerdict> {
  const dir = tempDir('jala-xmllint-');
  const files = new Map<string, string>();
  let i = 0;
  for (const [name, xml] of documents) {
    const file = path.join(dir, `doc-${i++}.xml`);
    fs.writeFileSync(file, xml);
    files.set(file, name);
  }
  const out = new Map<string, SchemaVerdict>();
  const all = [...files.keys()];
  // a few hundred files per run keeps the command line short
  for (let start = 0; start < all.length; start += 200) {
    const batch = all.slice(start, start + 200);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, ...batch], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    const lines = r.stderr.split('\n');
    for (const file of batch) {
      const mine = lines.filter((l) => l.startsWith(`${file}:`) || l.startsWith(`${file} `));
      const valid = mine.some((l) => l === `${file} validates`);
      out.set(files.get(file) as string, { valid, errors: mine.filter((l) => l !== `${file} validates`) });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** The names of the documents that did not validate, with xmllint's first complaint. */
export function invalidOnes(verdicts: ReadonlyMap<string, SchemaVerdict>): string[] {
  return [...verdicts].filter(([, v]) => !v.valid).map(([name, v]) => `${name}: ${v.errors[0] ?? 'no verdict'}`);
}
