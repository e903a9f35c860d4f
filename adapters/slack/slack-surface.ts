import type { webApi } from '@slack/bolt';
import type { SlackMessage } from './render-blocks.ts';
import type { InteractionPlace } from './to-bot-request.ts';

/**
 * Where an answer can go from the event that asked for it: privately to the asker, publicly in the
 * conversation, or in place of the message that was clicked. response_url first (it works even
 * where the bot is not a channel member), the Web API when there is none or it fails.
 */
export interface Surface {
  private(msg: SlackMessage): Promise<void>;
  public(msg: SlackMessage): Promise<void>;
  /** replace the clicked message; absent where there is none */
  replace?(msg: SlackMessage): Promise<void>;
  /** remove the clicked (ephemeral) message */
  remove?(): Promise<void>;
  /** a private answer here may be shared to the channel (not in a DM or App Home) */
  shareable: boolean;
  channel?: string;
  threadTs?: string;
}

type Client = webApi.WebClient;

/** POSTs a message to a response_url (slash commands and interactions; 30 minutes, 5 uses). */
export async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  if (!/^https?:\/\//i.test(url)) throw Object.assign(new Error('not an http(s) response_url'), { code: 'slack/bad-response-url' });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw Object.assign(new Error(`response_url answered HTTP ${res.status}`), { code: 'slack/response-url-failed', status: res.status });
}

const isDirect = (channel: string | undefined): boolean => channel !== undefined && channel.startsWith('D');
const body = (msg: SlackMessage): { text: string; blocks?: SlackMessage['blocks'] } => (msg.blocks.length > 0 ? { text: msg.text, blocks: msg.blocks } : { text: msg.text });

async function viaUrlOr(url: string | undefined, payload: Record<string, unknown>, fallback: () => Promise<unknown>): Promise<void> {
  if (url) {
    try {
      await postToResponseUrl(url, payload);
      return;
    } catch {
      // fall through to the Web API
    }
  }
  await fallback();
}

/** A slash command: answers go through its response_url. */
export function commandSurface(client: Client, p: { channel: string; user: string; responseUrl?: string }): Surface {
  return {
    shareable: !isDirect(p.channel),
    channel: p.channel,
    private: (msg) => viaUrlOr(p.responseUrl, { response_type: 'ephemeral', ...body(msg) }, () => client.chat.postEphemeral({ channel: p.channel, user: p.user, ...body(msg) })),
    public: (msg) => viaUrlOr(p.responseUrl, { response_type: 'in_channel', ...body(msg) }, () => client.chat.postMessage({ channel: p.channel, ...body(msg) })),
  };
}

/** A mention or a message: answers go into its thread (a DM is private already). */
export function messageSurface(client: Client, p: { channel: string; user: string; threadTs?: string; direct: boolean }): Surface {
  const thread = p.threadTs ? { thread_ts: p.threadTs } : {};
  const post = (msg: SlackMessage): Promise<unknown> => client.chat.postMessage({ channel: p.channel, ...thread, ...body(msg), unfurl_links: false });
  return {
    shareable: !p.direct,
    channel: p.channel,
    ...(p.threadTs ? { threadTs: p.threadTs } : {}),
    private: async (msg) => {
      await (p.direct ? post(msg) : client.chat.postEphemeral({ channel: p.channel, user: p.user, ...thread, ...body(msg) }));
    },
    public: async (msg) => {
      await post(msg);
    },
  };
}

/** A button press or a modal submission: answers go back to the message, the channel, or a DM from App Home. */
export function interactionSurface(client: Client, user: string, place: InteractionPlace): Surface {
  const url = place.responseUrl;
  const channel = place.channel;
  const threadTs = place.threadTs ?? (place.ephemeral ? undefined : place.messageTs);
  const dm = (msg: SlackMessage): Promise<unknown> => client.chat.postMessage({ channel: user, ...body(msg) });
  return {
    shareable: !place.home && !isDirect(channel),
    ...(channel ? { channel } : {}),
    ...(threadTs ? { threadTs } : {}),
    private: (msg) =>
      viaUrlOr(url, { response_type: 'ephemeral', replace_original: false, ...body(msg) }, () =>
        channel && !place.home ? client.chat.postEphemeral({ channel, user, ...(threadTs ? { thread_ts: threadTs } : {}), ...body(msg) }) : dm(msg),
      ),
    public: async (msg) => {
      if (!channel || place.home) return void (await dm(msg));
      const post = (): Promise<unknown> => client.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...body(msg), unfurl_links: false });
      // in a thread only the Web API can post; in the channel itself response_url also works where the bot is no member
      if (threadTs) {
        try {
          await post();
        } catch (err) {
          if (!url) throw err;
          await postToResponseUrl(url, { response_type: 'in_channel', replace_original: false, ...body(msg) });
        }
        return;
      }
      await viaUrlOr(url, { response_type: 'in_channel', replace_original: false, ...body(msg) }, post);
    },
    ...(url || (channel && place.messageTs && !place.ephemeral)
      ? {
          replace: (msg: SlackMessage) =>
            viaUrlOr(url, { replace_original: true, ...body(msg) }, async () => {
              if (!channel || !place.messageTs || place.ephemeral) throw Object.assign(new Error('no message to replace'), { code: 'slack/nothing-to-replace' });
              await client.chat.update({ channel, ts: place.messageTs, ...body(msg) });
            }),
        }
      : {}),
    ...(url ? { remove: () => postToResponseUrl(url, { delete_original: true }) } : {}),
  };
}
