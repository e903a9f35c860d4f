import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';
import { followLeadership } from '../../src/replicas/follow-leadership.ts';
import type { Leadership } from '../../src/replicas/leadership.ts';
import { LOCK_KEYS, PgDatabase } from '../../src/store-postgres/pg-database.ts';
import { PgLeadership } from '../../src/store-postgres/pg-leadership.ts';
import type { PostgresServer } from '../support/postgres-server.ts';
import { waitFor } from '../support/wait-for.ts';

/** The server sessions holding the leader lock on the database at `url` (their backend pids). */
function lockHolders(url: string): number[] {
  const admin = new PgDatabase(url);
  try {
    return admin
      .all<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND objsubid = 1
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [LOCK_KEYS.leader],
      )
      .map((r) => r.pid);
  } finally {
    admin.close();
  }
}

/** Ends a server session, as a dead network or a killed process would. */
function cutSession(url: string, pid: number): void {
  const admin = new PgDatabase(url);
  try {
    admin.get('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    admin.close();
  }
}

/** How many of these lead now (each tried once, in order). */
const leaders = (...ls: Leadership[]): number => ls.map((l) => l.tryLead()).filter(Boolean).length;

/**
 * What the PostgreSQL Leadership does, with replicas as separate connections (and a separate process)
 * on one fresh database of `server`: one leads at a time, and the lead moves when the leader's session
 * ends — released, cut, or its process killed — within a generous bound, never by the clock.
 */
export function leadershipContract(name: string, server: () => PostgresServer): void {
  describe(`Leadership contract: ${name}`, () => {
    it('lets exactly one of two replicas lead, and keeps the lead where it is while the leader lives', () => {
      const url = server().createDatabase();
      const a = new PgLeadership(url);
      const b = new PgLeadership(url);
      try {
        expect(a.tryLead()).toBe(true);
        for (let i = 0; i < 20; i++) {
          expect(b.tryLead()).toBe(false);
          expect(a.tryLead()).toBe(true);
        }
        expect(lockHolders(url)).toHaveLength(1);
      } finally {
        a.release();
        b.release();
      }
    });

    it('hands the lead over when the leader releases it (a clean shutdown)', () => {
      const url = server().createDatabase();
      const a = new PgLeadership(url);
      const b = new PgLeadership(url);
      try {
        expect(a.tryLead()).toBe(true);
        expect(b.tryLead()).toBe(false);
        a.release();
        expect(b.tryLead()).toBe(true);
        expect(a.tryLead()).toBe(false);
      } finally {
        a.release();
        b.release();
      }
    });

    it("moves the lead to another replica when the leader's session is cut, and the old leader knows it no longer leads", async () => {
      const url = server().createDatabase();
      const a = new PgLeadership(url);
      const b = new PgLeadership(url);
      try {
        expect(a.tryLead()).toBe(true);
        expect(b.tryLead()).toBe(false);
        const [pid] = lockHolders(url);
        cutSession(url, pid!);
        // never two leaders at once on the way: each round asks the old leader first
        await waitFor(() => {
          const n = [a.tryLead(), b.tryLead()];
          expect(n.filter(Boolean).length).toBeLessThanOrEqual(1);
          return n[1];
        }, undefined, 'the second replica to take the lead');
        for (let i = 0; i < 10; i++) expect([a.tryLead(), b.tryLead()]).toEqual([false, true]);
        expect(lockHolders(url)).toHaveLength(1);
      } finally {
        a.release();
        b.release();
      }
    });

    it('moves the lead when the leader process is killed (kill -9)', async () => {
      const url = server().createDatabase();
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'test', 'support', 'hold-leadership.ts'), url], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const b = new PgLeadership(url);
      try {
        await waitFor(() => out.includes('leading'), undefined, `the child process to lead (${out})`);
        expect(b.tryLead()).toBe(false);
        child.kill('SIGKILL');
        await exited;
        await waitFor(() => b.tryLead(), undefined, 'the lead to pass to the surviving replica');
        expect(lockHolders(url)).toHaveLength(1);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        b.release();
      }
    });

    it("runs the leader's duties on one replica at a time, and starts them on another when the leader's session ends", async () => {
      const url = server().createDatabase();
      const running = new Set<string>();
      const starts: string[] = [];
      const follow = (who: string, l: Leadership) =>
        followLeadership(l, {
          intervalMs: 20,
          lead: () => {
            // the duties of two replicas never overlap
            expect([...running]).toEqual([]);
            running.add(who);
            starts.push(who);
            return { stop: async () => void running.delete(who) };
          },
        });
      const a = follow('a', new PgLeadership(url));
      await a.settled;
      expect(a.isLeader()).toBe(true);
      const b = follow('b', new PgLeadership(url));
      await b.settled;
      try {
        expect(b.isLeader()).toBe(false);
        expect([...running]).toEqual(['a']);
        cutSession(url, lockHolders(url)[0]!);
        // a stops its duties when it finds its session gone; b (or a again, reconnected) takes the lead
        await waitFor(() => starts.length >= 2, undefined, 'the duties to start again after the cut');
        expect(running.size).toBe(1);
        expect(a.isLeader() !== b.isLeader()).toBe(true);
      } finally {
        await a.stop();
        await b.stop();
      }
      expect([...running]).toEqual([]);
      expect(lockHolders(url)).toEqual([]);
    });

    it('keeps the lead of each database apart (one consortium per database)', () => {
      const a = new PgLeadership(server().createDatabase());
      const b = new PgLeadership(server().createDatabase());
      try {
        expect(leaders(a, b)).toBe(2);
      } finally {
        a.release();
        b.release();
      }
    });
  });
}
