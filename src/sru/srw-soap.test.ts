import { describe, expect, it } from 'vitest';
import { soapEnvelope, srwParams } from './srw-soap.ts';

const env = (body: string): string =>
  `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

describe('SRW (SRU over SOAP)', () => {
  it('reads the request element\'s children as SRU parameters', () => {
    const r = srwParams(env('<zs:searchRetrieveRequest xmlns:zs="http://www.loc.gov/zing/srw/"><zs:version>1.2</zs:version><zs:query>dc.title="a &amp; b"</zs:query><zs:maximumRecords>5</zs:maximumRecords></zs:searchRetrieveRequest>'));
    expect(r).toEqual({ ok: true, params: new Map([['version', ['1.2']], ['query', ['dc.title="a & b"']], ['maximumRecords', ['5']], ['operation', ['searchRetrieve']]]) });
    expect(srwParams(env('<explainRequest xmlns="http://www.loc.gov/zing/srw/"/>'))).toMatchObject({ ok: true, params: new Map([['operation', ['explain']]]) });
  });

  it('refuses what is not an SRW envelope, and any DOCTYPE', () => {
    expect(srwParams('<x/>')).toMatchObject({ ok: false });
    expect(srwParams(env('<other xmlns="urn:x"/>'))).toMatchObject({ ok: false });
    expect(srwParams('<!DOCTYPE a [<!ENTITY e "x">]>' + env('<zs:searchRetrieveRequest xmlns:zs="http://www.loc.gov/zing/srw/"><zs:query>&e;</zs:query></zs:searchRetrieveRequest>'))).toMatchObject({ ok: false });
    expect(srwParams(env('<zs:searchRetrieveRequest xmlns:zs="http://www.loc.gov/zing/srw/">'))).toMatchObject({ ok: false });
  });

  it('wraps a response in an envelope, without a second XML declaration', () => {
    const out = soapEnvelope('<?xml version="1.0" encoding="UTF-8"?>\n<zs:searchRetrieveResponse/>\n');
    expect(out.match(/<\?xml/g)).toHaveLength(1);
    expect(out).toContain('<SOAP-ENV:Body><zs:searchRetrieveResponse/></SOAP-ENV:Body>');
  });
});
