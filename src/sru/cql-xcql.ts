/**
 * A CQL parse tree as XCQL, the XML form of CQL (used by SRU 2.0's echoed request and by the
 * differential test against CQL::Parser). A bare term is written out with its implied index and
 * relation, `cql.serverChoice =`; a quoted term loses the backslashes before its inner quotes.
 */
import type { CqlModifier, CqlNode, CqlPrefix, CqlQuery } from './cql-parser.ts';

export const XCQL_NAMESPACE = 'http://www.loc.gov/zing/cql/xcql/';

const indent = (level: number): string => '    '.repeat(level);

function xq(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function prefixesXml(level: number, prefixes: readonly CqlPrefix[]): string {
  if (prefixes.length === 0) return '';
  let out = `${indent(level)}<prefixes>\n`;
  for (const p of prefixes) {
    out += `${indent(level + 1)}<prefix>\n`;
    if (p.name !== undefined) out += `${indent(level + 2)}<name>${xq(p.name)}</name>\n`;
    out += `${indent(level + 2)}<identifier>${xq(p.uri)}</identifier>\n`;
    out += `${indent(level + 1)}</prefix>\n`;
  }
  return `${out}${indent(level)}</prefixes>\n`;
}

function modifiersXml(level: number, modifiers: readonly CqlModifier[]): string {
  if (modifiers.length === 0) return '';
  let out = `${indent(level)}<modifiers>\n`;
  for (const m of modifiers) {
    out += `${indent(level + 1)}<modifier><type>${xq(m.name)}</type>`;
    if (m.comparison !== undefined) out += `<comparison>${xq(m.comparison)}</comparison><value>${xq(m.value ?? '')}</value>`;
    out += '</modifier>\n';
  }
  return `${out}${indent(level)}</modifiers>\n`;
}

function nodeXml(node: CqlNode, level: number, top: boolean): string {
  const ns = top ? ` xmlns="${XCQL_NAMESPACE}"` : '';
  if (node.type === 'searchClause') {
    const relation = node.relation ?? { base: '=', modifiers: [] };
    return (
      `${indent(level)}<searchClause${ns}>\n` +
      prefixesXml(level + 1, node.prefixes) +
      `${indent(level + 1)}<index>${xq(node.index ?? 'cql.serverChoice')}</index>\n` +
      `${indent(level + 1)}<relation>\n` +
      `${indent(level + 2)}<value>${xq(relation.base)}</value>\n` +
      modifiersXml(level + 2, relation.modifiers) +
      `${indent(level + 1)}</relation>\n` +
      `${indent(level + 1)}<term>${xq(node.quoted ? node.term.replace(/\\"/g, '"') : node.term)}</term>\n` +
      `${indent(level)}</searchClause>\n`
    );
  }
  return (
    `${indent(level)}<triple${ns}>\n` +
    prefixesXml(level + 1, node.prefixes) +
    `${indent(level + 1)}<boolean>\n` +
    `${indent(level + 2)}<value>${node.op}</value>\n` +
    modifiersXml(level + 2, node.modifiers) +
    `${indent(level + 1)}</boolean>\n` +
    `${indent(level + 1)}<leftOperand>\n${nodeXml(node.left, level + 2, false)}${indent(level + 1)}</leftOperand>\n` +
    `${indent(level + 1)}<rightOperand>\n${nodeXml(node.right, level + 2, false)}${indent(level + 1)}</rightOperand>\n` +
    `${indent(level)}</triple>\n`
  );
}

/** The query's tree as XCQL (sort keys, which XCQL carries separately, are left out). */
export function toXcql(query: CqlQuery | CqlNode): string {
  const root = 'root' in query ? query.root : query;
  return nodeXml(root, 0, true);
}
