/**
 * The OAI-PMH provider at /oai on the sample consortium: every response valid against the OAI-PMH,
 * oai_dc and MARC21slim schemas (xmllint) with datestamps checked on their own, the protocol's
 * errors, full harvests through resumption tokens by Catmandu and HTTP::OAI (one record per work),
 * a reindex that removes records seen as deletions by a harvester following from=, sets per
 * library and format, and tokens that survive a restart or are refused cleanly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../src/config/data-dir.ts';
import { restartSampleServer, startSampleServer, type SampleServer } from './support/catalog-server.ts';
import { tempDir } from './support/paths.ts';
import { runTool } from './support/run-tool.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';
import { sqliteOf } from './support/sqlite-of.ts';

const SCHEMA = path.join(import.meta.dirname, 'fixtures', 'xsd', 'oai-pmh-all.xsd');
const REPO = 'katalog.jala.test';
const SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface OaiPage {
  status: number;
  text: string;
  error?: string;
  identifiers: string[];
  deleted: string[];
  token?: string;
  tokenAttrs?: string;
}

async function oai(base: string, params: Record<string, string>): Promise<OaiPage> {
  const res = await fetch(`${base}/oai?${new URLSearchParams(params)}`);
  const text = await res.text();
  const headers = [...text.matchAll(/<header( status="deleted")?><identifier>([^<]+)<\/identifier>/g)];
  const token = /<resumptionToken([^>]*)>([^<]*)<\/resumptionToken>/.exec(text);
  const error = /<error code="([^"]+)"/.exec(text)?.[1];
  return {
    status: res.status,
    text,
    ...(error ? { error } : {}),
    identifiers: headers.map((h) => h[2] as string),
    deleted: headers.filter((h) => h[1]).map((h) => h[2] as string),
    ...(token ? { token: token[2] as string, tokenAttrs: token[1] as string } : {}),
  };
}

/** Every page of a list, following the tokens. */
async function harvest(base: string, params: Record<string, string>): Promise<{ pages: OaiPage[]; identifiers: string[]; deleted: string[] }> {
  const pages: OaiPage[] = [];
  let page = await oai(base, params);
  pages.push(page);
  while (page.token) {
    page = await oai(base, { verb: params.verb as string, resumptionToken: page.token });
    pages.push(page);
  }
  return { pages, identifiers: pages.flatMap((p) => p.identifiers), deleted: pages.flatMap((p) => p.deleted) };
}

/** xmllint against OAI-PMH (with oai_dc, MARC21slim, oai-identifier); and every datestamp at seconds in UTC. */
async function validate(text: string): Promise<string[]> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jala-oai-xml-')), 'response.xml');
  fs.writeFileSync(file, text);
  const r = await runTool('xmllint', ['--noout', '--schema', SCHEMA, file]);
  const problems = r.code === 0 ? [] : [r.stderr.trim()];
  for (const m of text.matchAll(/<(datestamp|responseDate|earliestDatestamp)>([^<]*)</g)) if (!SECONDS.test(m[2] as string)) problems.push(`${m[1]} ${m[2]}`);
  for (const m of text.matchAll(/(expirationDate|from|until)="([^"]*)"/g)) {
    if (!SECONDS.test(m[2] as string) && !/^\d{4}-\d{2}-\d{2}$/.test(m[2] as string)) problems.push(`${m[1]}="${m[2]}"`);
  }
  return problems;
}

describeWithTools([TOOLS.xmllint, TOOLS.catmanduOai, TOOLS.oaiPmh], 'OAI-PMH provider on the sample consortium', () => {
  let s: SampleServer;
  let uiDir: string;
  let works: number;

  beforeAll(async () => {
    // UI's files are a copy, so that the test can take one away and reindex
    uiDir = tempDir('jala-oai-ui-');
    fs.cpSync(path.join(DEFAULT_DATA_DIR, 'records', 'UI'), uiDir, { recursive: true });
    s = await startSampleServer((c) => {
      c.server = { repositoryIdentifier: REPO, adminEmails: ['katalog@jala.test'], rateLimitPerMinute: 100_000, oai: { pageSize: 40, identifiersPageSize: 150 } };
      const libraries = c.libraries as Array<{ code: string; files: string[] }>;
      (libraries.find((l) => l.code === 'UI') as { files: string[] }).files = [uiDir];
    });
    works = s.jala.store.workCount();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('answers every verb with a response valid against the schemas, datestamps at seconds in UTC', async () => {
    const first = await oai(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' });
    const id = first.identifiers[0] as string;
    const requests: Array<Record<string, string>> = [
      { verb: 'Identify' },
      { verb: 'ListMetadataFormats' },
      { verb: 'ListMetadataFormats', identifier: id },
      { verb: 'ListSets' },
      { verb: 'ListIdentifiers', metadataPrefix: 'marc21' },
      { verb: 'ListRecords', metadataPrefix: 'marc21' },
      { verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'library:UGM' },
      { verb: 'ListRecords', metadataPrefix: 'marc21', set: 'format:book', from: '2000-01-01', until: '2100-01-01' },
      { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: id },
      { verb: 'GetRecord', metadataPrefix: 'oai_dc', identifier: id },
      { verb: 'ListRecords', resumptionToken: first.token as string },
      { verb: 'Nonsense' },
      { verb: 'ListRecords', metadataPrefix: 'mods' },
    ];
    for (const params of requests) {
      const page = await oai(s.base, params);
      expect(page.status).toBe(200);
      expect(await validate(page.text), JSON.stringify(params)).toEqual([]);
    }
    const identify = (await oai(s.base, { verb: 'Identify' })).text;
    expect(identify).toContain('<deletedRecord>persistent</deletedRecord>');
    expect(identify).toContain('<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>');
    expect(identify).toContain(`<repositoryIdentifier>${REPO}</repositoryIdentifier>`);
    expect(identify).toContain('<adminEmail>katalog@jala.test</adminEmail>');
    expect(identify).toContain(`<baseURL>${s.base}/oai</baseURL>`);
  });

  it('offers oai_dc and marc21, the union record with every holder\'s 852, identified oai:<repository>:w<work id>', async () => {
    const laskar = await fetch(`${s.base}/sru?query=bath.isbn%3D9789793062792`).then((r) => r.text());
    const workId = /<controlfield tag="001">(w\d+)<\/controlfield>/.exec(laskar)?.[1] as string;
    const marc = await oai(s.base, { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: `oai:${REPO}:${workId}` });
    expect(marc.text).toContain('<metadata><record xmlns="http://www.loc.gov/MARC21/slim"');
    for (const library of ['DISPUSIP', 'UGM', 'UI', 'USU']) expect(marc.text).toContain(`<datafield tag="852" ind1=" " ind2=" "><subfield code="a">${library}</subfield>`);
    expect(marc.text).toMatch(/<setSpec>library:UGM<\/setSpec>/);
    expect(marc.text).toMatch(/<setSpec>format:book<\/setSpec>/);
    const dc = await oai(s.base, { verb: 'GetRecord', metadataPrefix: 'oai_dc', identifier: `oai:${REPO}:${workId}` });
    expect(dc.text).toContain('<dc:title>Laskar pelangi</dc:title>');
    expect(dc.text).toContain('<dc:creator>Hirata, Andrea</dc:creator>');
  });

  it.each([
    ['no verb', {}, 'badVerb'],
    ['an unknown verb', { verb: 'ListEverything' }, 'badVerb'],
    ['a repeated verb', 'verb=Identify&verb=Identify', 'badVerb'],
    ['a missing metadataPrefix', { verb: 'ListRecords' }, 'badArgument'],
    ['an argument the verb does not take', { verb: 'Identify', set: 'x' }, 'badArgument'],
    ['a repeated argument', 'verb=ListRecords&metadataPrefix=marc21&metadataPrefix=oai_dc', 'badArgument'],
    ['a token with other arguments', { verb: 'ListRecords', metadataPrefix: 'marc21', resumptionToken: 'abc' }, 'badArgument'],
    ['a malformed from', { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2026-13-01' }, 'badArgument'],
    ['a from with a time zone', { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2026-01-01T00:00:00+07:00' }, 'badArgument'],
    ['from and until of different granularities', { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2020-01-01', until: '2030-01-01T00:00:00Z' }, 'badArgument'],
    ['from after until', { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2030-01-01', until: '2020-01-01' }, 'badArgument'],
    ['a malformed set', { verb: 'ListRecords', metadataPrefix: 'marc21', set: 'library UGM' }, 'badArgument'],
    ['GetRecord without an identifier', { verb: 'GetRecord', metadataPrefix: 'marc21' }, 'badArgument'],
    ['an unknown metadataPrefix', { verb: 'ListRecords', metadataPrefix: 'mods' }, 'cannotDisseminateFormat'],
    ['an unknown identifier', { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: `oai:${REPO}:w999999` }, 'idDoesNotExist'],
    ['another repository\'s identifier', { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: 'oai:elsewhere.org:w1' }, 'idDoesNotExist'],
    ['a format for an unknown identifier', { verb: 'ListMetadataFormats', identifier: 'nonsense' }, 'idDoesNotExist'],
    ['nothing in the range', { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2099-01-01' }, 'noRecordsMatch'],
    ['an unknown set', { verb: 'ListIdentifiers', metadataPrefix: 'marc21', set: 'library:NOWHERE' }, 'noRecordsMatch'],
    ['a token that is not one', { verb: 'ListRecords', resumptionToken: 'not-a-token' }, 'badResumptionToken'],
    ['a ListSets token', { verb: 'ListSets', resumptionToken: 'x' }, 'badResumptionToken'],
  ] as Array<[string, Record<string, string> | string, string]>)('answers %s with the protocol error', async (_what, params, code) => {
    const res = await fetch(`${s.base}/oai?${typeof params === 'string' ? params : new URLSearchParams(params)}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(/<error code="([^"]+)"/.exec(text)?.[1]).toBe(code);
    if (code === 'badVerb' || code === 'badArgument') expect(text).toMatch(/<request>[^<]+<\/request>/);
    expect(await validate(text)).toEqual([]);
  });

  it('takes POST as GET', async () => {
    const res = await fetch(`${s.base}/oai`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'verb=Identify' });
    expect(await res.text()).toContain('<Identify>');
  });

  it('lists every work once through the resumption tokens, with completeListSize, cursor and expirationDate', async () => {
    const all = await harvest(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'marc21' });
    expect(all.identifiers).toHaveLength(works);
    expect(new Set(all.identifiers).size).toBe(works);
    expect(all.pages.length).toBe(Math.ceil(works / 150));
    const tokens = all.pages.map((p) => /<resumptionToken ([^>]*?)\/?>/.exec(p.text)?.[1] ?? '');
    expect(tokens.map((t) => Number(/cursor="(\d+)"/.exec(t)?.[1]))).toEqual(all.pages.map((_, i) => i * 150));
    for (const t of tokens) expect(t).toContain(`completeListSize="${works}"`);
    expect(all.pages.slice(0, -1).every((p) => /expirationDate="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/.test(p.tokenAttrs ?? ''))).toBe(true);
    // the last page ends the list with an empty token
    expect(all.pages.at(-1)?.text).toMatch(/<resumptionToken completeListSize="\d+" cursor="\d+"\/>/);
  });

  it('lists the sets per library and per format, and a set lists the works that library holds', async () => {
    const sets = (await oai(s.base, { verb: 'ListSets' })).text;
    for (const spec of ['library:UGM', 'library:UI', 'library:USU', 'library:DISPUSIP', 'format:book']) expect(sets).toContain(`<setSpec>${spec}</setSpec>`);
    expect(sets).toContain('<setName>Library: Perpustakaan Universitas Gadjah Mada (demo)</setName>');
    const ugm = await harvest(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'marc21', set: 'library:UGM' });
    const held = sqliteOf(s.jala.store).prepare("SELECT count(DISTINCT work_id) AS n FROM records WHERE library = 'UGM'").get() as { n: number };
    expect(ugm.identifiers).toHaveLength(held.n);
  });

  it('selects by from and until, inclusive, at days or seconds', async () => {
    const all = await harvest(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' });
    const stamps = all.pages.flatMap((p) => [...p.text.matchAll(/<datestamp>([^<]+)<\/datestamp>/g)].map((m) => m[1] as string));
    const some = stamps[Math.floor(stamps.length / 2)] as string;
    const exact = await harvest(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: some, until: some });
    expect(exact.identifiers.length).toBe(stamps.filter((d) => d === some).length);
    const day = some.slice(0, 10);
    const sameDay = await harvest(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: day, until: day });
    expect(sameDay.identifiers.length).toBe(stamps.filter((d) => d.startsWith(day)).length);
  });

  it('a token survives a restart; an expired one, or one of another catalog, is refused with badResumptionToken', async () => {
    const first = await oai(s.base, { verb: 'ListRecords', metadataPrefix: 'oai_dc' });
    const token = first.token as string;
    await s.listener.stop();
    s.jala.close();
    s = await restartSampleServer(s.dataDir, s.configPath);
    const next = await oai(s.base, { verb: 'ListRecords', resumptionToken: token });
    expect(next.error).toBeUndefined();
    expect(next.tokenAttrs).toContain('cursor="40"');
    expect(next.identifiers.some((i) => first.identifiers.includes(i))).toBe(false);
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { exp: number };
    const expired = Buffer.from(JSON.stringify({ ...state, exp: Math.floor(Date.now() / 1000) - 60 })).toString('base64url');
    const refused = await oai(s.base, { verb: 'ListRecords', resumptionToken: expired });
    expect(refused.error).toBe('badResumptionToken');
    expect(refused.text).toContain('expired');
    const otherCatalog = Buffer.from(JSON.stringify({ ...state, cat: 'another-catalog' })).toString('base64url');
    expect((await oai(s.base, { verb: 'ListRecords', resumptionToken: otherCatalog })).error).toBe('badResumptionToken');
    expect((await oai(s.base, { verb: 'ListIdentifiers', resumptionToken: token })).error).toBe('badResumptionToken');
  });

  it('Catmandu harvests everything through the tokens — one record per work — and, after a reindex that removes records, sees the deletions from= the last harvest', async () => {
    // Catmandu names a record by its OAI identifier in _identifier (its _id is the MARC 001)
    const harvestWithCatmandu = async (extra: string[] = []): Promise<Array<{ _identifier: string; _status: string; record?: unknown }>> => {
      const r = await runTool('catmandu', ['convert', 'OAI', '--url', `${s.base}/oai`, '--metadataPrefix', 'marc21', '--handler', 'marcxml', ...extra, 'to', 'JSON', '--line_delimited', '1'], { timeoutMs: 300_000 });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { _identifier: string; _status: string });
    };
    const before = await harvestWithCatmandu();
    expect(before).toHaveLength(works);
    expect(new Set(before.map((r) => r._identifier)).size).toBe(works);
    expect(before.every((r) => r._identifier.startsWith(`oai:${REPO}:w`) && r._status !== 'deleted')).toBe(true);

    // the harvest's time, then UI withdraws two files and the catalog is reindexed
    const harvestedAt = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await new Promise((r) => setTimeout(r, 1100));
    const uiWorksBefore = sqliteOf(s.jala.store).prepare("SELECT DISTINCT work_id AS id FROM records WHERE library = 'UI'").all() as Array<{ id: number }>;
    fs.rmSync(path.join(uiDir, 'indonesian-titles.marcxml'));
    fs.rmSync(path.join(uiDir, 'bpl_0486266893.mrc'));
    const started = s.jala.reindex.start({ trigger: 'cli', library: 'UI' });
    if (!started.ok) throw new Error(`reindex did not start: ${started.error}`);
    const report = await started.done;
    expect(report.sources.reduce((n, x) => n + x.deleted, 0)).toBeGreaterThan(0);
    const gone = uiWorksBefore.map((w) => w.id).filter((id) => s.jala.store.work(id) === undefined);
    const leftUi = uiWorksBefore.map((w) => w.id).filter((id) => s.jala.store.work(id) !== undefined && !s.jala.store.work(id)?.libraries.includes('UI'));
    expect(gone.length).toBeGreaterThan(0);
    expect(leftUi.length).toBeGreaterThan(0);

    const since = await harvestWithCatmandu(['--from', harvestedAt]);
    const deleted = since.filter((r) => r._status === 'deleted').map((r) => r._identifier);
    expect(deleted.sort()).toEqual(gone.map((id) => `oai:${REPO}:w${id}`).sort());
    // works that lost UI's record but are held elsewhere come back changed, without UI's holdings
    const changed = new Map(since.filter((r) => r._status !== 'deleted').map((r) => [r._identifier, JSON.stringify(r)]));
    for (const id of leftUi) {
      const record = changed.get(`oai:${REPO}:w${id}`);
      expect(record, `w${id}`).toBeDefined();
      expect(record).not.toContain('["852"," "," ","a","UI"');
    }
    // UI's set lists the works that left it as deleted; the whole repository keeps them
    const uiSet = await harvest(s.base, { verb: 'ListIdentifiers', metadataPrefix: 'marc21', set: 'library:UI', from: harvestedAt });
    for (const id of leftUi) expect(uiSet.deleted).toContain(`oai:${REPO}:w${id}`);
    // deletedRecord=persistent: a full harvest still lists the deleted works, once each
    const after = await harvestWithCatmandu();
    expect(after.filter((r) => r._status === 'deleted').map((r) => r._identifier).sort()).toEqual(deleted.sort());
    expect(new Set(after.map((r) => r._identifier)).size).toBe(after.length);
    const gotDeleted = await oai(s.base, { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: deleted[0] as string });
    expect(gotDeleted.deleted).toEqual([deleted[0]]);
    expect(gotDeleted.text).not.toContain('<metadata>');
    expect(await validate(gotDeleted.text)).toEqual([]);
  });

  it('HTTP::OAI\'s oai_pmh harvests the whole list and reads the formats', async () => {
    const r = await runTool('oai_pmh', ['-X', 'ListRecords', '--metadataPrefix', 'oai_dc', `${s.base}/oai`], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    // records are separated by form feeds
    const ids = [...r.stdout.matchAll(/(?:^|\f)identifier: (\S+)$/gm)].map((m) => m[1]);
    expect(ids.length).toBe((sqliteOf(s.jala.store).prepare('SELECT count(*) AS n FROM oai_items').get() as { n: number }).n);
    expect(new Set(ids).size).toBe(ids.length);
    const formats = await runTool('oai_pmh', ['-X', 'ListMetadataFormats', `${s.base}/oai`]);
    expect(formats.stdout).toContain('metadataPrefix: marc21');
    expect(formats.stdout).toContain('metadataPrefix: oai_dc');
  });
});
