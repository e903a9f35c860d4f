import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { Iso18626Settings, MemberAgencyFields } from './partner-config.ts';

/**
 * An object of the config that refuses keys it does not know, naming the closest known one: a typo
 * such as `"lend": false` must not leave a library lending.
 */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      return iss.keys
        .map((key) => {
          const near = closestKey(key, known);
          return `unknown key "${key}"${near ? ` — did you mean "${near}"?` : ` (known keys: ${known.join(', ')})`}`;
        })
        .join('; ');
    },
  });
}

/** The known key nearest to a misspelt one, when it is near enough to be the one meant. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * A number with sensible bounds: values far outside them overflow timers or make date arithmetic run
 * for ever, so they fail at start-up with a message that names the range (zod adds the field's path).
 */
function bounded(min: number, max: number, opts: { int?: boolean; unit?: string } = {}) {
  const int = opts.int ?? true;
  const range = `must be ${int ? 'a whole number ' : ''}from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}${opts.unit ? ` ${opts.unit}` : ''}`;
  const n = z.number({ error: range });
  return (int ? n.int({ error: range }) : n).min(min, { error: range }).max(max, { error: range });
}

/** Which item field a library's records carry; 'auto' detects it per record. */
export const HoldingsProfile = z.enum(['auto', 'koha952', 'marc852', 'sierra949', 'symphony999', 'none']);
export type HoldingsProfile = z.infer<typeof HoldingsProfile>;

/** An OAI-PMH data provider serving one library's MARC records (SLiMS serves only oai_dc; INLISLite serves marc21 without items). */
export const OaiSource = strict({
  /** the repository's base URL, e.g. https://opac.example.ac.id/oai */
  baseUrl: z.url({ protocol: /^https?$/, error: 'an OAI-PMH base URL is an http:// or https:// URL' }),
  /** a MARC 21 format the repository disseminates as MARCXML: marc21, marcxml, MARC21… (see its ListMetadataFormats) */
  metadataPrefix: z.string().min(1).default('marc21'),
  /** harvest only this set (setSpec) */
  set: z.string().min(1).optional(),
  /** item field of these records; default: the library's holdingsProfile */
  holdingsProfile: HoldingsProfile.optional(),
});
export type OaiSource = z.infer<typeof OaiSource>;

export const LibraryConfig = strict({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a library code is 1-32 letters, digits, _ or -'),
  name: z.string().min(1),
  type: z.enum(['university', 'public', 'school', 'special', 'national', 'other']).default('other'),
  city: z.string().optional(),
  /** does this member lend to others through ILL */
  lends: z.boolean().default(true),
  /** default ILL loan period in days */
  loanPeriodDays: bounded(1, 365, { unit: 'days' }).default(28),
  /** lenders of last resort are asked only after every other candidate */
  lastResort: z.boolean().default(false),
  /** YYYY-MM-DD days the library is closed (no ILL routing on those days) */
  closedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  holdingsProfile: HoldingsProfile.default('auto'),
  /** MARC files, directories or globs (relative to the config file) that `jala reindex` and `npm start` load */
  files: z.array(z.string()).default([]),
  /** OAI-PMH repositories harvested by `jala reindex` / `/reindex` (incrementally, with `from=`) */
  oai: z.array(OaiSource).default([]),
  /** the language of the library's staff channels (ILL cards and notices) */
  language: z.enum(['en', 'id']).default('id'),
  /** other names people use for this library in questions ("UGM", "Gadjah Mada") */
  aliases: z.array(z.string()).default([]),
  channels: strict({
      slack: z.array(z.string()).default([]),
      discord: z.array(z.string()).default([]),
    })
    .default({ slack: [], discord: [] }),
  /** facts patrons ask about, per topic (hours, address, membership, visiting, loanRules, contact): text, or text per language */
  info: z.record(z.string(), z.union([z.string(), strict({ en: z.string().optional(), id: z.string().optional() })])).default({}),
  /** the ISO 18626 agency id partners know this member by (ISIL…); without one the member does not deal with partners */
  ...MemberAgencyFields,
});
export type LibraryConfig = z.infer<typeof LibraryConfig>;

/** Interlibrary-loan policy for the whole consortium. */
export const IllPolicy = strict({
  /** business days a lender has to answer before the request moves on */
  responseDays: bounded(1, 60, { unit: 'business days' }).default(4),
  /** hours a lender has to answer a rush request */
  rushHours: bounded(1, 720, { unit: 'hours' }).default(24),
  /** a second request by the same patron for the same work within this many days goes to review */
  duplicateDays: bounded(0, 3650, { unit: 'days' }).default(30),
  /** patron fields of a closed request are erased after this many days */
  retentionDays: bounded(0, 3650, { unit: 'days' }).default(90),
  /** the patron is reminded this many days before the due date */
  dueReminderDays: bounded(0, 60, { unit: 'days' }).default(3),
  maxRenewals: bounded(0, 20).default(1),
});
export type IllPolicy = z.infer<typeof IllPolicy>;

/** How sources are harvested: the schedule, and the patience with slow or failing repositories. */
export const HarvestSettings = strict({
  /** run an incremental reindex of every library this often; absent = only on demand */
  intervalMinutes: bounded(1, 20_160, { unit: 'minutes (two weeks)' }).optional(),
  /** seconds one OAI-PMH request may take (connect and body) before it is retried */
  timeoutSeconds: bounded(1, 3600, { int: false, unit: 'seconds' }).default(60),
  /** retries of a failed request (network error, timeout, HTTP 5xx/429) before the harvest stops, resumable */
  retries: bounded(0, 20).default(4),
  /** the first retry waits this long; each next one twice as long (at most 5 minutes), or what Retry-After says */
  retryDelaySeconds: bounded(0, 300, { int: false, unit: 'seconds' }).default(2),
});
export type HarvestSettings = z.infer<typeof HarvestSettings>;

const RoleName = z.enum(['librarian', 'admin']);

/** Who is who on Slack: users and user groups with a role at a library; everyone else is a patron of defaultLibrary. */
export const SlackSettings = strict({
  defaultLibrary: z.string().optional(),
  roles: z
    .array(
      strict({ user: z.string().optional(), usergroup: z.string().optional(), role: RoleName, library: z.string() }).refine((r) => r.user || r.usergroup, {
        message: 'a Slack role entry needs user or usergroup',
      }),
    )
    .default([]),
});

/** Who is who on Discord: role ids with a role at a library; guilds mapped to their library. */
export const DiscordSettings = strict({
  defaultLibrary: z.string().optional(),
  roles: z.array(strict({ roleId: z.string(), role: RoleName, library: z.string() })).default([]),
  guilds: z.array(strict({ guildId: z.string(), library: z.string() })).default([]),
  /** answer mentions and direct messages (needs the MessageContent intent) */
  messageQuestions: z.boolean().default(true),
});

export const ConversationSettings = strict({
  /** how long a conversation remembers its last result set */
  contextMinutes: bounded(1, 1440, { unit: 'minutes' }).default(30),
  /** questions one person may ask per minute before Jala asks them to slow down */
  rateLimitPerMinute: bounded(1, 100_000).default(20),
});

/** The catalog server (`jala serve`): SRU, Z39.50 through simple2zoom, and the OAI-PMH provider. */
export const ServerSettings = strict({
  /**
   * The repository part of OAI identifiers (oai:<this>:w42) and the union records' 003; a domain
   * name (katalog.example.ac.id) makes them unique worldwide. Default: the consortium's name as a slug.
   */
  repositoryIdentifier: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*$/, 'a repositoryIdentifier is letters, digits and hyphens, in dot-separated parts that start with a letter')
    .optional(),
  /** who harvesters write to (OAI-PMH Identify) */
  adminEmails: z.array(z.email()).default([]),
  /** the URL clients reach the server at (behind a proxy), e.g. https://katalog.example.ac.id; default: the request's own */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** requests one client (IP address) may make per minute to /sru and /oai */
  rateLimitPerMinute: bounded(1, 100_000).default(600),
  sru: strict({
      /** records per searchRetrieve at most */
      maxRecords: bounded(1, 1000).default(100),
    })
    .default({ maxRecords: 100 }),
  oai: strict({
      /** records per ListRecords page */
      pageSize: bounded(10, 5000).default(200),
      /** headers per ListIdentifiers page */
      identifiersPageSize: bounded(10, 20_000).default(1000),
      /** how long a resumption token stays valid */
      tokenHours: bounded(1, 24 * 31, { int: false, unit: 'hours' }).default(24),
    })
    .default({ pageSize: 200, identifiersPageSize: 1000, tokenHours: 24 }),
});
export type ServerSettings = z.infer<typeof ServerSettings>;

export const ConsortiumConfig = strict({
  name: z.string().default('Jala consortium'),
  conversation: ConversationSettings.default(ConversationSettings.parse({})),
  libraries: z.array(LibraryConfig).default([]),
  ill: IllPolicy.default(IllPolicy.parse({})),
  harvest: HarvestSettings.default(HarvestSettings.parse({})),
  slack: SlackSettings.default(SlackSettings.parse({})),
  discord: DiscordSettings.default(DiscordSettings.parse({})),
  server: ServerSettings.default(ServerSettings.parse({})),
  /** ISO 18626 partners outside the consortium (ReShare, Alma/Rapido, ILLiad, other consortia) */
  iso18626: Iso18626Settings.default(Iso18626Settings.parse({})),
});
export type ConsortiumConfig = z.infer<typeof ConsortiumConfig>;
