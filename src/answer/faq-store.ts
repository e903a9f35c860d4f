/** A question librarians answered once, for everyone (or for one library's patrons). */
export interface FaqEntry {
  id: number;
  library: string | null;
  question: string;
  answer: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The FAQ librarians keep (the port; the SQLite implementation is src/store/sqlite-conversation-store.ts). */
export interface FaqStore {
  /** every entry, oldest first */
  faq(): FaqEntry[];
  faqEntry(id: number): FaqEntry | undefined;
  addFaq(e: { library: string | null; question: string; answer: string; createdBy: string; now: string }): number;
  /** false when there is no such entry */
  editFaq(id: number, question: string | undefined, answer: string | undefined, now: string): boolean;
  removeFaq(id: number): boolean;
}
