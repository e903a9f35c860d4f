/**
 * The architecture, checked on every `npm test` (the house style, "The shape"): the core in src/ is
 * platform-neutral, better-sqlite3 stays in the store (pg-native in the PostgreSQL store), minisearch stays in search, and the folders of the
 * core import each other without cycles, and no V8 flag is changed at run time. Imports are read with TypeScript's own pre-processor (static,
 * dynamic and type-only imports, and re-exports), so a comment or a string that looks like an import
 * does not count.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/data-dir.ts';

interface SourceFile {
  /** relative to the package root, with forward slashes */
  file: string;
  /** module specifiers as written */
  imports: string[];
}

const isTest = (file: string): boolean => /\.test\.ts$/.test(file);

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const imports = ts.preProcessFile(fs.readFileSync(p, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
        out.push({ file: path.relative(PACKAGE_ROOT, p).split(path.sep).join('/'), imports });
      }
    }
  };
  walk(path.join(PACKAGE_ROOT, dir));
  return out;
}

/** A package name from a bare specifier (`@slack/bolt/dist/x` → `@slack/bolt`); undefined for relative paths. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package-relative path a relative specifier points at. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

/** `file imports X` lines for the imports of `files` that match. */
function offending(files: readonly SourceFile[], matches: (specifier: string, file: SourceFile) => boolean): string[] {
  return files.flatMap((f) => f.imports.filter((s) => matches(s, f)).map((s) => `${f.file} imports ${s}`));
}

/** The core folder of a package-relative path (`src/ill/x.ts` → `ill`); undefined for src/index.ts and the like. */
function coreFolder(file: string): string | undefined {
  const m = /^src\/([^/]+)\//.exec(file);
  return m?.[1];
}

/** Folder → folders it imports (non-test files only). */
function folderGraph(files: readonly SourceFile[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const f of files) {
    const from = coreFolder(f.file);
    if (from === undefined || isTest(f.file)) continue;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const s of f.imports) {
      const target = resolveRelative(f.file, s);
      const to = target === undefined ? undefined : coreFolder(target);
      if (to !== undefined && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan), each sorted; a cycle is one of them. */
function folderCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One import path per cycle, for the failure message: `a → b → a`. */
function describeCycle(graph: ReadonlyMap<string, ReadonlySet<string>>, scc: readonly string[]): string {
  const members = new Set(scc);
  const start = scc[0]!;
  // breadth-first from start back to start inside the component
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain: string[] = [];
        for (let x: string | undefined = v; x !== undefined; x = prev.get(x)) chain.unshift(x);
        return [...chain, start].join(' → ');
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return scc.join(' ↔ ');
}

const SRC = sourceFiles('src');
const ADAPTERS = fs.existsSync(path.join(PACKAGE_ROOT, 'adapters')) ? sourceFiles('adapters') : [];

describe('the architecture', () => {
  it('reads the imports of the whole core', () => {
    expect(SRC.length).toBeGreaterThan(100);
    // the reader sees static, type-only and dynamic imports
    const seen = new Set(SRC.flatMap((f) => f.imports.map(packageOf)).filter((p): p is string => p !== undefined));
    expect(seen).toContain('better-sqlite3');
    expect(seen).toContain('minisearch');
  });

  it('keeps the core platform-neutral: src/ imports neither adapters/ nor @slack/bolt nor discord.js', () => {
    const bad = offending(SRC, (s, f) => {
      const target = resolveRelative(f.file, s);
      if (target !== undefined) return target === 'adapters' || target.startsWith('adapters/');
      const pkg = packageOf(s);
      return pkg === '@slack/bolt' || pkg === 'discord.js' || (pkg?.startsWith('@discordjs/') ?? false) || (pkg?.startsWith('@slack/') ?? false);
    });
    expect(bad).toEqual([]);
  });

  it('imports better-sqlite3 only in src/store', () => {
    const bad = offending([...SRC, ...ADAPTERS], (s, f) => packageOf(s) === 'better-sqlite3' && !f.file.startsWith('src/store/'));
    expect(bad).toEqual([]);
  });

  it('imports pg-native (the PostgreSQL driver) only in src/store-postgres', () => {
    const bad = offending([...SRC, ...ADAPTERS], (s, f) => packageOf(s) === 'pg-native' && !f.file.startsWith('src/store-postgres/'));
    expect(bad).toEqual([]);
  });

  it('changes no V8 flag at run time but --expose-gc: a flag V8 reads while it runs (--no-regexp-tier-up) crashed jala processes', () => {
    // v8.setFlagsFromString after start-up is unsupported: '--no-regexp-tier-up' set in adapters/cli/bin.mjs
    // left the regular expressions compiled before it inconsistent, and jala processes died by SIGSEGV in
    // V8's regexp code (CI, a replica and `jala reindex` children). --expose-gc only adds a global.
    const calls: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(path.join(PACKAGE_ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${e.name}`;
        if (e.isDirectory()) {
          if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(rel);
        } else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
          const text = fs.readFileSync(path.join(PACKAGE_ROOT, rel), 'utf8');
          const visit = (node: ts.Node): void => {
            if (ts.isCallExpression(node)) {
              const callee = node.expression;
              const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
              if (name === 'setFlagsFromString') {
                const arg = node.arguments[0];
                const flag = arg && ts.isStringLiteralLike(arg) ? arg.text : '(not a literal)';
                if (flag !== '--expose-gc') calls.push(`${rel}: ${flag}`);
              }
            }
            ts.forEachChild(node, visit);
          };
          visit(ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, false));
        }
      }
    };
    for (const dir of ['src', 'adapters', 'test']) walk(dir);
    expect(calls).toEqual([]);
  });

  it('imports minisearch only in src/search', () => {
    const bad = offending([...SRC, ...ADAPTERS], (s, f) => packageOf(s) === 'minisearch' && !f.file.startsWith('src/search/'));
    expect(bad).toEqual([]);
  });

  it('has no import cycle between the folders of the core', () => {
    const graph = folderGraph(SRC);
    expect(graph.size).toBeGreaterThan(5);
    expect(folderCycles(graph).map((scc) => `${scc.join(', ')} (e.g. ${describeCycle(graph, scc)})`)).toEqual([]);
  });
});

describe('the cycle finder', () => {
  const g = (edges: Record<string, string[]>): Map<string, Set<string>> => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

  it('finds a two-folder cycle and a longer one, and nothing in a layered graph', () => {
    expect(folderCycles(g({ bot: ['ill', 'store'], ill: ['bot', 'store'], store: [] }))).toEqual([['bot', 'ill']]);
    expect(folderCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect(folderCycles(g({ app: ['bot', 'store'], bot: ['answer', 'store'], answer: ['search'], search: [], store: [] }))).toEqual([]);
  });

  it('builds the folder graph from relative imports of non-test files only', () => {
    const graph = folderGraph([
      { file: 'src/bot/create-bot.ts', imports: ['../ill/ill-service.ts', './bot-types.ts', 'zod'] },
      { file: 'src/ill/ill-service.ts', imports: ['../store/sqlite-ill-store.ts'] },
      { file: 'src/ill/ill-service.test.ts', imports: ['../bot/create-bot.ts'] },
      { file: 'src/index.ts', imports: ['./bot/create-bot.ts'] },
    ]);
    expect(graph).toEqual(g({ bot: ['ill'], ill: ['store'] }));
  });
});
