/**
 * MARC records → a MARCXML <collection> document (MARC 21 slim schema), readable by readMarcXml.
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone
 * surrogates) are written as U+FFFD; everything else round-trips exactly.
 */
import { isControlField, type MarcRecord } from './marc-record.ts';
import { MARCXML_NAMESPACE } from './marcxml-reader.ts';
import { xmlAttribute as escapeAttribute, xmlText as escapeText } from '../common/xml-text.ts';

export function toMarcXml(records: MarcRecord[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n', `<collection xmlns="${MARCXML_NAMESPACE}">\n`];
  for (const record of records) {
    out.push('  <record>\n', `    <leader>${escapeText(record.leader)}</leader>\n`);
    for (const field of record.fields) {
      if (isControlField(field)) {
        out.push(`    <controlfield tag="${escapeAttribute(field.tag)}">${escapeText(field.value)}</controlfield>\n`);
        continue;
      }
      out.push(
        `    <datafield tag="${escapeAttribute(field.tag)}" ind1="${escapeAttribute(field.ind1)}" ind2="${escapeAttribute(field.ind2)}">\n`,
      );
      for (const sub of field.subfields) {
        out.push(`      <subfield code="${escapeAttribute(sub.code)}">${escapeText(sub.value)}</subfield>\n`);
      }
      out.push('    </datafield>\n');
    }
    out.push('  </record>\n');
  }
  out.push('</collection>\n');
  return out.join('');
}
