import type { types } from '@slack/bolt';
import { phrases, type BotReply } from '../../src/index.ts';
import { renderReplies, VIEW_BLOCK_LIMIT } from './render-blocks.ts';

/** The App Home tab: a greeting, then the person's requests and, for librarians, their library's queue. */
export function homeView(replies: readonly BotReply[]): types.HomeView {
  const lang = replies[0]?.language ?? 'en';
  const body = renderReplies(replies, { maxBlocks: VIEW_BLOCK_LIMIT - 2 });
  return {
    type: 'home',
    blocks: [{ type: 'section', text: { type: 'plain_text', text: phrases(lang).greeting, emoji: true } }, { type: 'divider' }, ...body.blocks],
  };
}
