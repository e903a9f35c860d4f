/**
 * A small OAI-PMH data provider in Node on 127.0.0.1, for tests that need control over *when* pages
 * are answered (the Perl peer, oai-peer.ts, answers as fast as it can): Identify and ListRecords of
 * MARCXML records given as a list, `pageSize` per page, paged with resumptionTokens. Before answering
 * a page, the server awaits `beforePage(page)` — a test holds a page there until something else has
 * happened (another harvest reached the same point). Every request is logged with its time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureRecord {
  /** the OAI identifier */
  identifier: string;
  /** a MARCXML <record> element (the MARC 21 slim namespace is declared on it) */
  marcxml: string;
}

export interface FixtureRequest {
  verb: string;
  /** 1-based page of a ListRecords request */
  page?: number;
  at: number;
}

const DATESTAMP = '2026-01-01T00:00:00Z';

export class OaiFixtureServer {
  readonly requests: FixtureRequest[] = [];
  private server: http.Server | undefined;
  port = 0;

  constructor(
    readonly records: readonly FixtureRecord[],
    readonly opts: { pageSize: number; beforePage?: (page: number) => Promise<void> },
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/oai`;
  }

  get pages(): number {
    return Math.max(1, Math.ceil(this.records.length / this.opts.pageSize));
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      void this.answer(req.url ?? '/').then(
        (body) => {
          res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(url: string): Promise<string> {
    const q = new URL(url, 'http://127.0.0.1').searchParams;
    const verb = q.get('verb') ?? '';
    if (verb === 'Identify') {
      this.requests.push({ verb, at: Date.now() });
      return envelope(
        verb,
        `<Identify><repositoryName>Fixture</repositoryName><baseURL>${this.baseUrl}</baseURL><protocolVersion>2.0</protocolVersion><earliestDatestamp>${DATESTAMP}</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>`,
      );
    }
    if (verb !== 'ListRecords') return envelope(verb, '<error code="badVerb">only Identify and ListRecords</error>');
    const token = q.get('resumptionToken');
    if (token === null && q.get('metadataPrefix') !== 'marc21') return envelope(verb, '<error code="cannotDisseminateFormat">marc21 only</error>');
    const page = token === null ? 1 : Number(token);
    if (token !== null && !(Number.isInteger(page) && page >= 2 && page <= this.pages)) return envelope(verb, '<error code="badResumptionToken">unknown token</error>');
    this.requests.push({ verb, page, at: Date.now() });
    await this.opts.beforePage?.(page);
    const { pageSize } = this.opts;
    const records = this.records.slice((page - 1) * pageSize, page * pageSize);
    const next = page < this.pages ? String(page + 1) : '';
    const body = records
      .map((r) => `<record><header><identifier>${r.identifier}</identifier><datestamp>${DATESTAMP}</datestamp></header><metadata>${r.marcxml}</metadata></record>`)
      .join('\n');
    return envelope(verb, `<ListRecords>\n${body}\n<resumptionToken completeListSize="${this.records.length}" cursor="${(page - 1) * pageSize}">${next}</resumptionToken>\n</ListRecords>`);
  }
}

function envelope(verb: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}</responseDate><request verb="${verb}">http://127.0.0.1/oai</request>
${body}
</OAI-PMH>`;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A book as MARCXML: 001, 020 (when an ISBN is given), 100, 245, 264 year, and one 852 holding. */
export function marcxmlBook(b: { id: string; isbn?: string; author: string; title: string; year: number; barcode: string }): string {
  const df = (tag: string, subs: Array<[string, string]>, ind1 = ' ', ind2 = ' '): string =>
    `<datafield tag="${tag}" ind1="${ind1}" ind2="${ind2}">${subs.map(([c, v]) => `<subfield code="${c}">${xml(v)}</subfield>`).join('')}</datafield>`;
  return [
    '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 i 4500</leader>',
    `<controlfield tag="001">${xml(b.id)}</controlfield>`,
    `<controlfield tag="008">260101s${b.year}    io            000 0 ind d</controlfield>`,
    b.isbn ? df('020', [['a', b.isbn]]) : '',
    df('100', [['a', b.author]], '1'),
    df('245', [['a', b.title]], '1', '0'),
    df('264', [['a', 'Yogyakarta'], ['b', 'Penerbit Uji'], ['c', String(b.year)]], ' ', '1'),
    df('852', [['a', 'MAIN'], ['h', `899.221 ${b.id}`], ['p', b.barcode]]),
    '</record>',
  ].join('');
}

/** A valid ISBN-13 (978 prefix) from a number. */
export function isbn13(n: number): string {
  const body = `978602${String(n).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}
