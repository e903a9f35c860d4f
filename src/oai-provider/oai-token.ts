/**
 * Resumption tokens carry the whole state of a list — what was asked, where the page ended (the
 * last item's datestamp and work id: the list is in that order), how far it got, how long it is —
 * so they survive a restart; one from another catalog, past its expiry, or tampered with is
 * refused with badResumptionToken.
 */
import { z } from 'zod';

const TokenState = z.object({
  v: z.literal(1),
  verb: z.enum(['ListRecords', 'ListIdentifiers']),
  prefix: z.string().min(1).max(40),
  set: z.string().min(1).max(200).optional(),
  from: z.string().max(20).optional(),
  until: z.string().max(20),
  after: z.tuple([z.string().max(20), z.number().int().positive()]),
  cursor: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** expiry, seconds since the epoch */
  exp: z.number().int().positive(),
  /** the catalog it belongs to */
  cat: z.string().max(100),
});
export type TokenState = z.infer<typeof TokenState>;

export function encodeToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export type TokenProblem = 'malformed' | 'expired' | 'other-catalog' | 'other-verb';

export function decodeToken(token: string, verb: string, catalogId: string, now: Date): { ok: true; state: TokenState } | { ok: false; problem: TokenProblem } {
  if (token.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, problem: 'malformed' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const state = TokenState.safeParse(parsed);
  if (!state.success) return { ok: false, problem: 'malformed' };
  if (state.data.verb !== verb) return { ok: false, problem: 'other-verb' };
  if (state.data.cat !== catalogId) return { ok: false, problem: 'other-catalog' };
  if (state.data.exp * 1000 < now.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, state: state.data };
}
