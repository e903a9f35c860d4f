/**
 * saxes reports a well-formedness error as an Error whose message is all it says ("1:5: undefined
 * entity."). This is the one place that reads those messages: each becomes a stable code, and the
 * readers decide by code. xml-error-code.test.ts feeds saxes the documents that raise each one, so a
 * saxes release that rewords them fails there instead of silently changing what is recoverable.
 */
export type XmlErrorCode =
  | 'xml/undefined-entity'
  | 'xml/bad-character-reference'
  | 'xml/disallowed-character'
  | 'xml/duplicate-attribute'
  | 'xml/cdata-end-in-text'
  | 'xml/more-than-one-root'
  | 'xml/not-well-formed';

export interface XmlError {
  code: XmlErrorCode;
  /** saxes' words without its "line:column: " prefix */
  message: string;
}

const BY_MESSAGE: ReadonlyArray<[RegExp, XmlErrorCode]> = [
  [/^undefined entity\.$|^disallowed character in entity name\.$/, 'xml/undefined-entity'],
  [/^malformed character entity\.$/, 'xml/bad-character-reference'],
  [/^disallowed character\.$/, 'xml/disallowed-character'],
  [/^duplicate attribute: /, 'xml/duplicate-attribute'],
  [/^the string "\]\]>" is disallowed in char data\.$/, 'xml/cdata-end-in-text'],
  [/^documents may contain only one root\.$/, 'xml/more-than-one-root'],
];

/** The code of a saxes error. */
export function xmlErrorOf(err: Error): XmlError {
  const message = err.message.replace(/^\d+:\d+: /, '');
  return { code: BY_MESSAGE.find(([re]) => re.test(message))?.[1] ?? 'xml/not-well-formed', message };
}
