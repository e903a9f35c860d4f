/**
 * The catalog server with the library software that will use it, all Debian packages started on
 * 127.0.0.1: yaz-client and zoomsh over SRU (SRW by default, SRU GET 1.2 and 2.0, CQL and PQF),
 * Z39.50 through the simple2zoom configuration Jala ships (USMARC records, as Koha copy-catalogues),
 * Koha's own client path in Perl ZOOM with MARC::Record, and Catmandu's SRU importer.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSampleServer, type SampleServer } from './support/catalog-server.ts';
import { runTool } from './support/run-tool.ts';
import { sru } from './support/sru-client.ts';
import { describeWithTools, TOOLS } from './support/system-tools.ts';

const LASKAR_ISBN = '9789793062792';
const KOHA_ZOOM = path.join(import.meta.dirname, 'support', 'perl', 'koha-zoom.pl');

/** A client's stdout and stderr together. */
async function run(command: string, args: string[], input?: string): Promise<string> {
  const r = await runTool(command, args, input === undefined ? {} : { input });
  return `${r.stdout}${r.stderr}`;
}

function yaz(commands: string[]): Promise<string> {
  return run('yaz-client', [], `${commands.join('\n')}\nquit\n`);
}

function hits(output: string): number[] {
  return [...output.matchAll(/Number of hits: (\d+)/g)].map((m) => Number(m[1]));
}

describeWithTools(
  [TOOLS.yazClient, TOOLS.zoomsh, TOOLS.simple2zoom, TOOLS.perlZoom, TOOLS.catmanduSru],
  'SRU and Z39.50 with yaz, ZOOM, simple2zoom, Koha\'s path and Catmandu',
  () => {
    let s: SampleServer;
    let sruUrl: string;
    let z3950: string;
    let laskar: string;
    const counts = new Map<string, number>();

    beforeAll(async () => {
      s = await startSampleServer(() => {}, { z3950: true });
      sruUrl = `${s.base}/sru`;
      z3950 = `tcp:127.0.0.1:${s.listener.z3950Port}/jala`;
      laskar = (await sru(s.base, { query: `bath.isbn=${LASKAR_ISBN}` })).ids[0] as string;
      for (const q of ['dc.title="laskar pelangi"', 'dc.creator=hirata', 'dc.subject=jazz']) counts.set(q, (await sru(s.base, { query: q, maximumRecords: '0' })).count ?? -1);
    });
    afterAll(async () => {
      await s?.stop();
    });

    it('yaz-client over SRW (its default for http targets) finds by ISBN, title, author and subject, and shows the holders\' 852s', async () => {
      const out = await yaz([`open ${sruUrl}`, 'querytype cql', `find bath.isbn=${LASKAR_ISBN}`, 'show 1', 'find dc.title="laskar pelangi"', 'find dc.creator=hirata', 'find dc.subject=jazz']);
      expect(hits(out)).toEqual([1, 1, counts.get('dc.title="laskar pelangi"'), counts.get('dc.creator=hirata'), counts.get('dc.subject=jazz')]);
      expect(out).toContain(`<controlfield tag="001">${laskar}</controlfield>`);
      expect(out).toContain('<datafield tag="852" ind1=" " ind2=" "><subfield code="a">UGM</subfield><subfield code="b">PUSAT</subfield>');
    });

    it('yaz-client over SRU GET, versions 1.2 and 2.0, gets the same answers', async () => {
      for (const version of ['1.2', '2.0']) {
        const out = await yaz([`open ${sruUrl}`, `sru get ${version}`, 'querytype cql', `find bath.isbn=${LASKAR_ISBN}`, 'show 1', 'find dc.subject=jazz', 'find dc.title=(']);
        expect(hits(out), version).toEqual([1, 1, counts.get('dc.subject=jazz'), 0]);
        expect(out).toContain(`<controlfield tag="001">${laskar}</controlfield>`);
        expect(out).toContain('info:srw/diagnostic/1/13');
      }
    });

    it('zoomsh searches in CQL and in PQF over SRU', async () => {
      const cql = await run('zoomsh', [`connect ${sruUrl}`, 'search cql:dc.title="laskar pelangi"', 'show 0 1', 'quit']);
      expect(cql).toContain(`${sruUrl}: ${counts.get('dc.title="laskar pelangi"')} hits`);
      expect(cql).toContain(`<controlfield tag="001">${laskar}</controlfield>`);
      const pqf = await run('zoomsh', [`connect ${sruUrl}`, `search @attr 1=7 ${LASKAR_ISBN}`, 'search @attr 1=1003 hirata', 'search @attr 1=21 jazz', 'quit']);
      expect(pqf).toContain(`${sruUrl}: 1 hits`);
      expect(pqf).toContain(`${sruUrl}: ${counts.get('dc.creator=hirata')} hits`);
      expect(pqf).toContain(`${sruUrl}: ${counts.get('dc.subject=jazz')} hits`);
    });

    it('Z39.50 through simple2zoom: Koha\'s Bib-1 searches by ISBN, title, author and subject, records in USMARC with the 852s', async () => {
      const out = await yaz([
        `open ${z3950}`,
        'format usmarc',
        `find @attr 1=7 @attr 5=1 "${LASKAR_ISBN}"`,
        'show 1',
        'find @attr 1=4 "laskar pelangi"',
        'find @attr 1=1003 hirata',
        'find @attr 1=21 jazz',
      ]);
      expect(hits(out)).toEqual([1, counts.get('dc.title="laskar pelangi"'), counts.get('dc.creator=hirata'), counts.get('dc.subject=jazz')]);
      expect(out).toContain('Record type: USmarc');
      expect(out).toMatch(new RegExp(`^001 ${laskar}$`, 'm'));
      expect(out).toMatch(/^245 10 \$a Laskar pelangi \/ \$c Andrea Hirata\.$/m);
      expect(out).toMatch(/^852 {4}\$a UGM \$b PUSAT \$c SIRK \$h 899\.2213 HIR l \$p UGM0010001 \$z Available$/m);
      expect(out).toMatch(/^852 {4}\$a USU /m);
    });

    it('Z39.50 through simple2zoom refuses what Jala cannot search with a Bib-1 diagnostic', async () => {
      const out = await yaz([`open ${z3950}`, 'find @attr 1=31 2005', 'find @attr 1=4 @attr 5=2 pelangi']);
      // Bib-1 114: unsupported use attribute (publication date); 120: unsupported truncation (left)
      expect(out).toMatch(/\[114\] Unsupported Use attribute -- v2 addinfo '31'/);
      expect(out).toMatch(/\[120\] Unsupported Truncation attribute/);
      expect(hits(out)).toEqual([0, 0]);
    });

    it('Koha\'s copy-cataloguing path: Perl ZOOM with Koha\'s options, CQL over SRU (SOAP and GET) and PQF over Z39.50, each record read with MARC::Record', async () => {
      const runs = [
        ['sru-soap', sruUrl, 'dc.title="laskar pelangi" and dc.author="hirata"'],
        ['sru-get', sruUrl, 'dc.title="laskar pelangi" and dc.author="hirata"'],
        ['z3950', z3950, `@and @attr 1=4 "laskar pelangi" @attr 1=7 @attr 5=1 "${LASKAR_ISBN}"`],
      ];
      for (const [mode, target, query] of runs) {
        const out = JSON.parse((await run('perl', [KOHA_ZOOM, mode as string, target as string, query as string])).trim().split('\n').pop() as string) as {
          error?: string;
          size: number;
          records: Array<{ id: string; title: string; leader09: string; holdings: Array<Record<string, string | null>> }>;
        };
        expect(out.error, mode).toBeUndefined();
        expect(out.size, mode).toBeGreaterThanOrEqual(1);
        const record = out.records.find((r) => r.id === laskar);
        expect(record, mode).toBeDefined();
        expect(record?.title).toBe('Laskar pelangi /');
        expect(record?.leader09).toBe('a');
        expect(record?.holdings.filter((h) => h.a === 'UGM').map((h) => h.p).sort()).toEqual(['UGM0010001', 'UGM0010002', 'UGM0010003']);
        expect(new Set(record?.holdings.map((h) => h.a))).toEqual(new Set(['DISPUSIP', 'UGM', 'UI', 'USU']));
      }
    });

    it('Catmandu\'s SRU importer reads the records as MARC', async () => {
      const out = await run('catmandu', ['convert', 'SRU', '--base', sruUrl, '--query', `bath.isbn=${LASKAR_ISBN}`, '--recordSchema', 'marcxml', '--parser', 'marcxml', 'to', 'JSON', '--line_delimited', '1']);
      const records = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { record: string[][] });
      expect(records).toHaveLength(1);
      const fields = records[0]?.record ?? [];
      expect(fields.find((f) => f[0] === '001')?.[4]).toBe(laskar);
      expect(fields.filter((f) => f[0] === '852').map((f) => f[4])).toContain('UGM');
    });
  },
);
