/**
 * Z39.50 type-1 queries in Index Data's PQF notation (`@and @attr 1=4 "laskar pelangi" @attr 1=1003 hirata`),
 * which YAZ and ZOOM clients send over SRU as `x-pquery` (or SRW's `pQuery`), → the same CQL tree a
 * CQL query gives, with the Bib-1 attributes read as simple2zoom reads them: use (1=) chooses the
 * index, relation (2=3) is `=`, truncation (5=1) a right-truncated term, first-in-field (3=1) and
 * complete-field (6=2/3) anchors. Unsupported attributes become the SRU diagnostics that name them.
 */
import type { CqlNode, CqlQuery, CqlSearchClause } from './cql-parser.ts';
import { fail, type SruResult } from './sru-diagnostics.ts';

/** Bib-1 use attributes → CQL indexes (the ones Koha, ReShare and the Bath profile send). */
export const BIB1_USE: ReadonlyMap<number, string> = new Map([
  [1, 'dc.creator'], // personal name
  [2, 'dc.creator'], // corporate name
  [3, 'dc.creator'], // conference name
  [4, 'dc.title'],
  [5, 'dc.title'], // series title
  [6, 'dc.title'], // uniform title
  [7, 'bath.isbn'],
  [8, 'bath.issn'],
  [12, 'rec.id'], // local control number
  [21, 'dc.subject'],
  [33, 'dc.title'], // key title
  [1003, 'dc.creator'],
  [1004, 'dc.creator'],
  [1005, 'dc.creator'],
  [1006, 'dc.creator'],
  [1007, 'dc.identifier'],
  [1016, 'cql.serverChoice'],
  [1035, 'cql.anywhere'],
]);

const BIB1_OID = '1.2.840.10003.3.1';
const SET_NAMES: ReadonlySet<string> = new Set(['bib-1', 'bib1', BIB1_OID]);

type Token = { text: string; quoted: boolean };

function tokenize(input: string): SruResult<Token[]> {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === '{') {
      const close = c === '"' ? '"' : '}';
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) return fail(14, String(input.length));
        const d = input[i] as string;
        if (d === '\\' && i + 1 < input.length) {
          text += input[i + 1];
          i += 2;
          continue;
        }
        i++;
        if (d === close) break;
        text += d;
      }
      out.push({ text, quoted: true });
      continue;
    }
    const start = i;
    while (i < input.length && !/\s/.test(input[i] as string)) i++;
    out.push({ text: input.slice(start, i), quoted: false });
  }
  return { ok: true, value: out };
}

interface Attrs {
  use?: number;
  relation?: number;
  position?: number;
  truncation?: number;
  completeness?: number;
}

/** A PQF query as a CQL query tree, or the SRU diagnostic that says why it cannot be searched. */
export function pqfToCql(input: string): SruResult<CqlQuery> {
  const tokens = tokenize(input);
  if (!tokens.ok) return tokens;
  const t = tokens.value;
  let pos = 0;
  const peek = (): Token | undefined => t[pos];
  if (peek()?.text === '@attrset') {
    pos++;
    const set = t[pos++]?.text.toLowerCase();
    if (set === undefined) return fail(10, '@attrset needs an attribute set');
    if (!SET_NAMES.has(set)) return fail(15, set);
  }
  const node = (attrs: Attrs): SruResult<CqlNode> => {
    const tok = t[pos++];
    if (!tok) return fail(27);
    if (!tok.quoted) {
      const op = tok.text.toLowerCase();
      if (op === '@and' || op === '@or' || op === '@not') {
        const left = node(attrs);
        if (!left.ok) return left;
        const right = node(attrs);
        if (!right.ok) return right;
        return { ok: true, value: { type: 'boolean', op: op.slice(1) as 'and' | 'or' | 'not', modifiers: [], left: left.value, right: right.value, prefixes: [] } };
      }
      if (op === '@prox') return fail(39, 'prox');
      if (op === '@set') return fail(10, 'result sets are not kept: send the query again');
      if (op === '@term') {
        pos++; // the term type (general, numeric, string…): every term is read as text
        return node(attrs);
      }
      if (op === '@attr') {
        let spec = t[pos++]?.text;
        if (spec !== undefined && !/=/.test(spec)) {
          if (!SET_NAMES.has(spec.toLowerCase())) return fail(15, spec);
          spec = t[pos++]?.text;
        }
        const m = spec === undefined ? null : /^(\d+)=(\d+)$/.exec(spec);
        if (!m) return fail(10, `@attr needs type=value, not ${spec ?? 'nothing'}`);
        const [type, value] = [Number(m[1]), Number(m[2])];
        const next = { ...attrs };
        switch (type) {
          case 1:
            next.use = value;
            break;
          case 2:
            next.relation = value;
            break;
          case 3:
            next.position = value;
            break;
          case 4:
            break; // structure: words or phrase, both searched as words
          case 5:
            next.truncation = value;
            break;
          case 6:
            next.completeness = value;
            break;
          default:
            return fail(16, `${type}=${value}`);
        }
        return node(next);
      }
    }
    return clause(tok.text, attrs);
  };
  const root = node({});
  if (!root.ok) return root;
  if (pos < t.length) return fail(10, `unexpected "${t[pos]?.text}" after the query`);
  return { ok: true, value: { root: root.value, sortKeys: [] } };
}

function clause(text: string, attrs: Attrs): SruResult<CqlNode> {
  if (text === '') return fail(27);
  const index = attrs.use === undefined ? 'cql.serverChoice' : BIB1_USE.get(attrs.use);
  if (index === undefined) return fail(16, `1=${attrs.use}`);
  if (attrs.relation !== undefined && attrs.relation !== 3 && attrs.relation !== 102) return fail(19, `2=${attrs.relation}`);
  let term = text.replace(/[\\*?^"]/g, (c) => `\\${c}`);
  switch (attrs.truncation) {
    case undefined:
    case 100:
      break;
    case 1:
      term = `${term}*`;
      break;
    default:
      return fail(28, `5=${attrs.truncation}`);
  }
  const anchored = attrs.completeness === 2 || attrs.completeness === 3;
  if (attrs.completeness !== undefined && attrs.completeness !== 1 && !anchored) return fail(36, `6=${attrs.completeness}`);
  if (attrs.position !== undefined && attrs.position !== 1 && attrs.position !== 2 && attrs.position !== 3) return fail(32, `3=${attrs.position}`);
  if (anchored || attrs.position === 1 || attrs.position === 2) term = `^${term}`;
  if (anchored) term = `${term}^`;
  const node: CqlSearchClause = { type: 'searchClause', index, relation: { base: '=', modifiers: [] }, term, quoted: true, prefixes: [] };
  return { ok: true, value: node };
}
