import { describe, expect, it } from 'vitest';
import { parseMrk } from '../../test/fixtures/mrk.ts';
import { classifyFormat } from './format-classifier.ts';
import { readMarcFile } from '../marc/read-marc-files.ts';

const leader = (typeAndLevel: string): string => `00000n${typeAndLevel} a2200000 a 4500`;

function classify(lines: string): string {
  return classifyFormat(parseMrk(lines));
}

describe('classifyFormat from the leader', () => {
  it.each([
    ['am', 'Book'],
    ['as', 'Journal'],
    ['ab', 'Journal'],
    ['tm', 'Manuscript'],
    ['cm', 'Musical Score'],
    ['dm', 'Musical Score'],
    ['em', 'Map'],
    ['fm', 'Map'],
    ['gm', 'Video'],
    ['im', 'Sound Recording'],
    ['jm', 'Music Recording'],
    ['km', 'Image'],
    ['mm', 'Software/Data'],
    ['om', 'Kit'],
    ['pm', 'Manuscript'],
    ['rm', 'Other'],
  ])('leader/06-07 "%s" is %s', (code, format) => {
    expect(classify(`=LDR  ${leader(code)}`)).toBe(format);
  });
});

describe('classifyFormat refinements', () => {
  it('calls an online monograph an eBook (007 cr, 008/23, GMD or RDA carrier)', () => {
    expect(classify(`=LDR  ${leader('am')}\n=007  cr\\|||||||||||`)).toBe('eBook');
    expect(classify(`=LDR  ${leader('am')}\n=008  110101s2011\\\\\\\\nyu\\\\\\\\\\o\\\\\\\\\\000\\0\\eng\\d`)).toBe('eBook');
    expect(classify(`=LDR  ${leader('am')}\n=245  10$aOpen source GIS$h[electronic resource] :$ba GRASS GIS approach`)).toBe('eBook');
    expect(classify(`=LDR  ${leader('am')}\n=337  \\\\$acomputer$bc$2rdamedia\n=338  \\\\$aonline resource$bcr$2rdacarrier`)).toBe('eBook');
  });

  it('keeps a print book with RDA volume carrier a Book', () => {
    expect(classify(`=LDR  ${leader('am')}\n=337  \\\\$aunmediated$bn\n=338  \\\\$avolume$bnc`)).toBe('Book');
  });

  it('calls an online journal a Journal', () => {
    expect(classify(`=LDR  ${leader('as')}\n=007  cr\\|||||||||||`)).toBe('Journal');
  });

  it('calls a record with a dissertation note (502) a Thesis', () => {
    expect(classify(`=LDR  ${leader('am')}\n=502  \\\\$aSkripsi (S1)--Universitas Gadjah Mada, 2015.`)).toBe('Thesis');
    expect(classify(`=LDR  ${leader('tm')}\n=502  \\\\$aThesis (Ph. D.)--Johns Hopkins University, 2005.`)).toBe('Thesis');
  });

  it('believes a SLiMS GMD over the generic "nam" leader', () => {
    expect(classify(`=LDR  ${leader('am')}\n=245  \\\\$aLaskar pelangi$h[Video Recording]`)).toBe('Video');
    expect(classify(`=LDR  ${leader('am')}\n=245  \\\\$aAnalisis kinerja$h[Skripsi]`)).toBe('Thesis');
    expect(classify(`=LDR  ${leader('am')}\n=245  \\\\$aBumi manusia$h[Text]`)).toBe('Book');
  });

  it('falls back to GMD, then RDA carrier, then Other when the leader says nothing', () => {
    expect(classify('=LDR  00000n   a2200000 a 4500\n=245  \\\\$aPeta Jawa$h[peta]')).toBe('Map');
    expect(classify('=LDR  00000n   a2200000 a 4500\n=338  \\\\$avideodisc$bvd')).toBe('Video');
    expect(classify('=LDR  00000n   a2200000 a 4500')).toBe('Other');
  });
});

describe('classifyFormat on real RDA records', () => {
  const dir = '/work/shared/data/marc/evergreen/RDA';
  it.each([
    ['RDA_record_MAP_2012_Enchanted_Circle.mrc', 'Map'],
    ['RDA_record_DVD_Jorge_Mautner.mrc', 'Video'],
    ['RDA_record_SCORE_Arias_for_bass.mrc', 'Musical Score'],
    ['RDA_record_CD_Claudia.mrc', 'Music Recording'],
    ['RDA_record_PHOTO_Srid_pa_ho.mrc', 'Image'],
    ['RDA_record_SERIAL_IEEE_International_conference.mrc', 'Journal'],
  ])('%s is %s', async (file, format) => {
    for await (const r of readMarcFile(`${dir}/${file}`)) {
      if (!r.ok) throw new Error(r.problem.reason);
      expect(classifyFormat(r.record)).toBe(format);
    }
  });
});
