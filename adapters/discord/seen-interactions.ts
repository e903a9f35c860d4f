/**
 * Interaction ids already handled. Discord gives every interaction its own id (a snowflake), so one
 * that arrives again (a gateway replay after a resume, a duplicated dispatch) is the same press or
 * command and must not run twice. Bounded: the oldest ids are forgotten first.
 */
export interface SeenInteractions {
  /** true the first time an id is seen, false every time after */
  first(id: string): boolean;
}

export function createSeenInteractions(max = 50_000): SeenInteractions {
  const seen = new Set<string>();
  return {
    first(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > max) {
        const oldest = seen.values().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
      return true;
    },
  };
}
