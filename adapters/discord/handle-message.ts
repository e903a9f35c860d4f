import type { Message } from 'discord.js';
import { phrases, type Bot, type ConsortiumConfig } from '../../src/index.ts';
import type { ButtonMemory } from './button-memory.ts';
import { describeError, type DiscordLog } from './discord-log.ts';
import { NO_MENTIONS, renderReply, toMessageBody } from './render-embeds.ts';
import { resolveActor } from './resolve-actor.ts';
import { conversationIdOf, questionText, textRequest, whoOfMessage } from './to-bot-request.ts';

export interface MessageDeps {
  bot: Bot;
  config: ConsortiumConfig;
  buttons: ButtonMemory;
  log: DiscordLog;
  afterEvent: () => void;
}

/**
 * A message is a question when it mentions Jala or is a direct message; messages of bots (Jala's own
 * included), webhooks and the system are never answered.
 */
export function isQuestion(m: Message, botUserId: string): boolean {
  if (m.author.bot || m.system || m.webhookId) return false;
  if (!m.inGuild()) return true;
  return m.mentions.users.has(botUserId);
}

export async function handleMessage(m: Message, botUserId: string, deps: MessageDeps): Promise<void> {
  if (!deps.config.discord.messageQuestions || !isQuestion(m, botUserId)) return;
  try {
    const actor = resolveActor(deps.config, whoOfMessage(m));
    const result = deps.bot.handle(textRequest(actor, conversationIdOf(m.channelId, m.author.id), questionText(m.content, botUserId), undefined));
    for (const reply of result.replies) {
      deps.buttons.remember(reply.actions);
      const body = toMessageBody(renderReply(reply));
      await m.reply({
        content: body.content ?? '',
        embeds: body.embeds ?? [],
        components: body.components ?? [],
        allowedMentions: { ...NO_MENTIONS, repliedUser: false },
      });
    }
  } catch (err) {
    deps.log('error', 'discord/message-failed', describeError(err));
    try {
      await m.reply({ content: phrases('en').apology, allowedMentions: { ...NO_MENTIONS, repliedUser: false } });
    } catch (again) {
      deps.log('warn', 'discord/apology-failed', describeError(again));
    }
  } finally {
    deps.afterEvent();
  }
}
