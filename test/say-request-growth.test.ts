import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Jala } from '../src/app/create-jala.ts';
import { createBot, type Bot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { MESSAGE_MAX_CHARS } from '../src/bot/message-limits.ts';
import { MAX_STEP_RATIO, hostile, measureGrowth } from './support/linear-growth.ts';
import { sampleJala } from './support/sample-jala.ts';

/**
 * Issue 17's slow path: "/ill request" followed by a megabyte of digits, as `jala say` hands it to the
 * bot (its words joined by spaces). The whole bot — the cut, the command line, the request parser, the
 * ISBN and identifier patterns, the search, the reply — grows linearly with the message (counted as
 * time ratios between 10 KB, 100 KB and 1 MB, never against a clock), the reply says the message was cut,
 * and the refusal echoes only a short piece of what was typed.
 */

let jala: Jala;
let bot: Bot;

beforeAll(async () => {
  jala = await sampleJala();
  // a clock a minute apart per message: the flood control never answers instead of the parser
  let t = Date.parse('2026-11-24T09:00:00Z');
  const now = () => new Date((t += 60_000));
  bot = createBot(jala, { ill: createIllService(jala, { now }), now });
}, 600_000);
afterAll(() => jala.close());

const say = (text: string) => bot.handle({ actor: { platform: 'cli', userId: 'digits', role: 'patron', library: 'UGM' }, conversationId: 'cli:digits', text });

describe('/ill request followed by a megabyte of digits', () => {
  for (const [name, make] of [
    ['one run of digits', hostile('/ill request ', '7')],
    ['digits in words, as jala say joins its arguments', hostile('/ill request ', '7777777 ')],
    ['a spaced ISBN shape repeated', hostile('/ill request ', '978 602 ')],
  ] as const) {
    it(`grows linearly: ${name}`, () => {
      const g = measureGrowth(say, make);
      for (const r of g.ratios) expect(r, `ms per size ${g.ms.map((x) => x.toFixed(1)).join(' / ')}`).toBeLessThanOrEqual(MAX_STEP_RATIO);
      expect(g.ratios).toHaveLength(2);
      const reply = say(make(1_000_000)).replies[0];
      const text = (reply?.blocks ?? []).map((b) => (b.type === 'text' ? b.text : '')).join('\n');
      expect(text).toContain(MESSAGE_MAX_CHARS.toLocaleString('en'));
      expect(reply?.error).toMatch(/^ill\//);
      expect(text.length).toBeLessThan(600);
    }, 600_000);
  }
});
