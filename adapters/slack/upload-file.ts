import type { webApi } from '@slack/bolt';
import type { BotReply } from '../../src/index.ts';

/**
 * A reply's file (a MARC record, a CSV report) as a Slack file upload. Slack has no private
 * files in a channel, so a private reply's file goes to the person's DM with the app; a public
 * one goes where the reply went.
 */
export async function uploadReplyFile(
  client: webApi.WebClient,
  file: NonNullable<BotReply['file']>,
  where: { user: string; channel?: string; threadTs?: string; private: boolean },
): Promise<void> {
  let channel = where.private ? undefined : where.channel;
  if (!channel || /^[UW]/.test(channel)) {
    const opened = await client.conversations.open({ users: where.user });
    channel = opened.channel?.id;
  }
  if (!channel) throw Object.assign(new Error('no conversation to upload to'), { code: 'slack/no-upload-channel' });
  const inThread = !where.private && where.threadTs && channel === where.channel ? { thread_ts: where.threadTs } : {};
  await client.filesUploadV2({ channel_id: channel, file: Buffer.from(file.base64, 'base64'), filename: file.name, title: file.name, ...inThread });
}
