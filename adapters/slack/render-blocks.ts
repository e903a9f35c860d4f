import type { types } from '@slack/bolt';
import { libraryLine, phrases, stepNote, verdictLines, type ActionButton, type Answer, type BotReply, type HoldingView, type Language, type RequestSummary, type WorkAnswer } from '../../src/index.ts';
import { encodeActionValue } from './action-value.ts';
import { slackLabels } from './slack-labels.ts';

/**
 * BotReply → Block Kit: the same layout as the terminal's render-answer.ts, within Slack's limits
 * (50 blocks a message, 100 a view, 3,000 characters a section, 75 a button label). Catalog and
 * user text goes into rich_text elements, which Slack shows literally — a title cannot mention
 * <!channel>, open a link or switch on bold. Core sentences go into mrkdwn sections with &, < and >
 * escaped, for the same reason.
 */
export type Block = types.KnownBlock;

export interface SlackMessage {
  /** the notification / fallback text (mrkdwn, escaped) */
  text: string;
  blocks: Block[];
}

export interface RenderOptions {
  /** add a "Share to channel" button carrying this token (a private answer in a channel) */
  shareToken?: string;
  /** the conversation the paging buttons belong to */
  conversationId?: string;
  /** no buttons at all (a copy shared to the channel, a thread post) */
  withoutActions?: boolean;
  /** 50 in a message, 100 in a modal or Home view */
  maxBlocks?: number;
  /** a shared copy names who shared it */
  sharedBy?: string;
}

export const SHARE_ACTION_ID = 'slack:share';
export const MESSAGE_BLOCK_LIMIT = 50;
export const VIEW_BLOCK_LIMIT = 100;
const SECTION_LIMIT = 3000;
const RICH_TEXT_BUDGET = 2800;
const BUTTON_LABEL_LIMIT = 75;
const FALLBACK_LIMIT = 3000;
const LIBRARIES_PER_WORK = 10;

// ——— escaping ———

/** Text for a mrkdwn field: no mentions, links or entities can be smuggled in; & stays readable. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&(?=(?:amp|lt|gt|#\d+|#x[0-9a-f]+);)/gi, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

// ——— small block builders ———

const plain = (text: string, max = 3000): types.PlainTextElement => ({ type: 'plain_text', text: clip(text, max), emoji: true });

/** mrkdwn sections of at most 3,000 characters, split between lines where possible. */
function sections(text: string): Block[] {
  const out: Block[] = [];
  let chunk = '';
  const flush = (): void => {
    if (chunk.trim() !== '') out.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
    chunk = '';
  };
  for (const line of escapeMrkdwn(text).split('\n')) {
    const piece = line.length > SECTION_LIMIT ? clip(line, SECTION_LIMIT) : line;
    if (chunk.length + piece.length + 1 > SECTION_LIMIT) flush();
    chunk = chunk === '' ? piece : `${chunk}\n${piece}`;
  }
  flush();
  return out;
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(text), SECTION_LIMIT) }] };
}

type RichElement = types.RichTextElement;
const t = (text: string, bold = false): RichElement => (bold ? { type: 'text', text, style: { bold: true } } : { type: 'text', text });

/** Keeps a rich_text block within budget: elements beyond it are cut with "…". */
function budgeted(elements: RichElement[], budget: number): RichElement[] {
  const out: RichElement[] = [];
  let used = 0;
  for (const e of elements) {
    const len = e.type === 'text' ? e.text.length : e.type === 'link' ? (e.text ?? e.url).length + e.url.length : 10;
    if (used + len > budget) {
      if (e.type === 'text' && budget - used > 1) out.push({ ...e, text: clip(e.text, budget - used) });
      else out.push(t('…'));
      break;
    }
    out.push(e);
    used += len;
  }
  return out;
}

// ——— buttons ———

class ButtonIds {
  private readonly seen = new Map<string, number>();
  /** Slack wants action_ids unique within a message: the second "ill:request" becomes "ill:request~2". */
  next(id: string): string {
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return n === 1 ? id : `${id}~${n}`;
  }
}

function button(b: ActionButton, lang: Language, ids: ButtonIds, conversationId: string | undefined): types.Button {
  return {
    type: 'button',
    action_id: ids.next(b.id).slice(0, 255),
    text: plain(b.label, BUTTON_LABEL_LIMIT),
    value: encodeActionValue(b, lang, conversationId),
    ...(b.style ? { style: b.style } : {}),
  };
}

/** Actions blocks of at most 5 buttons each (Slack allows 25; 5 keeps a row readable on a phone). */
function actionRows(elements: types.Button[], blockIdPrefix: string): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < elements.length; i += 5) {
    out.push({ type: 'actions', block_id: `${blockIdPrefix}-${i / 5}`.slice(0, 255), elements: elements.slice(i, i + 5) });
  }
  return out;
}

// ——— the answer (catalog search) ———

function statusEmoji(holdings: readonly HoldingView[]): string {
  if (holdings.some((h) => h.status === 'available')) return 'large_green_circle';
  if (holdings.some((h) => h.status === 'on-loan')) return 'large_yellow_circle';
  if (holdings.some((h) => h.status === 'library-use-only')) return 'large_blue_circle';
  if (holdings.length > 0 && holdings.every((h) => h.status === 'lost' || h.status === 'withdrawn')) return 'red_circle';
  return 'white_circle';
}


function workBlock(a: Answer, w: WorkAnswer, n: number, hasRequestButton: boolean): Block {
  const p = phrases(a.language);
  const head: RichElement[] = [
    t(`${n}. ${clip(w.title, 300)}${w.subtitle ? ` : ${clip(w.subtitle, 200)}` : ''}`, true),
    t(
      [
        w.authors.length > 0 ? ` — ${clip(w.authors.slice(0, 3).join('; '), 200)}` : '',
        w.year !== undefined ? ` (${w.year})` : '',
        w.edition ? ` · ${clip(w.edition, 60)}` : '',
        ` · ${p.format(w.format)} · ${w.workId}`,
      ].join(''),
    ),
  ];
  if (w.isbns.length > 0) head.push(t(`\nISBN ${w.isbns.slice(0, 3).join(', ')}`));
  if (a.kind === 'holders') head.push(t(`\n${p.holdersLine(w.libraries.length)}`));
  const libraries = w.libraries.slice(0, LIBRARIES_PER_WORK).map((lib): types.RichTextSection => {
    const holdings = w.holdings.filter((h) => h.library === lib);
    return { type: 'rich_text_section', elements: [{ type: 'emoji', name: statusEmoji(holdings) }, t(` ${clip(libraryLine(a.language, holdings), 400)}`)] };
  });
  if (w.libraries.length > LIBRARIES_PER_WORK) libraries.push({ type: 'rich_text_section', elements: [t(`… +${w.libraries.length - LIBRARIES_PER_WORK}`)] });
  const tail: RichElement[] = [];
  for (const link of w.links.filter((l) => /^https?:\/\//i.test(l.url)).slice(0, 2)) {
    tail.push(t(`${tail.length > 0 ? '\n' : ''}${p.online}: `), { type: 'link', url: link.url, text: clip(link.label ?? link.url, 200) });
  }
  // the terminal's "/ill request w12" hint, when no button offers it
  if (w.requestable && !hasRequestButton) tail.push(t(`${tail.length > 0 ? '\n' : ''}→ ${p.requestHint(w.workId)}`));
  const elements: types.RichTextBlockElement[] = [{ type: 'rich_text_section', elements: budgeted(head, 1200) }];
  if (libraries.length > 0) elements.push({ type: 'rich_text_list', style: 'bullet', elements: libraries });
  if (tail.length > 0) elements.push({ type: 'rich_text_section', elements: budgeted(tail, 600) });
  return { type: 'rich_text', elements };
}

function answerBlocks(a: Answer, workButtons: Map<string, types.Button[]>): { blocks: Block[]; fallback: string[] } {
  const p = phrases(a.language);
  switch (a.kind) {
    case 'help':
      return { blocks: sections(p.help), fallback: [p.help] };
    case 'greeting':
      return { blocks: sections(`${p.greeting}\n${p.help}`), fallback: [p.greeting] };
    case 'thanks':
      return { blocks: sections(p.thanks), fallback: [p.thanks] };
    case 'empty':
      return { blocks: sections(p.empty), fallback: [p.empty] };
    default:
      break;
  }
  if (a.total === 0) {
    const text = [p.nothingFound(a.searched), ...(a.suggestion ? [p.didYouMean(a.suggestion)] : [])].join('\n');
    return { blocks: sections(text), fallback: [text] };
  }
  const blocks: Block[] = [];
  const fallback: string[] = [];
  const note = stepNote(a);
  if (note) blocks.push(context(note));
  if (a.verdict) {
    const lines = verdictLines(a.language, a.verdict);
    blocks.push(...sections(lines.join('\n')));
    fallback.push(...lines);
  }
  const found = p.found(a.total, a.searched, a.totalEstimated);
  blocks.push(...sections(found));
  fallback.push(found);
  a.results.forEach((w, i) => {
    const n = a.offset + i + 1;
    const buttons = workButtons.get(w.workId) ?? [];
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(workBlock(a, w, n, buttons.length > 0));
    if (buttons.length > 0) blocks.push(...actionRows(buttons, `work-${w.workId}`));
    fallback.push(`${n}. ${w.title}${w.authors[0] ? ` — ${w.authors[0]}` : ''}${w.year !== undefined ? ` (${w.year})` : ''}`);
  });
  if (a.hasMore) blocks.push(context(p.more(a.offset + a.results.length, a.total, a.totalEstimated)));
  return { blocks, fallback };
}

// ——— ILL cards and lists ———

function cardBlock(r: RequestSummary, lines: readonly string[]): Block {
  const body: RichElement[] = [t(`${r.id} · ${clip(r.title, 300)}`, true)];
  for (const line of lines) body.push(t(`\n${line}`));
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: budgeted(body, RICH_TEXT_BUDGET) }] };
}

function listBlocks(title: string, requests: readonly RequestSummary[]): Block[] {
  const out: Block[] = [];
  let items: types.RichTextSection[] = [];
  let used = 0;
  const flush = (first: boolean): void => {
    const elements: types.RichTextBlockElement[] = first ? [{ type: 'rich_text_section', elements: [t(clip(title, 300), true)] }] : [];
    if (items.length > 0) elements.push({ type: 'rich_text_list', style: 'bullet', elements: items });
    if (elements.length > 0) out.push({ type: 'rich_text', elements });
    items = [];
    used = 0;
  };
  let first = true;
  for (const r of requests) {
    const line = `${r.id} · ${clip(r.title, 120)} — ${r.stateLabel ?? r.state} · ${r.requester}${r.supplier ? ` → ${r.supplier}` : ''}${r.dueDate ? ` · ${r.dueDate}` : ''}`;
    if (used + line.length > RICH_TEXT_BUDGET) {
      flush(first);
      first = false;
    }
    items.push({ type: 'rich_text_section', elements: [t(line)] });
    used += line.length;
  }
  flush(first);
  return out;
}

// ——— the whole reply ———

export function renderReply(reply: BotReply, opts: RenderOptions = {}): SlackMessage {
  const lang = reply.language;
  const ids = new ButtonIds();
  const actions = opts.withoutActions ? [] : reply.actions;
  const workIds = new Set(reply.blocks.flatMap((b) => (b.type === 'answer' ? b.answer.results.map((w) => w.workId) : [])));
  const workButtons = new Map<string, types.Button[]>();
  const trailing: types.Button[] = [];
  for (const b of actions) {
    const el = button(b, lang, ids, opts.conversationId);
    if (b.id === 'ill:request' && workIds.has(b.target)) workButtons.set(b.target, [...(workButtons.get(b.target) ?? []), el]);
    else trailing.push(el);
  }
  if (opts.shareToken && !opts.withoutActions) {
    trailing.push({ type: 'button', action_id: SHARE_ACTION_ID, text: plain(slackLabels(lang).share), value: opts.shareToken });
  }

  const content: Block[] = [];
  const fallback: string[] = [];
  for (const block of reply.blocks) {
    switch (block.type) {
      case 'text':
        content.push(...sections(block.text));
        fallback.push(block.text);
        break;
      case 'answer': {
        const rendered = answerBlocks(block.answer, workButtons);
        content.push(...rendered.blocks);
        fallback.push(...rendered.fallback);
        break;
      }
      case 'request-card':
        content.push(cardBlock(block.request, block.lines));
        fallback.push(`${block.request.id} · ${block.request.title}${block.lines.length > 0 ? ` — ${block.lines[block.lines.length - 1]}` : ''}`);
        break;
      case 'request-list':
        content.push(...listBlocks(block.title, block.requests));
        fallback.push(block.title);
        break;
      default: {
        const _exhaustive: never = block;
        void _exhaustive;
      }
    }
  }
  if (opts.sharedBy && /^[UW][A-Z0-9]+$/.test(opts.sharedBy)) {
    content.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<@${opts.sharedBy}>` }] });
  }
  const tail = actionRows(trailing, 'actions');
  return { text: clip(escapeMrkdwn(fallback.join('\n')), FALLBACK_LIMIT) || ' ', blocks: withinLimit(content, tail, opts.maxBlocks ?? MESSAGE_BLOCK_LIMIT) };
}

/** Several replies on one surface (App Home), with dividers between them. */
export function renderReplies(replies: readonly BotReply[], opts: RenderOptions = {}): SlackMessage {
  const parts = replies.map((r) => renderReply(r, { ...opts, maxBlocks: Number.MAX_SAFE_INTEGER }));
  const blocks = parts.flatMap((m, i) => (i === 0 ? m.blocks : [{ type: 'divider' } as Block, ...m.blocks]));
  return { text: clip(parts.map((m) => m.text).join('\n'), FALLBACK_LIMIT) || ' ', blocks: withinLimit(blocks, [], opts.maxBlocks ?? MESSAGE_BLOCK_LIMIT) };
}

/** Content cut to fit with an ellipsis, the buttons always kept. */
function withinLimit(content: Block[], tail: Block[], max: number): Block[] {
  if (content.length + tail.length <= max) return [...content, ...tail];
  const room = Math.max(0, max - tail.length - 1);
  return [...content.slice(0, room), { type: 'context', elements: [{ type: 'plain_text', text: '…' }] }, ...tail];
}

/** The one line a later event adds to a request's thread: the card's newest line (the event), else its title. */
export function threadMessage(reply: BotReply): SlackMessage | undefined {
  const card = reply.blocks.find((b) => b.type === 'request-card');
  if (!card || card.type !== 'request-card') return undefined;
  const line = card.lines[card.lines.length - 1] ?? `${card.request.id} · ${card.request.title}`;
  return { text: clip(escapeMrkdwn(line), FALLBACK_LIMIT), blocks: [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [t(clip(line, RICH_TEXT_BUDGET))] }] }] };
}
