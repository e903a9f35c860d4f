import { PgDatabase } from './pg-database.ts';

/**
 * Keepalives on both ends of a long-lived session of its own (the leader's lock, the catalog listener),
 * so that a peer that vanishes without closing the connection (a crashed machine, a network partition)
 * is noticed within about half a minute rather than the operating system's two hours: the server probes
 * an idle client (tcp_keepalives_*), and the client gives up on a server that stopped answering (libpq's
 * keepalives_* and connect_timeout), so a check never blocks for long. Settings the URL already names are kept.
 */
const CLIENT_OPTIONS: Readonly<Record<string, string>> = { connect_timeout: '10', keepalives: '1', keepalives_idle: '10', keepalives_interval: '5', keepalives_count: '3' };

export function openKeepaliveSession(url: string): PgDatabase {
  const [base, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries(CLIENT_OPTIONS)) if (!params.has(k)) params.set(k, v);
  const db = new PgDatabase(`${base}?${params.toString()}`);
  try {
    db.exec('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
