import type { Leadership } from '../replicas/leadership.ts';
import { LOCK_KEYS, type PgDatabase } from './pg-database.ts';
import { openKeepaliveSession } from './pg-keepalive-session.ts';

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
      this.db ??= openKeepaliveSession(this.url);
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
