import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMrk } from '../../test/fixtures/mrk.ts';
import { mapRecord, oclcNumber, sanitizeLocalId, type MapRecordOptions } from './map-record.ts';
import type { MarcField, MarcRecord } from '../marc/marc-record.ts';
import { readMarcFile } from '../marc/read-marc-files.ts';
import { RecordDocument } from '../catalog/record-document.ts';
import { marcFixtures } from '../../test/support/paths.ts';

const DATA = marcFixtures();

function map(record: MarcRecord, opts: Partial<MapRecordOptions> = {}) {
  const result = mapRecord(record, { library: 'ugm', currentYear: 2025, ...opts });
  if (!result.ok) throw new Error(`expected a document, got: ${result.reason}`);
  return result;
}

async function records(file: string): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  for await (const r of readMarcFile(file)) if (r.ok) out.push(r.record);
  return out;
}

const LASKAR = `
=LDR  00000nam a2200000 a 4500
=001  UGM-000123
=008  080101s2008\\\\\\\\io\\\\\\\\\\\\\\\\\\\\\\000\\1\\ind\\d
=020  \\\\$a979-3062-79-7 (pbk.)
=041  0\\$aind
=082  04$a899.221 3$222
=100  1\\$aHirata, Andrea,$d1967-$eauthor.
=245  10$aLaskar pelangi /$cAndrea Hirata.
=250  \\\\$aCet. 1.
=260  \\\\$aYogyakarta :$bBentang Pustaka,$c2008.
=300  \\\\$axxxiv, 529 hlm. ;$c20 cm.
=500  \\\\$aNovel pertama dari tetralogi Laskar Pelangi.
=520  \\\\$aKisah sepuluh anak Belitong yang bersekolah di SD Muhammadiyah.
=650  \\4$aIndonesian fiction$y21st century.
=655  \\7$aNovel.$2local
=856  41$uhttps://example.org/laskar$yCuplikan
=952  \\\\$00$10$40$70$aFISIP$cSTACKS$o899.221 3 HIR l$p3999900000001$yBK
=952  \\\\$00$10$40$70$aFISIP$cSTACKS$o899.221 3 HIR l$p3999900000002$yBK$q2025-07-14
`;

describe('mapRecord: a Koha record', () => {
  const { doc, warnings } = map(parseMrk(LASKAR));

  it('builds the id from the library and 001', () => {
    expect(doc.id).toBe('ugm.UGM-000123');
    expect(doc.localId).toBe('UGM-000123');
    expect(doc.library).toBe('ugm');
    expect(warnings).toEqual([]);
  });

  it('maps titles, people and publication', () => {
    expect(doc).toMatchObject({
      title: 'Laskar pelangi',
      titleShort: 'Laskar pelangi',
      titleFull: 'Laskar pelangi / Andrea Hirata',
      titleSort: 'laskar pelangi',
      authors: [{ name: 'Hirata, Andrea', direct: 'Andrea Hirata', role: 'author' }],
      publishers: ['Bentang Pustaka'],
      publishPlace: 'Yogyakarta',
      year: 2008,
      edition: 'Cet. 1.', // Traject keeps a period after fewer than three word characters
      pageCount: 529,
      languages: ['ind'],
      format: 'Book',
      callNumber: '899.221 3',
      summary: 'Kisah sepuluh anak Belitong yang bersekolah di SD Muhammadiyah.',
      subjects: ['Indonesian fiction -- 21st century'],
      genres: ['Novel'],
      links: [{ url: 'https://example.org/laskar', label: 'Cuplikan' }],
    });
    expect(doc.allText).toContain('Novel pertama dari tetralogi');
  });

  it('stores the ISBN in both forms', () => {
    expect(doc.isbns).toEqual(['9789793062792']);
    expect(doc.isbn10).toEqual(['9793062797']);
    expect(doc.isbnInvalid).toEqual([]);
  });

  it('derives the dedup keys', () => {
    expect(doc.titleNorm).toBe('laskarpelangi');
    expect(doc.authorNorm).toBe('hirataandrea');
    expect(doc.titleKey).toBe('laskarpelangi hirata'); // 245 $c left out: statements of responsibility vary between libraries
  });

  it('reads the items with their availability', () => {
    expect(doc.items.map((i) => [i.barcode, i.status, i.dueDate])).toEqual([
      ['3999900000001', 'available', undefined],
      ['3999900000002', 'on-loan', '2025-07-14'],
    ]);
  });
});

describe('mapRecord: titles', () => {
  it('drops non-filing characters from the sort and match forms only', () => {
    const { doc } = map(parseMrk('=001  1\n=245  14$aThe Hobbit, or, There and back again /$cJ.R.R. Tolkien.'));
    expect(doc.title).toBe('The Hobbit, or, There and back again');
    expect(doc.titleSort).toBe('hobbit or there and back again');
    expect(doc.titleNorm).toBe('hobbitorthereandbackagain');
  });

  it('sorts "The Hobbit" (ind2=4) under "hobbit"', () => {
    expect(map(parseMrk('=001  1\n=245  14$aThe Hobbit')).doc.titleSort).toBe('hobbit');
  });

  it('joins subtitle and parts the ISBD way and keeps the part for dedup', () => {
    const { doc } = map(parseMrk('=001  1\n=245  00$aEnsiklopedi Islam.$nJilid 2,$pFiqih :$bedisi revisi /$cdisusun oleh tim.'));
    expect(doc.title).toBe('Ensiklopedi Islam. Jilid 2, Fiqih : edisi revisi');
    expect(doc.subtitle).toBe('edisi revisi');
    expect(doc.partNumber).toBe('Jilid 2, Fiqih');
  });

  it('falls back to 240, 246 or 130 without a 245', () => {
    expect(map(parseMrk('=001  1\n=240  10$aBumi manusia.')).doc.title).toBe('Bumi manusia');
    expect(map(parseMrk('=001  1\n=246  3\\$aAnak semua bangsa')).doc.title).toBe('Anak semua bangsa');
  });

  it('refuses a record without any title', () => {
    expect(mapRecord(parseMrk('=001  1\n=100  1\\$aHirata, Andrea.'), { library: 'ugm' })).toEqual({
      ok: false,
      code: 'mapping/no-title',
      reason: 'no title (245)',
    });
  });

  it('refuses holdings and authority records', () => {
    const result = mapRecord(parseMrk('=LDR  00000ny  a2200000 a 4500\n=001  1\n=245  00$aX'), { library: 'ugm' });
    expect(result.ok).toBe(false);
  });
});

describe('mapRecord: a SLiMS export', () => {
  const SLIMS = `
=LDR  00000nam a2200000 a 4500
=005  20240101
=020  \\\\$a1412-3617
=041  \\\\$aIndonesia
=084  \\\\$a899.221 3 HIR l
=100  0\\$aPramoedya Ananta Toer
=245  \\\\$aBumi manusia$h[Text]$cPramoedya Ananta Toer
=260  \\\\$aJakarta$bHasta Mitra$c1980
=300  \\\\$a535 hlm.
`;

  it('takes the id from the fallback and says so', () => {
    const { doc, warnings } = map(parseMrk(SLIMS), { library: 'fisip', fallbackId: 'a1b2c3d4e5f6' });
    expect(doc.id).toBe('fisip.a1b2c3d4e5f6');
    expect(warnings).toContainEqual({ code: 'mapping/no-001', message: 'no 001: local id "a1b2c3d4e5f6" taken from the fallback id' });
  });

  it('maps the language name and the ISSN found in 020$a, with warnings', () => {
    const { doc, warnings } = map(parseMrk(SLIMS), { fallbackId: 'x1' });
    expect(doc.languages).toEqual(['ind']);
    expect(doc.issns).toEqual(['1412-3617']);
    expect(doc.isbns).toEqual([]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { code: 'mapping/issn-in-isbn', message: '020$a holds an ISSN ("1412-3617")' },
        { code: 'mapping/language-name', message: '041$a has "Indonesia" instead of a MARC language code (ind)' },
      ]),
    );
  });

  it('keys a forename entry the way the inverted form is keyed', () => {
    const direct = map(parseMrk(SLIMS), { fallbackId: 'x1' }).doc;
    const inverted = map(parseMrk('=001  2\n=100  1\\$aToer, Pramoedya Ananta,$d1925-2006.\n=245  10$aBumi manusia :$bsebuah roman /$cPramoedya Ananta Toer.')).doc;
    expect(direct.authorNorm).toBe('toerpramoedyaananta');
    expect(inverted.authorNorm).toBe(direct.authorNorm);
    expect(direct.year).toBe(1980);
    expect(direct.callNumber).toBe('899.221 3 HIR l');
    expect(direct.format).toBe('Book');
  });

  it('records an invalid ISBN and warns', () => {
    const { doc, warnings } = map(parseMrk('=001  1\n=020  \\\\$a979-3062-79-8\n=020  \\\\$z9793062797\n=245  00$aX'));
    expect(doc.isbns).toEqual([]);
    expect(doc.isbnInvalid).toEqual(['979-3062-79-8', '9793062797']);
    expect(warnings).toEqual([{ code: 'mapping/invalid-isbn', message: 'invalid ISBN in 020$a: "979-3062-79-8"' }]);
  });
});

describe('mapRecord: ids', () => {
  const title = '=245  00$aJudul';

  it('falls back from 001 to Koha 999$c, 035$a, the first valid ISBN, then the caller’s id', () => {
    expect(map(parseMrk(`${title}\n=999  \\\\$c95$d95`)).doc.localId).toBe('95');
    expect(map(parseMrk(`${title}\n=035  \\\\$a(Sirsi) a353305`)).doc.localId).toBe('Sirsi-a353305');
    expect(map(parseMrk(`${title}\n=020  \\\\$a9793062797`)).doc.localId).toBe('9789793062792');
    expect(map(parseMrk(title), { fallbackId: 'abc123' }).doc.localId).toBe('abc123');
    expect(mapRecord(parseMrk(title), { library: 'ugm' }).ok).toBe(false);
  });

  it('does not take a III 999$c (not a Koha biblionumber) for an id', () => {
    expect(map(parseMrk(`${title}\n=999  \\\\$amugar$b1$c030207$dm`), { fallbackId: 'h1' }).doc.localId).toBe('h1');
  });

  it('sanitises ids with unsafe characters', () => {
    expect(sanitizeLocalId(' 76357895 /MAP/r82 ')).toBe('76357895-MAP-r82');
    expect(sanitizeLocalId('00\u001faD000015937')).toBe('00aD000015937');
    expect(sanitizeLocalId('   ')).toBe('');
    const { doc, warnings } = map(parseMrk(`=001  ASP925318/clmu\n${title}`));
    expect(doc.id).toBe('ugm.ASP925318-clmu');
    expect(warnings[0]).toMatchObject({ code: 'mapping/unsafe-001', message: expect.stringContaining('unsafe') });
  });

  it('leaves ids that are already safe as they are, and cleans those that only look safe', () => {
    const general = (raw: string): string =>
      raw.normalize('NFKC').replace(/\p{C}+/gu, '').trim().replace(/[^A-Za-z0-9._:-]+/gu, '-').replace(/-{2,}/gu, '-').replace(/^[-.]+|[-.]+$/gu, '').slice(0, 100);
    const ids = ['100001', 'b1234567x', 'a', '.', 'a.', '.a', 'a.b', 'ocm:12_3', 'a-b', 'a--b', '-a', 'a-', 'x'.repeat(100), 'x'.repeat(101), `${'x'.repeat(99)}.`, 'a\n', 'a b', 'Ａ1'];
    for (const id of ids) expect(sanitizeLocalId(id)).toBe(general(id));
    expect(sanitizeLocalId('x'.repeat(101))).toBe('x'.repeat(100));
    expect(sanitizeLocalId('a--b')).toBe('a-b');
    expect(sanitizeLocalId('Ａ1')).toBe('A1');
  });
});

describe('mapRecord: publication year', () => {
  const year = (lines: string): number | undefined => map(parseMrk(`=001  1\n=245  00$aX\n${lines}`)).doc.year;

  it('prefers 260$c, then 264$c with ind2=1, then 008/07-10', () => {
    expect(year('=008  000000s1999\\\\\\\\xx\n=260  \\\\$c[c2002]')).toBe(2002);
    expect(year('=008  000000s1999\\\\\\\\xx\n=264  \\4$c©2012\n=264  \\1$c2013')).toBe(2013);
    expect(year('=008  000000s1999\\\\\\\\xx\n=260  \\\\$c[n.d.]')).toBe(1999);
  });

  it('skips unknown and implausible years', () => {
    expect(year('=008  000000s19uu\\\\\\\\xx')).toBeUndefined();
    expect(year('=008  000000s9999\\\\\\\\xx')).toBeUndefined();
    expect(year('=008  000000s0000\\\\\\\\xx')).toBeUndefined();
    expect(year('=260  \\\\$c2099')).toBeUndefined();
    expect(year('=260  \\\\$c2031')).toBe(2031);
    expect(year('=260  \\\\$c0123')).toBeUndefined();
  });

  it('takes the Gregorian year from a Hijri/Masehi pair', () => {
    expect(year('=260  \\\\$c1432 H/2011 M.')).toBe(2011);
  });
});

describe('mapRecord: identifiers for dedup', () => {
  const { doc } = map(parseMrk(`
=001  1
=010  \\\\$a  2012035454
=015  \\\\$aGBA2-X4078$2bnb
=024  2\\$a979-0-2306-7118-7
=024  7\\$a10.1000/xyz$2doi
=024  8\\$a0003200213195
=035  \\\\$a(OCoLC)ocm00012345
=035  \\\\$aocn710973037
=035  \\\\$a(DE-599)ZDB1234567
=035  \\\\$a(Sirsi) a353305
=245  00$aX
`));

  it('keeps LCCN and OCLC numbers', () => {
    expect(doc.lccn).toBe('2012035454');
    expect(doc.oclc).toEqual(['12345', '710973037']);
  });

  it('builds RecordManager id keys with lower-case prefixes', () => {
    expect(doc.idKeys).toEqual([
      '(lccn)2012035454',
      '(bnb)gba2-x4078',
      '(ismn)9790230671187',
      '(doi)10.1000/xyz',
      '(ocolc)12345',
      '(de-599)zdb1234567',
      '(ocolc)710973037',
    ]);
  });

  it('reads OCLC numbers in their prefixed spellings', () => {
    expect(oclcNumber('(OCoLC)ocm00012345')).toBe('12345');
    expect(oclcNumber('on1234567890')).toBe('1234567890');
    expect(oclcNumber('(OCoLC)12345')).toBe('12345');
    expect(oclcNumber('(Sirsi) 12345')).toBeUndefined();
  });
});

describe('mapRecord: people', () => {
  it('counts 700s with an author role as primary authors, the rest as secondary', () => {
    const { doc } = map(parseMrk(`
=001  1
=245  00$aAntologi cerpen
=700  1\\$aHirata, Andrea,$eauthor.
=700  1\\$aFuadi, Ahmad,$eeditor.
=710  2\\$aUniversitas Gadjah Mada.$bFakultas Ilmu Budaya.
`));
    expect(doc.authors.map((a) => a.direct)).toEqual(['Andrea Hirata']);
    expect(doc.authors2.map((a) => a.direct)).toEqual(['Ahmad Fuadi']);
    expect(doc.corporateAuthors).toEqual(['Universitas Gadjah Mada. Fakultas Ilmu Budaya']);
    expect(doc.titleKey).toBe('antologicerpen hirata');
  });

  it('has no title key without an author', () => {
    const { doc } = map(parseMrk('=001  1\n=245  00$aKamus besar bahasa Indonesia'));
    expect(doc.titleKey).toBeUndefined();
    expect(doc.authorNorm).toBeUndefined();
    expect(doc.titleNorm).toBe('kamusbesarbahasaindonesia');
  });
});

describe('mapRecord: alternate script (880)', () => {
  it('reads vernacular titles and names from a real record', async () => {
    const [record] = await records(`${DATA}/traject/hebrew880s.marc`);
    if (!record) throw new Error('no record');
    const { doc } = map(record);
    expect(doc.title).toBe('Anarkhizm be-"Tsiyon" : ben Marṭin Buber le-Aharon Daṿid Gordon');
    expect(doc.titleAlt).toContain('אנרכיזם ב״ציון״ : בין מרטין בובר לאהרן דוד גורדון');
    expect(doc.titleAlt).toContain('Anarchy in "Zion" : between Martin Buber and A.D. Gordon');
    expect(doc.authors2.map((a) => a.name)).toEqual(['רצבי, שלום']);
    expect(doc.languages).toEqual(['heb']);
    expect(doc.oclc).toEqual(['710973037']);
  });
});

describe('mapRecord: allText', () => {
  it('collects notes and caps the text near 2000 characters', () => {
    const notes = Array.from({ length: 60 }, (_, i) => `=500  \\\\$aCatatan nomor ${i} tentang koleksi perpustakaan daerah.`).join('\n');
    const { doc } = map(parseMrk(`=001  1\n=245  00$aX\n${notes}\n=852  \\\\$aUGM$bPUSAT`));
    expect(doc.allText.length).toBeLessThanOrEqual(2000);
    expect(doc.allText.length).toBeGreaterThan(1500);
    expect(doc.allText).toContain('Catatan nomor 0');
    expect(doc.allText).not.toContain('PUSAT');
  });
});

describe('mapRecord on real files', () => {
  it('maps every record of the Koha sample to a valid document with items', async () => {
    const all = await records(`${DATA}/koha/koha_misc4dev_sample_A.marcxml`);
    expect(all).toHaveLength(218);
    let withItems = 0;
    for (const record of all) {
      const result = mapRecord(record, { library: 'cpl', fallbackId: 'fallback' });
      if (!result.ok) throw new Error(result.reason);
      expect(RecordDocument.safeParse(result.doc).success).toBe(true);
      if (result.doc.items.length > 0) withItems++;
      expect(result.doc.items.every((i) => i.status === 'available')).toBe(true);
    }
    expect(withItems).toBe(206);
  });

  it('reads the first Koha record field by field', async () => {
    const [record] = await records(`${DATA}/koha/koha_misc4dev_sample_A.marcxml`);
    if (!record) throw new Error('no record');
    const { doc } = map(record, { library: 'cpl' });
    expect(doc).toMatchObject({
      id: 'cpl.17446121',
      title: 'E Street shuffle : the glory days of Bruce Springsteen & the E Street Band',
      authors: [{ name: 'Heylin, Clinton', direct: 'Clinton Heylin' }],
      isbns: ['9780670026623'],
      lccn: '2012035454',
      year: 2013,
      pageCount: 336,
      callNumber: 'ML420.S77 H28 2013',
      titleKey: 'estreetshuffletheglorydays heylin',
    });
  });

  it('maps a packed 041 and an online-only record as Traject expects', async () => {
    const [packed] = await records(`${DATA}/traject/packed_041a_lang.marc`);
    const [online] = await records(`${DATA}/traject/online_only.marc`);
    if (!packed || !online) throw new Error('missing fixture');
    expect(map(packed).doc.languages).toEqual(['eng', 'fre', 'ger', 'ita', 'spa', 'rus']);
    expect(map(online).doc.format).toBe('eBook');
  });
});

describe('mapRecord never throws (property)', () => {
  const TAGS = [
    '001', '008', '010', '015', '016', '020', '022', '024', '035', '041', '050', '082', '084', '100', '110', '130',
    '240', '245', '246', '250', '260', '264', '300', '490', '500', '505', '520', '600', '650', '653', '655', '700',
    '710', '740', '830', '852', '856', '880', '949', '952', '999',
  ];
  const tricky = fc.constantFrom(
    '', ' ', '[', ']', '[]', ' : ', '.', '979-3062-79-7', '1412-3617', '(OCoLC)ocm0000', 'ocn', '0', '1', '-1', '2',
    'CHECKEDOUT', 'MISSING', '-', '2024-02-30', '245-01/(2/r', '245', 'Indonesia', '|||', '   ', 'engfre', 'The ',
    'Hirata, Andrea,', ', , ,', 'uuuu', '9999', '\u0000', '\u001f', '\ud800', 'https://x',
  );
  const value = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 12 }));
  const char = fc.oneof(fc.constantFrom(' ', '0', '1', '4', '7', '9', 'a'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
  const tag = fc.oneof(fc.constantFrom(...TAGS), fc.string({ minLength: 3, maxLength: 3 }));
  const field: fc.Arbitrary<MarcField> = fc.oneof(
    fc.record({ tag: fc.constantFrom('001', '003', '005', '007', '008'), value }),
    fc.record({
      tag,
      ind1: char,
      ind2: char,
      subfields: fc.array(
        fc.record({ code: fc.oneof(fc.constantFrom(...'abcdehknpqvxyz0123467'), fc.string({ minLength: 1, maxLength: 1 })), value }),
        { maxLength: 8 },
      ),
    }),
  );
  // most records get a title, so the mapping runs past the title check
  const title = fc.option(fc.record({ tag: fc.constant('245'), ind1: char, ind2: char, subfields: fc.array(fc.record({ code: fc.constantFrom('a', 'b', 'c', 'n', 'p', 'h', '6'), value }), { minLength: 1, maxLength: 5 }) }), { freq: 4 });
  const record: fc.Arbitrary<MarcRecord> = fc
    .record({
      leader: fc.oneof(fc.constantFrom('00000nam a2200000 a 4500', '00000nas a2200000 a 4500', ''), fc.string({ maxLength: 30 })),
      fields: fc.array(field, { maxLength: 25 }),
      title,
    })
    .map(({ leader, fields, title: t }) => ({ leader, fields: t === null ? fields : [t, ...fields] }));

  it('returns a valid document or a reason for any record', () => {
    let mapped = 0;
    fc.assert(
      fc.property(record, fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (r, fallbackId) => {
        const result = mapRecord(r, { library: 'lib', fallbackId, holdingsProfile: 'auto' });
        if (result.ok) {
          mapped++;
          expect(RecordDocument.safeParse(result.doc).success).toBe(true);
        } else {
          expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
    expect(mapped).toBeGreaterThan(100); // the generator does reach the mapping
  });
});
