/**
 * Which live work number each new work of a full rebuild keeps (both stores' bulk paths): ILL
 * requests, OAI items and conversations name works by number. `pairs` are (new work, old work) pairs
 * that share records, the most shared first (ties: the pair with the smallest record id first); each
 * new work takes the old number of the first pair it is in, unless another new work took that number
 * first. New works left out take numbers above every number used so far (the caller's).
 */
export function keptWorkNumbers(pairs: Iterable<{ fresh: number; old: number }>): Map<number, number> {
  const takenOld = new Set<number>();
  const kept = new Map<number, number>();
  for (const p of pairs) {
    if (kept.has(p.fresh) || takenOld.has(p.old)) continue;
    kept.set(p.fresh, p.old);
    takenOld.add(p.old);
  }
  return kept;
}
