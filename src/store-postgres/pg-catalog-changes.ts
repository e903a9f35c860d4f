import type { CatalogChanges } from '../catalog/catalog-changes.ts';
import { PolledCatalogChanges } from '../catalog/polled-catalog-changes.ts';
import type { PgDatabase } from './pg-database.ts';
import { openKeepaliveSession } from './pg-keepalive-session.ts';

/** the channel PostgreSQL migration 5's trigger notifies when a change sequence number commits */
export const CATALOG_CHANNEL = 'jala_catalog';

/**
 * Catalog changes on PostgreSQL: LISTEN jala_catalog on a connection of its own (a commit that stamps a
 * change sequence number notifies it, migration 5), so a replica hears of another's harvest or ingest
 * at once. A lost connection is opened again every `retryMs` (and, once back, reports a change, for
 * whatever committed meanwhile); a slow poll of the change sequence covers the time in between.
 */
export class PgCatalogChanges implements CatalogChanges {
  constructor(
    private readonly url: string,
    private readonly currentSeq: () => number,
    private readonly opts: { retryMs?: number; pollMs?: number; onLost?: (why: string) => void } = {},
  ) {}

  watch(onChange: () => void): () => void {
    let stopped = false;
    let session: PgDatabase | undefined;
    let retry: NodeJS.Timeout | undefined;
    const drop = (): void => {
      const s = session;
      session = undefined;
      try {
        s?.close();
      } catch {
        // already gone
      }
    };
    const connect = (missedSome: boolean): void => {
      retry = undefined;
      if (stopped) return;
      try {
        session = openKeepaliveSession(this.url);
        session.listen(CATALOG_CHANNEL, onChange, (why) => {
          this.opts.onLost?.(why);
          drop();
          if (!stopped) retry = setTimeout(() => connect(true), this.opts.retryMs ?? 5000).unref();
        });
        if (missedSome) onChange();
      } catch (e) {
        drop();
        this.opts.onLost?.(e instanceof Error ? e.message : String(e));
        retry = setTimeout(() => connect(true), this.opts.retryMs ?? 5000).unref();
      }
    };
    connect(false);
    const stopPolling = new PolledCatalogChanges(this.currentSeq, this.opts.pollMs ?? 30_000).watch(onChange);
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      stopPolling();
      drop();
    };
  }
}
