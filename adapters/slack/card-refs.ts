import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Where each ILL request's card was posted in each Slack channel (channel id + message ts), so
 * later events update that card in place and post into its thread. Kept in a small JSON file in
 * the data directory so cards survive a restart.
 */
export interface CardRef {
  channel: string;
  ts: string;
}

export interface CardRefs {
  get(requestId: string, channel: string): CardRef | undefined;
  set(requestId: string, channel: string, ref: CardRef): void;
  delete(requestId: string, channel: string): void;
}

export const CARD_REFS_FILE = 'slack-cards.json';

const CardRefsFile = z.object({
  version: z.literal(1),
  cards: z.record(z.string(), z.object({ channel: z.string(), ts: z.string() })),
});

export function openCardRefs(dataDir: string | undefined, warn: (message: string) => void): CardRefs {
  const file = dataDir ? path.join(dataDir, CARD_REFS_FILE) : undefined;
  const cards = new Map<string, CardRef>();
  if (file && fs.existsSync(file)) {
    try {
      const parsed = CardRefsFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success) for (const [k, v] of Object.entries(parsed.data.cards)) cards.set(k, v);
      else warn(`slack: ${file} is not a card list; starting with none (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    } catch (cause) {
      warn(`slack: cannot read ${file}; starting with no cards (${(cause as Error).message})`);
    }
  }
  let warned = false;
  /** A failed save must not fail a delivery that Slack already accepted (it would be posted twice): cards stay in memory. */
  const save = (): void => {
    if (!file) return;
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ version: 1, cards: Object.fromEntries(cards) }));
      fs.renameSync(tmp, file);
    } catch (cause) {
      if (!warned) warn(`slack: cannot save ${file}; card positions are kept in memory only (${(cause as Error).message})`);
      warned = true;
    }
  };
  const key = (requestId: string, channel: string): string => `${requestId}|${channel}`;
  return {
    get: (requestId, channel) => cards.get(key(requestId, channel)),
    set: (requestId, channel, ref) => {
      cards.set(key(requestId, channel), ref);
      save();
    },
    delete: (requestId, channel) => {
      if (cards.delete(key(requestId, channel))) save();
    },
  };
}
