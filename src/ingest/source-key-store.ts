/**
 * Which record each key of a source (an OAI-PMH identifier) names, so that a record harvested again
 * replaces the one it replaced before, and a deletion finds its record. Part of the harvest store.
 */
export interface SourceKeyStore {
  recordIdForKey(source: string, key: string): string | undefined;
  keyOfRecord(source: string, recordId: string): string | undefined;
  /** Remembers which record a source key names; `fullRun` marks it as seen by that full harvest. */
  putKey(source: string, key: string, recordId: string, fullRun: number | null): void;
  deleteKey(source: string, key: string): void;
}
