import type { IllEvent, IllRequest, IllRequestChanges, RotaEntry, RotaReason, RotaStatus } from './ill-request.ts';

/** Per library: loans supplied, loans received, and requests waiting on it as a lender now. */
export interface LendingLoad {
  lent: number;
  borrowed: number;
  openQueue: number;
}

/**
 * Where interlibrary-loan requests, their rota and their event log are kept (the port; the SQLite
 * implementation is src/store/sqlite-ill-store.ts). Synchronous: the rules run inside one write
 * transaction per action.
 */
export interface IllStore {
  /** one write transaction that holds the write lock for its whole run, across processes */
  transaction<T>(fn: () => T): T;
  insertRequest(row: Omit<IllRequest, 'id' | 'version'>): number;
  request(id: number): IllRequest | undefined;
  /** applies changes only if the request is still at `version`, and bumps the version; false when somebody was first */
  updateRequest(id: number, version: number, changes: IllRequestChanges): boolean;
  /** a reminder went out: no transition, so the version stays */
  markReminded(id: number, which: 'lender' | 'due'): void;
  insertRota(requestId: number, entries: ReadonlyArray<Omit<RotaEntry, 'position'>>): void;
  rota(requestId: number): RotaEntry[];
  setRotaStatus(requestId: number, position: number, status: RotaStatus, reason?: RotaReason): void;
  appendEvent(requestId: number, e: IllEvent): void;
  events(requestId: number): IllEvent[];
  requestsOfPatron(platform: string, userId: string, limit?: number): IllRequest[];
  openRequestsOfLibrary(library: string, terminal: readonly string[], limit?: number): IllRequest[];
  openRequests(terminal: readonly string[]): IllRequest[];
  recentRequestsOfPatronForWork(platform: string, userId: string, workId: number, since: string): IllRequest[];
  /** requests a library's librarians placed for a work since the time */
  recentRequestsOfLibraryForWork(library: string, workId: number, since: string): IllRequest[];
  lendingLoad(): Map<string, LendingLoad>;
  allRequestsForStats(): Array<Pick<IllRequest, 'id' | 'requester' | 'supplier' | 'state' | 'createdAt'>>;
  eventsForStats(): Array<{ requestId: number; action: string; at: string; supplier: string | null; actorLibrary: string | null }>;
  /** the patrons (platform and user) whose identity purgePatrons(before) would forget */
  patronsClosedBefore(before: string): Array<{ platform: string; userId: string }>;
  /** forgets patron identities of requests closed before the time */
  purgePatrons(before: string): number;
}
