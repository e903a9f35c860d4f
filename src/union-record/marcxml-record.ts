/**
 * One MARC record as a MARCXML `<record>` element (MARC 21 slim) that validates against
 * MARC21slim.xsd whatever the source held: a leader repaired to the schema's pattern, fields and
 * subfields whose tags or codes the schema does not allow left out, indicators it does not allow
 * written as blanks. The character data is UTF-8, so leader/09 is 'a'.
 */
import { isControlField, type MarcRecord } from '../marc/marc-record.ts';
import { xmlAttribute, xmlText } from '../common/xml-text.ts';

export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';
export const MARCXML_SCHEMA = 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd';

const CONTROL_TAG = /^00[1-9A-Za-z]$/;
const DATA_TAG = /^(?:0[1-9A-Z][0-9A-Z]|0[1-9a-z][0-9a-z]|[1-9A-Z][0-9A-Z]{2}|[1-9a-z][0-9a-z]{2})$/;
const INDICATOR = /^[\da-z ]$/;
const SUBFIELD_CODE = /^[\dA-Za-z!"#$%&'()*+,\-./:;<=>?{}_^`~[\]\\]$/;

/** The leader as MARC21slim.xsd's pattern wants it, keeping every position that already fits. */
export function schemaLeader(leader: string): string {
  const l = leader.padEnd(24, ' ').slice(0, 24).split('');
  const fit = (i: number, re: RegExp, fallback: string): void => {
    if (!re.test(l[i] as string)) l[i] = fallback;
  };
  for (let i = 0; i < 5; i++) fit(i, /[\d ]/, '0');
  fit(5, /[\dA-Za-z ]/, 'n');
  fit(6, /[\dA-Za-z]/, 'a');
  for (let i = 7; i < 10; i++) fit(i, /[\dA-Za-z ]/, ' ');
  l[9] = 'a';
  fit(10, /[2 ]/, '2');
  fit(11, /[2 ]/, '2');
  for (let i = 12; i < 17; i++) fit(i, /[\d ]/, '0');
  for (let i = 17; i < 20; i++) fit(i, /[\dA-Za-z ]/, ' ');
  const tail = l.slice(20).join('');
  const end = tail === '4500' || tail === '    ' ? tail : '4500';
  return l.slice(0, 20).join('') + end;
}

export interface MarcXmlOptions {
  /** element prefix bound to the MARC 21 slim namespace; '' = default namespace */
  prefix?: string;
  /** add xsi:schemaLocation (OAI-PMH metadata records) */
  schemaLocation?: boolean;
}

export function marcRecordXml(record: MarcRecord, opts: MarcXmlOptions = {}): string {
  const p = opts.prefix ? `${opts.prefix}:` : '';
  const ns = opts.prefix ? `xmlns:${opts.prefix}="${MARCXML_NAMESPACE}"` : `xmlns="${MARCXML_NAMESPACE}"`;
  const loc = opts.schemaLocation
    ? ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MARCXML_NAMESPACE} ${MARCXML_SCHEMA}"`
    : '';
  const out: string[] = [`<${p}record ${ns}${loc}>`, `<${p}leader>${xmlText(schemaLeader(record.leader))}</${p}leader>`];
  for (const field of record.fields) {
    if (isControlField(field)) {
      if (CONTROL_TAG.test(field.tag)) out.push(`<${p}controlfield tag="${field.tag}">${xmlText(field.value)}</${p}controlfield>`);
      continue;
    }
    if (!DATA_TAG.test(field.tag)) continue;
    const subs = field.subfields.filter((s) => SUBFIELD_CODE.test(s.code));
    if (subs.length === 0) continue;
    const ind1 = INDICATOR.test(field.ind1) ? field.ind1 : ' ';
    const ind2 = INDICATOR.test(field.ind2) ? field.ind2 : ' ';
    out.push(`<${p}datafield tag="${field.tag}" ind1="${ind1}" ind2="${ind2}">`);
    for (const s of subs) out.push(`<${p}subfield code="${xmlAttribute(s.code)}">${xmlText(s.value)}</${p}subfield>`);
    out.push(`</${p}datafield>`);
  }
  out.push(`</${p}record>`);
  return out.join('');
}
