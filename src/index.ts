// The one import path for adapters: the core's use cases and public types.
export { openCatalog } from './app/open-catalog.ts';
export { resolveDataDir, DEFAULT_DATA_DIR, PACKAGE_ROOT } from './config/data-dir.ts';
export { loadConsortiumConfig } from './config/load-config.ts';
export type { ConsortiumConfig, LibraryConfig, HoldingsProfile } from './config/consortium-config.ts';
export { ingestMarcFiles } from './catalog/ingest-marc-files.ts';
export type { IngestSummary, IngestProblem, IngestProgress } from './catalog/ingest-marc-files.ts';
export { exportMarc } from './catalog/export-records.ts';
export type { ExportFormat } from './catalog/export-records.ts';
export { StoreError } from './store/open-database.ts';
export type { CatalogStats } from './store/sqlite-catalog-store.ts';
export { createJala } from './app/create-jala.ts';
export type { Jala, JalaOptions } from './app/create-jala.ts';
export type { Answer, WorkAnswer, HoldingView, AvailabilityVerdict, Language } from './answer/answer-types.ts';
export { phrases } from './bot/messages.ts';
export { updatePersistedIndex } from './search/catalog-index.ts';
export { createConversation } from './bot/conversation.ts';
export type { Conversation, ConversationReply } from './bot/conversation.ts';
