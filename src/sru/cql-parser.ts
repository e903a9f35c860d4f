/**
 * CQL 1.2 (the Contextual Query Language of SRU) → a parse tree. No CQL parser is published on
 * npm, so this is a small recursive-descent one after the grammar of the CQL 1.2 specification:
 *
 *   cqlQuery      ::= prefixAssignment cqlQuery | scopedClause [ 'sortby' sortKey+ ]
 *   prefixAssignment ::= '>' prefix '=' uri | '>' uri
 *   scopedClause  ::= scopedClause booleanGroup searchClause | searchClause
 *   booleanGroup  ::= ('and' | 'or' | 'not' | 'prox') modifier*
 *   searchClause  ::= '(' cqlQuery ')' | index relation modifier* searchTerm | searchTerm
 *   modifier      ::= '/' name [ comparitor value ]
 *
 * Booleans have equal precedence and associate to the left; keywords are case-insensitive and may
 * be search terms where no keyword fits. A term keeps its backslash escapes (the server decides
 * what `\*` means). Failures are values with the SRU diagnostic that fits (10 query syntax, 13
 * parentheses, 14 quotes, 19 relation, 27 empty term, 37 boolean), never exceptions.
 * Tested against Debian's CQL::Parser (test/cql-parser-differential.test.ts).
 */

export interface CqlPrefix {
  /** absent: the default context set */
  name?: string;
  uri: string;
}

export interface CqlModifier {
  name: string;
  comparison?: string;
  value?: string;
}

export interface CqlRelation {
  /** as written: "=", "==", "any", "ALL", "dc.foo" */
  base: string;
  modifiers: CqlModifier[];
}

export interface CqlSearchClause {
  type: 'searchClause';
  /** absent for a bare term (cql.serverChoice) */
  index?: string;
  relation?: CqlRelation;
  /** the term as written, quotes removed, backslash escapes kept */
  term: string;
  quoted: boolean;
  /** prefix assignments scoping this clause (outermost first) */
  prefixes: CqlPrefix[];
}

export interface CqlBoolean {
  type: 'boolean';
  /** lower case */
  op: 'and' | 'or' | 'not' | 'prox';
  modifiers: CqlModifier[];
  left: CqlNode;
  right: CqlNode;
  prefixes: CqlPrefix[];
}

export type CqlNode = CqlSearchClause | CqlBoolean;

export interface CqlSortKey {
  index: string;
  modifiers: CqlModifier[];
}

export interface CqlQuery {
  root: CqlNode;
  sortKeys: CqlSortKey[];
}

export interface CqlError {
  /** SRU diagnostic number (info:srw/diagnostic/1/…) */
  code: number;
  message: string;
  /** character offset in the query */
  position: number;
}

export type CqlParseResult = { ok: true; query: CqlQuery } | { ok: false; error: CqlError };

type TokenKind = 'word' | 'string' | 'symbol' | 'eof';

interface Token {
  kind: TokenKind;
  /** for strings: the inner text, escapes kept */
  text: string;
  at: number;
}

const SYMBOLS = ['==', '<=', '>=', '<>', '=', '<', '>', '(', ')', '/'] as const;
const COMPARITORS: ReadonlySet<string> = new Set(['=', '==', '<', '>', '<=', '>=', '<>']);
const BOOLEANS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'prox']);
/** relations of the cql context set, usable without a prefix */
const NAMED_RELATIONS: ReadonlySet<string> = new Set(['any', 'all', 'exact', 'adj', 'within', 'encloses']);
/** characters that end an unquoted word */
const WORD_END = /[\s()=<>"/]/;

class CqlSyntaxError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const start = i;
      i++;
      let text = '';
      for (;;) {
        if (i >= input.length) throw new CqlSyntaxError(14, 'a quoted term is not closed', start);
        const d = input[i] as string;
        if (d === '\\' && i + 1 < input.length) {
          text += d + (input[i + 1] as string);
          i += 2;
          continue;
        }
        if (d === '"') {
          i++;
          break;
        }
        text += d;
        i++;
      }
      tokens.push({ kind: 'string', text, at: start });
      continue;
    }
    const symbol = SYMBOLS.find((s) => input.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, at: i });
      i += symbol.length;
      continue;
    }
    const start = i;
    while (i < input.length && !WORD_END.test(input[i] as string)) i++;
    tokens.push({ kind: 'word', text: input.slice(start, i), at: start });
  }
  tokens.push({ kind: 'eof', text: '', at: input.length });
  return tokens;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isSymbol(text: string): boolean {
    return this.tok.kind === 'symbol' && this.tok.text === text;
  }

  private isKeyword(word: string): boolean {
    return this.tok.kind === 'word' && this.tok.text.toLowerCase() === word;
  }

  private isBoolean(): boolean {
    return this.tok.kind === 'word' && BOOLEANS.has(this.tok.text.toLowerCase());
  }

  /** a search term, index name, prefix, modifier name or value: a word or a quoted string */
  private term(what: string): Token {
    const t = this.tok;
    if (t.kind === 'word' || t.kind === 'string') return this.next();
    if (t.kind === 'eof') throw new CqlSyntaxError(27, `${what} missing at the end of the query`, t.at);
    if (t.text === '(' || t.text === ')') throw new CqlSyntaxError(13, `${what} expected, found "${t.text}"`, t.at);
    throw new CqlSyntaxError(10, `${what} expected, found "${t.text}"`, t.at);
  }

  parse(): CqlQuery {
    if (this.tok.kind === 'eof') throw new CqlSyntaxError(27, 'the query is empty', 0);
    const root = this.query();
    const sortKeys: CqlSortKey[] = [];
    if (this.isKeyword('sortby')) {
      this.next();
      do {
        const index = this.term('a sort key').text;
        sortKeys.push({ index, modifiers: this.modifiers() });
      } while (this.tok.kind === 'word' || this.tok.kind === 'string');
    }
    const t = this.tok;
    if (t.kind !== 'eof') {
      if (t.kind === 'symbol' && t.text === ')') throw new CqlSyntaxError(13, 'a ")" without its "("', t.at);
      if (t.kind === 'word') throw new CqlSyntaxError(37, `"${t.text}" where a boolean (and, or, not, prox) should be`, t.at);
      throw new CqlSyntaxError(10, `unexpected "${t.text}"`, t.at);
    }
    return { root, sortKeys };
  }

  private query(): CqlNode {
    const prefixes: CqlPrefix[] = [];
    while (this.isSymbol('>')) {
      this.next();
      const first = this.term('a context set prefix or URI').text;
      if (this.isSymbol('=')) {
        this.next();
        prefixes.push({ name: first, uri: this.term('a context set URI').text });
      } else {
        prefixes.push({ uri: first });
      }
    }
    const node = this.scopedClause();
    if (prefixes.length > 0) node.prefixes = [...prefixes, ...node.prefixes];
    return node;
  }

  private scopedClause(): CqlNode {
    let left = this.searchClause();
    while (this.isBoolean()) {
      const op = this.next().text.toLowerCase() as CqlBoolean['op'];
      const modifiers = this.modifiers();
      const right = this.searchClause();
      left = { type: 'boolean', op, modifiers, left, right, prefixes: [] };
    }
    return left;
  }

  private searchClause(): CqlNode {
    if (this.isSymbol('(')) {
      const open = this.next();
      if (this.isSymbol(')')) throw new CqlSyntaxError(13, 'empty parentheses', open.at);
      const inner = this.query();
      if (!this.isSymbol(')')) {
        if (this.tok.kind === 'eof') throw new CqlSyntaxError(13, 'a "(" is not closed', open.at);
        if (this.tok.kind === 'word') throw new CqlSyntaxError(37, `"${this.tok.text}" where a boolean (and, or, not, prox) should be`, this.tok.at);
        throw new CqlSyntaxError(10, `unexpected "${this.tok.text}"`, this.tok.at);
      }
      this.next();
      return inner;
    }
    // a prefix assignment in the middle of a query scopes the rest of it (as CQL::Parser reads it)
    if (this.isSymbol('>')) return this.query();
    const first = this.term('a search term');
    if (this.startsRelation()) {
      const relation = this.relation();
      const term = this.term('a search term');
      return { type: 'searchClause', index: first.text, relation, term: term.text, quoted: term.kind === 'string', prefixes: [] };
    }
    return { type: 'searchClause', term: first.text, quoted: first.kind === 'string', prefixes: [] };
  }

  /** after a term: a comparitor symbol, or a word that is neither a boolean nor sortby */
  private startsRelation(): boolean {
    const t = this.tok;
    if (t.kind === 'symbol') return COMPARITORS.has(t.text);
    if (t.kind !== 'word') return false;
    const w = t.text.toLowerCase();
    return !BOOLEANS.has(w) && w !== 'sortby';
  }

  private relation(): CqlRelation {
    const t = this.next();
    if (t.kind === 'word' && !NAMED_RELATIONS.has(t.text.toLowerCase()) && !t.text.includes('.')) {
      throw new CqlSyntaxError(19, `unknown relation "${t.text}"`, t.at);
    }
    return { base: t.text, modifiers: this.modifiers() };
  }

  private modifiers(): CqlModifier[] {
    const out: CqlModifier[] = [];
    while (this.isSymbol('/')) {
      this.next();
      const name = this.term('a modifier name').text;
      if (this.tok.kind === 'symbol' && COMPARITORS.has(this.tok.text)) {
        const comparison = this.next().text;
        out.push({ name, comparison, value: this.term('a modifier value').text });
      } else {
        out.push({ name });
      }
    }
    return out;
  }
}

export function parseCql(input: string): CqlParseResult {
  try {
    return { ok: true, query: new Parser(tokenize(input)).parse() };
  } catch (err) {
    if (err instanceof CqlSyntaxError) return { ok: false, error: { code: err.code, message: err.message, position: err.position } };
    throw err;
  }
}
