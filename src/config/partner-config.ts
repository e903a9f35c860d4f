/**
 * ISO 18626 partners in the consortium config: libraries outside the consortium that lend to and
 * borrow from members over HTTP (ReShare, Alma/Rapido, ILLiad, other consortia), and the agency ids
 * members are known by. Zod fragments for the config to include:
 *
 *   ConsortiumConfig = z.object({ …, iso18626: Iso18626Settings.default(Iso18626Settings.parse({})) })
 *   LibraryConfig    = z.object({ …, ...MemberAgencyFields })
 *
 * and `checkPartners(settings, libraries)` for the cross-checks a fragment cannot make alone.
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

export const AgencyIdConfig = z.object({
  /** the agency id type, e.g. ISIL, OCLC, RESHARE (an open code) */
  type: z.string().trim().min(1),
  /** e.g. ID-JKPNRI, US-NjP */
  value: z.string().trim().min(1),
});
export type AgencyIdConfig = z.infer<typeof AgencyIdConfig>;

/** How a partner's system behaves where implementations differ (see vendor-profile notes in partner-mapping). */
export const VendorProfile = z.enum(['reshare', 'alma', 'illiad', 'generic']);
export type VendorProfile = z.infer<typeof VendorProfile>;

/** "2017" is ISO 18626:2017 with schema v1.2; "2021" is the 2021 revision (schema 2021-2). */
export const PartnerIsoVersion = z.enum(['2017', '2021']);
export type PartnerIsoVersion = z.infer<typeof PartnerIsoVersion>;

/** An IPv4/IPv6 address or a CIDR block. */
const IpOrCidr = z.string().trim().refine(
  (s) => {
    const [addr = '', bits, extra] = s.split('/');
    if (extra !== undefined || isIP(addr) === 0) return false;
    if (bits === undefined) return true;
    if (!/^\d{1,3}$/.test(bits)) return false;
    return Number(bits) <= (isIP(addr) === 4 ? 32 : 128);
  },
  { message: 'an address or CIDR block, e.g. 203.0.113.7 or 203.0.113.0/24 or 2001:db8::/32' },
);

export const PartnerAuthentication = z
  .object({
    /**
     * the shared secret the partner puts in header/requestingAgencyAuthentication/securityCode, and
     * that Jala puts in what it sends them (unless `outgoingSecret` says otherwise)
     */
    sharedSecret: z.string().min(8, 'a shared secret has at least 8 characters').optional(),
    /** requestingAgencyAuthentication/accountId, when the partner uses one (checked when given, and sent) */
    accountId: z.string().min(1).optional(),
    /** what Jala sends as securityCode when the partner gave a different secret for its side */
    outgoingSecret: z.string().min(1).optional(),
    /** addresses or CIDR blocks the partner posts from; empty = any address (then the secret must be set) */
    ipAllow: z.array(IpOrCidr).default([]),
  })
  .refine((a) => a.sharedSecret !== undefined || a.ipAllow.length > 0, {
    message: 'a partner authenticates with a sharedSecret, an ipAllow list, or both',
  });
export type PartnerAuthentication = z.infer<typeof PartnerAuthentication>;

export const PartnerConfig = z
  .object({
    /** how Jala names the partner in chat, the rota and reports; must not be a member's code */
    code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a partner code is 1-32 letters, digits, _ or -'),
    name: z.string().min(1),
    agencyId: AgencyIdConfig,
    /** where Jala POSTs messages for this partner, e.g. https://reshare.example.edu/rs/externalApi/iso18626 */
    endpoint: z.url({ protocol: /^https?$/, error: 'an ISO 18626 endpoint is an http:// or https:// URL' }),
    isoVersion: PartnerIsoVersion.default('2017'),
    auth: PartnerAuthentication,
    /** members may borrow from this partner (it enters the rota) */
    lends: z.boolean().default(true),
    /** this partner may send requests to members */
    borrows: z.boolean().default(true),
    /** loan period in days when Jala lends to this partner */
    loanPeriodDays: z.number().int().positive().default(28),
    vendor: VendorProfile.default('generic'),
    /**
     * where the partner stands in a rota: after every member holder (default), before them, or at a
     * fixed 0-based position among the lenders
     */
    rotaPosition: z.union([z.enum(['after-members', 'before-members']), z.number().int().nonnegative()]).default('after-members'),
    /** seconds a POST to the partner may take before it counts as a network failure */
    timeoutSeconds: z.number().positive().max(300).default(30),
  })
  .refine((p) => !(p.isoVersion === '2021' && p.lends && p.auth.ipAllow.length === 0), {
    message:
      'a 2021 partner that lends needs an ipAllow list: the 2021 supplyingAgencyMessage header has no requestingAgencyAuthentication, so its messages cannot carry the shared secret',
    path: ['auth', 'ipAllow'],
  });
export type PartnerConfig = z.infer<typeof PartnerConfig>;

/** The field a member library adds to its config entry: the agency id partners know it by. */
export const MemberAgencyFields = {
  /** the member's ISO 18626 agency id; a member without one does not deal with partners */
  agencyId: AgencyIdConfig.optional(),
};

export const Iso18626Settings = z.object({
  partners: z.array(PartnerConfig).default([]),
  /** bytes of an incoming message read at most */
  maxMessageBytes: z.number().int().positive().default(1_000_000),
});
export type Iso18626Settings = z.infer<typeof Iso18626Settings>;

export interface MemberAgency {
  library: string;
  agencyId: AgencyIdConfig;
}

/**
 * What a fragment cannot check alone: partner codes unique and distinct from member codes, agency
 * ids unique across partners and members. Returns readable problems (empty when all is well).
 */
export function checkPartners(settings: Iso18626Settings, libraries: ReadonlyArray<{ code: string; agencyId?: AgencyIdConfig | undefined }>): string[] {
  const problems: string[] = [];
  const memberCodes = new Set(libraries.map((l) => l.code.toLowerCase()));
  const seenCodes = new Set<string>();
  const seenAgencies = new Map<string, string>();
  const agencyKey = (a: AgencyIdConfig): string => `${a.type.toUpperCase()}:${a.value.toUpperCase()}`;
  for (const l of libraries) {
    if (!l.agencyId) continue;
    const k = agencyKey(l.agencyId);
    const other = seenAgencies.get(k);
    if (other) problems.push(`libraries ${other} and ${l.code} have the same agency id ${l.agencyId.type}:${l.agencyId.value}`);
    else seenAgencies.set(k, `library ${l.code}`);
  }
  for (const p of settings.partners) {
    const code = p.code.toLowerCase();
    if (memberCodes.has(code)) problems.push(`partner ${p.code} has the code of a member library`);
    if (seenCodes.has(code)) problems.push(`partner code ${p.code} is used twice`);
    seenCodes.add(code);
    const k = agencyKey(p.agencyId);
    const other = seenAgencies.get(k);
    if (other) problems.push(`partner ${p.code} has the agency id ${p.agencyId.type}:${p.agencyId.value} of ${other}`);
    else seenAgencies.set(k, `partner ${p.code}`);
  }
  if (settings.partners.length > 0 && !libraries.some((l) => l.agencyId)) {
    problems.push('partners are configured but no member library has an agencyId, so none can deal with them');
  }
  return problems;
}

/** Does the agency id in a message name this configured id? Types compare without case, values exactly but trimmed. */
export function sameAgency(a: { type: string; value: string }, b: AgencyIdConfig): boolean {
  return a.type.trim().toUpperCase() === b.type.toUpperCase() && a.value.trim() === b.value;
}

/** An allow-list check for a remote address (IPv4-mapped IPv6 addresses count as IPv4). */
export function addressAllowed(allow: readonly string[], remoteAddress: string | undefined): boolean {
  if (allow.length === 0) return true;
  if (remoteAddress === undefined) return false;
  const addr = remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const family = isIP(addr);
  if (family === 0) return false;
  const list = new BlockList();
  for (const entry of allow) {
    const [a = '', bits] = entry.split('/');
    const f = isIP(a) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(a, f);
    else list.addSubnet(a, Number(bits), f);
  }
  return list.check(addr, family === 6 ? 'ipv6' : 'ipv4');
}
