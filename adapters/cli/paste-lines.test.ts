import { PassThrough } from 'node:stream';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { messagesOf } from './paste-lines.ts';

async function collect(chunks: string[], paste: boolean): Promise<string[]> {
  const input = new PassThrough();
  const rl = readline.createInterface({ input, terminal: false });
  const got: string[] = [];
  const reading = (async () => {
    for await (const m of messagesOf(rl, { paste })) got.push(m);
  })();
  for (const c of chunks) {
    input.write(c);
    // the next chunk comes after the terminal has delivered this one (a person typing, then pasting)
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
  input.end();
  await reading;
  return got;
}

describe('terminal messages', () => {
  it('takes a pasted reading list as one message, and a line typed after it as the next', async () => {
    const got = await collect(['Laskar pelangi\nBumi manusia / Pramoedya Ananta Toer\nISBN 9789793062792\n', 'more\n'], true);
    expect(got).toEqual(['Laskar pelangi\nBumi manusia / Pramoedya Ananta Toer\nISBN 9789793062792', 'more']);
  });

  it('reads piped input line by line', async () => {
    expect(await collect(['laskar pelangi\nwho has it?\n'], false)).toEqual(['laskar pelangi', 'who has it?']);
  });
});
