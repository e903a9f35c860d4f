import type { CatalogChanges } from './catalog-changes.ts';

/**
 * Catalog changes by polling the change sequence every `intervalMs`: what a SQLite consortium uses
 * (another process's ingest into the same file), and PostgreSQL's safety net for notifications lost
 * while its listening connection was down. A failed read (a busy or unreachable database) is skipped:
 * the next poll tries again.
 */
export class PolledCatalogChanges implements CatalogChanges {
  constructor(
    private readonly currentSeq: () => number,
    private readonly intervalMs: number,
  ) {}

  watch(onChange: () => void): () => void {
    let last = this.read();
    const timer = setInterval(() => {
      const seq = this.read();
      if (seq !== undefined && (last === undefined || seq !== last)) {
        last = seq;
        onChange();
      }
    }, this.intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private read(): number | undefined {
    try {
      return this.currentSeq();
    } catch {
      return undefined;
    }
  }
}
