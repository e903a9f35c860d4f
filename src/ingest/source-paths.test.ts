import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSourcePaths } from './source-paths.ts';

describe('resolveSourcePaths', () => {
  it('keeps plain paths, expands *, ? , [..] and ** relative to the config folder, and names patterns that match nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-globs-'));
    for (const f of ['a/one.mrc', 'a/two.xml', 'a/.hidden.mrc', 'b/c/three.mrc', 'b/four.mrc', 'b/notes.txt']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), '');
    }
    const rel = (paths: string[]): string[] => paths.map((p) => path.relative(dir, p));
    const r = await resolveSourcePaths(['a', 'a/*.mrc', 'b/**/*.mrc', 'a/t?o.[xy]ml', 'nothing/*.mrc', 'missing-dir'], dir);
    expect(rel(r.paths)).toEqual(['a', 'a/one.mrc', 'b/c/three.mrc', 'b/four.mrc', 'a/two.xml', 'missing-dir']);
    expect(r.unmatched).toEqual(['nothing/*.mrc']);
  });
});
