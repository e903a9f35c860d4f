/**
 * How replicas claim the chat outbox on PostgreSQL (issue 20), measured: the claim Jala uses (list the
 * due messages, then one conditional upsert per message, PgOutbox.claim) against a batch claim with
 * `SELECT … FOR UPDATE SKIP LOCKED` (the due heads of their request's queue not locked by another
 * replica, leased in one statement), with and without the conditional upsert's guard on the lease.
 *
 *   npx tsx test/bench/outbox-claims.ts [--replicas 3] [--messages 3000] [--requests 300] [--send-ms 0] [--runs 3]
 *
 * Each run: a fresh database on a throwaway local server, `--messages` messages of `--requests`
 * requests (interleaved, as transitions of many requests are) to library UGM, then `--replicas`
 * processes drain it for platform slack; a "send" is a sleep of `--send-ms` and a row in send_log
 * (which replica, which message, in what global order). Reported per way of claiming: wall time to
 * drain, claim statements and lost claims per message sent, the time spent in claim statements,
 * messages sent twice, messages sent before an earlier one of the same request, and how the work
 * spread over the replicas. The ways alternate within a run, so machine load hits them alike.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openPgDatabase, textArray, type PgDatabase } from '../../src/store-postgres/pg-database.ts';
import { PgOutbox } from '../../src/store-postgres/pg-outbox.ts';
import { startPostgres } from './postgres-server.ts';

type Mode = 'upsert' | 'skip-locked' | 'skip-locked-unguarded';
const MODES: Mode[] = ['upsert', 'skip-locked', 'skip-locked-unguarded'];
const PLATFORM = 'slack';
const LIBRARIES = ['UGM'];
const LEASE_MS = 60_000;
const BATCH = 25;

/** The due heads (a request's oldest undelivered message to a target), not locked by another claim, leased in one statement. */
function batchClaimSql(guarded: boolean): string {
  return `WITH undelivered AS (
      SELECT o.id, o.request_id, o.target_type, o.target, o.target_platform, d.lease_until, d.next_attempt_at
        FROM outbox o LEFT JOIN outbox_deliveries d ON d.outbox_id = o.id AND d.platform = $1
        WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND o.target_type = 'library' AND o.target = ANY($3::text[])
    ), heads AS (
      SELECT DISTINCT ON (coalesce(request_id, -id), target_type, target, coalesce(target_platform, '')) id, lease_until, next_attempt_at
        FROM undelivered ORDER BY coalesce(request_id, -id), target_type, target, coalesce(target_platform, ''), id
    ), pick AS (
      SELECT o.id FROM outbox o JOIN heads h ON h.id = o.id
        WHERE (h.lease_until IS NULL OR h.lease_until <= $2) AND (h.next_attempt_at IS NULL OR h.next_attempt_at <= $2)
        ORDER BY o.id LIMIT $6 FOR NO KEY UPDATE OF o SKIP LOCKED
    )
    INSERT INTO outbox_deliveries AS d (outbox_id, platform, attempts, lease_until, lease_owner) SELECT id, $1, 0, $4, $5 FROM pick
    ON CONFLICT (outbox_id, platform) DO UPDATE SET lease_until = excluded.lease_until, lease_owner = excluded.lease_owner
    ${guarded ? `WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND (d.lease_until IS NULL OR d.lease_until <= $2 OR d.lease_owner = $5)
      AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $2)` : ''}
    RETURNING outbox_id AS id`;
}

const sleep = (ms: number): void => {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

interface ChildReport {
  statements: number;
  lost: number;
  sent: number;
  claimNs: number;
}

/** One replica: drains the outbox until it finds nothing to do three passes running. */
function child(mode: Mode, url: string, sendMs: number): void {
  const db = openPgDatabase(url);
  const outbox = new PgOutbox(db);
  const owner = randomUUID();
  const report: ChildReport = { statements: 0, lost: 0, sent: 0, claimNs: 0 };
  const send = (id: number): void => {
    db.run('INSERT INTO send_log (outbox_id, replica) VALUES ($1, $2)', [id, owner]);
    sleep(sendMs);
    outbox.markDelivered(id, PLATFORM, new Date().toISOString());
    report.sent++;
  };
  const timed = <T>(fn: () => T): T => {
    const t0 = process.hrtime.bigint();
    try {
      return fn();
    } finally {
      report.claimNs += Number(process.hrtime.bigint() - t0);
      report.statements++;
    }
  };
  let idle = 0;
  while (idle < 3) {
    let progressed = false;
    const now = new Date();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    if (mode === 'upsert') {
      // as src/delivery/deliver-outbox.ts: list, then claim each in order; a lost claim holds the request's later messages
      const due = outbox.pendingFor(PLATFORM, LIBRARIES, now.toISOString(), BATCH);
      const waiting = new Set<number>();
      for (const m of due) {
        if (m.requestId !== null && waiting.has(m.requestId)) continue;
        if (!timed(() => outbox.claim(m.id, PLATFORM, owner, new Date().toISOString(), until))) {
          report.lost++;
          if (m.requestId !== null) waiting.add(m.requestId);
          continue;
        }
        send(m.id);
        progressed = true;
      }
    } else {
      const ids = timed(() => db.all<{ id: number }>(batchClaimSql(mode === 'skip-locked'), [PLATFORM, now.toISOString(), textArray(LIBRARIES), until, owner, BATCH]));
      for (const { id } of ids.sort((a, b) => a.id - b.id)) {
        send(id);
        progressed = true;
      }
    }
    idle = progressed ? 0 : idle + 1;
    if (!progressed) sleep(20);
  }
  db.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function runMode(mode: Mode, url: string, replicas: number, sendMs: number): Promise<{ wallMs: number; reports: ChildReport[] }> {
  const self = fileURLToPath(import.meta.url);
  const t0 = performance.now();
  const reports = await Promise.all(
    Array.from({ length: replicas }, () => new Promise<ChildReport>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', self, '--child', mode, url, String(sendMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as ChildReport) : reject(new Error(`${mode} replica exited ${code}`))));
    })),
  );
  return { wallMs: performance.now() - t0, reports };
}

/** Messages sent more than once, and messages sent before an earlier message of the same request was (by send_log order). */
function check(db: PgDatabase, messages: number): { twice: number; unsent: number; outOfOrder: number } {
  const twice = db.get<{ n: number }>('SELECT count(*) AS n FROM (SELECT outbox_id FROM send_log GROUP BY outbox_id HAVING count(*) > 1) x')!.n;
  const unsent = messages - db.get<{ n: number }>('SELECT count(DISTINCT outbox_id) AS n FROM send_log')!.n;
  // for each request, the messages in the order their sends began must be in id order
  const outOfOrder = db.get<{ n: number }>(
    `SELECT count(*) AS n FROM (
      SELECT s.outbox_id, lag(s.outbox_id) OVER (PARTITION BY o.request_id ORDER BY s.seq) AS before FROM send_log s JOIN outbox o ON o.id = s.outbox_id
    ) x WHERE before IS NOT NULL AND before > outbox_id`,
  )!.n;
  return { twice, unsent, outOfOrder };
}

async function main(): Promise<void> {
  const replicas = arg('replicas', 3);
  const messages = arg('messages', 3000);
  const requests = arg('requests', 300);
  const sendMs = arg('send-ms', 0);
  const runs = arg('runs', 3);
  const server = await startPostgres();
  console.log(`outbox claims: ${replicas} replicas, ${messages} messages of ${requests} requests, send ${sendMs} ms, batch ${BATCH}, ${runs} runs`);
  console.log('run\tmode\twall ms\tstatements/msg\tlost/msg\tclaim µs/msg\tsent twice\tout of order\tunsent\tsent per replica');
  try {
    for (let run = 1; run <= runs; run++) {
      // alternate the order of the ways between runs
      const order = run % 2 === 1 ? MODES : [...MODES].reverse();
      for (const mode of order) {
        const url = server.createDatabase();
        const db = openPgDatabase(url);
        db.exec('CREATE TABLE send_log (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, outbox_id bigint NOT NULL, replica text NOT NULL)');
        const outbox = new PgOutbox(db);
        const at = new Date().toISOString();
        db.transaction(() => {
          for (let i = 0; i < messages; i++) {
            outbox.enqueue({ targetType: 'library', target: 'UGM', targetPlatform: null, requestId: (i % requests) + 1, payload: `{"n":${i}}`, createdAt: at });
          }
        });
        const { wallMs, reports } = await runMode(mode, url, replicas, sendMs);
        const c = check(db, messages);
        const sent = reports.reduce((s, r) => s + r.sent, 0);
        const per = (x: number): string => (x / Math.max(1, sent)).toFixed(2);
        console.log([
          run, mode, wallMs.toFixed(0), per(reports.reduce((s, r) => s + r.statements, 0)), per(reports.reduce((s, r) => s + r.lost, 0)),
          (reports.reduce((s, r) => s + r.claimNs, 0) / 1000 / Math.max(1, sent)).toFixed(0), c.twice, c.outOfOrder, c.unsent,
          reports.map((r) => r.sent).join('/'),
        ].join('\t'));
        db.close();
      }
    }
  } finally {
    server.stop();
  }
}

if (process.argv[2] === '--child') child(process.argv[3] as Mode, process.argv[4]!, Number(process.argv[5]));
else await main();
