/**
 * A library's `files` entries, relative to the config file's folder: plain paths (files or folders)
 * stay as they are; glob patterns (`*`, `?`, `[abc]`, `**` for any depth) are expanded, sorted.
 */
import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface SourcePaths {
  paths: string[];
  /** patterns that matched nothing */
  unmatched: string[];
}

const GLOB = /[*?[]/;

export async function resolveSourcePaths(entries: readonly string[], baseDir: string): Promise<SourcePaths> {
  const paths: string[] = [];
  const unmatched: string[] = [];
  for (const entry of entries) {
    const absolute = path.resolve(baseDir, entry);
    if (!GLOB.test(entry)) {
      paths.push(absolute);
      continue;
    }
    const matches = await expandGlob(absolute);
    if (matches.length === 0) unmatched.push(entry);
    paths.push(...matches);
  }
  return { paths: [...new Set(paths)], unmatched };
}

/** Files and folders matching an absolute glob pattern; hidden entries only when the pattern names them. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const { root, dir, base } = path.parse(pattern);
  const segments = [...path.relative(root, dir).split(path.sep).filter((s) => s !== ''), base];
  const out: string[] = [];
  const walk = async (at: string, i: number): Promise<void> => {
    if (i === segments.length) {
      out.push(at);
      return;
    }
    const segment = segments[i] as string;
    if (!GLOB.test(segment)) {
      const next = path.join(at, segment);
      if (i === segments.length - 1 ? await exists(next) : await isDirectory(next)) await walk(next, i + 1);
      return;
    }
    const entries = await list(at);
    if (segment === '**') {
      await walk(at, i + 1); // zero folders
      for (const e of entries) if (e.dir && !e.name.startsWith('.')) await walk(path.join(at, e.name), i); // one more
      return;
    }
    const re = segmentPattern(segment);
    for (const e of entries) {
      if (e.name.startsWith('.') && !segment.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      if (i < segments.length - 1 && !e.dir) continue;
      await walk(path.join(at, e.name), i + 1);
    }
  };
  await walk(root, 0);
  return [...new Set(out)].sort();
}

function segmentPattern(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function list(dir: string): Promise<Array<{ name: string; dir: boolean }>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const out: Array<{ name: string; dir: boolean }> = [];
    for (const e of entries) {
      const isDir = e.isDirectory() || (e.isSymbolicLink() && (await isDirectory(path.join(dir, e.name))));
      out.push({ name: e.name, dir: isDir });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
