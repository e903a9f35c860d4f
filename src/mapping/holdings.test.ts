import { describe, expect, it } from 'vitest';
import { parseMrk } from '../../test/fixtures/mrk.ts';
import { extractItems, isoDate } from './holdings.ts';
import { readMarcFile } from '../marc/read-marc-files.ts';
import type { MarcRecord } from '../marc/marc-record.ts';

/** A Koha 952 as Koha exports it: flags $0 $1 $4 present as 0; $7 and the rest as given. */
const koha = (subfields: string): MarcRecord =>
  parseMrk(`=245  10$aLaskar pelangi\n=952  \\\\$00$10$40$aFISIP$bFISIP$cSTACKS$o899.221 HIR l$p3999900000001$yBK${subfields}`);

async function firstRecord(file: string, accept: (r: MarcRecord) => boolean = () => true): Promise<MarcRecord> {
  for await (const r of readMarcFile(file)) if (r.ok && accept(r.record)) return r.record;
  throw new Error(`no matching record in ${file}`);
}

describe('Koha 952 items', () => {
  it('reads an item on the shelf as available', () => {
    expect(extractItems(koha('$70'), 'ugm', 'koha952')).toEqual([
      {
        library: 'ugm', branch: 'FISIP', location: 'STACKS', callNumber: '899.221 HIR l', barcode: '3999900000001',
        itemType: 'BK', status: 'available',
      },
    ]);
  });

  it('reads $q as on loan until that date', () => {
    const [item] = extractItems(koha('$70$q2025-07-14 23:59:00'), 'ugm', 'koha952');
    expect(item?.status).toBe('on-loan');
    expect(item?.dueDate).toBe('2025-07-14');
  });

  it('reads notforloan > 0 as library use only', () => {
    const [item] = extractItems(koha('$71'), 'ugm', 'koha952');
    expect(item).toMatchObject({ status: 'library-use-only', statusDetail: 'not for loan (1)', barcode: '3999900000001' });
  });

  it('reads notforloan < 0 (ordered) as unknown', () => {
    const [item] = extractItems(parseMrk('=952  \\\\$aFISIP$7-1'), 'ugm', 'koha952');
    expect(item).toMatchObject({ status: 'unknown', statusDetail: 'on order' });
  });

  it('reads itemlost as lost, with the kind of loss', () => {
    expect(extractItems(parseMrk('=952  \\\\$aFISIP$11$70'), 'ugm', 'koha952')[0]).toMatchObject({ status: 'lost', statusDetail: 'lost' });
    expect(extractItems(parseMrk('=952  \\\\$aFISIP$12$q2024-01-02'), 'ugm', 'koha952')[0]).toMatchObject({
      status: 'lost',
      statusDetail: 'long overdue',
    });
  });

  it('reads withdrawn before anything else', () => {
    expect(extractItems(parseMrk('=952  \\\\$aFISIP$01$11$71'), 'ugm', 'koha952')[0]?.status).toBe('withdrawn');
  });

  it('reads a damaged item as unknown, saying why', () => {
    expect(extractItems(parseMrk('=952  \\\\$aFISIP$41$70'), 'ugm', 'koha952')[0]).toMatchObject({ status: 'unknown', statusDetail: 'damaged' });
  });

  it('treats flags missing from the export as Koha’s default 0', () => {
    expect(extractItems(parseMrk('=952  \\\\$aFISIP$p123'), 'ugm', 'koha952')[0]?.status).toBe('available');
  });

  it('ignores a 952 that is a cataloguing note (LC), not an item', () => {
    expect(extractItems(parseMrk('=952  \\\\$adigital files not viewed; td12 2013-7-16'), 'loc', 'auto')).toEqual([]);
  });

  it('reads the Koha sample export', async () => {
    const record = await firstRecord('/work/shared/data/marc/koha/koha_misc4dev_sample_A.marcxml');
    expect(extractItems(record, 'cpl', 'auto')).toEqual([
      { library: 'cpl', branch: 'CPL', location: 'GEN', barcode: '3999900000001', itemType: 'BK', status: 'available' },
    ]);
  });
});

describe('949 items', () => {
  it('reads Sierra status codes', () => {
    const record = parseMrk(`
=949  \\1$aPZ7 .H56$i31234000111$k-$lmain$tBOOK$v v.2
=949  \\1$aPZ7 .H56$i31234000112$km$lmain
=949  \\1$aPZ7 .H56$i31234000113$ko$lref
=949  \\1$aPZ7 .H56$i31234000114$k{dollar}$lmain
=949  \\1$aPZ7 .H56$i31234000115$kq$lmain
=949  \\\\$a*recs=b;ov=.;
`);
    const items = extractItems(record, 'pub', 'sierra949');
    expect(items.map((i) => i.status)).toEqual(['available', 'lost', 'library-use-only', 'lost', 'unknown']);
    expect(items[0]).toMatchObject({ branch: 'main', callNumber: 'PZ7 .H56', barcode: '31234000111', itemType: 'BOOK', volume: 'v.2' });
    expect(items[4]?.statusDetail).toBe('q');
  });

  it('reads a Sirsi Unicorn 949 (library in $m, home location in $l): a circulating copy at home is on the shelf', async () => {
    const record = await firstRecord('/work/shared/data/marc/evergreen/jazz_1k.mrc');
    expect(extractItems(record, 'lu', 'auto')).toEqual([
      {
        library: 'lu', branch: 'HUNTINGTON', location: 'HUNT-AUDIO', callNumber: '5490', barcode: '30007007467409',
        itemType: 'SOUND', status: 'available',
      },
    ]);
  });

  it('reads the Unicorn current location $k: checked out, lost, or away (bindery) as unknown', () => {
    const record = parseMrk(`
=949  \\\\$a1$wLC$i1$rY$lHUNT-AUDIO$kCHECKEDOUT$mHUNTINGTON
=949  \\\\$a1$wLC$i2$rY$lHUNT-AUDIO$kLOST$mHUNTINGTON
=949  \\\\$a1$wLC$i3$rY$lHUNT-AUDIO$kBINDERY$mHUNTINGTON
=949  \\\\$a1$wLC$i4$rY$lHUNT-REF$mHUNTINGTON
`);
    expect(extractItems(record, 'lu', 'auto').map((i) => i.status)).toEqual(['on-loan', 'lost', 'unknown', 'library-use-only']);
  });

  it('reads Unicorn status locations and the circulate flag', () => {
    const record = parseMrk(`
=949  \\\\$a5490$wLC$i1$lCHECKEDOUT$mHUNTINGTON
=949  \\\\$a5490$wLC$i2$lMISSING$mHUNTINGTON
=949  \\\\$a5490$wLC$i3$lHUNT-REF$mHUNTINGTON$rN
`);
    expect(extractItems(record, 'lu', 'sierra949').map((i) => i.status)).toEqual(['on-loan', 'lost', 'library-use-only']);
  });
});

describe('Symphony 999 items', () => {
  it('reads the current location', () => {
    const record = parseMrk(`
=999  \\\\$aPL5089.H57 L37 2005$wLC$c1$i36105001$kCHECKEDOUT$lSTACKS$mGREEN$tSTKS
=999  \\\\$aPL5089.H57 L37 2005$wLC$c2$i36105002$kMISSING$lSTACKS$mGREEN$tSTKS
=999  \\\\$aPL5089.H57 L37 2005$wLC$c3$i36105003$lSTACKS$mGREEN$tSTKS$oSigned by the author
=999  \\\\$aPL5089.H57 L37 2005$wLC$c4$i36105004$lREFERENCE$mGREEN$tSTKS
=999  \\\\$aPL5089.H57 L37 2005$wLC$c5$i36105005$kINTRANSIT$lSTACKS$mGREEN$tSTKS
=999  \\\\$aPL5089.H57 L37 2005$wLC$c6$i36105006$kSTACKS$lSTACKS$mGREEN$tNONCIRC
`);
    const items = extractItems(record, 'su', 'auto');
    expect(items.map((i) => i.status)).toEqual(['on-loan', 'lost', 'available', 'library-use-only', 'unknown', 'library-use-only']);
    expect(items[2]).toEqual({
      library: 'su', branch: 'GREEN', location: 'STACKS', callNumber: 'PL5089.H57 L37 2005', barcode: '36105003',
      itemType: 'STKS', note: 'Signed by the author', status: 'available',
    });
    expect(items[4]?.statusDetail).toBe('INTRANSIT');
  });

  it('does not take Koha’s 999 $c/$d record ids for items', () => {
    expect(extractItems(parseMrk('=999  \\\\$c95$d95'), 'cpl', 'auto')).toEqual([]);
  });
});

describe('MARC 852 holdings', () => {
  it('builds the call number from $k $h $i $m and leaves status unknown', () => {
    const record = parseMrk('=852  01$aUI$bPUSAT$cREF$kR$h899.221$iHIR l$mc.2$p0012345$zRuang baca lantai 2');
    expect(extractItems(record, 'ui', 'marc852')).toEqual([
      {
        library: 'ui', branch: 'PUSAT', location: 'REF', callNumber: 'R 899.221 HIR l c.2', barcode: '0012345',
        note: 'Ruang baca lantai 2', status: 'unknown',
      },
    ]);
  });

  it('reads the Boston University Alma export', async () => {
    const record = await firstRecord('/work/shared/data/marc/Catmandu-MARC/bu_bibs.mrc');
    expect(extractItems(record, 'bu', 'auto')).toEqual([
      { library: 'bu', branch: 'MUG', location: 'boss', callNumber: 'HV8699.U5 G35 2002', status: 'unknown' },
    ]);
  });
});

describe('profile choice', () => {
  const both = parseMrk('=852  \\\\$aDLC$bc-GenColl$hPZ7\n=952  \\\\$aCPL$70$p1');

  it('auto prefers item fields with status over 852', () => {
    expect(extractItems(both, 'cpl', 'auto').map((i) => i.branch)).toEqual(['CPL']);
  });

  it('follows an explicit profile and ignores items with none', () => {
    expect(extractItems(both, 'cpl', 'marc852').map((i) => i.branch)).toEqual(['c-GenColl']);
    expect(extractItems(both, 'cpl', 'none')).toEqual([]);
  });
});

describe('isoDate', () => {
  it('keeps due dates as YYYY-MM-DD', () => {
    expect(isoDate('2025-07-14 23:59:00')).toBe('2025-07-14');
    expect(isoDate('20250714')).toBe('2025-07-14');
    expect(isoDate('14/07/2025')).toBeUndefined();
    expect(isoDate('2025-13-01')).toBeUndefined();
  });
});
