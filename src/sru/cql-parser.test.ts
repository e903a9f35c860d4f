import { describe, expect, it } from 'vitest';
import { parseCql, type CqlNode } from './cql-parser.ts';

/** The tree in a compact form: (op left right) and index/relation/term. */
function show(node: CqlNode): string {
  if (node.type === 'boolean') return `(${node.op}${node.modifiers.map((m) => `/${m.name}${m.comparison ?? ''}${m.value ?? ''}`).join('')} ${show(node.left)} ${show(node.right)})`;
  const rel = node.relation ? `${node.relation.base}${node.relation.modifiers.map((m) => `/${m.name}`).join('')}` : '';
  return node.index !== undefined ? `${node.index}${rel}${JSON.stringify(node.term)}` : JSON.stringify(node.term);
}

function tree(query: string): string {
  const r = parseCql(query);
  if (!r.ok) throw new Error(`${query}: ${r.error.code} ${r.error.message}`);
  return show(r.query.root);
}

describe('the CQL parser', () => {
  it('reads booleans left to right at one precedence, parentheses first', () => {
    expect(tree('a and b or c not d')).toBe('(not (or (and "a" "b") "c") "d")');
    expect(tree('a and (b or c)')).toBe('(and "a" (or "b" "c"))');
    expect(tree('A AND b Or c')).toBe('(or (and "A" "b") "c")');
  });

  it('reads CQL 1.2\'s relations, with modifiers, and the adj and == that older parsers lack', () => {
    expect(tree('dc.title adj "laskar pelangi"')).toBe('dc.titleadj"laskar pelangi"');
    expect(tree('dc.title==x')).toBe('dc.title=="x"');
    expect(tree('dc.title any/stem/relevant "a b"')).toBe('dc.titleany/stem/relevant"a b"');
    expect(tree('dc.date within "2000 2010"')).toBe('dc.datewithin"2000 2010"');
    expect(tree('x cql.string y')).toBe('xcql.string"y"');
  });

  it('takes keywords as terms where no keyword fits', () => {
    expect(tree('title = and')).toBe('title="and"');
    expect(tree('"or"')).toBe('"or"');
    expect(tree('and')).toBe('"and"');
  });

  it('keeps a quoted term\'s escapes for the server to read, and its spaces', () => {
    const r = parseCql('dc.title="a \\"quoted\\" pel\\*angi"');
    expect(r.ok && r.query.root.type === 'searchClause' && r.query.root.term).toBe('a \\"quoted\\" pel\\*angi');
  });

  it('scopes prefix assignments over the query that follows', () => {
    const r = parseCql('>dc="info:srw/cql-context-set/1/dc-v1.1" (>x=y a=b) and c');
    expect(r.ok).toBe(true);
    if (!r.ok || r.query.root.type !== 'boolean') return;
    expect(r.query.root.prefixes).toEqual([{ name: 'dc', uri: 'info:srw/cql-context-set/1/dc-v1.1' }]);
    expect(r.query.root.left.prefixes).toEqual([{ name: 'x', uri: 'y' }]);
  });

  it('reads sortby keys and boolean modifiers', () => {
    const r = parseCql('a prox/unit=word/distance<3 b sortby dc.title/sort.descending dc.date');
    expect(r.ok && show(r.query.root)).toBe('(prox/unit=word/distance<3 "a" "b")');
    expect(r.ok && r.query.sortKeys).toEqual([
      { index: 'dc.title', modifiers: [{ name: 'sort.descending' }] },
      { index: 'dc.date', modifiers: [] },
    ]);
  });

  it.each([
    ['', 27],
    ['a and', 27],
    ['dc.title =', 27],
    ['(a', 13],
    ['a)', 13],
    ['()', 13],
    ['"unclosed', 14],
    ['a b', 19],
    ['dc.title near x', 19],
    ['a=b c', 37],
    ['= x', 10],
  ])('refuses %j with diagnostic %i, at a position', (query, code) => {
    const r = parseCql(query);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.position).toBeGreaterThanOrEqual(0);
    expect(r.error.position).toBeLessThanOrEqual(query.length);
  });

  it('never throws on arbitrary input', () => {
    const chars = ['a', ' ', '"', '\\', '(', ')', '=', '<', '>', '/', 'and', 'or', '*', '^', 'é', '\u0000'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const q = Array.from({ length: Math.floor(next() * 12) }, () => chars[Math.floor(next() * chars.length)]).join('');
      expect(() => parseCql(q)).not.toThrow();
    }
  });
});
