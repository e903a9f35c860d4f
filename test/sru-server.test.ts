/**
 * SRU at /sru on the sample consortium, over HTTP from 127.0.0.1: explain, searchRetrieve in 1.1,
 * 1.2 and 2.0 and over SRW (SOAP), the CQL indexes and relations, union records with every
 * holder's 852, a library's own record by rec.id, paging and limits, the diagnostics for what it
 * cannot do, and the ranking chat uses. Real clients (yaz-client, zoomsh, Perl ZOOM as Koha uses
 * it, simple2zoom for Z39.50, Catmandu) are in sru-clients.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../src/bot/create-bot.ts';
import { createIllService } from '../src/bot/ill-commands.ts';
import { foldedTokens } from '../src/search/analyze-text.ts';
import { startSampleServer, type SampleServer } from './support/catalog-server.ts';
import { holdings852, readSru, sru } from './support/sru-client.ts';

const LASKAR_ISBN = '9789793062792';

describe('SRU server on the sample consortium', () => {
  let s: SampleServer;
  let laskar: string;

  beforeAll(async () => {
    s = await startSampleServer();
    const found = await sru(s.base, { query: `bath.isbn=${LASKAR_ISBN}` });
    laskar = found.ids[0] as string;
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('explains itself in 1.2 and 2.0: its indexes, schemas and limits', async () => {
    for (const version of ['1.2', '2.0']) {
      const res = await fetch(`${s.base}/sru?operation=explain&version=${version}`);
      const text = await res.text();
      expect(res.headers.get('content-type')).toMatch(/xml/);
      expect(text).toContain(version === '1.2' ? 'xmlns:zs="http://www.loc.gov/zing/srw/"' : 'http://docs.oasis-open.org/ns/search-ws/sruResponse');
      expect(text).toContain('<explain xmlns="http://explain.z3950.org/dtd/2.0/"');
      for (const [set, name] of [['dc', 'title'], ['dc', 'creator'], ['dc', 'author'], ['dc', 'subject'], ['bath', 'isbn'], ['bath', 'issn'], ['rec', 'id'], ['cql', 'serverChoice'], ['cql', 'anywhere'], ['jala', 'lib']]) {
        expect(text).toContain(`<name set="${set}">${name}</name>`);
      }
      expect(text).toContain('identifier="info:srw/schema/1/marcxml-v1.1" name="marcxml"');
      expect(text).toContain('identifier="info:srw/schema/1/dc-v1.1" name="dc"');
      expect(text).toContain('<setting type="maximumRecords">100</setting>');
    }
    // no parameters at all: explain too
    expect(await (await fetch(`${s.base}/sru`)).text()).toContain('<zs:explainResponse');
  });

  it('finds a work by ISBN (with or without hyphens, ISBN-10 too) and sends its union record with every holder\'s 852', async () => {
    for (const isbn of [LASKAR_ISBN, '978-979-3062-79-2', '9793062797']) {
      const r = await sru(s.base, { version: '1.2', query: `bath.isbn="${isbn}"` });
      expect(r.count, isbn).toBe(1);
      expect(r.ids).toEqual([laskar]);
    }
    const r = await sru(s.base, { query: `isbn=${LASKAR_ISBN}` });
    const holdings = holdings852(r.text);
    const libraries = [...new Set(holdings.map((h) => h.a))].sort();
    expect(libraries).toEqual(['DISPUSIP', 'UGM', 'UI', 'USU']);
    // what ReShare reads: a location in $b, call number $h, item id $p; $r only where the copy cannot be lent
    const ugm = holdings.filter((h) => h.a === 'UGM');
    expect(ugm.map((h) => h.p).sort()).toEqual(['UGM0010001', 'UGM0010002', 'UGM0010003']);
    expect(ugm.every((h) => h.b && h.h === '899.2213 HIR l' && h.r === undefined)).toBe(true);
    expect(ugm.map((h) => h.z).sort()).toEqual(['Available', 'Available', 'On loan, due 2026-12-15']);
    // DISPUSIP does not lend through ILL (consortium config): its copies carry $r
    expect(holdings.filter((h) => h.a === 'DISPUSIP').every((h) => h.r === 'Not lent through interlibrary loan')).toBe(true);
    // the member records, and the union record's own identity
    expect(r.text).toContain('<subfield code="a">(UGM)IDN0001</subfield>');
    expect(r.text).toContain(`<controlfield tag="003">${s.listener.server.repositoryIdentifier}</controlfield>`);
    // the members' own item fields stay out of the union record
    expect(r.text).not.toContain('tag="952"');
  });

  it('sends a library\'s own MARC for copy cataloguing with rec.id=LIB.localId; a work id gives the union record', async () => {
    const own = await sru(s.base, { query: 'rec.id=UGM.IDN0001' });
    expect(own.count).toBe(1);
    expect(own.ids).toEqual(['IDN0001']);
    expect(own.text).toContain('tag="952"');
    const lower = await sru(s.base, { query: 'rec.id="ugm.idn0001"' });
    expect(lower.ids).toEqual(['IDN0001']);
    const work = await sru(s.base, { query: `rec.id=${laskar}` });
    expect(work.ids).toEqual([laskar]);
    expect((await sru(s.base, { query: 'rec.id=UGM.NOSUCH' })).count).toBe(0);
  });

  it('answers Koha\'s and ReShare\'s queries: fielded CQL with and, bare index names', async () => {
    const koha = await sru(s.base, { version: '1.1', query: 'dc.title="laskar pelangi" and dc.author="hirata"' });
    expect(koha.ids).toContain(laskar);
    const reshare = await sru(s.base, { query: 'title="laskar pelangi"' });
    expect(reshare.ids[0]).toBe(laskar);
    expect((await sru(s.base, { query: `isbn="${LASKAR_ISBN}"` })).ids).toEqual([laskar]);
    expect((await sru(s.base, { query: `rec.id="${laskar}"` })).ids).toEqual([laskar]);
    const creator = await sru(s.base, { query: 'dc.creator=hirata' });
    expect(creator.count).toBeGreaterThanOrEqual(2);
    const subject = await sru(s.base, { query: 'dc.subject=jazz', maximumRecords: '0' });
    expect(subject.count).toBeGreaterThan(100);
  });

  it('ranks as chat does: the same works in the same order as the works index gives them', async () => {
    const r = await sru(s.base, { query: 'dc.title=jazz', maximumRecords: '20' });
    const hits = s.jala.search({ terms: foldedTokens('jazz'), scope: 'title', mode: 'all', fuzzy: false, filters: {} }, 20);
    expect(r.ids).toEqual(hits.map((h) => `w${h.id}`));
    const both = await sru(s.base, { query: 'dc.title=laskar and dc.creator=hirata', maximumRecords: '20' });
    const combined = s.jala.search({ terms: ['laskar'], scope: 'title', and: [{ scope: 'author', terms: ['hirata'] }], mode: 'all', fuzzy: false, filters: {} }, 20);
    expect(both.ids).toEqual(combined.map((h) => `w${h.id}`));
  });

  it('reads the relations: any, all, adj, exact and ==, with masking and anchors', async () => {
    const count = async (query: string): Promise<number> => (await sru(s.base, { query, maximumRecords: '0' })).count ?? -1;
    const laskarTitle = await count('dc.title all "laskar pelangi"');
    expect(laskarTitle).toBeGreaterThanOrEqual(1);
    expect(await count('dc.title any "laskar zzzzqqq"')).toBeGreaterThanOrEqual(laskarTitle);
    expect(await count('dc.title all "laskar zzzzqqq"')).toBe(0);
    expect(await count('dc.title adj "laskar pelangi"')).toBeGreaterThanOrEqual(1);
    expect(await count('dc.title adj "pelangi laskar"')).toBe(0);
    expect((await sru(s.base, { query: 'dc.title exact "laskar pelangi"' })).ids).toContain(laskar);
    expect(await count('dc.title == "laskar"')).toBe(0);
    expect(await count('dc.title == "laskar pelangi"')).toBeGreaterThanOrEqual(1);
    expect(await count('dc.title = "^laskar pelangi^"')).toBe(await count('dc.title exact "laskar pelangi"'));
    expect(await count('dc.creator exact "Hirata, Andrea"')).toBeGreaterThanOrEqual(2);
    expect(await count('dc.title = pelang*')).toBeGreaterThanOrEqual(1);
    expect(await count('dc.title = "laska* pelangi"')).toBeGreaterThanOrEqual(1);
    // booleans: or unites, not takes away
    const jazz = await count('dc.subject=jazz');
    const blues = await count('dc.subject=blues');
    const either = await count('dc.subject=jazz or dc.subject=blues');
    expect(either).toBeGreaterThanOrEqual(Math.max(jazz, blues));
    expect(either).toBeLessThanOrEqual(jazz + blues);
    const jazzNotBlues = await count('dc.subject=jazz not dc.subject=blues');
    const both = await count('dc.subject=jazz and dc.subject=blues');
    expect(jazzNotBlues + both).toBe(jazz);
    expect(await count('(dc.subject=jazz not dc.subject=blues) and dc.subject=blues')).toBe(0);
  });

  it('restricts to a member library with lib (its code, name or alias), alone or with other indexes', async () => {
    const holders = async (query: string): Promise<string[]> => {
      const r = await sru(s.base, { query, maximumRecords: '100' });
      return r.ids;
    };
    const usu = await sru(s.base, { query: 'lib=USU', maximumRecords: '0' });
    expect(usu.count).toBeGreaterThan(1000);
    const ugmJazz = await holders('lib=UGM and dc.subject=jazz');
    const jazz = await holders('dc.subject=jazz');
    expect(ugmJazz.length).toBeLessThan(jazz.length);
    for (const id of (await holders('holdings="Gadjah Mada" and dc.title=pelangi'))) expect((await holders(`rec.id=${id} and lib=UGM`))).toEqual([id]);
    expect((await sru(s.base, { query: 'lib=NOWHERE', maximumRecords: '0' })).count).toBe(0);
    expect((await sru(s.base, { query: 'lib any "UGM USU" and dc.title="laskar pelangi"' })).ids).toContain(laskar);
  });

  it('pages with startRecord and maximumRecords (capped at 100), saying where the next page starts', async () => {
    const first = await sru(s.base, { query: 'dc.subject=jazz', maximumRecords: '5' });
    expect(first.ids).toHaveLength(5);
    expect(first.nextRecordPosition).toBe(6);
    const second = await sru(s.base, { query: 'dc.subject=jazz', maximumRecords: '5', startRecord: '6' });
    expect(second.ids).toHaveLength(5);
    expect(second.ids.some((id) => first.ids.includes(id))).toBe(false);
    const big = await sru(s.base, { query: 'dc.subject=jazz', maximumRecords: '5000' });
    expect(big.ids).toHaveLength(100);
    const last = await sru(s.base, { query: `bath.isbn=${LASKAR_ISBN}` });
    expect(last.nextRecordPosition).toBeUndefined();
    const zero = await sru(s.base, { query: 'dc.subject=jazz', maximumRecords: '0' });
    expect(zero.ids).toEqual([]);
    expect(zero.count).toBe(first.count);
  });

  it('sends Dublin Core with recordSchema=dc, and escaped records with recordPacking=string (1.x) or recordXMLEscaping=string (2.0)', async () => {
    const dc = await sru(s.base, { query: `bath.isbn=${LASKAR_ISBN}`, recordSchema: 'dc' });
    expect(dc.text).toContain('<zs:recordSchema>info:srw/schema/1/dc-v1.1</zs:recordSchema>');
    expect(dc.text).toContain('<dc:title>Laskar pelangi</dc:title>');
    expect(dc.text).toContain('<dc:identifier>URN:ISBN:9789793062792</dc:identifier>');
    const packed = await sru(s.base, { version: '1.2', query: `bath.isbn=${LASKAR_ISBN}`, recordPacking: 'string' });
    expect(packed.text).toContain('<zs:recordPacking>string</zs:recordPacking>');
    expect(packed.text).toContain('&lt;record xmlns="http://www.loc.gov/MARC21/slim"&gt;');
    const escaped = await sru(s.base, { query: `bath.isbn=${LASKAR_ISBN}`, recordXMLEscaping: 'string' });
    expect(escaped.text).toContain('<zs:recordXMLEscaping>string</zs:recordXMLEscaping>');
    expect(escaped.text).toContain('&lt;controlfield tag="001"&gt;');
  });

  it('answers in the version asked: 1.1 and 1.2 in the zing namespace, 2.0 (or none) in OASIS\'s, with the 2.0 count precision', async () => {
    for (const [version, ns] of [['1.1', 'http://www.loc.gov/zing/srw/'], ['1.2', 'http://www.loc.gov/zing/srw/'], ['2.0', 'http://docs.oasis-open.org/ns/search-ws/sruResponse']] as const) {
      const r = await sru(s.base, { version, operation: 'searchRetrieve', query: 'dc.title=pelangi' });
      expect(r.text).toContain(`xmlns:zs="${ns}"`);
      if (version !== '2.0') expect(r.text).toContain(`<zs:version>${version}</zs:version>`);
      else expect(r.text).toContain('<zs:resultCountPrecision>info:srw/vocabulary/resultCountPrecision/1/exact</zs:resultCountPrecision>');
    }
    expect((await sru(s.base, { query: 'dc.title=pelangi' })).text).toContain('http://docs.oasis-open.org/ns/search-ws/sruResponse');
  });

  it('understands SRW, SRU over SOAP, as yaz-client and ZOOM send it by default', async () => {
    const envelope = (inner: string): string =>
      `<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    const post = (body: string) => fetch(`${s.base}/sru`, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '""' }, body });
    const r = await readSru(await post(envelope(`<zs:searchRetrieveRequest xmlns:zs="http://www.loc.gov/zing/srw/"><zs:version>1.2</zs:version><zs:query>bath.isbn=${LASKAR_ISBN}</zs:query><zs:maximumRecords>1</zs:maximumRecords></zs:searchRetrieveRequest>`)));
    expect(r.text).toContain('<SOAP-ENV:Envelope');
    expect(r.count).toBe(1);
    expect(r.ids).toEqual([laskar]);
    const bad = await readSru(await post(envelope('<zs:searchRetrieveRequest xmlns:zs="http://www.loc.gov/zing/srw/"><zs:query>dc.title=(</zs:query></zs:searchRetrieveRequest>')));
    expect(bad.diagnostics).toEqual([13]);
    const broken = await post('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>');
    expect(broken.status).toBe(500);
    expect(await broken.text()).toContain('<faultcode>SOAP-ENV:Client</faultcode>');
    const entity = await post('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>&e;</SOAP-ENV:Body></SOAP-ENV:Envelope>');
    const entityText = await entity.text();
    expect(entityText).toContain('DOCTYPE');
    expect(entityText).not.toContain('root:');
  });

  it('understands Z39.50 type-1 queries in PQF (x-pquery), Bib-1 attributes read as Koha sends them', async () => {
    const pqf = async (q: string) => sru(s.base, { 'x-pquery': q, maximumRecords: '5' });
    expect((await pqf(`@attr 1=7 @attr 5=1 "${LASKAR_ISBN}"`)).ids).toEqual([laskar]);
    expect((await pqf('@and @attr 1=4 "laskar pelangi" @attr 1=1003 hirata')).ids).toContain(laskar);
    expect((await pqf('@attr 1=21 jazz')).count).toBeGreaterThan(100);
    expect((await pqf('@attr 1=31 2005')).diagnostics).toEqual([16]);
  });

  it.each([
    ['malformed CQL', { query: 'dc.title=(laskar' }, 13],
    ['an unclosed quote', { query: 'dc.title="laskar' }, 14],
    ['a query that is no CQL', { query: 'dc.title = = x' }, 10],
    ['a dangling boolean', { query: 'laskar and' }, 27],
    ['an unknown index', { query: 'dc.publisher=bentang' }, 16],
    ['an unknown context set', { query: 'foo.title=x' }, 15],
    ['an unsupported relation', { query: 'dc.title within "a b"' }, 22],
    ['an unknown named relation', { query: 'dc.title near x' }, 19],
    ['an unsupported relation modifier', { query: 'dc.title =/locale=fr x' }, 20],
    ['masking inside a word', { query: 'dc.title=pel*ngi' }, 28],
    ['a too short truncated word', { query: 'dc.title=pe*' }, 29],
    ['an empty term', { query: 'dc.title=""' }, 27],
    ['proximity', { query: 'laskar prox pelangi' }, 39],
    ['sortby', { query: 'laskar sortby dc.title' }, 80],
    ['sortKeys', { query: 'laskar', sortKeys: 'title' }, 80],
    ['startRecord 0', { query: 'laskar', startRecord: '0' }, 6],
    ['maximumRecords that is no number', { query: 'laskar', maximumRecords: 'ten' }, 6],
    ['an unknown record schema', { query: 'laskar', recordSchema: 'mods' }, 66],
    ['an unsupported version', { version: '3.0', query: 'laskar' }, 5],
    ['an unknown parameter', { query: 'laskar', colour: 'blue' }, 8],
    ['the scan operation', { operation: 'scan', scanClause: 'dc.title=a' }, 4],
    ['an unknown operation', { version: '1.2', operation: 'update' }, 4],
    ['a missing query', { version: '1.2', operation: 'searchRetrieve' }, 7],
    ['a query that is too long', { query: `dc.title=${'a'.repeat(2100)}` }, 12],
    ['a stylesheet', { query: 'laskar', stylesheet: 'http://example.org/x.xsl' }, 110],
    ['unpacked records in 2.0', { query: 'laskar', recordPacking: 'unpacked' }, 71],
  ] as Array<[string, Record<string, string>, number]>)('answers %s with its SRU diagnostic', async (_what, params, code) => {
    const r = await sru(s.base, params);
    expect(r.status).toBe(200);
    expect(r.diagnostics).toEqual([code]);
    expect(r.text).not.toMatch(/at .*\.ts:\d+|Error:/);
  });

  it('says which record position is out of range', async () => {
    const r = await sru(s.base, { query: `bath.isbn=${LASKAR_ISBN}`, startRecord: '5' });
    expect(r.diagnostics).toEqual([61]);
    expect(r.count).toBe(1);
  });

  it('sends no patron data: an ILL request\'s patron does not appear in what SRU serves', async () => {
    const bot = createBot(s.jala, { ill: createIllService(s.jala) });
    const siti = { platform: 'cli' as const, userId: 'patron-77', role: 'patron' as const, library: 'UGM', displayName: 'Siti Rahmawati' };
    bot.handle({ actor: siti, conversationId: 'sru-privacy', text: `/ill request ${laskar}` }); // shown, then confirmed
    const placed = bot.handle({ actor: siti, conversationId: 'sru-privacy', text: 'yes' });
    expect(placed.replies[0]?.request).toBeDefined();
    expect(JSON.stringify(placed.replies)).toContain('Laskar');
    for (const schema of ['marcxml', 'dc']) {
      const r = await sru(s.base, { query: `rec.id=${laskar}`, recordSchema: schema });
      expect(r.count).toBe(1);
      expect(r.text).not.toMatch(/Siti|Rahmawati|patron-77/);
    }
    for (const prefix of ['marc21', 'oai_dc']) {
      const identifier = `oai:${s.listener.server.repositoryIdentifier}:${laskar}`;
      const oai = await (await fetch(`${s.base}/oai?verb=GetRecord&metadataPrefix=${prefix}&identifier=${identifier}`)).text();
      expect(oai).toContain(`<identifier>${identifier}</identifier>`);
      expect(oai).not.toMatch(/Siti|Rahmawati|patron-77/);
    }
    expect(JSON.stringify(await (await fetch(`${s.base}/health`)).json())).not.toMatch(/Siti|patron-77/);
  });
});

describe('SRU limits per client', () => {
  let s: SampleServer;
  beforeAll(async () => {
    s = await startSampleServer((c) => {
      c.server = { rateLimitPerMinute: 6 };
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('refuses a client over its requests per minute with 429, Retry-After and SRU diagnostic 2 in its version', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await sru(s.base, { version: '1.2', query: 'dc.title=pelangi' }));
    const refused = answers[2];
    expect(answers.slice(0, 2).map((a) => a.status)).toEqual([200, 200]);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused?.diagnostics).toEqual([2]);
    expect(refused?.text).toContain('<zs:version>1.2</zs:version>');
    // OAI-PMH's form of the same: 503 with Retry-After
    const oai = await fetch(`${s.base}/oai?verb=Identify`);
    expect(oai.status).toBe(503);
    expect(Number(oai.headers.get('retry-after'))).toBeGreaterThan(0);
    // /health is not counted
    expect((await fetch(`${s.base}/health`)).status).toBe(200);
  });
});
