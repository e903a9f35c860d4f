/**
 * The SRU explain record (ZeeRex 2.0): where the server is, what the database is, every index by
 * context set, the record schemas, and the limits and CQL features the server supports.
 */
import { xmlAttribute, xmlText } from '../common/xml-text.ts';
import { CONTEXT_SETS, INDEXES } from './sru-indexes.ts';
import { SCHEMAS, type SruLimits, type SruVersion } from './sru-request.ts';
import { ZEEREX_SCHEMA } from './sru-response.ts';

export interface ExplainContext {
  url: URL;
  /** the consortium's name */
  title: string;
  description: string;
  version: SruVersion;
  limits: SruLimits;
}

export function explainRecord(ctx: ExplainContext): string {
  const port = ctx.url.port || (ctx.url.protocol === 'https:' ? '443' : '80');
  const database = ctx.url.pathname.replace(/^\/+/, '') || 'sru';
  const sets = CONTEXT_SETS.map((s) => `<set name="${s.name}" identifier="${xmlAttribute(s.uri)}"/>`).join('');
  const indexes = INDEXES.map(
    (d) =>
      `<index search="true" scan="false" sort="false"><title lang="en">${xmlText(d.title)}</title><map>${d.names
        .map((n) => `<name set="${d.set}">${xmlText(n)}</name>`)
        .join('')}</map></index>`,
  ).join('');
  const schemas = SCHEMAS.map(
    (s) => `<schema identifier="${xmlAttribute(s.uri)}" name="${s.name}" retrieve="true" sort="false"><title lang="en">${xmlText(s.title)}</title></schema>`,
  ).join('');
  const supports = [
    ...['=', '==', 'exact', 'any', 'all', 'adj'].map((r) => ['relation', r]),
    ...['relevant', 'stem', 'fuzzy', 'ignoreCase', 'ignoreAccents', 'masked', 'unmasked', 'word', 'string'].map((m) => ['relationModifier', m]),
    ['booleanOperator', 'and'],
    ['booleanOperator', 'or'],
    ['booleanOperator', 'not'],
    ['maskingCharacter', '*'],
    ['anchoring', '^'],
    ['recordXMLEscaping', 'xml'],
    ['recordXMLEscaping', 'string'],
  ]
    .map(([type, value]) => `<supports type="${type}">${xmlText(value as string)}</supports>`)
    .join('');
  return (
    `<explain xmlns="${ZEEREX_SCHEMA}" authoritative="true">` +
    `<serverInfo protocol="SRU" version="${ctx.version}" transport="${ctx.url.protocol.replace(':', '')}">` +
    `<host>${xmlText(ctx.url.hostname)}</host><port>${port}</port><database>${xmlText(database)}</database></serverInfo>` +
    `<databaseInfo><title lang="en" primary="true">${xmlText(ctx.title)}</title><description lang="en" primary="true">${xmlText(ctx.description)}</description></databaseInfo>` +
    `<indexInfo>${sets}${indexes}</indexInfo>` +
    `<schemaInfo>${schemas}</schemaInfo>` +
    `<configInfo><default type="numberOfRecords">${ctx.limits.defaultRecords}</default>` +
    `<setting type="maximumRecords">${ctx.limits.maxRecords}</setting>` +
    `<default type="contextSet">jala</default><default type="index">cql.serverChoice</default><default type="relation">=</default>` +
    `<default type="retrieveSchema">marcxml</default>${supports}</configInfo>` +
    '</explain>'
  );
}
