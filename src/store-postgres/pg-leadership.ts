import type { Leadership } from '../replicas/leadership.ts';
import { LOCK_KEYS, PgDatabase } from './pg-database.ts';

/**
 * The lead among replicas sharing one PostgreSQL database: a session-level advisory lock
 * (pg_try_advisory_lock) held on a connection of its own. The lock lives as long as that session:
 * when the leader process dies (or its connection is cut), the server ends the session, the lock
 * goes with it, and the next replica to try takes it. Nothing to expire, no clock to trust.
 *
 * The connection is opened on the first try (commands that never lead open none) and again after it
 * was lost. While leading, each try checks the session is still alive (a lost session has lost the lock).
 */
export class PgLeadership implements Leadership {
  readonly kind = 'postgres-advisory-lock';
  private db: PgDatabase | undefined;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly key: number = LOCK_KEYS.leader,
  ) {}

  tryLead(): boolean {
    try {
      this.db ??= openLeaderSession(this.url);
      if (this.held) {
        // the lock is the session's: a session that still answers still holds it
        this.db.get('SELECT 1');
        return true;
      }
      this.held = this.db.get<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.key])?.ok === true;
      return this.held;
    } catch {
      // the session is gone (server restart, connection cut): so is the lock
      this.drop();
      return false;
    }
  }

  release(): void {
    if (this.db && this.held) {
      try {
        this.db.get('SELECT pg_advisory_unlock($1)', [this.key]);
      } catch {
        // the session is gone, and the lock with it
      }
    }
    this.drop();
  }

  private drop(): void {
    this.held = false;
    const db = this.db;
    this.db = undefined;
    try {
      db?.close();
    } catch {
      // already closed by the server
    }
  }
}

/**
 * Keepalives on both ends of the leader's session, so that a leader that vanishes without closing its
 * connection (a crashed machine, a network partition) loses the lock within about half a minute rather
 * than the operating system's two hours: the server probes an idle client (tcp_keepalives_*), and the
 * client gives up on a server that stopped answering (libpq's keepalives_* and connect_timeout), so a
 * check never blocks for long. Settings the URL already names are kept.
 */
const CLIENT_OPTIONS: Readonly<Record<string, string>> = { connect_timeout: '10', keepalives: '1', keepalives_idle: '10', keepalives_interval: '5', keepalives_count: '3' };

function openLeaderSession(url: string): PgDatabase {
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
