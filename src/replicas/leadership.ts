/**
 * Who leads: of the replicas sharing one database, one at a time runs what must run once — the ILL
 * timers, the scheduled harvests, the Discord gateway and Slack Socket Mode (a platform holds one
 * such connection per app). Every replica answers questions and HTTP requests; only the leader runs
 * these duties. A leader that dies loses its leadership with it, and another replica takes over.
 *
 * On PostgreSQL the lead is a session advisory lock on a connection of its own (PgLeadership); with
 * SQLite there is one process, which always leads (SingleProcessLeadership).
 */
export interface Leadership {
  /** what decides the lead, for log lines: 'single-process' | 'postgres-advisory-lock' */
  readonly kind: string;
  /**
   * Takes the lead when nobody holds it, or checks that this replica still holds it. True while this
   * replica leads. Never throws: a database that cannot be reached means not leading.
   */
  tryLead(): boolean;
  /** Gives the lead up (at shutdown), so that another replica takes over at once. */
  release(): void;
}
