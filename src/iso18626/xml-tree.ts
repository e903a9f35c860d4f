/**
 * A small, safe XML reader for protocol messages: bytes in, a tree of elements by local name out
 * (prefixes and namespaces are dropped, so `ill:request`, `request` in the ISO 18626 namespace and a
 * template's `request` without one read alike). Built on saxes, which never expands entities or
 * fetches anything; a DOCTYPE is refused outright, and so are documents over a byte limit, deeper
 * than 64 levels or with more than 20,000 elements. Every failure is a value, never a throw.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export interface XmlElement {
  /** the local name (after any prefix) */
  name: string;
  /** attributes by local name (`ill:scheme` and `scheme` are both `scheme`); xmlns declarations left out */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** the element's own text (character data directly inside it), not trimmed */
  text: string;
}

export type XmlTreeResult =
  | { ok: true; root: XmlElement }
  | { ok: false; code: 'xml/too-large' | 'xml/unreadable'; reason: string };

export interface XmlTreeLimits {
  maxBytes: number;
  maxDepth?: number;
  maxElements?: number;
}

const DEFAULT_DEPTH = 64;
const DEFAULT_ELEMENTS = 20_000;

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/** Decodes the bytes: a BOM decides (UTF-8, UTF-16), else the declaration's encoding, else UTF-8; bad bytes are refused. */
function decode(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    label = 'utf-16le';
    start = 2;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    label = 'utf-16be';
    start = 2;
  } else {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const m = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
    const declared = m?.[1]?.toLowerCase();
    if (declared && declared !== 'utf-8' && declared !== 'utf8') {
      if (!['iso-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'ascii'].includes(declared)) return { ok: false, reason: `unsupported encoding ${declared}` };
      label = declared === 'us-ascii' || declared === 'ascii' ? 'utf-8' : 'windows-1252';
    }
  }
  try {
    return { ok: true, text: new TextDecoder(label, { fatal: true }).decode(bytes.subarray(start)) };
  } catch {
    return { ok: false, reason: `the bytes are not valid ${label.toUpperCase()}` };
  }
}

export function readXmlTree(input: string | Uint8Array, limits: XmlTreeLimits): XmlTreeResult {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) return { ok: false, code: 'xml/too-large', reason: `the message has ${size} bytes; at most ${limits.maxBytes} are read` };
  let text: string;
  if (typeof input === 'string') text = input.replace(/^\uFEFF/, '');
  else {
    const d = decode(input);
    if (!d.ok) return { ok: false, code: 'xml/unreadable', reason: d.reason };
    text = d.text;
  }
  const maxDepth = limits.maxDepth ?? DEFAULT_DEPTH;
  const maxElements = limits.maxElements ?? DEFAULT_ELEMENTS;

  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: string | undefined;
  let elements = 0;

  parser.on('doctype', () => {
    failure ??= 'the message declares a DOCTYPE; refused';
  });
  parser.on('error', (err) => {
    failure ??= `not well-formed XML: ${err.message}`;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (failure !== undefined) return;
    elements += 1;
    if (elements > maxElements) {
      failure = `more than ${maxElements} elements`;
      return;
    }
    if (stack.length >= maxDepth) {
      failure = `nested deeper than ${maxDepth} levels`;
      return;
    }
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      attributes[localName(name)] = value;
    }
    const node: XmlElement = { name: localName(tag.name), attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (root === undefined) root = node;
    stack.push(node);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top && failure === undefined) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top && failure === undefined) top.text += t;
  });
  parser.on('closetag', () => {
    if (failure === undefined) stack.pop();
  });

  try {
    parser.write(text);
    parser.close();
  } catch (err) {
    // saxes reports through the error handler; a throw here is a parser bug, still not the caller's crash
    failure ??= `not well-formed XML: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (failure !== undefined) return { ok: false, code: 'xml/unreadable', reason: failure };
  if (root === undefined) return { ok: false, code: 'xml/unreadable', reason: 'no root element' };
  return { ok: true, root };
}

/** The first child with this local name. */
export function child(node: XmlElement | undefined, name: string): XmlElement | undefined {
  return node?.children.find((c) => c.name === name);
}

/** Every child with this local name. */
export function children(node: XmlElement | undefined, name: string): XmlElement[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of a child, or undefined when the child is missing or empty (`<reasonUnfilled/>`). */
export function childText(node: XmlElement | undefined, name: string): string | undefined {
  const t = child(node, name)?.text.trim();
  return t === undefined || t === '' ? undefined : t;
}
