/**
 * The transport contract (transport.contract.ts) against both platforms: the real Slack WebClient
 * against the Slack Web API fake, and discord.js's REST client against the Discord REST fake.
 */
import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import { createDiscordHttpAgent } from '../../adapters/discord/discord-http-agent.ts';
import { createDiscordTransport } from '../../adapters/discord/discord-transport.ts';
import { createButtonMemory } from '../../adapters/discord/button-memory.ts';
import { createSlackTransport } from '../../adapters/slack/slack-transport.ts';
import { discordConsortium } from '../support/discord-consortium.ts';
import { startSlackFake } from '../support/slack-fake.ts';
import { transportContract } from './transport.contract.ts';

const blob = (m: { text?: unknown; content?: unknown; blocks?: unknown; embeds?: unknown }): string => JSON.stringify([m.text, m.content, m.blocks, m.embeds]);

transportContract('Slack', async () => {
  const fake = await startSlackFake();
  const client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 15_000 });
  return {
    transport: createSlackTransport(client, { info: () => {}, warn: () => {}, error: () => {} }),
    channel: 'CUGM',
    userId: 'UPATRON1',
    channelTexts: (channel) => fake.channelMessages(channel).map(blob),
    threadTexts: (card) => fake.threadReplies(card.channel, card.messageId).map(blob),
    dmTexts: (userId) => fake.channelMessages(userId).map(blob),
    edits: (message) => fake.messages.find((m) => m.ts === message.messageId)?.edits ?? 0,
    uploads: () => fake.callsOf('files.getUploadURLExternal').map((c) => String(c.params.filename)),
    failNextPost: (kind, times = 1) => fake.failNext('chat.postMessage', kind === 'unauthorized' ? { error: 'invalid_auth' } : kind === 'forbidden' ? { error: 'not_in_channel' } : { status: 429, retryAfter: 1 }, times),
    rateLimit: 'surfaces',
    close: () => fake.close(),
  };
});

const consortium = discordConsortium(7);
transportContract('Discord', async () => {
  const fake = await consortium.startFake();
  // as start-discord.ts builds it; Bolt (and with it Socket Mode's undici 7) is loaded in this process, as when both platforms run
  const agent = createDiscordHttpAgent();
  const rest = new REST({ api: fake.restUrl, retries: 0, agent }).setToken('discord-test-token');
  const messages = (channel: string | undefined): any[] => (channel ? (fake.channels.get(channel) ?? []) : []);
  return {
    transport: createDiscordTransport(rest, createButtonMemory(), () => {}),
    channel: consortium.channelOf.UGM,
    userId: '1500000000000000701',
    channelTexts: (channel) => messages(channel).map(blob),
    threadTexts: (card) => messages(card.threadId).map(blob),
    dmTexts: (userId) => messages(fake.dmChannels.get(userId)).map(blob),
    edits: (message) => messages(message.channel).find((m) => m.id === message.messageId)?.edits ?? 0,
    uploads: () =>
      fake.requests
        .filter((r) => r.method === 'POST' && typeof r.body === 'string')
        .flatMap((r) => [...(r.body as string).matchAll(/filename="([^"]+)"/g)].map((x) => x[1] as string)),
    failNextPost: (kind, times = 1) => fake.fail('POST', /^\/channels\/\d+\/messages$/, kind === 'unauthorized' ? 401 : kind === 'forbidden' ? 403 : 429, { times, retryAfter: 0.2 }),
    rateLimit: 'waited-out',
    close: async () => {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await agent.close();
      await fake.close();
    },
  };
});
