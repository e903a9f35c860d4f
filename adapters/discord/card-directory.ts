import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Where a request's card was posted in one channel, and the thread started from it. */
export interface PostedCard {
  channelId: string;
  messageId: string;
  threadId?: string;
}

const CardFile = z.object({
  version: z.literal(1),
  cards: z.record(z.string(), z.array(z.object({ channelId: z.string(), messageId: z.string(), threadId: z.string().optional() }))),
});

/**
 * Discord message and thread ids of each request's cards, so later events go to the same thread
 * and the card is edited in place — also after a restart (a small JSON file in the data directory).
 */
export interface CardDirectory {
  get(requestId: string, channelId: string): PostedCard | undefined;
  set(requestId: string, card: PostedCard): void;
  forget(requestId: string, channelId: string): void;
}

export const CARD_FILE = 'discord-cards.json';

export function createCardDirectory(dataDir?: string): CardDirectory {
  const file = dataDir ? path.join(dataDir, CARD_FILE) : undefined;
  const cards = new Map<string, PostedCard[]>();
  if (file && fs.existsSync(file)) {
    // an unreadable file only costs new cards for old requests; it is rewritten on the next change
    const parsed = CardFile.safeParse(parseJson(fs.readFileSync(file, 'utf8')));
    if (parsed.success) for (const [id, list] of Object.entries(parsed.data.cards)) cards.set(id, list);
  }
  const save = (): void => {
    if (!file) return;
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, cards: Object.fromEntries(cards) }));
    fs.renameSync(tmp, file);
  };
  return {
    get: (requestId, channelId) => cards.get(requestId)?.find((c) => c.channelId === channelId),
    set: (requestId, card) => {
      cards.set(requestId, [...(cards.get(requestId) ?? []).filter((c) => c.channelId !== card.channelId), card]);
      save();
    },
    forget: (requestId, channelId) => {
      cards.set(requestId, (cards.get(requestId) ?? []).filter((c) => c.channelId !== channelId));
      save();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
