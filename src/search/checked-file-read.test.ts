import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readChecked } from './checked-file-read.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-checked-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readChecked', () => {
  const bytes = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const file = path.join(dir, 'sections.bin');
  fs.writeFileSync(file, bytes);
  const ranges = [
    { offset: 8, length: 1000 },
    { offset: 2_000_000, length: 1_000_000 },
    { offset: 1024, length: 1_500_000 },
    { offset: 3 * 1024 * 1024 - 16, length: 16 },
  ];
  const read = (parallelFrom: number): ReturnType<typeof readChecked> => {
    const fd = fs.openSync(file, 'r');
    try {
      return readChecked(file, fd, bytes.length, ranges, parallelFrom);
    } finally {
      fs.closeSync(fd);
    }
  };

  it('gives the same bytes and the same CRC-32 of every range read by two threads as by one', () => {
    const expected = ranges.map((r) => zlib.crc32(bytes.subarray(r.offset, r.offset + r.length)));
    const one = read(Number.POSITIVE_INFINITY);
    const two = read(0);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(one.crcs).toEqual(expected);
    expect(two.crcs).toEqual(expected);
    expect(Buffer.from(two.buffer).equals(bytes)).toBe(true);
  });

  it('notices a changed byte in either thread\'s part', () => {
    for (const at of [500, 2_500_000]) {
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at] as number) ^ 1;
      fs.writeFileSync(file, changed);
      const { crcs } = read(0);
      const differs = ranges.map((r, i) => crcs[i] !== zlib.crc32(bytes.subarray(r.offset, r.offset + r.length)));
      expect(differs).toEqual(ranges.map((r) => at >= r.offset && at < r.offset + r.length));
    }
    fs.writeFileSync(file, bytes);
  });
});
