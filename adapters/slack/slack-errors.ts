/** What a failed Slack call tells us: a stable code for logs and the outbox, and how long Slack asked us to wait. */
export interface SlackFailure {
  /** "ratelimited", "channel_not_found", "http_500", "request_failed" … */
  code: string;
  /** Slack's Retry-After, when it answered 429 */
  retryAfterMs?: number;
}

/** Reads @slack/web-api's coded errors by their code, never by message text. */
export function slackFailure(err: unknown): SlackFailure {
  const e = err as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown; statusCode?: unknown } | undefined;
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return { code: 'ratelimited', retryAfterMs: Math.max(1, Number(e.retryAfter) || 1) * 1000 };
    case 'slack_webapi_platform_error':
      return { code: typeof e.data?.error === 'string' ? e.data.error : 'platform_error' };
    case 'slack_webapi_http_error':
      return { code: `http_${String(e.statusCode)}` };
    case 'slack_webapi_request_error':
      return { code: 'request_failed' };
    default:
      return { code: typeof e?.code === 'string' ? e.code : 'unknown' };
  }
}
