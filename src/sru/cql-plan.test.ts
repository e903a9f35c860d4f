import { describe, expect, it } from 'vitest';
import { parseCql } from './cql-parser.ts';
import { planQuery, type QueryPlan } from './cql-plan.ts';
import { pqfToCql } from './pqf-query.ts';

const LIBRARIES = [{ code: 'UGM', name: 'Perpustakaan Universitas Gadjah Mada', aliases: ['Gadjah Mada'] }, { code: 'UI', name: 'Perpustakaan UI' }];

function plan(query: string): QueryPlan | number {
  const parsed = parseCql(query);
  if (!parsed.ok) return parsed.error.code;
  const p = planQuery(parsed.query, LIBRARIES);
  return p.ok ? p.value : p.diagnostic.code;
}

describe('CQL → query plan', () => {
  it('maps the dc, bath, rec, cql and bare indexes to fields and lookups', () => {
    expect(plan('dc.title="Laskar Pelangi"')).toEqual({ kind: 'text', scope: 'title', words: [{ term: 'laskar', prefix: false }, { term: 'pelangi', prefix: false }], mode: 'all', fuzzy: false });
    expect(plan('dc.author=hirata')).toMatchObject({ kind: 'text', scope: 'author' });
    expect(plan('bath.personalName=hirata')).toMatchObject({ kind: 'text', scope: 'author' });
    expect(plan('subject=jazz')).toMatchObject({ kind: 'text', scope: 'subject' });
    expect(plan('pelangi')).toMatchObject({ kind: 'text', scope: 'all' });
    expect(plan('cql.anywhere=pelangi')).toMatchObject({ kind: 'text', scope: 'all' });
    expect(plan('bath.isbn=978-979-3062-79-2')).toEqual({ kind: 'isbn', value: '978-979-3062-79-2', prefix: false });
    expect(plan('issn=0317-8471')).toEqual({ kind: 'issn', value: '0317-8471', prefix: false });
    expect(plan('rec.id=UGM.123')).toEqual({ kind: 'recid', value: 'UGM.123' });
    expect(plan('cql.allRecords=1')).toEqual({ kind: 'all' });
  });

  it('resolves indexes through the query\'s own prefix assignments, by context set URI', () => {
    expect(plan('>t="info:srw/cql-context-set/1/dc-v1.1" t.title=x')).toMatchObject({ kind: 'text', scope: 'title' });
    expect(plan('>"info:srw/cql-context-set/1/dc-v1.1" creator=x')).toMatchObject({ kind: 'text', scope: 'author' });
    expect(plan('>t="info:unknown" t.title=x')).toBe(15);
    expect(plan('DC.TITLE=x')).toMatchObject({ kind: 'text', scope: 'title' });
  });

  it('reads the relations, truncation and anchors into what must match', () => {
    expect(plan('dc.title any "a b"')).toMatchObject({ mode: 'any' });
    expect(plan('dc.title adj "a b"')).toMatchObject({ mode: 'all', match: 'adj' });
    expect(plan('dc.title exact "a b"')).toMatchObject({ match: 'exact' });
    expect(plan('dc.title == "a b"')).toMatchObject({ match: 'exact' });
    expect(plan('dc.title = "^laskar"')).toMatchObject({ match: 'starts' });
    expect(plan('dc.title = "pelangi^"')).toMatchObject({ match: 'ends' });
    expect(plan('dc.title = "^laskar pelangi^"')).toMatchObject({ match: 'exact' });
    expect(plan('dc.title = "pela* pelangi"')).toMatchObject({ words: [{ term: 'pela', prefix: true }, { term: 'pelangi', prefix: false }] });
    expect(plan('dc.title = "pel\\*angi"')).toMatchObject({ words: [{ term: 'pel', prefix: false }, { term: 'angi', prefix: false }] });
    expect(plan('dc.title =/fuzzy pelangi')).toMatchObject({ fuzzy: true });
    expect(plan('dc.title =/cql.relevant pelangi')).toMatchObject({ kind: 'text' });
    expect(plan('bath.isbn = 979306*')).toEqual({ kind: 'isbn', value: '979306', prefix: true });
    expect(plan('bath.isbn any "9789793062792 9789793062815"')).toMatchObject({ kind: 'or' });
  });

  it('finds libraries by code, name or alias', () => {
    expect(plan('lib=ugm')).toEqual({ kind: 'library', codes: ['UGM'] });
    expect(plan('holdings="Gadjah Mada"')).toEqual({ kind: 'library', codes: ['UGM'] });
    expect(plan('lib any "UGM UI"')).toEqual({ kind: 'library', codes: ['UGM', 'UI'] });
    expect(plan('lib all "UGM UI"')).toEqual({ kind: 'and', left: { kind: 'library', codes: ['UGM'] }, right: { kind: 'library', codes: ['UI'] } });
    expect(plan('lib=NOWHERE')).toEqual({ kind: 'library', codes: [] });
  });

  it.each([
    ['dc.publisher=x', 16],
    ['foo.title=x', 15],
    ['dc.title < x', 22],
    ['bath.isbn adj 123', 22],
    ['dc.title x.y z', 19],
    ['dc.title =/locale=fr x', 20],
    ['dc.title =/phonetic x', 20],
    ['dc.title=*angi', 28],
    ['dc.title=pel?ngi', 28],
    ['dc.title=pe*', 29],
    ['dc.title="mid^dle"', 32],
    ['dc.title any "^a b"', 24],
    ['dc.title=""', 27],
    ['dc.title="--"', 27],
    ['bath.isbn=abc', 36],
    ['a prox b', 39],
    ['a and/rel.combine=sum b', 46],
    ['a sortby dc.title', 80],
  ])('refuses %j with diagnostic %i', (query, code) => {
    expect(plan(query)).toBe(code);
  });

  it('refuses more booleans than the limit allows', () => {
    expect(plan(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' or '))).toBe(38);
  });
});

describe('PQF (Z39.50 type-1) → CQL', () => {
  const pqf = (q: string): QueryPlan | number => {
    const c = pqfToCql(q);
    if (!c.ok) return c.diagnostic.code;
    const p = planQuery(c.value, LIBRARIES);
    return p.ok ? p.value : p.diagnostic.code;
  };

  it('reads Koha\'s Bib-1 searches as simple2zoom does', () => {
    expect(pqf('@attr 1=7 @attr 5=1 "9789793062792"')).toEqual({ kind: 'isbn', value: '9789793062792', prefix: true });
    expect(pqf('@attr 1=4 "laskar pelangi"')).toMatchObject({ kind: 'text', scope: 'title', mode: 'all' });
    expect(pqf('@and @attr 1=4 pelangi @attr 1=1003 hirata')).toMatchObject({ kind: 'and', left: { scope: 'title' }, right: { scope: 'author' } });
    expect(pqf('@attrset bib-1 @or @attr 1=21 jazz @attr 1=1016 blues')).toMatchObject({ kind: 'or', right: { scope: 'all' } });
    expect(pqf('@attr 1=4 @attr 6=3 "laskar pelangi"')).toMatchObject({ match: 'exact' });
    expect(pqf('@attr 1=4 @attr 3=1 laskar')).toMatchObject({ match: 'starts' });
    expect(pqf('@attr 1=12 UGM.123')).toEqual({ kind: 'recid', value: 'UGM.123' });
    expect(pqf('pelangi')).toMatchObject({ kind: 'text', scope: 'all' });
    // a star in the term is a character, not a mask, unless 5=1 asks for truncation
    expect(pqf('@attr 1=4 "a*b"')).toMatchObject({ words: [{ term: 'a', prefix: false }, { term: 'b', prefix: false }] });
  });

  it.each([
    ['@attr 1=31 2005', 16],
    ['@attr 1=4 @attr 5=2 pelangi', 28],
    ['@attr 1=4 @attr 2=5 pelangi', 19],
    ['@attrset gils @attr 1=4 x', 15],
    ['@prox 0 1 0 2 k 2 a b', 39],
    ['@and a', 27],
    ['a b', 10],
    ['"unclosed', 14],
  ])('refuses %j with diagnostic %i', (query, code) => {
    expect(pqf(query)).toBe(code);
  });
});
