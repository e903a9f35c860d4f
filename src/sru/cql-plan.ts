/**
 * A parsed CQL query → a query plan over Jala's catalog, or the SRU diagnostic that says why not.
 * Indexes are resolved through the query's prefix assignments and the known context sets;
 * relations, modifiers, masking (`*` at the end of a word of 3 or more letters) and anchoring
 * (`^` at either end) are checked here, so executing a plan cannot fail on the query.
 *
 * Relations on words (title, creator, subject, anywhere): `=` and `all` every word, `any` one of
 * them, `adj` the words next to each other, `==` and `exact` the whole field value (so does `^…^`).
 * Words are folded and matched as the chat's index matches them (stemmed twins, the last word as a
 * prefix too). Identifiers (ISBN, ISSN, record and work ids) take `=`, `==`, `exact` and `any`.
 */
import { foldedTokens } from '../search/analyze-text.ts';
import type { FieldScope } from '../search/minisearch-index.ts';
import type { CqlModifier, CqlNode, CqlPrefix, CqlQuery, CqlSearchClause } from './cql-parser.ts';
import { fail, type SruResult } from './sru-diagnostics.ts';
import { contextSetByName, contextSetByUri, DEFAULT_CONTEXT_SET, findIndex, type IndexKind } from './sru-indexes.ts';

export interface PlanWord {
  /** folded */
  term: string;
  /** right-truncated: a prefix */
  prefix: boolean;
}

export type PlanMatch = 'adj' | 'exact' | 'starts' | 'ends';

export type PlanLeaf =
  | { kind: 'text'; scope: FieldScope; words: PlanWord[]; mode: 'all' | 'any'; fuzzy: boolean; match?: PlanMatch }
  | { kind: 'isbn' | 'issn' | 'identifier'; value: string; prefix: boolean }
  | { kind: 'recid'; value: string }
  | { kind: 'library'; codes: string[] }
  | { kind: 'all' };

export type QueryPlan = PlanLeaf | { kind: 'and' | 'or' | 'not'; left: QueryPlan; right: QueryPlan };

export interface LibraryName {
  code: string;
  name?: string;
  aliases?: readonly string[];
}

export interface PlanLimits {
  maxTermLength: number;
  maxBooleans: number;
  /** words of one term */
  maxWords: number;
}

export const DEFAULT_PLAN_LIMITS: PlanLimits = { maxTermLength: 256, maxBooleans: 32, maxWords: 24 };

/** Modifiers that change nothing here: ranking is always by relevance, words are always stemmed and folded. */
const NEUTRAL_MODIFIERS: ReadonlySet<string> = new Set(['relevant', 'stem', 'ignorecase', 'ignoreaccents', 'word', 'masked', 'string', 'unmasked']);
const WORD_RELATIONS: ReadonlySet<string> = new Set(['=', 'all', 'any', 'adj', '==', 'exact']);
const IDENTIFIER_RELATIONS: ReadonlySet<string> = new Set(['=', '==', 'exact', 'any']);
const KNOWN_RELATIONS: ReadonlySet<string> = new Set([...WORD_RELATIONS, '<', '>', '<=', '>=', '<>', 'within', 'encloses']);

type Scope = { names: Map<string, string>; defaultUri?: string };

export function planQuery(query: CqlQuery, libraries: readonly LibraryName[], limits: PlanLimits = DEFAULT_PLAN_LIMITS): SruResult<QueryPlan> {
  if (query.sortKeys.length > 0) return fail(80, 'sortby');
  let booleans = 0;
  const walk = (node: CqlNode, outer: Scope): SruResult<QueryPlan> => {
    const scope = withPrefixes(outer, node.prefixes);
    if (node.type === 'searchClause') return planClause(node, scope, libraries, limits);
    booleans++;
    if (booleans > limits.maxBooleans) return fail(38, String(limits.maxBooleans));
    if (node.op === 'prox') return fail(39, 'prox');
    if (node.modifiers.length > 0) return fail(46, modifierText(node.modifiers[0] as CqlModifier));
    const left = walk(node.left, scope);
    if (!left.ok) return left;
    const right = walk(node.right, scope);
    if (!right.ok) return right;
    return { ok: true, value: { kind: node.op, left: left.value, right: right.value } };
  };
  return walk(query.root, { names: new Map() });
}

function withPrefixes(outer: Scope, prefixes: readonly CqlPrefix[]): Scope {
  if (prefixes.length === 0) return outer;
  const names = new Map(outer.names);
  let defaultUri = outer.defaultUri;
  for (const p of prefixes) {
    if (p.name === undefined) defaultUri = p.uri;
    else names.set(p.name.toLowerCase(), p.uri);
  }
  return defaultUri === undefined ? { names } : { names, defaultUri };
}

function modifierText(m: CqlModifier): string {
  return m.comparison !== undefined ? `${m.name}${m.comparison}${m.value ?? ''}` : m.name;
}

function resolveIndex(index: string | undefined, scope: Scope): SruResult<{ searched: IndexKind; name: string }> {
  const name = index ?? 'cql.serverChoice';
  const dot = name.indexOf('.');
  const prefix = dot > 0 ? name.slice(0, dot) : undefined;
  const bare = dot > 0 ? name.slice(dot + 1) : name;
  let setName: string | undefined;
  if (prefix !== undefined) {
    const uri = scope.names.get(prefix.toLowerCase());
    setName = uri !== undefined ? contextSetByUri(uri)?.name : contextSetByName(prefix)?.name;
    if (setName === undefined) return fail(15, uri ?? prefix);
  } else if (scope.defaultUri !== undefined) {
    setName = contextSetByUri(scope.defaultUri)?.name;
    if (setName === undefined) return fail(15, scope.defaultUri);
  } else {
    setName = DEFAULT_CONTEXT_SET;
  }
  const def = findIndex(setName, bare);
  if (!def) return fail(16, name);
  return { ok: true, value: { searched: def.searched, name } };
}

function planClause(clause: CqlSearchClause, scope: Scope, libraries: readonly LibraryName[], limits: PlanLimits): SruResult<QueryPlan> {
  const index = resolveIndex(clause.index, scope);
  if (!index.ok) return index;
  const relation = (clause.relation?.base ?? '=').toLowerCase();
  if (!KNOWN_RELATIONS.has(relation) || relation.includes('.')) {
    const bare = relation.startsWith('cql.') ? relation.slice(4) : undefined;
    if (bare === undefined || !KNOWN_RELATIONS.has(bare)) return fail(19, clause.relation?.base ?? relation);
    return planClause({ ...clause, relation: { base: bare, modifiers: clause.relation?.modifiers ?? [] } }, scope, libraries, limits);
  }
  if (clause.term.length > limits.maxTermLength) return fail(23, String(limits.maxTermLength));
  let fuzzy = false;
  for (const m of clause.relation?.modifiers ?? []) {
    const name = m.name.toLowerCase().replace(/^cql\./, '');
    if (m.comparison !== undefined) return fail(20, modifierText(m));
    if (name === 'fuzzy') fuzzy = true;
    else if (!NEUTRAL_MODIFIERS.has(name)) return fail(20, m.name);
  }
  const unmasked = (clause.relation?.modifiers ?? []).some((m) => m.name.toLowerCase().replace(/^cql\./, '') === 'unmasked');
  const searched = index.value.searched;
  switch (searched.kind) {
    case 'text':
      if (!WORD_RELATIONS.has(relation)) return fail(22, `${index.value.name} ${clause.relation?.base ?? relation}`);
      return planWords(clause.term, searched.scope, relation, fuzzy, unmasked, limits);
    case 'all-records':
      return { ok: true, value: { kind: 'all' } };
    case 'library':
      if (!IDENTIFIER_RELATIONS.has(relation) && relation !== 'all') return fail(22, `${index.value.name} ${clause.relation?.base ?? relation}`);
      return planLibrary(clause.term, relation, libraries);
    default:
      if (!IDENTIFIER_RELATIONS.has(relation)) return fail(22, `${index.value.name} ${clause.relation?.base ?? relation}`);
      return planIdentifier(searched.kind, clause.term, relation, unmasked);
  }
}

interface TermChar {
  ch: string;
  literal: boolean;
}

interface ParsedTerm {
  words: Array<{ text: string; truncated: boolean }>;
  anchorStart: boolean;
  anchorEnd: boolean;
}

/** The term's escapes, masks and anchors, per word. */
function parseTerm(raw: string, unmasked: boolean): SruResult<ParsedTerm> {
  const chars: TermChar[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\' && i + 1 < raw.length) {
      chars.push({ ch: raw[i + 1] as string, literal: true });
      i++;
    } else {
      chars.push({ ch: c, literal: c === '\\' });
    }
  }
  let anchorStart = false;
  let anchorEnd = false;
  if (chars[0]?.ch === '^' && !chars[0].literal) {
    anchorStart = true;
    chars.shift();
  }
  const last = chars[chars.length - 1];
  if (last?.ch === '^' && !last.literal) {
    anchorEnd = true;
    chars.pop();
  }
  if (chars.some((c) => c.ch === '^' && !c.literal)) return fail(32, raw);
  const words: ParsedTerm['words'] = [];
  let word: TermChar[] = [];
  const flush = (): SruResult<null> => {
    if (word.length === 0) return { ok: true, value: null };
    let truncated = false;
    const masked = word.map((c) => !c.literal && !unmasked && (c.ch === '*' || c.ch === '?'));
    if (masked.some(Boolean)) {
      const lastMasked = masked.lastIndexOf(true);
      const onlyTrailingStar = lastMasked === word.length - 1 && (word[lastMasked] as TermChar).ch === '*' && masked.indexOf(true) === lastMasked;
      if (!onlyTrailingStar || word.length === 1) return fail(28, raw);
      truncated = true;
      word = word.slice(0, -1);
    }
    words.push({ text: word.map((c) => c.ch).join(''), truncated });
    word = [];
    return { ok: true, value: null };
  };
  for (const c of chars) {
    if (/\s/.test(c.ch)) {
      const f = flush();
      if (!f.ok) return f;
    } else {
      word.push(c);
    }
  }
  const f = flush();
  if (!f.ok) return f;
  return { ok: true, value: { words, anchorStart, anchorEnd } };
}

function planWords(raw: string, scope: FieldScope, relation: string, fuzzy: boolean, unmasked: boolean, limits: PlanLimits): SruResult<QueryPlan> {
  const parsed = parseTerm(raw, unmasked);
  if (!parsed.ok) return parsed;
  const words: PlanWord[] = [];
  for (const w of parsed.value.words) {
    const tokens = foldedTokens(w.text);
    if (w.truncated) {
      const lastToken = tokens[tokens.length - 1];
      if (lastToken === undefined || lastToken.length < 3) return fail(29, '3');
    }
    tokens.forEach((term, i) => words.push({ term, prefix: w.truncated && i === tokens.length - 1 }));
  }
  if (words.length === 0) return fail(27);
  if (words.length > limits.maxWords) return fail(23, `${limits.maxWords} words`);
  const { anchorStart, anchorEnd } = parsed.value;
  let match: PlanMatch | undefined;
  if (relation === '==' || relation === 'exact' || (anchorStart && anchorEnd)) match = 'exact';
  else if (anchorStart) match = 'starts';
  else if (anchorEnd) match = 'ends';
  else if (relation === 'adj') match = 'adj';
  if (relation === 'any') {
    if (match !== undefined) return fail(24, `any ${raw}`);
    return { ok: true, value: { kind: 'text', scope, words, mode: 'any', fuzzy } };
  }
  return { ok: true, value: { kind: 'text', scope, words, mode: 'all', fuzzy, ...(match ? { match } : {}) } };
}

function planIdentifier(kind: 'isbn' | 'issn' | 'recid' | 'identifier', raw: string, relation: string, unmasked: boolean): SruResult<QueryPlan> {
  const parsed = parseTerm(raw, unmasked);
  if (!parsed.ok) return parsed;
  const words = parsed.value.words.filter((w) => w.text !== '');
  if (words.length === 0) return fail(27);
  const leaf = (w: { text: string; truncated: boolean }): SruResult<PlanLeaf> => {
    if (kind === 'recid') {
      if (w.truncated) return fail(28, raw);
      return { ok: true, value: { kind: 'recid', value: w.text } };
    }
    if (kind !== 'identifier' && !/[0-9]/.test(w.text)) return fail(36, w.text);
    return { ok: true, value: { kind, value: w.text, prefix: w.truncated } };
  };
  // `any` lists identifiers; the other relations take the term as one identifier (hyphens, spaces and all)
  const values = relation === 'any' ? words : [{ text: words.map((w) => w.text).join(' '), truncated: words[words.length - 1]?.truncated ?? false }];
  let plan: QueryPlan | undefined;
  for (const w of values) {
    const l = leaf(w);
    if (!l.ok) return l;
    plan = plan === undefined ? l.value : { kind: 'or', left: plan, right: l.value };
  }
  return { ok: true, value: plan as QueryPlan };
}

function planLibrary(raw: string, relation: string, libraries: readonly LibraryName[]): SruResult<QueryPlan> {
  const text = raw.replace(/\\(.)/g, '$1').trim();
  if (text === '') return fail(27);
  const find = (name: string): string | undefined => {
    const n = name.trim().toLowerCase();
    return libraries.find((l) => l.code.toLowerCase() === n || l.name?.toLowerCase() === n || (l.aliases ?? []).some((a) => a.toLowerCase() === n))?.code;
  };
  const whole = find(text);
  if (relation !== 'any' && relation !== 'all') return { ok: true, value: { kind: 'library', codes: whole ? [whole] : [] } };
  if (whole) return { ok: true, value: { kind: 'library', codes: [whole] } };
  const codes = text.split(/\s+/).map(find);
  if (relation === 'any') return { ok: true, value: { kind: 'library', codes: [...new Set(codes.filter((c): c is string => c !== undefined))] } };
  // all: held by every one of them
  if (codes.some((c) => c === undefined)) return { ok: true, value: { kind: 'library', codes: [] } };
  let plan: QueryPlan | undefined;
  for (const c of codes as string[]) {
    const l: PlanLeaf = { kind: 'library', codes: [c] };
    plan = plan === undefined ? l : { kind: 'and', left: plan, right: l };
  }
  return { ok: true, value: plan as QueryPlan };
}
