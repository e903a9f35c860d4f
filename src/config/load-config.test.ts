import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from './data-dir.ts';
import { loadConsortiumConfig } from './load-config.ts';

function load(config: unknown, opts: { bom?: boolean } = {}): ReturnType<typeof loadConsortiumConfig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-config-'));
  const text = (opts.bom ? '\uFEFF' : '') + JSON.stringify(config, null, 2);
  fs.writeFileSync(path.join(dir, 'consortium.json'), text);
  return loadConsortiumConfig(dir, {});
}

const library = { code: 'UGM', name: 'UGM' };

function failure(result: ReturnType<typeof loadConsortiumConfig>): string {
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.message;
}

describe('the consortium config cannot break the system later', () => {
  it('loads the sample consortium', () => {
    const sample = JSON.parse(fs.readFileSync(path.join(DEFAULT_DATA_DIR, 'consortium.json'), 'utf8'));
    expect(load(sample).ok).toBe(true);
  });

  it.each([
    ['harvest.intervalMinutes', { harvest: { intervalMinutes: 43_200 } }, 'harvest.intervalMinutes', 'from 1 to 20,160'],
    ['ill.responseDays', { ill: { responseDays: 1e12 } }, 'ill.responseDays', 'from 1 to 60'],
    ['ill.rushHours near MAX_SAFE_INTEGER', { ill: { rushHours: Number.MAX_SAFE_INTEGER - 1 } }, 'ill.rushHours', 'from 1 to 720'],
    ['ill.duplicateDays', { ill: { duplicateDays: 9e15 } }, 'ill.duplicateDays', 'from 0 to 3,650'],
    ['ill.dueReminderDays', { ill: { dueReminderDays: -1 } }, 'ill.dueReminderDays', 'from 0 to 60'],
    ['conversation.contextMinutes', { conversation: { contextMinutes: Number.MAX_SAFE_INTEGER } }, 'conversation.contextMinutes', 'from 1 to 1,440'],
    ['conversation.rateLimitPerMinute', { conversation: { rateLimitPerMinute: 0 } }, 'conversation.rateLimitPerMinute', 'from 1 to 100,000'],
    ['harvest.timeoutSeconds', { harvest: { timeoutSeconds: 1e9 } }, 'harvest.timeoutSeconds', 'from 1 to 3,600'],
    ['a library\'s loanPeriodDays', { libraries: [{ ...library, loanPeriodDays: 1e12 }] }, 'libraries[0].loanPeriodDays', 'from 1 to 365'],
    ['a fraction where a whole number is meant', { ill: { maxRenewals: 1.5 } }, 'ill.maxRenewals', 'whole number from 0 to 20'],
  ])('refuses %s out of bounds, naming the field and the range', (_name, config, field, range) => {
    const message = failure(load(config));
    expect(message).toContain(field);
    expect(message).toContain(range);
  });

  it('refuses a misspelt key and names the one meant ("lend" → "lends")', () => {
    const message = failure(load({ libraries: [{ ...library, lend: false }] }));
    expect(message).toContain('unknown key "lend"');
    expect(message).toContain('did you mean "lends"?');
    expect(message).toContain('libraries[0]');
  });

  it('refuses unknown keys at every level, with the known keys when none is close', () => {
    expect(failure(load({ ill: { responceDays: 3 } }))).toContain('did you mean "responseDays"?');
    expect(failure(load({ harvst: {} }))).toContain('did you mean "harvest"?');
    const far = failure(load({ libraries: [{ ...library, channels: { telegram: [] } }] }));
    expect(far).toContain('unknown key "telegram"');
    expect(far).toContain('known keys: slack, discord');
  });

  it('accepts a config saved with a UTF-8 byte-order mark', () => {
    const result = load({ libraries: [library], ill: { responseDays: 5 } }, { bom: true });
    expect(result.ok && result.config.ill.responseDays).toBe(5);
  });

  it('still accepts the values at both ends of each range', () => {
    const result = load({ harvest: { intervalMinutes: 20_160 }, ill: { responseDays: 60, duplicateDays: 0 }, conversation: { contextMinutes: 1 } });
    expect(result.ok).toBe(true);
  });
});

const partner = {
  code: 'PRINCETON', name: 'Princeton', agencyId: { type: 'ISIL', value: 'US-NjP' }, endpoint: 'https://reshare.example.edu/rs/externalApi/iso18626',
  auth: { sharedSecret: 'correct horse battery' },
};

describe('ISO 18626 partners in the consortium config', () => {
  it('reads partners with their defaults and members with their agency ids', () => {
    const r = load({ libraries: [{ code: 'UGM', name: 'UGM', agencyId: { type: 'ISIL', value: 'ID-UGM' } }], iso18626: { partners: [partner] } });
    if (!r.ok) throw new Error(r.message);
    expect(r.config.libraries[0]?.agencyId).toEqual({ type: 'ISIL', value: 'ID-UGM' });
    expect(r.config.iso18626.partners[0]).toMatchObject({ isoVersion: '2017', lends: true, borrows: true, vendor: 'generic', rotaPosition: 'after-members', loanPeriodDays: 28 });
  });

  it('without partners the block is optional', () => {
    const r = load({ libraries: [{ code: 'UGM', name: 'UGM' }] });
    expect(r.ok && r.config.iso18626.partners).toEqual([]);
  });

  it('stops with a readable message on a partner named like a member, a shared agency id, or no member to deal with them', () => {
    const clash = load({ libraries: [{ code: 'PRINCETON', name: 'x', agencyId: { type: 'ISIL', value: 'ID-X' } }], iso18626: { partners: [partner] } });
    expect(clash.ok ? '' : clash.message).toMatch(/partner PRINCETON has the code of a member library/);
    const same = load({ libraries: [{ code: 'UGM', name: 'x', agencyId: { type: 'ISIL', value: 'US-NjP' } }], iso18626: { partners: [partner] } });
    expect(same.ok ? '' : same.message).toMatch(/agency id ISIL:US-NjP of library UGM/);
    const none = load({ libraries: [{ code: 'UGM', name: 'x' }], iso18626: { partners: [partner] } });
    expect(none.ok ? '' : none.message).toMatch(/no member library has an agencyId/);
    const noAuth = load({ libraries: [{ code: 'UGM', name: 'x', agencyId: { type: 'ISIL', value: 'ID-UGM' } }], iso18626: { partners: [{ ...partner, auth: {} }] } });
    expect(noAuth.ok ? '' : noAuth.message).toMatch(/sharedSecret, an ipAllow list, or both/);
  });
});
