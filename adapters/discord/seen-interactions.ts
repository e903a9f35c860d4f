import { SEEN_EVENT_TTL_MS, type SeenEvents } from '../../src/index.ts';

/**
 * Interaction ids already handled. Discord gives every interaction its own id (a snowflake), so one
 * that arrives again (a gateway replay after a resume, a duplicated dispatch) is the same press or
 * command and must not run twice — on whichever replica it arrives: the ids are kept in the
 * database (the core's SeenEvents) until they expire.
 */
export interface SeenInteractions {
  /** true the first time an id is seen, false every time after (until it expires) */
  first(id: string): boolean;
}

export function createSeenInteractions(seen: SeenEvents, onFailure: (err: unknown) => void = () => {}): SeenInteractions {
  return {
    first(id) {
      const now = new Date();
      try {
        return seen.firstSighting('discord', id, now, new Date(now.getTime() + SEEN_EVENT_TTL_MS));
      } catch (err) {
        // the database cannot say: handle it (ILL actions are version-checked, so a repeat cannot apply twice)
        onFailure(err);
        return true;
      }
    },
  };
}
