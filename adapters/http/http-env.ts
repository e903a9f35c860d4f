/**
 * The HTTP listener's settings from the environment: JALA_HTTP_PORT turns it on (for `jala serve`
 * it defaults to 8080), JALA_HTTP_HOST sets the address (default 0.0.0.0, every interface).
 */
import { z } from 'zod';

export interface HttpSettings {
  port: number;
  host: string;
}

const Port = z.coerce.number({ error: 'JALA_HTTP_PORT must be a port number' }).int('JALA_HTTP_PORT must be a port number').min(0).max(65535);

/** The settings, undefined when the listener is off (no JALA_HTTP_PORT and no default), or the reason they are wrong. */
export function httpSettings(env: NodeJS.ProcessEnv, defaultPort?: number): { ok: true; value: HttpSettings | undefined } | { ok: false; message: string } {
  const raw = env.JALA_HTTP_PORT?.trim();
  const host = env.JALA_HTTP_HOST?.trim() || '0.0.0.0';
  if (raw === undefined || raw === '') return { ok: true, value: defaultPort === undefined ? undefined : { port: defaultPort, host } };
  const port = Port.safeParse(raw);
  if (!port.success) return { ok: false, message: `JALA_HTTP_PORT must be a port number (0-65535), not "${raw}"` };
  return { ok: true, value: { port: port.data, host } };
}
