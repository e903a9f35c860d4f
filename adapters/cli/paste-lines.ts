import type { Interface } from 'node:readline';

/**
 * Lines typed at a terminal, as messages: the lines that arrive together (a paste — a reading list,
 * a citation broken over lines) are one message; a line typed on its own is one message. Readline
 * reports every line of one chunk of input before the event loop turns, so the lines are gathered
 * until then. Piped input (a script of messages, one per line) is read line by line: pass `paste: false`.
 */
export function messagesOf(rl: Interface, opts: { paste: boolean }): AsyncIterable<string> {
  const queue: string[] = [];
  let gathering: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const flush = (): void => {
    if (gathering.length > 0) queue.push(gathering.join('\n'));
    gathering = [];
    wake?.();
  };
  rl.on('line', (line) => {
    if (!opts.paste) {
      queue.push(line);
      wake?.();
      return;
    }
    if (gathering.length === 0) setImmediate(flush);
    gathering.push(line);
  });
  rl.on('close', () => {
    flush();
    closed = true;
    wake?.();
  });
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  };
}
