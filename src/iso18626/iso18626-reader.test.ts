import { describe, expect, it } from 'vitest';
import { readIso18626 } from './iso18626-reader.ts';
import { calendarDate, parseDateTime } from './iso18626-datetime.ts';
import { writeIso18626 } from './iso18626-writer.ts';
import type { RequestMessage, SupplyingAgencyMessage } from './iso18626-model.ts';

const SAM = (inner: string, root = true): string => {
  const body = `<supplyingAgencyMessage><header><supplyingAgencyId><agencyIdType>ISIL</agencyIdType><agencyIdValue>US-NJP</agencyIdValue></supplyingAgencyId>
    <requestingAgencyId><agencyIdType>ISIL</agencyIdType><agencyIdValue>ID-UGM</agencyIdValue></requestingAgencyId>
    <timestamp>2025-01-02T03:04:05+0700</timestamp><requestingAgencyRequestId>R1</requestingAgencyRequestId></header>${inner}</supplyingAgencyMessage>`;
  return root ? `<ISO18626Message xmlns="http://illtransactions.org/2013/iso18626" version="1.2">${body}</ISO18626Message>` : body;
};

describe('reading ISO 18626 leniently', () => {
  it('reads a +0000 offset, a bare message root, no namespace and a missing multipleItemRequestId', () => {
    const r = readIso18626(SAM('<messageInfo><reasonForMessage>StatusChange</reasonForMessage></messageInfo><statusInfo><status>Loaned</status><dueDate>2025-02-01T00:00:00+0000</dueDate><lastChange>2025-01-02T03:04:05Z</lastChange></statusInfo>', false));
    expect(r.ok && r.problems).toEqual([]);
    if (!r.ok || !r.message) throw new Error('not read');
    expect(r.wrapped).toBe(false);
    const m = r.message as SupplyingAgencyMessage;
    expect(m.header.timestamp).toBe('2025-01-01T20:04:05.000Z');
    expect(m.header.multipleItemRequestId).toBeUndefined();
    expect(m.statusInfo).toMatchObject({ status: 'Loaned', dueDate: '2025-02-01T00:00:00.000Z' });
  });

  it('ignores unknown elements, reads closed values in any case and empty elements as absent', () => {
    const r = readIso18626(SAM('<vendorExtra><x/></vendorExtra><messageInfo><reasonForMessage>statuschange</reasonForMessage><answerYesNo/><reasonUnfilled></reasonUnfilled></messageInfo><statusInfo><status>LOANED</status></statusInfo>'));
    if (!r.ok || !r.message) throw new Error(JSON.stringify(r));
    const m = r.message as SupplyingAgencyMessage;
    expect(m.messageInfo).toEqual({ reasonForMessage: 'StatusChange' });
    expect(m.statusInfo.status).toBe('Loaned');
    expect(r.warnings.some((w) => w.includes('read as Loaned'))).toBe(true);
  });

  it('reads the scheme attribute with or without a prefix, and bibliographicItemId in either order', () => {
    const xml = `<request xmlns:x="http://illtransactions.org/2013/iso18626"><header><supplyingAgencyId><agencyIdType x:scheme="urn:a">ISIL</agencyIdType><agencyIdValue>A</agencyIdValue></supplyingAgencyId>
      <requestingAgencyId><agencyIdType scheme="urn:b">ISIL</agencyIdType><agencyIdValue>B</agencyIdValue></requestingAgencyId><timestamp>2025-01-01</timestamp><requestingAgencyRequestId>R</requestingAgencyRequestId></header>
      <bibliographicInfo><title>T</title><bibliographicItemId><bibliographicItemIdentifierCode>ISBN</bibliographicItemIdentifierCode><bibliographicItemIdentifier>978</bibliographicItemIdentifier></bibliographicItemId></bibliographicInfo></request>`;
    const r = readIso18626(xml);
    if (!r.ok || !r.message) throw new Error(JSON.stringify(r));
    const m = r.message as RequestMessage;
    expect(m.header.supplyingAgencyId?.type).toEqual({ value: 'ISIL', scheme: 'urn:a' });
    expect(m.header.requestingAgencyId.type).toEqual({ value: 'ISIL', scheme: 'urn:b' });
    expect(m.bibliographicInfo.itemIds).toEqual([{ identifier: '978', code: { value: 'ISBN' } }]);
  });

  it('reads 2021 names (retryInfo, deliveryMethod, itemFormat) and v1.2 names alike', () => {
    const r = readIso18626(SAM('<messageInfo><reasonForMessage>RequestResponse</reasonForMessage><reasonRetry>CostExceedsMaxCost</reasonRetry></messageInfo><statusInfo><status>RetryPossible</status></statusInfo><retryInfo><offeredCosts><currencyCode>USD</currencyCode><monetaryValue>12.5</monetaryValue></offeredCosts><retryAfter>2025-03-01T00:00:00Z</retryAfter></retryInfo><deliveryInfo><dateSent>2025-01-01T00:00:00Z</dateSent><deliveryMethod>Mail</deliveryMethod><itemFormat>Printed</itemFormat></deliveryInfo>'));
    if (!r.ok || !r.message) throw new Error(JSON.stringify(r));
    const m = r.message as SupplyingAgencyMessage;
    expect(m.messageInfo.offeredCosts).toEqual({ currencyCode: { value: 'USD' }, monetaryValue: '12.5' });
    expect(m.messageInfo.retryAfter).toBe('2025-03-01T00:00:00.000Z');
    expect(m.deliveryInfo).toMatchObject({ deliveryMethod: { value: 'Mail' }, itemFormat: { value: 'Printed' } });
  });

  it('round-trips what the writer writes', () => {
    const m: SupplyingAgencyMessage = {
      kind: 'supplyingAgencyMessage',
      header: { supplyingAgencyId: { type: { value: 'ISIL' }, value: 'A & B' }, requestingAgencyId: { type: { value: 'ISIL' }, value: '<B>' }, timestamp: '2025-01-01T00:00:00.000Z', requestingAgencyRequestId: 'R "1"' },
      messageInfo: { reasonForMessage: 'Notification', note: 'Terima kasih — “ok” & <done>' },
      statusInfo: { status: 'Loaned', lastChange: '2025-01-01T00:00:00.000Z' },
    };
    for (const v of ['1.2', '2021'] as const) {
      const r = readIso18626(writeIso18626(m, v));
      if (!r.ok || !r.message) throw new Error(JSON.stringify(r));
      expect(r.message).toEqual({ ...m, header: { ...m.header, ...(v === '1.2' ? {} : {}) } });
    }
  });
});

describe('reading ISO 18626 safely', () => {
  it('refuses a DOCTYPE (no entity is ever expanded)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><request><note>&lol2;</note></request>`;
    const r = readIso18626(bomb);
    expect(r).toMatchObject({ ok: false, code: 'iso18626/unreadable' });
    const external = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request>&x;</request>`;
    expect(readIso18626(external)).toMatchObject({ ok: false, code: 'iso18626/unreadable' });
  });

  it('refuses a message over the size limit before parsing it', () => {
    const r = readIso18626(SAM(`<messageInfo><reasonForMessage>Notification</reasonForMessage><note>${'x'.repeat(5000)}</note></messageInfo>`), { maxBytes: 2000 });
    expect(r).toMatchObject({ ok: false, code: 'iso18626/too-large' });
  });

  it('refuses absurd nesting and bytes that are not UTF-8', () => {
    expect(readIso18626(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`)).toMatchObject({ ok: false, code: 'iso18626/unreadable' });
    expect(readIso18626(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]))).toMatchObject({ ok: false, code: 'iso18626/unreadable' });
  });

  it('tells unreadable apart from readable-but-not-ISO and from unactionable values', () => {
    expect(readIso18626('<request><header>')).toMatchObject({ ok: false, code: 'iso18626/unreadable', guessedKind: 'request' });
    expect(readIso18626('<html/>')).toMatchObject({ ok: false, code: 'iso18626/not-iso18626' });
    const r = readIso18626(SAM('<messageInfo><reasonForMessage>Gossip</reasonForMessage></messageInfo><statusInfo><status>Teleported</status></statusInfo>'));
    expect(r.ok && r.problems.map((p) => p.errorType)).toEqual(['UnsupportedReasonForMessageType', 'UnrecognisedDataValue']);
    expect(r.ok && r.message).toBeUndefined();
    const ram = readIso18626('<requestingAgencyMessage><header><requestingAgencyId><agencyIdType>ISIL</agencyIdType><agencyIdValue>B</agencyIdValue></requestingAgencyId><requestingAgencyRequestId>R</requestingAgencyRequestId></header><action>Teleport</action></requestingAgencyMessage>');
    expect(ram.ok && ram.problems.map((p) => p.errorType)).toEqual(['UnsupportedActionType']);
  });
});

describe('timestamps', () => {
  it('reads what peers write and keeps the written calendar day for due dates', () => {
    expect(parseDateTime('1900-01-01T01:01:01+0000')).toBe('1900-01-01T01:01:01.000Z');
    expect(parseDateTime('2014-03-17T09:30:47.0Z')).toBe('2014-03-17T09:30:47.000Z');
    expect(parseDateTime('2023-10-04T15:22:00.543778Z')).toBe('2023-10-04T15:22:00.544Z');
    expect(parseDateTime('0001-01-01T00:00:00.000Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(parseDateTime('2025-02-30T00:00:00Z')).toBeUndefined();
    expect(parseDateTime('_TIMESTAMP_')).toBeUndefined();
    expect(calendarDate('2025-02-01T23:59:59-05:00')).toBe('2025-02-01');
  });
});
