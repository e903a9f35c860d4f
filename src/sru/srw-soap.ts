/**
 * SRW: SRU over SOAP (what yaz-client and ZOOM send to an http:// target unless told `sru get`).
 * The request is a SOAP envelope whose body holds searchRetrieveRequest or explainRequest in the
 * SRU 1.x namespace; its child elements are the SRU parameters. The response is the SRU 1.x
 * response in a SOAP envelope. The XML is read with a SAX parser that expands no entities and
 * fetches nothing; a DOCTYPE is refused.
 */
import { SaxesParser } from 'saxes';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const SRW_NS = 'http://www.loc.gov/zing/srw/';

const OPERATIONS: Readonly<Record<string, string>> = {
  searchRetrieveRequest: 'searchRetrieve',
  explainRequest: 'explain',
  scanRequest: 'scan',
};

export type SrwRequest = { ok: true; params: Map<string, string[]> } | { ok: false; fault: string };

/** The SRU parameters of an SRW request envelope. */
export function srwParams(xml: string): SrwRequest {
  const parser = new SaxesParser({ xmlns: true });
  const params = new Map<string, string[]>();
  const stack: Array<{ uri: string; local: string }> = [];
  let operation: string | undefined;
  let text = '';
  let failure: string | undefined;
  parser.on('doctype', () => {
    failure = 'a DOCTYPE is not accepted';
  });
  parser.on('error', (err) => {
    failure ??= `the request is not well-formed XML: ${err.message}`;
  });
  parser.on('opentag', (tag) => {
    stack.push({ uri: tag.uri, local: tag.local });
    text = '';
    const depth = stack.length;
    if (depth === 1 && (tag.uri !== SOAP_ENV || tag.local !== 'Envelope')) failure ??= 'the request is not a SOAP envelope';
    if (depth === 2 && tag.uri === SOAP_ENV && tag.local !== 'Body' && tag.local !== 'Header') failure ??= `unexpected SOAP element ${tag.local}`;
    if (depth === 3 && stack[1]?.local === 'Body') {
      if (tag.uri !== SRW_NS || OPERATIONS[tag.local] === undefined) failure ??= `the SOAP body holds no SRW request (found ${tag.local})`;
      else operation = OPERATIONS[tag.local];
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const el = stack.pop();
    // the SRU parameters are the request element's simple children
    if (el && stack.length === 3 && operation !== undefined && el.uri === SRW_NS && el.local !== 'extraRequestData') {
      const list = params.get(el.local);
      if (list) list.push(text);
      else params.set(el.local, [text]);
    }
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    failure ??= `the request is not well-formed XML: ${(err as Error).message}`;
  }
  if (failure !== undefined) return { ok: false, fault: failure };
  if (operation === undefined) return { ok: false, fault: 'the SOAP body holds no SRW request' };
  params.set('operation', [operation]);
  return { ok: true, params };
}

/** An SRU 1.x response document in a SOAP envelope. */
export function soapEnvelope(sruXml: string): string {
  const body = sruXml.replace(/^<\?xml[^>]*\?>\s*/, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}"><SOAP-ENV:Body>${body.trimEnd()}</SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;
}

/** A SOAP fault, for an envelope that cannot be read at all. */
export function soapFault(reason: string): string {
  const safe = reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>${safe}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;
}
