/**
 * Jala's CQL parser against Debian's CQL::Parser (libcql-parser-perl, the Perl port of cql-java) on
 * a few hundred generated queries: the ones CQL::Parser accepts must give the same XCQL, the ones it
 * rejects must be rejected. The generator stays inside the CQL both implement; where they part
 * (CQL 1.2's adj, ==, sortby, boolean modifiers, and CQL::Parser's readings of "a=b=c" and of a
 * backslash outside quotes) the unit tests beside the parser say what Jala does.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseCql } from '../src/sru/cql-parser.ts';
import { toXcql } from '../src/sru/cql-xcql.ts';
import { seededPrng } from './support/seeded-prng.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';

const SCRIPT = path.join(import.meta.dirname, 'support', 'perl', 'cql-to-xcql.pl');

type Pick = <T>(list: readonly T[]) => T;

const INDEXES = ['dc.title', 'dc.creator', 'dc.author', 'dc.subject', 'bath.isbn', 'bath.issn', 'rec.id', 'title', 'author', 'isbn', 'cql.serverChoice', 'cql.anywhere', 'lib', 'holdings', 'x.y.z', 'Dc.Title'];
const RELATIONS = ['=', '<', '>', '<=', '>=', '<>', 'any', 'all', 'exact', 'within', 'encloses', 'ANY', 'All', 'Exact', 'cql.string'];
const MODIFIERS = ['stem', 'relevant', 'fuzzy', 'phonetic', 'word', 'string', 'isoDate', 'number', 'uri', 'masked', 'unmasked', 'STEM', 'sort.ascending', 'x.custom'];
const WORDS = ['laskar', 'pelangi', 'Hirata', 'Pramoedya', 'bumi', 'manusia', '9789793062792', '979-3062-79-7', '0317-8471', 'UGM.123', 'w42', 'sejarah*', 'hist?ry', '^awal', 'akhir^', 'Jalan', 'kötü', 'ñandú', 'x', '2005', 'or', 'and', 'not', 'prox', 'sortby', 'any', 'all'];
const PHRASES = ['laskar pelangi', 'bumi manusia', 'a "quoted" word', 'and', 'or', 'not', 'title = x', '(brackets)', 'a/b', '<angle>', 'tab\there', 'back\\\\slash', 'Pramoedya Ananta Toer', '*', 'x^'];
const PREFIXES = ['>dc="info:srw/cql-context-set/1/dc-v1.1"', '>bath="http://zing.z3950.org/cql/bath/2.0/"', '>info:srw/cql-context-set/1/cql-v1.2', '>x=y'];

function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}

function term(pick: Pick, rnd: () => number): string {
  // bare keywords are terms only after a relation (see clause)
  return rnd() < 0.45 ? quote(pick(PHRASES)) : pick(WORDS.filter((w) => !['or', 'and', 'not', 'prox', 'sortby', 'any', 'all'].includes(w)));
}

function clause(pick: Pick, rnd: () => number): string {
  if (rnd() < 0.25) return term(pick, rnd);
  const index = rnd() < 0.05 ? quote(pick(INDEXES)) : pick(INDEXES);
  let relation = pick(RELATIONS);
  const modifiers = rnd() < 0.25 ? Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => `/${pick(MODIFIERS)}`).join('') : '';
  const symbolic = /^[<>=]/.test(relation);
  relation += modifiers;
  const value = rnd() < 0.1 ? pick(WORDS) : term(pick, rnd);
  const gap = symbolic && modifiers === '' && rnd() < 0.5 ? '' : ' ';
  return `${index}${gap}${relation}${gap}${value}`;
}

function query(pick: Pick, rnd: () => number, depth: number): string {
  let q = depth > 0 && rnd() < 0.5 ? `(${query(pick, rnd, depth - 1)})` : clause(pick, rnd);
  const more = Math.floor(rnd() * (depth + 1));
  for (let i = 0; i < more; i++) {
    const op = pick(['and', 'or', 'not', 'AND', 'Or', 'NOT']);
    const right = depth > 0 && rnd() < 0.4 ? `(${query(pick, rnd, depth - 1)})` : clause(pick, rnd);
    q = `${q} ${op} ${right}`;
  }
  return q;
}

/** Broken on purpose: both parsers must refuse these. */
function broken(pick: Pick, rnd: () => number): string {
  const q = query(pick, rnd, 1);
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return `(${q}`;
    case 1:
      return `${q})`;
    case 2:
      return `${q} ${pick(['and', 'or', 'not'])}`;
    case 3:
      return `${pick(INDEXES)} =`;
    case 4:
      return `${q} "unclosed`;
    case 5:
      return `${pick(INDEXES)} ${pick(['foo', 'bar', 'near'])} x`;
    case 6:
      return '';
    default:
      return `${q} ${pick(['laskar', 'x'])}`;
  }
}

function generate(count: number, seed: number): Array<{ q: string; broken: boolean }> {
  const rnd = seededPrng(seed);
  const pick: Pick = (list) => list[Math.floor(rnd() * list.length)] as (typeof list)[number];
  const out: Array<{ q: string; broken: boolean }> = [];
  for (let i = 0; i < count; i++) {
    if (rnd() < 0.2) {
      out.push({ q: broken(pick, rnd), broken: true });
      continue;
    }
    const prefix = rnd() < 0.1 ? `${pick(PREFIXES)} ` : '';
    out.push({ q: prefix + query(pick, rnd, Math.floor(rnd() * 3)), broken: false });
  }
  return out;
}

/** CQL::Parser's XCQL in the CQL 1.2 forms Jala writes: the implied index and relation, modifiers by type. */
function normalizePerl(xcql: string): string {
  return flat(
    xcql
      .replace(/<index>srw\.ServerChoice<\/index>/g, '<index>cql.serverChoice</index>')
      .replace(/<value>scr<\/value>/g, '<value>=</value>')
      .replace(/<modifier><value>([^<]*)<\/value><\/modifier>/g, '<modifier><type>$1</type></modifier>'),
  );
}

function flat(xml: string): string {
  return xml.replace(/>\s+</g, '><').trim();
}

describeWithTools([TOOLS.cqlParser], 'the CQL parser, differentially against CQL::Parser', () => {
  it('agrees with CQL::Parser on 600 generated queries: the same XCQL for the accepted, a refusal for the rest', () => {
    const cases = generate(600, 19);
    const input = cases.map((c) => JSON.stringify(c.q)).join('\n') + '\n';
    const run = spawnSync('perl', [SCRIPT], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: 0 | 1; xcql?: string; code?: number });
    expect(answers).toHaveLength(cases.length);
    let accepted = 0;
    let refused = 0;
    const disagreements: string[] = [];
    for (const [i, c] of cases.entries()) {
      const perl = answers[i] as { ok: 0 | 1; xcql?: string; code?: number };
      const ours = parseCql(c.q);
      if (perl.ok === 1) {
        accepted++;
        if (!ours.ok) disagreements.push(`${c.q}: CQL::Parser accepts, Jala refuses (${ours.error.code} ${ours.error.message})`);
        else if (flat(toXcql(ours.query)) !== normalizePerl(perl.xcql ?? '')) disagreements.push(`${c.q}: different XCQL\n  jala: ${flat(toXcql(ours.query))}\n  perl: ${normalizePerl(perl.xcql ?? '')}`);
      } else {
        refused++;
        if (ours.ok) disagreements.push(`${c.q}: CQL::Parser refuses (${perl.code}), Jala accepts`);
      }
    }
    expect(disagreements).toEqual([]);
    // the generator exercises both sides
    expect(accepted).toBeGreaterThan(350);
    expect(refused).toBeGreaterThan(80);
    // every query broken on purpose is refused
    expect(cases.filter((c) => c.broken && parseCql(c.q).ok).map((c) => c.q)).toEqual([]);
  });
});
