import { describe, expect, it } from 'vitest';
import { REDACTED, redactFields, scrubIds } from './logger.ts';
import { createPinoLogger } from './pino-logger.ts';

const DISCORD_PATRON = '1400000000000000777';
const SLACK_PATRON = 'U0PATRON42';
const PATRON_NAME = 'Sekar Ayu Wulandari';

function capture(): { lines: () => Array<Record<string, unknown>>; raw: () => string; destination: { write(s: string): void } } {
  const chunks: string[] = [];
  return {
    destination: { write: (s: string) => void chunks.push(s) },
    raw: () => chunks.join(''),
    lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the logger', () => {
  it('writes one JSON line per event with its level, event name and fields', () => {
    const out = capture();
    const log = createPinoLogger({ destination: out.destination }).child({ component: 'discord' });
    log.warn('discord/delivery-failed', { outbox: 12, attempts: 3, code: 'discord/api-50007' });
    log.info('discord/ready');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'warn', component: 'discord', event: 'discord/delivery-failed', outbox: 12, attempts: 3, code: 'discord/api-50007' }),
      expect.objectContaining({ level: 'info', component: 'discord', event: 'discord/ready' }),
    ]);
  });

  it('never writes a patron’s id or name, wherever it is put', () => {
    const out = capture();
    const log = createPinoLogger({ destination: out.destination });
    log.info('ill/placed', { userId: SLACK_PATRON, request: 'R12', library: 'UGM' });
    log.warn('discord/dm-failed', { user: { id: DISCORD_PATRON, username: 'sekar.ayu.w', global_name: PATRON_NAME }, attempts: 2 });
    log.error('discord/interaction-failed', { kind: 3, detail: { deeper: { actor: { userId: DISCORD_PATRON, displayName: PATRON_NAME } } } });
    log.error('discord/message-failed', { message: `POST /users/${DISCORD_PATRON}/channels: Cannot send messages to this user` });
    log.error('slack/outbox-failed', { cause: new Error(`channel_not_found: D1 for ${SLACK_PATRON}`) });
    log.warn(`slack: cannot open a DM with ${SLACK_PATRON}`);
    log.child({ patron: PATRON_NAME }).info('ill/reminder');
    const raw = out.raw();
    for (const personal of [DISCORD_PATRON, SLACK_PATRON, PATRON_NAME, 'sekar.ayu.w']) expect(raw).not.toContain(personal);
    // what is not personal stays, so the log is still useful
    const lines = out.lines();
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatchObject({ event: 'ill/placed', request: 'R12', library: 'UGM', userId: REDACTED });
    expect(lines[1]).toMatchObject({ attempts: 2, user: REDACTED });
    expect(lines[3]?.message).toBe(`POST /users/${REDACTED}/channels: Cannot send messages to this user`);
    expect(lines[4]?.cause).toEqual({ message: `channel_not_found: D1 for ${REDACTED}` });
    expect(lines[5]?.event).toBe(`slack: cannot open a DM with ${REDACTED}`);
  });

  it('keeps numbers that are not ids, and library codes', () => {
    expect(scrubIds('outbox message 1234 to UGM, attempt 3 (HTTP 429)')).toBe('outbox message 1234 to UGM, attempt 3 (HTTP 429)');
    expect(redactFields({ records: 123456789012, library: 'USU', error: { code: 'harvest/http-status' } })).toEqual({ records: 123456789012, library: 'USU', error: { code: 'harvest/http-status' } });
  });
});
