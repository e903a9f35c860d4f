import { describe, expect, it } from 'vitest';
import { handleIso18626, type InboundEvent } from './iso18626-handler.ts';
import { readIso18626 } from './iso18626-reader.ts';
import { writeIso18626 } from './iso18626-writer.ts';
import type { Confirmation } from './iso18626-model.ts';
import { PartnerConfig } from '../config/partner-config.ts';

const members = [{ library: 'UGM', agencyId: { type: 'ISIL', value: 'ID-UGM' } }];
const partner = PartnerConfig.parse({
  code: 'PRINCETON', name: 'Princeton', agencyId: { type: 'ISIL', value: 'US-NjP' }, endpoint: 'https://rs.example.edu/rs/externalApi/iso18626',
  auth: { sharedSecret: 'correct horse battery', ipAllow: ['203.0.113.0/24', '127.0.0.1'] }, vendor: 'reshare',
});
const dir = { partners: [partner], members };

function ram(opts: { from?: string; to?: string; secret?: string; action?: string } = {}): string {
  return writeIso18626(
    {
      kind: 'requestingAgencyMessage',
      header: {
        supplyingAgencyId: { type: { value: 'ISIL' }, value: opts.to ?? 'ID-UGM' },
        requestingAgencyId: { type: { value: 'ISIL' }, value: opts.from ?? 'US-NjP' },
        timestamp: '2025-01-01T00:00:00.000Z',
        requestingAgencyRequestId: 'PR-7',
        ...(opts.secret !== undefined ? { requestingAgencyAuthentication: { securityCode: opts.secret } } : {}),
      },
      action: 'Received',
    },
    '1.2',
  ).replace('<action>Received</action>', `<action>${opts.action ?? 'Received'}</action>`);
}

function confirmation(xml: string): Confirmation {
  const r = readIso18626(xml);
  if (!r.ok || !r.message) throw new Error(`not a confirmation: ${xml}`);
  return r.message as Confirmation;
}

describe('the /iso18626 handler', () => {
  it('confirms an authenticated message OK, echoing its ids, and hands it on once', () => {
    const seen: InboundEvent[] = [];
    const r = handleIso18626(ram({ secret: 'correct horse battery' }), '203.0.113.9', dir, { apply: (e) => (seen.push(e), { ok: true }) });
    expect(r.status).toBe(200);
    const c = confirmation(r.xml);
    expect(c).toMatchObject({ kind: 'requestingAgencyMessageConfirmation', action: 'Received', header: { messageStatus: 'OK', requestingAgencyRequestId: 'PR-7', timestampReceived: '2025-01-01T00:00:00.000Z' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ partnerRole: 'requester', member: { library: 'UGM' }, partner: { code: 'PRINCETON' } });
    expect(r.xml).not.toContain('correct horse battery');
  });

  it('answers an unknown agency, a wrong secret or a wrong address with ERROR, and changes nothing', () => {
    const apply = (): never => {
      throw new Error('must not be applied');
    };
    for (const [body, addr] of [
      [ram({ from: 'US-XX', secret: 'correct horse battery' }), '203.0.113.9'],
      [ram({ secret: 'wrong secret' }), '203.0.113.9'],
      [ram({}), '203.0.113.9'],
      [ram({ secret: 'correct horse battery' }), '198.51.100.1'],
      [ram({ secret: 'correct horse battery' }), undefined],
      [ram({ to: 'ID-NOBODY', secret: 'correct horse battery' }), '::ffff:127.0.0.1'],
    ] as const) {
      const r = handleIso18626(body, addr, dir, { apply });
      expect(r.status).toBe(200);
      const c = confirmation(r.xml);
      expect(c.header.messageStatus).toBe('ERROR');
      expect(c.errors?.[0]?.errorType).toBe('UnrecognisedDataValue');
      expect(r.event).toBeUndefined();
    }
  });

  it('passes on the errorType the ILL service gives (an unknown request id), and an unsupported action', () => {
    const r = handleIso18626(ram({ secret: 'correct horse battery' }), '127.0.0.1', dir, {
      apply: () => ({ ok: false, errorType: 'UnrecognisedDataValue', errorValue: 'requestingAgencyRequestId: request with a given ID not found' }),
    });
    expect(confirmation(r.xml)).toMatchObject({ header: { messageStatus: 'ERROR' }, errors: [{ errorType: 'UnrecognisedDataValue' }] });
    const forward = handleIso18626(ram({ secret: 'correct horse battery', action: 'Teleport' }), '127.0.0.1', dir);
    expect(confirmation(forward.xml)).toMatchObject({ header: { messageStatus: 'ERROR' }, errors: [{ errorType: 'UnsupportedActionType' }] });
  });

  it('refuses a partner writing in a direction it is not configured for', () => {
    const lendOnly = PartnerConfig.parse({ ...partner, borrows: false });
    const r = handleIso18626(ram({ secret: 'correct horse battery' }), '127.0.0.1', { partners: [lendOnly], members });
    expect(confirmation(r.xml)).toMatchObject({ header: { messageStatus: 'ERROR' }, errors: [{ errorType: 'UnrecognisedDataValue' }] });
  });

  it('answers unreadable XML with HTTP 400 and an oversized body with 413', () => {
    expect(handleIso18626('<requestingAgencyMessage><header>', '127.0.0.1', dir).status).toBe(400);
    expect(handleIso18626(`<a>${'x'.repeat(3000)}</a>`, '127.0.0.1', dir, { maxBytes: 1000 }).status).toBe(413);
  });

  it('answers in the 2021 schema for a 2021 partner and accepts its supplyingAgencyMessage without a secret from an allowed address', () => {
    const p2021 = PartnerConfig.parse({ ...partner, isoVersion: '2021', auth: { sharedSecret: 'correct horse battery', ipAllow: ['127.0.0.1'] } });
    const sam = writeIso18626(
      {
        kind: 'supplyingAgencyMessage',
        header: { supplyingAgencyId: { type: { value: 'ISIL' }, value: 'US-NjP' }, requestingAgencyId: { type: { value: 'ISIL' }, value: 'ID-UGM' }, timestamp: '2025-01-01T00:00:00.000Z', requestingAgencyRequestId: 'JALA-1' },
        messageInfo: { reasonForMessage: 'StatusChange' },
        statusInfo: { status: 'HoldReturn', lastChange: '2025-01-01T00:00:00.000Z' },
      },
      '2021',
    );
    const ok = handleIso18626(sam, '127.0.0.1', { partners: [p2021], members });
    expect(ok.xml).toContain('ill:version="2021-2"');
    expect(confirmation(ok.xml).header.messageStatus).toBe('OK');
    expect(confirmation(handleIso18626(sam, '10.0.0.1', { partners: [p2021], members }).xml).header.messageStatus).toBe('ERROR');
  });
});
