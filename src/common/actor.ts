/** Who acts. Adapters fill it from the platform event and their role config. */
export type Role = 'patron' | 'librarian' | 'admin';
export type Platform = 'cli' | 'slack' | 'discord';

export interface Actor {
  platform: Platform;
  /** the platform's user id (never logged) */
  userId: string;
  /** shown to librarians working a request for this patron (never logged) */
  displayName?: string;
  role: Role;
  /** the member library this person belongs to (patron's home library, librarian's library) */
  library?: string;
}
