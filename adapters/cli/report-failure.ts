import { StoreError } from '../../src/index.ts';

/** The CLI's one catch-all: a clear line on stderr, never a stack trace (unless JALA_DEBUG is set). */
export function reportFailure(err: unknown): number {
  if (err instanceof StoreError) {
    process.stderr.write(`jala: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`jala: internal error: ${message}\n`);
  if (process.env.JALA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  return 70;
}
