/**
 * Text for XML 1.0 documents the catalog server writes. Characters XML 1.0 cannot carry at all
 * (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) become U+FFFD.
 */

const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r]/g;
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** anything either replacement would touch: most catalog text has none, and is returned as it is */
const TEXT_ANY = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ATTRIBUTE_ANY = /[&<>"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function xmlText(value: string): string {
  if (!TEXT_ANY.test(value)) return value;
  return value.replace(NOT_XML, '\uFFFD').replace(TEXT_SPECIAL, (c) => ENTITY[c] ?? c);
}

export function xmlAttribute(value: string): string {
  if (!ATTRIBUTE_ANY.test(value)) return value;
  return value.replace(NOT_XML, '\uFFFD').replace(ATTRIBUTE_SPECIAL, (c) => ENTITY[c] ?? c);
}

/** `<name>text</name>` */
export function xmlElement(name: string, text: string): string {
  return `<${name}>${xmlText(text)}</${name}>`;
}
