/**
 * The Logger port written by pino: one JSON line per event (`level`, `time`, `event`, the fields), to
 * stderr by default. pino's own `redact` removes the personal keys at the top level and one level down
 * (its fast path); redactFields then removes them at any depth and scrubs id-shaped words from strings.
 */
import pino from 'pino';
import { PERSONAL_KEYS, REDACTED, redactFields, scrubIds, type LogFields, type Logger } from './logger.ts';

export interface PinoLoggerOptions {
  /** where lines go: a stream with write(); process.stderr by default */
  destination?: { write(line: string): unknown };
  /** the least level written; 'info' by default */
  level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** fields on every line, e.g. { component: 'discord' } */
  base?: LogFields;
}

export function createPinoLogger(opts: PinoLoggerOptions = {}): Logger {
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: opts.base ? (redactFields(opts.base) as Record<string, unknown>) : null,
      messageKey: 'event',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`]), censor: REDACTED },
    },
    (opts.destination ?? process.stderr) as pino.DestinationStream,
  );
  return wrap(p);
}

function wrap(p: pino.Logger): Logger {
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (event: string, fields?: LogFields): void => {
      if (fields === undefined) p[level](scrubIds(event));
      else p[level](redactFields(fields) as Record<string, unknown>, scrubIds(event));
    };
  return {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(p.child(redactFields(bindings) as Record<string, unknown>)),
  };
}
