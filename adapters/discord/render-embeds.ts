import {
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { libraryLine, phrases, stepNote, verdictLines, type ActionButton, type Answer, type BotReply, type ReplyBlock, type RequestSummary, type WorkAnswer } from '../../src/index.ts';
import { encodeCustomId } from './custom-id.ts';

/** Discord's message limits. */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  footer: 2048,
  buttonLabel: 80,
  rows: 5,
  buttonsPerRow: 5,
  modalTitle: 45,
  inputLabel: 45,
  placeholder: 100,
} as const;

/** A BotReply laid out for Discord, before it is sent one way or another. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  ephemeral: boolean;
}

const COLORS = { answer: 0x2b7a78, card: 0xdd8a2e, list: 0x5865f2, text: 0x99aab5 } as const;
/** No @everyone, role or user pings from anything Jala posts: titles and notes come from catalogs and people. */
export const NO_MENTIONS = { parse: [] as [] };

/** Catalog and user text shown in Discord: markdown escaped, mentions defused (clipped first: escaping is slow on long text). */
export function safe(text: string, max = 1024): string {
  return escapeMarkdown(clip(text, max)).replace(/@(everyone|here)/g, '@\u200b$1').replace(/<@/g, '<@\u200b');
}

export function renderReply(reply: BotReply): DiscordMessage {
  const content: string[] = [];
  const embeds: APIEmbed[] = [];
  for (const block of reply.blocks) renderBlock(reply, block, content, embeds);
  return fit({ content: content.join('\n'), embeds, components: renderButtons(reply.actions), ephemeral: reply.private });
}

/** Only the card of a reply (for editing a posted card in place); undefined when it has none. */
export function renderCardOnly(reply: BotReply): DiscordMessage | undefined {
  const card = reply.blocks.find((b) => b.type === 'request-card');
  if (!card) return undefined;
  return renderReply({ ...reply, blocks: [card] });
}

/** Everything but the card (the event line posted in a request's thread); undefined when only the card is there. */
export function renderEventOnly(reply: BotReply): DiscordMessage | undefined {
  const rest = reply.blocks.filter((b) => b.type !== 'request-card');
  if (rest.length === 0) return undefined;
  return renderReply({ ...reply, blocks: rest, actions: [] });
}

function renderBlock(reply: BotReply, block: ReplyBlock, content: string[], embeds: APIEmbed[]): void {
  switch (block.type) {
    case 'text':
      content.push(block.text);
      return;
    case 'answer':
      renderAnswer(block.answer, reply.actions, content, embeds);
      return;
    case 'request-card':
      embeds.push(requestCard(block.request, block.lines));
      return;
    case 'request-list':
      embeds.push({
        title: clip(block.title, LIMITS.title),
        description: clip(block.requests.map(requestLine).join('\n'), LIMITS.description),
        color: COLORS.list,
      });
      return;
    default: {
      const _exhaustive: never = block;
      return _exhaustive;
    }
  }
}

/** The embed equivalent of adapters/cli/render-answer.ts: sentences above, one embed per work. */
function renderAnswer(a: Answer, actions: readonly ActionButton[], content: string[], embeds: APIEmbed[]): void {
  const p = phrases(a.language);
  switch (a.kind) {
    case 'help':
      content.push(p.help);
      return;
    case 'greeting':
      content.push(p.greeting, p.help);
      return;
    case 'thanks':
      content.push(p.thanks);
      return;
    case 'empty':
      content.push(p.empty);
      return;
    default:
      break;
  }
  if (a.total === 0) {
    content.push(p.nothingFound(safe(a.searched)), ...(a.suggestion ? [p.didYouMean(safe(a.suggestion))] : []));
    return;
  }
  const note = stepNote(a);
  if (note) content.push(note);
  if (a.verdict) content.push(...verdictLines(a.language, a.verdict));
  if (a.offset === 0) content.push(p.found(a.total, safe(a.searched), a.totalEstimated));
  a.results.forEach((w, i) => embeds.push(workEmbed(a, w, a.offset + i + 1, actions.some((b) => b.id === 'ill:request' && b.target === w.workId))));
  if (a.hasMore) content.push(p.more(a.offset + a.results.length, a.total, a.totalEstimated));
}

function workEmbed(a: Answer, w: WorkAnswer, n: number, hasRequestButton: boolean): APIEmbed {
  const p = phrases(a.language);
  const head = [
    w.authors.length > 0 ? safe(w.authors.slice(0, 3).join('; ')) : '',
    w.year !== undefined ? String(w.year) : '',
    w.edition ? safe(w.edition) : '',
    safe(p.format(w.format)),
  ].filter((s) => s !== '');
  const lines = [head.join(' · ')];
  if (w.isbns.length > 0) lines.push(`ISBN ${w.isbns.slice(0, 3).join(', ')}`);
  if (a.kind === 'holders') lines.push(p.holdersLine(w.libraries.length));
  for (const lib of w.libraries) lines.push(`• ${safe(libraryLine(a.language, w.holdings.filter((h) => h.library === lib)))}`);
  for (const link of w.links.slice(0, 2)) lines.push(`${p.online}: ${link.label ? `${safe(link.label)} ` : ''}${link.url}`);
  if (w.requestable && !hasRequestButton) lines.push(`→ ${p.requestHint(w.workId)}`);
  return { title: clip(`${n}. ${safe(w.title)}`, LIMITS.title), description: clip(lines.join('\n'), LIMITS.description), footer: { text: w.workId }, color: COLORS.answer };
}


function requestCard(r: RequestSummary, lines: readonly string[]): APIEmbed {
  const route = [r.requester, r.supplier].filter(Boolean).join(' → ');
  const state = r.stateLabel ?? r.state;
  return {
    title: clip(`${r.id} · ${safe(r.title)}`, LIMITS.title),
    description: clip(lines.map((line) => safe(line)).join('\n') || state, LIMITS.description),
    footer: { text: clip([state, route, `v${r.version}`].filter(Boolean).join(' · '), LIMITS.footer) },
    color: COLORS.card,
  };
}

function requestLine(r: RequestSummary): string {
  const route = [r.requester, r.supplier].filter(Boolean).join(' → ');
  return [`**${r.id}**`, r.stateLabel ?? r.state, safe(r.title), route, r.dueDate ?? ''].filter(Boolean).join(' · ');
}

/** Buttons in rows of five (at most five rows); a button whose custom_id would be too long is left out. */
export function renderButtons(actions: readonly ActionButton[]): Array<APIActionRowComponent<APIButtonComponent>> {
  const buttons: APIButtonComponent[] = [];
  const seen = new Set<string>();
  for (const a of actions) {
    const customId = encodeCustomId('button', a);
    if (!customId || seen.has(customId)) continue;
    seen.add(customId);
    buttons.push({
      type: ComponentType.Button,
      custom_id: customId,
      label: clip(a.label, LIMITS.buttonLabel),
      style: a.style === 'primary' ? ButtonStyle.Primary : a.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary,
    });
  }
  const rows: Array<APIActionRowComponent<APIButtonComponent>> = [];
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** The modal asking for a button's details: a select when the core offers choices, else a text field. */
export function renderModal(
  action: { id: string; target: string; version: number },
  title: string,
  input: ActionButton['input'] | undefined,
): APIModalInteractionResponseCallbackData {
  const customId = encodeCustomId('modal', { ...action, input: undefined }) ?? 'm|invalid|0|-|';
  const label = clip(input?.label ?? title, LIMITS.inputLabel);
  const required = input?.required ?? false;
  const field =
    input?.choices && input.choices.length > 0 && input.choices.length <= 25
      ? {
          type: ComponentType.StringSelect as const,
          custom_id: 'input',
          required,
          min_values: required ? 1 : 0,
          max_values: 1,
          options: input.choices.map((c) => ({ label: clip(c.label, 100), value: clip(c.value, 100) })),
        }
      : {
          type: ComponentType.TextInput as const,
          custom_id: 'input',
          style: input?.kind === 'date' ? TextInputStyle.Short : TextInputStyle.Paragraph,
          required,
          max_length: input?.kind === 'date' ? 10 : 1000,
          ...(input?.kind === 'date' ? { placeholder: 'YYYY-MM-DD', min_length: required ? 10 : 0 } : {}),
        };
  return { custom_id: customId, title: clip(title, LIMITS.modalTitle), components: [{ type: ComponentType.Label, label, component: field }] };
}

/** A channel or DM message body (REST). */
export function toMessageBody(m: DiscordMessage): RESTPostAPIChannelMessageJSONBody {
  return { content: m.content, embeds: m.embeds, components: m.components, allowed_mentions: NO_MENTIONS };
}

/** discord.js reply/update/followUp options. */
export function toInteractionOptions(m: DiscordMessage): {
  content: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  allowedMentions: typeof NO_MENTIONS;
  flags?: MessageFlags.Ephemeral;
} {
  return { content: m.content, embeds: m.embeds, components: m.components, allowedMentions: NO_MENTIONS, ...(m.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/**
 * Keep a message inside Discord's limits: content over 2,000 characters moves into embeds; at most
 * ten embeds; the embeds' text together at most 6,000 characters (long descriptions are cut first).
 */
export function fit(m: DiscordMessage): DiscordMessage {
  let content = m.content;
  let embeds = [...m.embeds];
  if (content.length > LIMITS.content) {
    const overflow: APIEmbed[] = [];
    for (let i = 0; i < content.length; i += LIMITS.description) overflow.push({ description: content.slice(i, i + LIMITS.description), color: COLORS.text });
    embeds = [...overflow, ...embeds];
    content = '';
  }
  embeds = embeds.slice(0, LIMITS.embeds);
  let excess = embeds.reduce((n, e) => n + embedSize(e), 0) - LIMITS.embedTotal;
  while (excess > 0 && embeds.length > 0) {
    const longest = embeds.reduce((best, e, i) => ((e.description?.length ?? 0) > (embeds[best]?.description?.length ?? 0) ? i : best), 0);
    const e = embeds[longest]!;
    const len = e.description?.length ?? 0;
    if (len > 200) {
      const keep = Math.max(200, len - excess);
      embeds[longest] = { ...e, description: clip(e.description ?? '', keep) };
      excess -= len - keep;
    } else {
      excess -= embedSize(embeds.pop()!);
    }
  }
  if (content === '' && embeds.length === 0) content = '\u200b';
  return { ...m, content, embeds };
}

function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
