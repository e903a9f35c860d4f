/**
 * From paths on the command line to MARC read results: expand directories, tell MARC files from
 * the rest by their first bytes (not their extension), and stream each file through the ISO 2709
 * or MARCXML reader.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readIso2709 } from './iso2709-reader.ts';
import type { MarcReadResult, ReadProblemCode } from './marc-record.ts';
import { readMarcXml } from './marcxml-reader.ts';

export interface PathProblem {
  file: string;
  position: string;
  code: ReadProblemCode;
  reason: string;
  /** a path given explicitly that does not exist or cannot be read: the run should fail */
  fatal: boolean;
}

export interface ExpandedPaths {
  /** MARC files to read, in order: explicit paths as given, each directory's files sorted */
  files: string[];
  problems: PathProblem[];
  /** true when any problem is fatal */
  fatal: boolean;
}

export type MarcFileKind = 'marcxml' | 'iso2709' | 'empty' | 'not-marc';

/** Bytes read from the start of a file to decide what it is. */
const SNIFF_BYTES = 4096;

/**
 * Files, or directories searched recursively (hidden entries skipped), reduced to MARC files.
 * Never throws: unreadable paths and non-MARC files come back as problems.
 */
export async function expandPaths(paths: string[]): Promise<ExpandedPaths> {
  const files: string[] = [];
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const visitedDirectories = new Set<string>();

  const addIfMarc = async (file: string): Promise<void> => {
    let kind: MarcFileKind;
    try {
      const key = await realpath(file); // the same file reached twice, through a link or given again
      if (seen.has(key)) return;
      seen.add(key);
      kind = sniffMarcFormat(await readHead(file));
    } catch (err) {
      problems.push({ file, position: 'file', code: 'marc/unreadable', reason: `cannot read the file: ${describe(err)}`, fatal: false });
      return;
    }
    if (kind === 'marcxml' || kind === 'iso2709') files.push(file);
    else if (kind === 'empty') problems.push({ file, position: 'file', code: 'marc/empty-file', reason: 'empty file; skipped', fatal: false });
    else problems.push({ file, position: 'start of file', code: 'marc/not-marc', reason: 'not a MARC file (neither XML nor an ISO 2709 leader); skipped', fatal: false });
  };

  const walk = async (directory: string, explicit: boolean): Promise<void> => {
    let real: string;
    let entries: string[];
    try {
      real = await realpath(directory);
      if (visitedDirectories.has(real)) return; // a symbolic link back into the tree
      visitedDirectories.add(real);
      entries = (await readdir(directory)).filter((name) => !name.startsWith('.')).sort(byCodePoint);
    } catch (err) {
      problems.push({ file: directory, position: 'directory', code: 'marc/unreadable', reason: `cannot read the directory: ${describe(err)}`, fatal: explicit });
      return;
    }
    for (const name of entries) {
      const path = join(directory, name);
      let info;
      try {
        info = await stat(path); // follows symbolic links
      } catch (err) {
        problems.push({ file: path, position: 'file', code: 'marc/unreadable', reason: `cannot read: ${describe(err)}`, fatal: false });
        continue;
      }
      if (info.isDirectory()) await walk(path, false);
      else if (info.isFile()) await addIfMarc(path);
      // a FIFO, socket or device is never opened (reading a FIFO waits for a writer for ever), but it is reported
      else problems.push({ file: path, position: 'file', code: 'marc/not-a-file', reason: `${specialKind(info)}, not a regular file; skipped`, fatal: false });
    }
  };

  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      problems.push({ file: path, position: 'path', code: 'marc/unreadable', reason: `cannot read: ${describe(err)}`, fatal: true });
      continue;
    }
    if (info.isDirectory()) {
      await walk(path, true);
    } else if (info.isFile()) {
      try {
        await readHead(path);
      } catch (err) {
        problems.push({ file: path, position: 'file', code: 'marc/unreadable', reason: `cannot read the file: ${describe(err)}`, fatal: true });
        continue;
      }
      await addIfMarc(path);
    } else {
      problems.push({ file: path, position: 'path', code: 'marc/not-a-file', reason: 'not a file or a directory', fatal: true });
    }
  }
  return { files, problems, fatal: problems.some((p) => p.fatal) };
}

function specialKind(info: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * Reads one MARC file, MARCXML or ISO 2709 according to its content whatever its name. Never
 * throws: a file that cannot be read gives one problem.
 */
export async function* readMarcFile(file: string): AsyncGenerator<MarcReadResult> {
  let kind: MarcFileKind;
  try {
    kind = sniffMarcFormat(await readHead(file));
  } catch (err) {
    yield { ok: false, problem: { file, position: 'file', code: 'marc/unreadable', reason: `cannot read the file: ${describe(err)}`, scope: 'file' } };
    return;
  }
  const stream = createReadStream(file);
  const input: AsyncIterable<Uint8Array> = stream;
  const results = kind === 'marcxml' ? readMarcXml(file, input) : readIso2709(file, input);
  try {
    while (true) {
      let step: IteratorResult<MarcReadResult>;
      try {
        step = await results.next();
      } catch (err) {
        yield { ok: false, problem: { file, position: 'file', code: 'marc/unreadable', reason: `reading stopped: ${describe(err)}`, scope: 'file' } };
        return;
      }
      if (step.done === true) return;
      yield step.value;
    }
  } finally {
    await results.return(undefined).catch(() => undefined);
    stream.destroy();
  }
}

/**
 * What a file holds, from its first bytes: after a byte-order mark and whitespace, '<' is
 * MARCXML and five digits (an ISO 2709 record length) is ISO 2709.
 */
export function sniffMarcFormat(head: Uint8Array): MarcFileKind {
  let bytes = head;
  let step = 1;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
  } else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    // UTF-16: look at the code units' low byte only
    bytes = bytes.subarray(bytes[0] === 0xff ? 2 : 3);
    step = 2;
  }
  let i = 0;
  while (i < bytes.length && isAsciiWhitespace(bytes[i] ?? 0)) i += step;
  if (i >= bytes.length) return 'empty';
  if (bytes[i] === 0x3c) return 'marcxml';
  if (step === 1 && i + 5 <= bytes.length && bytes.subarray(i, i + 5).every((b) => b >= 0x30 && b <= 0x39)) {
    return 'iso2709';
  }
  return 'not-marc';
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isAsciiWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== undefined ? code : err.message;
  }
  return String(err);
}
