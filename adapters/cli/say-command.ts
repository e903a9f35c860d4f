import { DEFAULT_DATA_DIR, createBot, createIllService, createJala, resolveDataDir, type BotReply, type OutboxMessage, type Role } from '../../src/index.ts';
import { renderReply } from './render-reply.ts';

interface SayFlags {
  user: string;
  role: Role;
  library: string;
  name?: string;
  dataDir?: string;
  json?: boolean;
}

/**
 * `jala say`: one message through exactly the path the platform adapters use (BotRequest → bot →
 * BotResult), against the persisted state. Notifications stay in the outbox for the platforms.
 */
export async function runSay(message: string[], flags: SayFlags): Promise<number> {
  const dataDir = resolveDataDir(flags.dataDir);
  // the bundled sample consortium is built on first use, as npm start does
  const jala = await createJala({ dataDir, ingestMissing: dataDir === DEFAULT_DATA_DIR, onWaiting: (line) => void process.stderr.write(`${line}\n`) });
  try {
    if (!jala.libraries.some((l) => l.code === flags.library)) {
      process.stderr.write(`jala say: unknown library "${flags.library}" (known: ${jala.libraries.map((l) => l.code).join(', ') || 'none'})\n`);
      return 2;
    }
    const bot = createBot(jala, { ill: createIllService(jala) });
    const result = bot.handle({
      actor: { platform: 'cli', userId: flags.user, role: flags.role, library: flags.library, ...(flags.name ? { displayName: flags.name } : {}) },
      conversationId: `cli:${flags.user}`,
      text: message.join(' '),
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ replies: result.replies.map(replyJson), notifications: result.notifications.map(notificationJson) })}\n`);
    } else {
      for (const r of result.replies) process.stdout.write(`${renderReply(r)}\n`);
      for (const n of result.notifications) {
        const to = n.target.type === 'library' ? `library ${n.target.library}` : `user ${n.target.userId}`;
        process.stdout.write(`\n→ ${to}:\n${renderReply(n.reply)}\n`);
      }
    }
    return 0; // a refusal is an answer too: it is in the reply's `error`
  } finally {
    await jala.reindex.idle(); // a /reindex started here finishes before the store closes
    jala.close();
  }
}

function replyJson(r: BotReply): Record<string, unknown> {
  return { ...r, text: renderReply(r) };
}

function notificationJson(n: OutboxMessage): Record<string, unknown> {
  return { id: n.id, target: n.target, ...(n.reply.request ? { request: n.reply.request } : {}), reply: { ...n.reply, text: renderReply(n.reply) } };
}
