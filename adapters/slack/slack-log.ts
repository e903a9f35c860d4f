/** Where the adapter reports: codes and causes, never user ids or message text. */
export interface SlackLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

export const consoleSlackLog: SlackLog = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m, cause) => console.error(cause === undefined ? m : `${m}: ${describeCause(cause)}`),
};

/** "slack_webapi_platform_error: channel_not_found" — the code and message of a cause, without a stack. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${cause.message}`;
  }
  return String(cause);
}
