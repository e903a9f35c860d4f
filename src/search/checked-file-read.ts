/**
 * Reading a large file whole, with the CRC-32 of each of its sections, on both cores. Loading the
 * saved works index is mostly this: at a million works (234 MB) reading it cost about 1.1 s and
 * checking its sections' CRC-32 about 0.7 s on the 2-core machine — the read is mostly the kernel
 * faulting fresh memory in, page by page, which two threads do side by side. So for a file past
 * PARALLEL_FROM a worker thread reads the later part of the file into the same SharedArrayBuffer and
 * checks the sections that lie there, while this thread does the first part; this thread waits for
 * it with Atomics.wait (the caller is synchronous: a start opens the index before it answers).
 *
 * A worker that cannot start, fails or does not answer in WORKER_PATIENCE_MS changes nothing but
 * the time: its part is then read and checked here, so the result (and any error about the file) is
 * always the one a plain read gives.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';

/** files from this size on are read by two threads */
export const PARALLEL_FROM = 32 * 1024 * 1024;
/** how long the worker's half may take before this thread does it itself (only a stuck worker reaches it) */
const WORKER_PATIENCE_MS = 120_000;
const CHUNK = 1 << 30;

/** A byte range whose CRC-32 is wanted. */
export interface ByteRange {
  offset: number;
  length: number;
}

export interface CheckedRead {
  /** the whole file (a SharedArrayBuffer when two threads read it) */
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** CRC-32 of each range, in the order given */
  crcs: number[];
  /** how it was read, for tests and measurements */
  threads: 1 | 2;
}

/** Thrown when the file is shorter than `size` (it changed while being read). */
export class FileShrankError extends Error {}

function readInto(fd: number, bytes: Uint8Array, from: number, to: number): void {
  let at = from;
  while (at < to) {
    const n = fs.readSync(fd, bytes, at, Math.min(to - at, CHUNK), at);
    if (n === 0) throw new FileShrankError('the file shrank while being read');
    at += n;
  }
}

// plain CommonJS for the worker: it runs the same under tsx, vitest and a built install
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { file, shared, control, from, to, ranges } = workerData;
const bytes = new Uint8Array(shared);
const ctl = new Int32Array(control);
try {
  const fd = fs.openSync(file, 'r');
  try {
    let at = from;
    while (at < to) {
      const n = fs.readSync(fd, bytes, at, Math.min(to - at, ${CHUNK}), at);
      if (n === 0) throw new Error('shrank');
      at += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  ranges.forEach((r, i) => { ctl[1 + i] = zlib.crc32(bytes.subarray(r.offset, r.offset + r.length)) | 0; });
  Atomics.store(ctl, 0, 1);
} catch {
  Atomics.store(ctl, 0, 2);
}
Atomics.notify(ctl, 0);
`;

/**
 * Reads `size` bytes of the open file `fd` (named `file`, for the worker) and the CRC-32 of each
 * range (ranges must lie within the file). Two threads when `size` ≥ `parallelFrom`.
 */
export function readChecked(file: string, fd: number, size: number, ranges: readonly ByteRange[], parallelFrom = PARALLEL_FROM): CheckedRead {
  const crcOf = (bytes: Uint8Array, r: ByteRange): number => zlib.crc32(bytes.subarray(r.offset, r.offset + r.length));
  if (size < parallelFrom || ranges.length < 2) {
    const buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    readInto(fd, bytes, 0, size);
    return { buffer, crcs: ranges.map((r) => crcOf(bytes, r)), threads: 1 };
  }
  // the worker takes the ranges from the middle of the file on (whole ranges: a section is checked by one thread)
  const order = ranges.map((r, i) => ({ ...r, i })).sort((a, b) => a.offset - b.offset);
  let split = order.findIndex((r) => r.offset >= size / 2);
  if (split <= 0) split = Math.max(1, order.length - 1);
  const from = (order[split] as ByteRange).offset;
  const mine = order.slice(0, split);
  const theirs = order.slice(split);

  const shared = new SharedArrayBuffer(size);
  const bytes = new Uint8Array(shared);
  const control = new SharedArrayBuffer(4 * (1 + theirs.length));
  const ctl = new Int32Array(control);
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, shared, control, from, to: size, ranges: theirs.map(({ offset, length }) => ({ offset, length })) },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    worker.on('error', () => {}); // its failure shows as the control word, and its part is done here
  } catch {
    worker = undefined;
  }
  const crcs = new Array<number>(ranges.length);
  try {
    readInto(fd, bytes, 0, from);
    for (const r of mine) crcs[r.i] = crcOf(bytes, r);
    const answered = worker !== undefined && Atomics.wait(ctl, 0, 0, WORKER_PATIENCE_MS) !== 'timed-out' && Atomics.load(ctl, 0) === 1;
    if (answered) {
      theirs.forEach((r, k) => (crcs[r.i] = (ctl[1 + k] as number) >>> 0));
      return { buffer: shared, crcs, threads: 2 };
    }
    // the worker did not do its part: do it here (a file that really cannot be read fails here, plainly)
    readInto(fd, bytes, from, size);
    for (const r of theirs) crcs[r.i] = crcOf(bytes, r);
    return { buffer: shared, crcs, threads: 1 };
  } finally {
    void worker?.terminate();
  }
}
