/**
 * A real third-party OAI-PMH data provider for the harvester tests: Dancer::Plugin::Catmandu::OAI (Debian
 * package libdancer-plugin-catmandu-oai-perl) over a SQLite store, serving MARC 21 records from the shared
 * test data (test/fixtures/marc), on 127.0.0.1 with a free port. Tests ask for it as TOOLS.oaiPeer
 * (system-tools.ts). The app files are in test/oai-peer/app (the recipe in
 * the developers' notes on the OAI-PMH test peer); `.ci/run` installs the packages.
 *
 * The store is a plain SQLite table `data(id, datestamp, setspec, deleted, data)` that the server reads on
 * every request, so tests change records (touch, delete, add) by writing it directly.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';
import { marcFixtures, tempDir } from './paths.ts';
import { MIN_WAIT_MS } from './wait-for.ts';
import { freePort } from '../bench/free-port.ts';

export const PEER_APP = path.join(PACKAGE_ROOT, 'test', 'oai-peer', 'app');
export const PEER_PREFIX = 'oai:oai-peer.test:';

export type PeerSet = 'jazz' | 'koha' | 'bu';

/** Loads the chosen sets into a fresh copy of the app (a few seconds); returns the app folder. */
export function loadPeerData(sets: readonly PeerSet[]): string {
  const marc = marcFixtures();
  const root = tempDir('jala-oai-peer-');
  const app = path.join(root, 'app');
  fs.cpSync(PEER_APP, app, { recursive: true });
  const run = (args: string[], input: string | Buffer): void => {
    execFileSync('catmandu', ['-I', 'lib', ...args], { cwd: app, input, stdio: ['pipe', 'ignore', 'pipe'] });
  };
  for (const set of sets) {
    if (set === 'jazz') {
      // MARC-8 ISO 2709 → UTF-8 MARCXML with leader/09 = 'a'
      const xml = execFileSync('yaz-marcdump', ['-f', 'MARC-8', '-t', 'UTF-8', '-l', '9=97', '-i', 'marc', '-o', 'marcxml', path.join(marc, 'evergreen', 'jazz_1k.mrc')], {
        maxBuffer: 64 * 1024 * 1024,
      });
      run(['import', 'MARC', '--type', 'XML', '--fix', 'oai.fix', '--var', 'set=jazz', '--var', 'id=001', 'to', 'oai'], xml);
    } else if (set === 'koha') {
      run(['import', 'MARC', '--type', 'XML', '--fix', 'oai.fix', '--var', 'set=koha', '--var', 'id=999c', 'to', 'oai'], fs.readFileSync(path.join(marc, 'koha', 'koha_misc4dev_sample_A.marcxml')));
    } else {
      run(['import', 'MARC', '--type', 'ISO', '--fix', 'oai.fix', '--var', 'set=bu', '--var', 'id=001', 'to', 'oai'], fs.readFileSync(path.join(marc, 'Catmandu-MARC', 'bu_bibs.mrc')));
    }
  }
  return app;
}

export interface PeerRow {
  id: string;
  datestamp: string;
  setspec: string;
  deleted: number | null;
  data: string;
}

export class OaiPeer {
  private child: ChildProcess | undefined;
  port = 0;

  /** A copy of a loaded app folder, so that each peer has its own records. */
  constructor(readonly app: string) {}

  static fromTemplate(templateApp: string): OaiPeer {
    const dir = path.join(tempDir('jala-oai-peer-run-'), 'app');
    fs.cpSync(templateApp, dir, { recursive: true });
    return new OaiPeer(dir);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/oai`;
  }

  get dbPath(): string {
    return path.join(this.app, 'oai.sqlite');
  }

  async start(): Promise<this> {
    this.port = await freePort();
    const log = fs.openSync(path.join(this.app, '..', 'oai-peer.log'), 'a');
    const child = spawn('perl', [path.join(this.app, 'app.pl')], {
      env: { ...process.env, OAI_PEER_HOST: '127.0.0.1', OAI_PEER_PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    this.child = child;
    const deadline = Date.now() + MIN_WAIT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`OAI peer exited with code ${child.exitCode} (see ${path.join(this.app, '..', 'oai-peer.log')})`);
      try {
        const res = await fetch(`${this.baseUrl}?verb=Identify`);
        const body = await res.text();
        if (res.ok && body.includes('<Identify>')) return this;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    child.kill();
    throw new Error(`OAI peer not ready after ${MIN_WAIT_MS / 1000} s`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  private db<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(this.dbPath);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  rows(): PeerRow[] {
    return this.db((db) => db.prepare('SELECT id, datestamp, setspec, deleted, data FROM data ORDER BY id').all() as PeerRow[]);
  }

  /** OAI identifiers of the records served as not deleted. */
  liveIdentifiers(set?: PeerSet): string[] {
    return this.rows()
      .filter((r) => !r.deleted && (set === undefined || r.setspec === set))
      .map((r) => `${PEER_PREFIX}${r.id}`)
      .sort();
  }

  /**
   * The MARC fields of a stored row, in Catmandu's array form ([tag, ind1, ind2, code, value, …]). Catmandu
   * writes the JSON UTF-8 encoded twice into a TEXT column; this undoes the second encoding.
   */
  static fields(row: PeerRow): string[][] {
    const text = typeof row.data === 'string' ? row.data : Buffer.from(row.data).toString('utf8');
    return (JSON.parse(Buffer.from(text, 'latin1').toString('utf8')) as { record: string[][] }).record;
  }

  /** Changes a record's 245$a (appending `suffix`) and gives it a new datestamp. */
  retitle(id: string, suffix: string, datestamp: string): void {
    this.db((db) => {
      const row = db.prepare('SELECT data FROM data WHERE id = ?').get(id) as { data: string } | undefined;
      if (!row) throw new Error(`no peer record ${id}`);
      const data = JSON.parse(String(row.data)) as { record: string[][] };
      const f245 = data.record.find((f) => f[0] === '245');
      if (!f245) throw new Error(`peer record ${id} has no 245`);
      const a = f245.indexOf('a', 3);
      f245[a + 1] = `${f245[a + 1]}${suffix}`;
      db.prepare('UPDATE data SET data = ?, datestamp = ? WHERE id = ?').run(JSON.stringify(data), datestamp, id);
    });
  }

  markDeleted(id: string, datestamp: string): void {
    this.db((db) => db.prepare('UPDATE data SET deleted = 1, datestamp = ? WHERE id = ?').run(datestamp, id));
  }

  /** Removes a record without a trace (as a repository with deletedRecord=no does). */
  purge(id: string): void {
    this.db((db) => db.prepare('DELETE FROM data WHERE id = ?').run(id));
  }

  /** Adds a minimal MARC 21 book record with this 001 and title (ASCII: written as Catmandu reads it). */
  add(id: string, title: string, set: PeerSet, datestamp: string): void {
    const record = [
      ['LDR', ' ', ' ', '_', '00000nam a2200000 a 4500'],
      ['001', ' ', ' ', '_', id],
      ['008', ' ', ' ', '_', '261124s2026    io            000 0 ind d'],
      ['100', '1', ' ', 'a', 'Penulis, Uji'],
      ['245', '1', '0', 'a', title],
      ['260', ' ', ' ', 'a', 'Jakarta :', 'b', 'Penerbit Uji,', 'c', '2026.'],
    ];
    this.db((db) =>
      db.prepare('INSERT INTO data (id, datestamp, setspec, deleted, data) VALUES (?, ?, ?, NULL, ?)').run(id, datestamp, set, JSON.stringify({ record })),
    );
  }
}

/** Now, as the peer writes datestamps (second granularity, UTC). */
export function peerNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}


export { freePort };
