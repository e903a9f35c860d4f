import {
  ApplicationCommandOptionType,
  ComponentType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type ModalMessageModalSubmitInteraction,
  type ModalSubmitInteraction,
  type AttachmentPayload,
} from 'discord.js';
import { phrases, type Bot, type BotReply, type ConsortiumConfig, type Language } from '../../src/index.ts';
import type { ButtonMemory } from './button-memory.ts';
import type { SeenInteractions } from './seen-interactions.ts';
import { decodeCustomId, type EncodedAction } from './custom-id.ts';
import { describeError, type DiscordLog } from './discord-log.ts';
import { clip, NO_MENTIONS, renderModal, renderReply, toInteractionOptions } from './render-embeds.ts';
import { resolveActor } from './resolve-actor.ts';
import { actionRequest, commandInputOf, commandRequest, conversationIdOf, languageOfLocale, whoOfInteraction } from './to-bot-request.ts';

export interface InteractionDeps {
  bot: Bot;
  config: ConsortiumConfig;
  buttons: ButtonMemory;
  log: DiscordLog;
  /** something may have been queued for delivery */
  afterEvent: () => void;
  /** interaction ids handled already: a repeated one is ignored */
  seen?: SeenInteractions;
  /** a click redraws a request's card at a version: when it is the outbox's card there, the outbox need not redraw it */
  cardShown?: (requestId: string, channelId: string, messageId: string, version: number) => void;
}

/** Commands whose work may outlast Discord's 3 s: acknowledged (deferred) before the core runs. */
const DEFERRED_COMMANDS: ReadonlySet<string> = new Set(['reindex']);
/** Discord's autocomplete limits. */
const CHOICES_MAX = 25;

/**
 * Every interaction: acknowledge in time, translate to a BotRequest, call the core, render the
 * reply. One catch-all: log the code, apologise privately.
 */
export async function handleInteraction(i: Interaction, deps: InteractionDeps): Promise<void> {
  if (deps.seen && !deps.seen.first(i.id)) {
    deps.log('warn', 'discord/interaction-repeated', { kind: i.type });
    return;
  }
  const language = languageOfLocale(i.locale);
  try {
    if (i.isAutocomplete()) await autocomplete(i, deps);
    else if (i.isChatInputCommand()) await command(i, deps, language);
    else if (i.isButton()) await button(i, deps, language);
    else if (i.isModalSubmit()) await modal(i, deps, language);
  } catch (err) {
    deps.log('error', 'discord/interaction-failed', { kind: i.type, ...describeError(err) });
    await apologise(i, language ?? 'en', deps.log);
  } finally {
    deps.afterEvent();
  }
}

async function autocomplete(i: AutocompleteInteraction, deps: InteractionDeps): Promise<void> {
  const typed = String(i.options.getFocused(true).value).trim();
  const titles = typed === '' ? [] : deps.bot.suggestTitles(typed).slice(0, CHOICES_MAX);
  await i.respond(titles.map((t) => ({ name: clip(t, 100), value: clip(t, 100) })));
}

async function command(i: ChatInputCommandInteraction, deps: InteractionDeps, language: Language | undefined): Promise<void> {
  const input = commandInputOf({ command: i.commandName, ...subcommandAndValues(i.options.data) });
  const actor = resolveActor(deps.config, whoOfInteraction(i));
  const deferred = DEFERRED_COMMANDS.has(i.commandName);
  if (deferred) await i.deferReply({ flags: MessageFlags.Ephemeral });
  const result = deps.bot.handle(commandRequest(actor, conversationIdOf(i.channelId, i.user.id), input, language));
  const [first, ...rest] = result.replies;
  if (first) {
    const options = render(first, deps);
    if (deferred) await i.editReply({ ...options, flags: undefined });
    else await i.reply(options);
  }
  for (const r of rest) await i.followUp(render(r, deps));
}

async function button(i: ButtonInteraction, deps: InteractionDeps, language: Language | undefined): Promise<void> {
  const action = decodeCustomId(i.customId);
  if (!action || action.kind !== 'button') {
    await i.reply({ content: phrases(language ?? 'en').unknownAction, flags: MessageFlags.Ephemeral });
    return;
  }
  if (action.needsInput) {
    // a modal has to be the first answer to the click
    const known = deps.buttons.recall(i.customId);
    const title = known?.label ?? ('label' in i.component && i.component.label ? i.component.label : action.id);
    await i.showModal(renderModal(action, title, known?.input));
    return;
  }
  const actor = resolveActor(deps.config, whoOfInteraction(i));
  const result = deps.bot.handle(actionRequest(actor, conversationIdOf(i.channelId, i.user.id), action, undefined, language));
  await answerOnMessage(i, action, result.replies, i.message.flags.has(MessageFlags.Ephemeral), deps);
}

async function modal(i: ModalSubmitInteraction, deps: InteractionDeps, language: Language | undefined): Promise<void> {
  const action = decodeCustomId(i.customId);
  if (!action || action.kind !== 'modal') {
    await i.reply({ content: phrases(language ?? 'en').unknownAction, flags: MessageFlags.Ephemeral });
    return;
  }
  const field = i.fields.fields.get('input');
  const input = !field ? undefined : field.type === ComponentType.TextInput ? field.value : field.type === ComponentType.StringSelect ? field.values.join(' ') : undefined;
  const actor = resolveActor(deps.config, whoOfInteraction(i));
  const result = deps.bot.handle(actionRequest(actor, conversationIdOf(i.channelId, i.user.id), action, input, language));
  if (i.isFromMessage()) await answerOnMessage(i, action, result.replies, i.message.flags.has(MessageFlags.Ephemeral), deps);
  else await answerFresh(i, result.replies, deps);
}

/**
 * After a click on a message: a reply that redraws that message (the same request's card, the next
 * page of the same search) and is as private as the message replaces it in place; everything else —
 * refusals, confirmations, new cards — comes as a new message, private when the core says so.
 */
async function answerOnMessage(
  i: ButtonInteraction | ModalMessageModalSubmitInteraction,
  action: EncodedAction,
  replies: readonly BotReply[],
  messageIsPrivate: boolean,
  deps: InteractionDeps,
): Promise<void> {
  const redraws = (r: BotReply): boolean =>
    !r.error &&
    r.private === messageIsPrivate &&
    ((action.id === 'catalog:more' && r.blocks.some((b) => b.type === 'answer')) ||
      (r.request?.id === action.target && r.blocks.some((b) => b.type === 'request-card')));
  const inPlace = replies.findIndex(redraws);
  if (inPlace < 0) return answerFresh(i, replies, deps);
  // a library channel's card redrawn by this click is marked as showing this version before it is sent,
  // so the outbox does not redraw it again (it still tells the event in the card's thread): one redraw per transition
  const request = replies[inPlace]!.request;
  if (request && i.message) deps.cardShown?.(request.id, i.message.channelId, i.message.id, request.version);
  const { flags: _flags, ...options } = render(replies[inPlace]!, deps);
  await i.update(options);
  for (const [n, r] of replies.entries()) if (n !== inPlace) await i.followUp(render(r, deps));
}

async function answerFresh(i: ButtonInteraction | ModalSubmitInteraction, replies: readonly BotReply[], deps: InteractionDeps): Promise<void> {
  const [first, ...rest] = replies;
  if (!first) {
    await i.deferUpdate();
    return;
  }
  await i.reply(render(first, deps));
  for (const r of rest) await i.followUp(render(r, deps));
}

function render(reply: BotReply, deps: InteractionDeps): ReturnType<typeof toInteractionOptions> & { files?: AttachmentPayload[] } {
  deps.buttons.remember(reply.actions);
  const options = toInteractionOptions(renderReply(reply));
  // a MARC export or a CSV report comes as an attachment
  return reply.file ? { ...options, files: [{ attachment: Buffer.from(reply.file.base64, 'base64'), name: reply.file.name }] } : options;
}

/** The subcommand and the option values of a slash command, as strings by name. */
function subcommandAndValues(data: readonly CommandInteractionOption[]): { subcommand?: string; values: Map<string, string> } {
  const sub = data.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  const options = sub ? (sub.options ?? []) : data;
  const values = new Map<string, string>();
  for (const o of options) if (o.value !== undefined && o.value !== null) values.set(o.name, String(o.value));
  return { ...(sub ? { subcommand: sub.name } : {}), values };
}

async function apologise(i: Interaction, language: Language, log: DiscordLog): Promise<void> {
  try {
    if (i.isAutocomplete()) {
      if (!i.responded) await i.respond([]);
      return;
    }
    if (!i.isRepliable()) return;
    const apology = { content: phrases(language).apology, flags: MessageFlags.Ephemeral as const, allowedMentions: NO_MENTIONS };
    if (i.deferred || i.replied) await i.followUp(apology);
    else await i.reply(apology);
  } catch (err) {
    log('warn', 'discord/apology-failed', describeError(err));
  }
}
