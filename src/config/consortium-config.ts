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
  /** the language of the library's staff channels (ILL cards and notices) */
  language: z.enum(['en', 'id']).default('id'),
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

/** Interlibrary-loan policy for the whole consortium. */
export const IllPolicy = z.object({
  /** business days a lender has to answer before the request moves on */
  responseDays: z.number().int().positive().default(4),
  /** hours a lender has to answer a rush request */
  rushHours: z.number().int().positive().default(24),
  /** a second request by the same patron for the same work within this many days goes to review */
  duplicateDays: z.number().int().nonnegative().default(30),
  /** patron fields of a closed request are erased after this many days */
  retentionDays: z.number().int().nonnegative().default(90),
  /** the patron is reminded this many days before the due date */
  dueReminderDays: z.number().int().nonnegative().default(3),
  maxRenewals: z.number().int().nonnegative().default(1),
});
export type IllPolicy = z.infer<typeof IllPolicy>;

const RoleName = z.enum(['librarian', 'admin']);

/** Who is who on Slack: users and user groups with a role at a library; everyone else is a patron of defaultLibrary. */
export const SlackSettings = z.object({
  defaultLibrary: z.string().optional(),
  roles: z
    .array(
      z.object({ user: z.string().optional(), usergroup: z.string().optional(), role: RoleName, library: z.string() }).refine((r) => r.user || r.usergroup, {
        message: 'a Slack role entry needs user or usergroup',
      }),
    )
    .default([]),
});

/** Who is who on Discord: role ids with a role at a library; guilds mapped to their library. */
export const DiscordSettings = z.object({
  defaultLibrary: z.string().optional(),
  roles: z.array(z.object({ roleId: z.string(), role: RoleName, library: z.string() })).default([]),
  guilds: z.array(z.object({ guildId: z.string(), library: z.string() })).default([]),
  /** answer mentions and direct messages (needs the MessageContent intent) */
  messageQuestions: z.boolean().default(true),
});

export const ConsortiumConfig = z.object({
  name: z.string().default('Jala consortium'),
  libraries: z.array(LibraryConfig).default([]),
  ill: IllPolicy.default(IllPolicy.parse({})),
  slack: SlackSettings.default(SlackSettings.parse({})),
  discord: DiscordSettings.default(DiscordSettings.parse({})),
});
export type ConsortiumConfig = z.infer<typeof ConsortiumConfig>;
