import { chmodSync, copyFileSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { controlValue, type MarcReadResult, type MarcRecord } from './marc-record.ts';
import { toMarcXml } from './marcxml-writer.ts';
import { expandPaths, readMarcFile, sniffMarcFormat, type PathProblem } from './read-marc-files.ts';
import { PACKAGE_ROOT } from '../config/data-dir.ts';
import { marcFixtures } from '../../test/support/paths.ts';

const DATA = marcFixtures();
/** the conventional unprivileged user and group (Debian's nobody/nogroup) */
const NOBODY = 65534;
const dir = mkdtempSync(join(tmpdir(), 'jala-read-marc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample: MarcRecord = {
  leader: '00000nam a2200000 a 4500',
  fields: [
    { tag: '001', value: 'x1' },
    { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'Ronggeng Dukuh Paruk' }] },
  ],
};

async function readAll(file: string): Promise<MarcReadResult[]> {
  const out: MarcReadResult[] = [];
  for await (const r of readMarcFile(file)) out.push(r);
  return out;
}

describe('sniffMarcFormat', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

  it.each([
    ['XML', bytes('<?xml version="1.0"?><collection/>'), 'marcxml'],
    ['XML after a BOM and whitespace', bytes([0xef, 0xbb, 0xbf], ' \n\t<collection/>'), 'marcxml'],
    ['UTF-16 XML', new Uint8Array([0xff, 0xfe, ...Buffer.from('\n<record/>', 'utf16le')]), 'marcxml'],
    ['UTF-16BE XML', new Uint8Array([0xfe, 0xff, 0, 0x3c, 0, 0x72]), 'marcxml'],
    ['an ISO 2709 leader', bytes('01234nam a2200241 a 4500'), 'iso2709'],
    ['an ISO 2709 leader after whitespace', bytes('\r\n00714cam'), 'iso2709'],
    ['an empty file', bytes(''), 'empty'],
    ['whitespace only', bytes('  \n '), 'empty'],
    ['Markdown', bytes('# MARC test data'), 'not-marc'],
    ['SQL', bytes('-- dump\nINSERT INTO'), 'not-marc'],
    ['gzip', bytes([0x1f, 0x8b, 0x08, 0x00]), 'not-marc'],
    ['four digits', bytes('1234'), 'not-marc'],
  ])('recognises %s', (_name, head, kind) => {
    expect(sniffMarcFormat(head)).toBe(kind);
  });
});

describe('expandPaths', () => {
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'b', 'deeper'), { recursive: true });
  mkdirSync(join(tree, '.hidden'));
  writeFileSync(join(tree, 'b', 'deeper', 'z.xml'), toMarcXml([sample]));
  writeFileSync(join(tree, 'b', 'a.mrc'), '00026nam a2200025 a 4500\x1e\x1d');
  writeFileSync(join(tree, 'c.xml'), toMarcXml([sample]));
  writeFileSync(join(tree, 'README.md'), '# not MARC\n');
  writeFileSync(join(tree, 'notes.txt'), 'hello');
  writeFileSync(join(tree, 'empty.mrc'), '');
  writeFileSync(join(tree, '.hidden', 'x.xml'), '<collection/>');
  writeFileSync(join(tree, '.dotfile.xml'), '<collection/>');
  symlinkSync(tree, join(tree, 'b', 'loop'));

  it('walks directories depth-first in sorted order, skipping hidden and non-MARC files with problems', async () => {
    const { files, problems, fatal } = await expandPaths([tree]);
    expect(files).toEqual([join(tree, 'b', 'a.mrc'), join(tree, 'b', 'deeper', 'z.xml'), join(tree, 'c.xml')]);
    expect(problems.map((p) => [p.file, p.fatal])).toEqual([
      [join(tree, 'README.md'), false],
      [join(tree, 'empty.mrc'), false],
      [join(tree, 'notes.txt'), false],
    ]);
    expect(problems[0]?.reason).toMatch(/not a MARC file/);
    expect(fatal).toBe(false);
  });

  it('keeps explicit files in the order given, once each', async () => {
    const c = join(tree, 'c.xml');
    const { files } = await expandPaths([c, join(tree, 'b'), c]);
    expect(files).toEqual([c, join(tree, 'b', 'a.mrc'), join(tree, 'b', 'deeper', 'z.xml')]);
  });

  it('makes a missing explicit path fatal', async () => {
    const missing = join(dir, 'no-such-file.mrc');
    const { files, problems, fatal } = await expandPaths([missing, join(tree, 'c.xml')]);
    expect(files).toEqual([join(tree, 'c.xml')]);
    expect(problems).toEqual([{ file: missing, position: 'path', code: 'marc/unreadable', reason: expect.stringMatching(/ENOENT/), fatal: true }]);
    expect(fatal).toBe(true);
  });

  it('makes an unreadable explicit file fatal', async () => {
    const locked = join(dir, 'locked.mrc');
    writeFileSync(locked, '00000');
    chmodSync(locked, 0o000);
    let problems: PathProblem[];
    if (process.getuid?.() !== 0) {
      ({ problems } = await expandPaths([locked]));
    } else {
      // root reads every file (CI runs as root): ask as an unprivileged user, in a process of its own
      chmodSync(dir, 0o755);
      const script = `import { expandPaths } from ${JSON.stringify(pathToFileURL(join(PACKAGE_ROOT, 'src/marc/read-marc-files.ts')).href)};
        process.stdout.write(JSON.stringify((await expandPaths([${JSON.stringify(locked)}])).problems));`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      problems = JSON.parse(run.stdout) as PathProblem[];
    }
    expect(problems).toEqual([{ file: locked, position: 'file', code: 'marc/unreadable', reason: expect.stringMatching(/EACCES/), fatal: true }]);
  });

  it('finds every MARC file of the developer set and skips SOURCES.md and the SQL dump', async () => {
    const { files, problems, fatal } = await expandPaths([DATA]);
    expect(fatal).toBe(false);
    expect(files).toHaveLength(246);
    expect(files).toEqual([...files].sort());
    expect(problems.map((p) => p.file.slice(DATA.length + 1)).sort()).toEqual(['SOURCES.md', 'slims/sampledata.sql']);
  });
});

describe('readMarcFile', () => {
  it('reads MARCXML in a file named .mrc as MARCXML', async () => {
    const file = join(dir, 'actually-xml.mrc');
    writeFileSync(file, `\uFEFF  ${toMarcXml([sample])}`);
    const out = await readAll(file);
    expect(out).toHaveLength(1);
    const r = out[0]!;
    expect(r.ok && r.source.format).toBe('marcxml');
    expect(r.ok && r.record).toEqual(sample);
  });

  it('reads ISO 2709 in a file named .xml as ISO 2709', async () => {
    const file = join(dir, 'actually-iso.xml');
    copyFileSync(join(DATA, 'marc4j/54-56-008008027.mrc'), file);
    const out = await readAll(file);
    expect(out).toHaveLength(5);
    expect(out.every((r) => r.ok && r.source.format === 'iso2709')).toBe(true);
  });

  it('reports a file that cannot be opened as a problem instead of throwing', async () => {
    const out = await readAll(join(dir, 'missing.xml'));
    expect(out).toEqual([{ ok: false, problem: { file: join(dir, 'missing.xml'), position: 'file', code: 'marc/unreadable', reason: expect.stringMatching(/ENOENT/), scope: 'file' } }]);
  });

  it('streams a large file with little heap growth', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const file = join(dir, 'large.xml');
    const total = 20_000;
    const out = createWriteStream(file);
    const batch = 1_000;
    for (let start = 0; start < total; start += batch) {
      const records: MarcRecord[] = [];
      for (let i = start; i < start + batch; i++) {
        records.push({
          leader: '00000nam a2200000 a 4500',
          fields: [
            { tag: '001', value: `big${i}` },
            ...Array.from({ length: 12 }, (_, k) => ({
              tag: String(500 + k),
              ind1: ' ',
              ind2: ' ',
              subfields: [{ code: 'a', value: `Catatan ${k} untuk rekaman nomor ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}` }],
            })),
          ],
        });
      }
      const xml = toMarcXml(records);
      const body = xml.slice(xml.indexOf('  <record>'), xml.lastIndexOf('</collection>'));
      out.write(start === 0 ? xml.slice(0, xml.indexOf('  <record>')) + body : body);
    }
    out.end('</collection>\n');
    await new Promise((ok) => out.on('close', ok));

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let last: string | undefined;
    for await (const r of readMarcFile(file)) {
      if (!r.ok) throw new Error(r.problem.reason);
      count++;
      if (count % 2_500 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
      last = controlValue(r.record, '001');
    }
    expect(count).toBe(total);
    expect(last).toBe(`big${total - 1}`);
    // the file is about 40 MB (80 MB as JavaScript strings); holding it would show here
    expect(peak).toBeLessThan(15 * 1024 * 1024);
  });
});
