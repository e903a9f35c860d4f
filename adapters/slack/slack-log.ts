import type { Logger } from '../../src/index.ts';

/** Where the adapter reports: codes and causes, never user ids or message text. */
export interface SlackLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

/** The adapter's log written through the one Logger (which redacts what names a person). */
export function slackLogOf(logger: Logger): SlackLog {
  return {
    info: (m) => logger.info(m),
    warn: (m) => logger.warn(m),
    error: (m, cause) => logger.error(m, cause === undefined ? undefined : { cause: describeCause(cause) }),
  };
}

/** "slack_webapi_platform_error: channel_not_found" — the code and message of a cause, without a stack. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${cause.message}`;
  }
  return String(cause);
}
