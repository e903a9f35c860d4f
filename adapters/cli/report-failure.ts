import { StoreError } from '../../src/index.ts';

/** Start-up and setup errors carry a stable code and a message written for the operator. */
const OPERATOR_ERROR = /^(store|config|slack|discord|http|z3950)\//;

/** The CLI's one catch-all: a clear line on stderr, never a stack trace (unless JALA_DEBUG is set). */
export function reportFailure(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof StoreError || (err instanceof Error && typeof code === 'string' && OPERATOR_ERROR.test(code))) {
    process.stderr.write(`jala: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`jala: internal error: ${message}\n`);
  if (process.env.JALA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  return 70;
}
