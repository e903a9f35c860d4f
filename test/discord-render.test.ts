import { describe, expect, it } from 'vitest';
import { COMMANDS, type Answer, type BotReply, type WorkAnswer } from '../src/index.ts';
import { commandDefinitions } from '../adapters/discord/command-definitions.ts';
import { decodeCustomId, encodeCustomId } from '../adapters/discord/custom-id.ts';
import { LIMITS, renderModal, renderReply } from '../adapters/discord/render-embeds.ts';
import { commandInputOf } from '../adapters/discord/to-bot-request.ts';

const work = (n: number, extra: Partial<WorkAnswer> = {}): WorkAnswer => ({
  workId: `w${n}`, title: `Title ${n}`, authors: ['A. Author'], format: 'Book', languages: ['ind'], isbns: [], holdings: [], libraries: [],
  links: [], requestable: true, records: [`UGM.${n}`], ...extra,
});
const answer = (results: WorkAnswer[], extra: Partial<Answer> = {}): Answer => ({
  kind: 'search', language: 'en', searched: 'x', step: 'exact', filters: {}, total: results.length, offset: 0, results, hasMore: false, ...extra,
});
const reply = (blocks: BotReply['blocks'], actions: BotReply['actions'] = []): BotReply => ({ language: 'en', blocks, actions, private: true });
const size = (m: ReturnType<typeof renderReply>): number =>
  m.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0), 0);

describe('Discord rendering', () => {
  it('keeps a huge answer within 2,000 characters of content, 10 embeds and 6,000 embed characters', () => {
    const long = 'x'.repeat(5000);
    const works = Array.from({ length: 14 }, (_, i) =>
      work(i, { title: long, holdings: [{ library: 'UGM', libraryName: long, status: 'available' }], libraries: ['UGM'] }),
    );
    const m = renderReply(reply([{ type: 'text', text: 'y'.repeat(4500) }, { type: 'answer', answer: answer(works) }]));
    expect(m.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(m.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(size(m)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(m.embeds.every((e) => (e.title?.length ?? 0) <= 256 && (e.description?.length ?? 0) <= 4096)).toBe(true);
  });

  it('shows every line of a request card in full', () => {
    const lines = ['Borrower UI (Universitas Indonesia) · lender UGM (Universitas Gadjah Mada)', 'State: Shipped', 'Due 2031-03-31', 'Note: for my thesis', 'For patron Sekar Ayu'];
    const m = renderReply(reply([{ type: 'request-card', request: { id: 'R7', state: 'SHIPPED', requester: 'UI', supplier: 'UGM', version: 4, title: 'Dune' }, lines }]));
    expect(m.embeds[0]!.description).toBe(lines.join('\n'));
  });

  it('escapes catalog text so a title cannot format or ping', () => {
    const m = renderReply(reply([{ type: 'answer', answer: answer([work(1, { title: '**Bold** @everyone <@123>' })]) }]));
    expect(m.embeds[0]!.title).not.toContain('**Bold**');
    expect(m.embeds[0]!.title).not.toMatch(/@everyone|<@1/);
  });

  it('draws at most 25 buttons whose custom ids fit in 100 characters', () => {
    const actions = Array.from({ length: 30 }, (_, i) => ({ id: 'ill:request', label: 'L'.repeat(120), target: `w${i}`, version: 0 }));
    actions.push({ id: 'ill:note', label: 'too long', target: 'R'.repeat(95), version: 3 });
    const m = renderReply(reply([{ type: 'text', text: 'hi' }], actions));
    const buttons = m.components.flatMap((r) => r.components);
    expect(m.components.length).toBeLessThanOrEqual(5);
    expect(buttons.length).toBe(25);
    expect(buttons.every((b) => 'custom_id' in b && b.custom_id.length <= 100 && (b.label?.length ?? 0) <= 80)).toBe(true);
  });

  it('round-trips an action through a custom id, and asks for choices with a select', () => {
    const id = encodeCustomId('button', { id: 'ill:decline', target: 'R12', version: 4, input: { label: 'Reason', kind: 'reason', required: true } });
    expect(decodeCustomId(id!)).toEqual({ kind: 'button', id: 'ill:decline', target: 'R12', version: 4, needsInput: true });
    const modal = renderModal({ id: 'ill:decline', target: 'R12', version: 4 }, 'Decline', {
      label: 'Reason', kind: 'reason', required: true, choices: [{ value: 'not-held', label: 'Not held' }],
    });
    expect(decodeCustomId(modal.custom_id)).toMatchObject({ kind: 'modal', id: 'ill:decline', target: 'R12', version: 4 });
    expect(modal.components[0]).toMatchObject({ type: 18, component: { type: 3, custom_id: 'input', options: [{ value: 'not-held' }] } });
  });

  it('hands slash options to the core as typed values, never a command line', () => {
    const values = new Map([['item', 'laskar pelangi: anniversary edition'], ['note', 'for class need-by:2020-01-01'], ['need-by', '2026-12-01']]);
    // a note that looks like an option, or a title with a colon, stays what it was typed as
    expect(commandInputOf({ command: 'ill', subcommand: 'request', values })).toEqual({
      command: 'ill', subcommand: 'request', values: { item: 'laskar pelangi: anniversary edition', note: 'for class need-by:2020-01-01', 'need-by': '2026-12-01' },
    });
    expect(commandInputOf({ command: 'catalog', values: new Map([['question', 'bumi manusia']]) })).toEqual({ command: 'catalog', values: { question: 'bumi manusia' } });
  });

  it('generates one application command per command-table entry, within Discord’s limits', () => {
    const defs = commandDefinitions();
    expect(defs.map((d) => d.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const d of defs) {
      expect(d.description.length).toBeLessThanOrEqual(100);
      expect((d.options ?? []).length).toBeLessThanOrEqual(25);
    }
  });
});
