import { z } from 'zod';

/** Which item field a library's records carry; 'auto' detects it per record. */
export const HoldingsProfile = z.enum(['auto', 'koha952', 'marc852', 'sierra949', 'symphony999', 'none']);
export type HoldingsProfile = z.infer<typeof HoldingsProfile>;

export const LibraryConfig = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a library code is 1-32 letters, digits, _ or -'),
  name: z.string().min(1),
  type: z.enum(['university', 'public', 'school', 'special', 'national', 'other']).default('other'),
  city: z.string().optional(),
  /** does this member lend to others through ILL */
  lends: z.boolean().default(true),
  /** default ILL loan period in days */
  loanPeriodDays: z.number().int().positive().default(28),
  /** lenders of last resort are asked only after every other candidate */
  lastResort: z.boolean().default(false),
  /** YYYY-MM-DD days the library is closed (no ILL routing on those days) */
  closedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  holdingsProfile: HoldingsProfile.default('auto'),
  /** MARC files, directories or globs (relative to the config file) that `jala reindex` and `npm start` load */
  files: z.array(z.string()).default([]),
  /** other names people use for this library in questions ("UGM", "Gadjah Mada") */
  aliases: z.array(z.string()).default([]),
  channels: z
    .object({
      slack: z.array(z.string()).default([]),
      discord: z.array(z.string()).default([]),
    })
    .default({ slack: [], discord: [] }),
  /** facts patrons ask about (opening hours, address, visiting rights…), free text per topic */
  info: z.record(z.string(), z.string()).default({}),
});
export type LibraryConfig = z.infer<typeof LibraryConfig>;

export const ConsortiumConfig = z.object({
  name: z.string().default('Jala consortium'),
  libraries: z.array(LibraryConfig).default([]),
});
export type ConsortiumConfig = z.infer<typeof ConsortiumConfig>;
