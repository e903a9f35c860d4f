import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConsortiumConfig } from './load-config.ts';

function load(config: unknown): ReturnType<typeof loadConsortiumConfig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jala-config-'));
  fs.writeFileSync(path.join(dir, 'consortium.json'), JSON.stringify(config));
  return loadConsortiumConfig(dir, {});
}

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
