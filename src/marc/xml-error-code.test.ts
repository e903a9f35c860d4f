import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { xmlErrorOf, type XmlErrorCode } from './xml-error-code.ts';

/** The codes of the errors saxes raises on a document. */
function codesOf(xml: string): XmlErrorCode[] {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const codes: XmlErrorCode[] = [];
  parser.on('error', (err) => codes.push(xmlErrorOf(err).code));
  parser.write(xml).close();
  return codes;
}

describe('xmlErrorOf: saxes errors as codes', () => {
  it.each<[XmlErrorCode, string]>([
    ['xml/undefined-entity', '<r>caf&eacute;</r>'],
    ['xml/bad-character-reference', '<r>&#xZZ;</r>'],
    ['xml/disallowed-character', '<r>a\u0001b</r>'],
    ['xml/duplicate-attribute', '<r a="1" a="2"/>'],
    ['xml/cdata-end-in-text', '<r>a]]>b</r>'],
    ['xml/more-than-one-root', '<r/><s/>'],
  ])('%s from %j', (code, xml) => {
    expect(codesOf(xml)).toContain(code);
  });

  it('gives anything else the general code, with saxes’ words and no position prefix', () => {
    const codes = codesOf('<r><s></r>');
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'xml/not-well-formed')).toBe(true);
    expect(xmlErrorOf(new Error('3:14: unexpected end tag.'))).toEqual({ code: 'xml/not-well-formed', message: 'unexpected end tag.' });
  });
});
