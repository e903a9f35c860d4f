import os from 'node:os';
import readline from 'node:readline/promises';
import { createBot, createIllService, createJala, followLeadership, phrases, resolveDataDir, scheduleHarvests, type Jala, type Role } from '../../src/index.ts';
import { renderReply } from './render-reply.ts';
import { indexProgressBar } from './progress.ts';
import { messagesOf } from './paste-lines.ts';

interface ChatFlags {
  dataDir?: string;
  library?: string;
  role?: Role;
  user?: string;
  /** build the configured libraries that have no records yet before chatting (npm start) */
  ingestMissing?: boolean;
  /** run the scheduled harvest of the config (harvest.intervalMinutes) while chatting (npm start) */
  scheduleHarvests?: boolean;
  /** services to run beside the chat on the same Jala (npm start with JALA_HTTP_PORT: the HTTP listener) */
  services?: (jala: Jala) => Promise<{ stop(): Promise<void> }>;
}

const QUIT = /^\s*(quit|exit|bye|keluar|selesai|\/quit|\/exit)\s*$/i;

/** `jala chat`: a terminal conversation with the catalog, as a patron of a chosen library. */
export async function runChat(flags: ChatFlags): Promise<number> {
  const out = process.stdout;
  const progress = indexProgressBar();
  if (flags.ingestMissing && process.stderr.isTTY) process.stderr.write('Preparing the union catalog…\n');
  const jala = await createJala({
    dataDir: resolveDataDir(flags.dataDir),
    onIndexProgress: progress.update,
    warmUp: true,
    ...(flags.ingestMissing ? { ingestMissing: true, onWaiting: (line: string) => void process.stderr.write(`${line}\n`) } : {}),
  });
  progress.stop();
  // a jala ingest in another terminal reaches the answers without leaving the chat (silently: no log lines in the conversation)
  jala.followCatalog();
  let services: { stop(): Promise<void> } | undefined;
  try {
    services = await flags.services?.(jala);
  } catch (err) {
    jala.close();
    throw err;
  }
  const rl = readline.createInterface({ input: process.stdin, output: out, terminal: process.stdin.isTTY === true });
  try {
    let library = flags.library;
    if (library && !jala.libraries.some((l) => l.code === library)) {
      process.stderr.write(`jala chat: unknown library "${library}" (known: ${jala.libraries.map((l) => l.code).join(', ')})\n`);
      return 2;
    }
    const stats = jala.store.stats();
    out.write(`Jala — ${jala.config.name}: ${stats.libraries} libraries, ${stats.works.toLocaleString('en-US')} works, ${stats.records.toLocaleString('en-US')} records.\n`);
    if (!library && process.stdin.isTTY && jala.libraries.length > 0) {
      out.write(`Libraries: ${jala.libraries.map((l) => `${l.code} (${l.name})`).join(', ')}\n`);
      const answer = (await rl.question('Your library code (Enter to skip) / Kode perpustakaan Anda: ')).trim();
      const match = jala.libraries.find((l) => l.code.toLowerCase() === answer.toLowerCase());
      if (match) library = match.code;
    }
    out.write(`${phrases('en').greeting}\n${phrases('id').greeting}\nType "help" / "bantuan"; "quit" / "keluar" to leave.\n`);
    // the terminal is one more platform: every line goes through the bot, as Slack and Discord messages do
    const bot = createBot(jala, { ill: createIllService(jala) });
    // each person at a terminal is their own user: --user, else the operating system's user
    const actor = { platform: 'cli' as const, userId: flags.user ?? osUser(), role: flags.role ?? 'patron', ...(library ? { library } : {}) };
    const conversationId = `cli:${process.pid}`;
    // reindex progress and notices for this user arrive through the outbox: print them as they come
    const deliver = (): void => {
      for (const m of bot.outbox.pending('cli', 20)) {
        if (m.target.type !== 'user' || m.target.userId !== actor.userId) continue;
        out.write(`\n${renderReply(m.reply)}\n`);
        bot.outbox.delivered(m.id, 'cli');
      }
    };
    const delivery = setInterval(deliver, 1000);
    delivery.unref();
    const interval = jala.config.harvest.intervalMinutes;
    // the scheduled harvest runs on the leader (with SQLite: this process; with PostgreSQL: one replica)
    const schedule =
      flags.scheduleHarvests && interval !== undefined
        ? followLeadership(jala.stores.leadership, {
            lead: () => {
              const stop = scheduleHarvests(jala.reindex, { intervalMinutes: interval });
              return { stop: async () => stop() };
            },
          })
        : undefined;
    const prompt = library ? `${library}> ` : '> ';
    rl.setPrompt(prompt);
    if (process.stdin.isTTY) rl.prompt();
    // a paste of several lines (a reading list) is one message, as it would be on Slack or Discord
    for await (const line of messagesOf(rl, { paste: process.stdin.isTTY === true })) {
      if (QUIT.test(line)) break;
      if (line.trim() !== '') {
        try {
          const result = bot.handle({ actor, conversationId, text: line });
          out.write(`${result.replies.map(renderReply).join('\n')}\n\n`);
        } catch (err) {
          process.stderr.write(`jala chat: ${(err as Error).message}\n`);
          out.write(`${phrases('en').apology}\n`);
        }
      }
      if (process.stdin.isTTY) rl.prompt();
    }
    clearInterval(delivery);
    await schedule?.stop();
    if (jala.reindex.running()) {
      process.stderr.write('Waiting for the reindex to finish… (Ctrl-C stops it; the next reindex resumes it)\n');
      await jala.reindex.idle();
      deliver();
    }
    return 0;
  } finally {
    rl.close();
    await services?.stop().catch(() => {});
    jala.close();
  }
}

function osUser(): string {
  try {
    return os.userInfo().username || process.env.USER || 'terminal';
  } catch {
    return process.env.USER ?? 'terminal'; // no passwd entry for this uid (some containers)
  }
}
