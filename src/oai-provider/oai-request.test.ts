import { describe, expect, it } from 'vitest';
import { paramsOf } from '../common/protocol-response.ts';
import { parseDateArgument } from './oai-datestamp.ts';
import { parseOaiRequest } from './oai-request.ts';
import { decodeToken, encodeToken, type TokenState } from './oai-token.ts';

const parse = (query: string) => parseOaiRequest(paramsOf(new URLSearchParams(query)));

describe('OAI-PMH arguments', () => {
  it('reads a day as its whole day and a second as itself', () => {
    expect(parse('verb=ListRecords&metadataPrefix=marc21&from=2026-01-31&until=2026-02-01').result).toEqual({
      ok: true,
      request: { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2026-01-31T00:00:00Z', until: '2026-02-01T23:59:59Z' },
    });
    expect(parse('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2026-01-31T10:00:00Z').result).toMatchObject({ ok: true, request: { from: '2026-01-31T10:00:00Z' } });
  });

  it('refuses impossible dates', () => {
    for (const d of ['2026-02-30', '2026-01-01T24:00:00Z', '2026-1-1', '2026-01-01T00:00:00', '2026-01-01T00:00:00.5Z']) expect(parseDateArgument(d), d).toBeUndefined();
  });

  it('echoes the arguments of a good request, and none after badArgument', () => {
    expect(parse('verb=GetRecord&identifier=oai:x:w1&metadataPrefix=marc21').echo).toEqual({ verb: 'GetRecord', identifier: 'oai:x:w1', metadataPrefix: 'marc21' });
    expect(parse('verb=GetRecord&identifier=oai:x:w1').echo).toEqual({});
  });
});

describe('resumption tokens', () => {
  const state: TokenState = { v: 1, verb: 'ListRecords', prefix: 'marc21', until: '2026-01-01T00:00:00Z', after: ['2025-12-31T10:00:00Z', 42], cursor: 200, total: 1000, exp: 2_000_000_000, cat: 'cat-1' };
  const now = new Date('2026-01-01T00:00:00Z');

  it('carries the list\'s state and comes back intact', () => {
    expect(decodeToken(encodeToken(state), 'ListRecords', 'cat-1', now)).toEqual({ ok: true, state });
  });

  it('is refused when malformed, expired, of another catalog or for another verb', () => {
    expect(decodeToken('%%%', 'ListRecords', 'cat-1', now)).toEqual({ ok: false, problem: 'malformed' });
    expect(decodeToken(Buffer.from('{"v":1}').toString('base64url'), 'ListRecords', 'cat-1', now)).toEqual({ ok: false, problem: 'malformed' });
    expect(decodeToken(encodeToken({ ...state, exp: 1 }), 'ListRecords', 'cat-1', now)).toEqual({ ok: false, problem: 'expired' });
    expect(decodeToken(encodeToken(state), 'ListRecords', 'cat-2', now)).toEqual({ ok: false, problem: 'other-catalog' });
    expect(decodeToken(encodeToken(state), 'ListIdentifiers', 'cat-1', now)).toEqual({ ok: false, problem: 'other-verb' });
  });
});
