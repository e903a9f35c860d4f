import type { Leadership } from './leadership.ts';

/**
 * The lead with SQLite: one Jala process serves a data directory, so it always leads (the commands
 * that share the file for a moment — `jala say`, `jala ingest` — run no timers).
 */
export class SingleProcessLeadership implements Leadership {
  readonly kind = 'single-process';
  tryLead(): boolean {
    return true;
  }
  release(): void {}
}
