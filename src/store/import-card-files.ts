import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CardRefStore } from '../ill/card-ref-store.ts';

/** The files the Slack and Discord adapters kept card positions in before they moved into the database. */
export const SLACK_CARD_FILE = 'slack-cards.json';
export const DISCORD_CARD_FILE = 'discord-cards.json';

const SlackCardFile = z.object({
  version: z.literal(1),
  // "R7|C123" → the card; "progress:KEY|user:U1" → a progress DM
  cards: z.record(z.string(), z.object({ channel: z.string(), ts: z.string() })),
});

const DiscordCardFile = z.object({
  version: z.literal(1),
  cards: z.record(z.string(), z.array(z.object({ channelId: z.string(), messageId: z.string(), threadId: z.string().optional() }))),
});

export type CardFileImport = { file: string; imported: number } | { file: string; error: 'store/unreadable-card-file'; message: string };

/**
 * One-time import of slack-cards.json and discord-cards.json from the data directory into the card
 * store; each file imported is renamed to `*.migrated`, so the import runs once and the file is kept
 * for the operator. A file that cannot be read is left where it is and reported (its cards only cost
 * a fresh card for old requests); nothing else fails.
 */
export function importCardFiles(dataDir: string, cards: CardRefStore): CardFileImport[] {
  const out: CardFileImport[] = [];
  const slack = path.join(dataDir, SLACK_CARD_FILE);
  if (fs.existsSync(slack)) {
    out.push(
      importFile(slack, SlackCardFile, (data) => {
        let n = 0;
        for (const [key, ref] of Object.entries(data.cards)) {
          const cut = key.lastIndexOf('|');
          if (cut <= 0) continue;
          cards.saveCard('slack', key.slice(0, cut), key.slice(cut + 1), { channel: ref.channel, messageId: ref.ts });
          n++;
        }
        return n;
      }),
    );
  }
  const discord = path.join(dataDir, DISCORD_CARD_FILE);
  if (fs.existsSync(discord)) {
    out.push(
      importFile(discord, DiscordCardFile, (data) => {
        let n = 0;
        for (const [requestId, list] of Object.entries(data.cards)) {
          for (const c of list) {
            cards.saveCard('discord', requestId, c.channelId, { channel: c.channelId, messageId: c.messageId, ...(c.threadId ? { threadId: c.threadId } : {}) });
            n++;
          }
        }
        return n;
      }),
    );
  }
  return out;
}

function importFile<T>(file: string, schema: z.ZodType<T>, save: (data: T) => number): CardFileImport {
  let parsed: ReturnType<z.ZodType<T>['safeParse']>;
  try {
    parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (cause) {
    return { file, error: 'store/unreadable-card-file', message: (cause as Error).message };
  }
  if (!parsed.success) return { file, error: 'store/unreadable-card-file', message: parsed.error.issues[0]?.message ?? 'not a card list' };
  const imported = save(parsed.data);
  fs.renameSync(file, `${file}.migrated`);
  return { file, imported };
}
