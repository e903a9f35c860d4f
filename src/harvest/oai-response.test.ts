import { describe, expect, it } from 'vitest';
import { readMarcXml } from '../marc/marcxml-reader.ts';
import { parseOaiResponse } from './oai-response.ts';

const envelope = (body: string, ns = 'xmlns="http://www.openarchives.org/OAI/2.0/"'): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n\n<OAI-PMH ${ns}>\n<responseDate>2026-11-24T02:07:50Z</responseDate>\n<request verb="ListRecords">http://x/oai</request>\n${body}\n</OAI-PMH>`;

async function marcOf(xml: string) {
  const out = [];
  for await (const r of readMarcXml('t', (async function* () {
    yield new TextEncoder().encode(xml);
  })())) out.push(r);
  return out;
}

describe('parseOaiResponse', () => {
  it('reads records, deleted headers, sets and the resumptionToken of a ListRecords page', async () => {
    const parsed = parseOaiResponse(
      envelope(`<ListRecords>
<record><header><identifier>oai:x:1</identifier><datestamp>2026-01-02T03:04:05Z</datestamp><setSpec>koha</setSpec><setSpec>books</setSpec></header>
<metadata>
<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:leader>00000nam a2200000 a 4500</marc:leader><marc:controlfield tag="001">1</marc:controlfield><marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Laskar &amp; pelangi &lt;1&gt;</marc:subfield></marc:datafield></marc:record>
</metadata></record>
<record><header status="deleted"><identifier>oai:x:2</identifier><datestamp>2026-01-03</datestamp></header></record>
<resumptionToken completeListSize="218" cursor="0">g6JfbaZtYXJjMjGlc3RhcnQKol9uCg</resumptionToken>
</ListRecords>`),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = parsed.response;
    expect(r.responseDate).toBe('2026-11-24T02:07:50Z');
    expect(r.errors).toEqual([]);
    expect(r.records.map((x) => x.header)).toEqual([
      { identifier: 'oai:x:1', datestamp: '2026-01-02T03:04:05Z', deleted: false, sets: ['koha', 'books'] },
      { identifier: 'oai:x:2', datestamp: '2026-01-03', deleted: true, sets: [] },
    ]);
    expect(r.records[1]?.metadata).toBeUndefined();
    expect(r.resumptionToken).toEqual({ value: 'g6JfbaZtYXJjMjGlc3RhcnQKol9uCg', completeListSize: 218, cursor: 0 });
    const [marc] = await marcOf(r.records[0]!.metadata!);
    expect(marc?.ok && marc.record.fields).toEqual([
      { tag: '001', value: '1' },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Laskar & pelangi <1>' }] },
    ]);
  });

  it('carries namespace declarations made on the envelope into the metadata', async () => {
    const parsed = parseOaiResponse(
      envelope(
        `<oai:ListRecords><oai:record><oai:header><oai:identifier>i</oai:identifier><oai:datestamp>2026-01-01</oai:datestamp></oai:header>
<oai:metadata><m:record><m:leader>00000nam a2200000 a 4500</m:leader><m:controlfield tag="001">7</m:controlfield></m:record></oai:metadata></oai:record>
<oai:resumptionToken completeListSize="1"/></oai:ListRecords>`,
        'xmlns:oai="http://www.openarchives.org/OAI/2.0/" xmlns:m="http://www.loc.gov/MARC21/slim"',
      ),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.response.records[0]?.metadata).toContain('xmlns:m="http://www.loc.gov/MARC21/slim"');
    expect(parsed.response.resumptionToken).toEqual({ value: '', completeListSize: 1 });
    const [marc] = await marcOf(parsed.response.records[0]!.metadata!);
    expect(marc?.ok && marc.record.fields).toEqual([{ tag: '001', value: '7' }]);
  });

  it('reads OAI errors and Identify', () => {
    const err = parseOaiResponse(envelope('<error code="cannotDisseminateFormat">metadataPrefix mods is not supported</error>'));
    expect(err.ok && err.response.errors).toEqual([{ code: 'cannotDisseminateFormat', message: 'metadataPrefix mods is not supported' }]);
    const id = parseOaiResponse(
      envelope('<Identify><repositoryName>R</repositoryName><granularity>YYYY-MM-DDThh:mm:ssZ</granularity><deletedRecord>persistent</deletedRecord><description><x><granularity>no</granularity></x></description></Identify>'),
    );
    expect(id.ok && id.response.identify).toEqual({ repositoryName: 'R', granularity: 'YYYY-MM-DDThh:mm:ssZ', deletedRecord: 'persistent' });
  });

  it('refuses what is not a whole OAI-PMH document', () => {
    expect(parseOaiResponse('<html><body>502 Bad Gateway</body></html>')).toMatchObject({ ok: false, reason: expect.stringMatching(/not an OAI-PMH response/) });
    expect(parseOaiResponse(envelope('<ListRecords><record><header>').slice(0, 200))).toMatchObject({ ok: false });
    expect(parseOaiResponse('<!DOCTYPE x [<!ENTITY a "b">]><OAI-PMH/>')).toMatchObject({ ok: false, reason: expect.stringMatching(/DOCTYPE/) });
  });
});
