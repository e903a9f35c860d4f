import type { Role } from '../common/actor.ts';

/** A role the consortium config gives a platform user (by user, user group or guild role) in a library. */
export interface RoleGrant {
  role: Role;
  library: string;
}

/**
 * The one rule that turns a platform user into a role and a library, for every platform: of the
 * grants they hold, the one for the library of the place they speak in comes first, and admins
 * before librarians; without a grant they are a patron of `patronLibrary` (the platform's default
 * or the place's library, as its config says).
 */
export function resolveRole(grants: readonly RoleGrant[], placeLibrary: string | undefined, patronLibrary: string | undefined): { role: Role; library?: string } {
  const rank = (g: RoleGrant): number => (g.library === placeLibrary ? 0 : 2) + (g.role === 'admin' ? 0 : 1);
  const best = [...grants].sort((a, b) => rank(a) - rank(b))[0];
  if (best) return { role: best.role, library: best.library };
  return { role: 'patron', ...(patronLibrary ? { library: patronLibrary } : {}) };
}
