import { describe, expect, it } from 'vitest';
import { parseMrk } from '../../test/fixtures/mrk.ts';
import { canonicalCode, languageCodeFromName, languageCodes, languageName } from './languages.ts';

describe('languageCodes', () => {
  it('reads 008/35-37 and 041 $a $d in order, without duplicates', () => {
    const record = parseMrk(`
=008  120829t20132012nyu\\\\\\\\\\\\bk\\\\\\001\\0\\ind\\\\
=041  1\\$aind$aeng$dind
`);
    expect(languageCodes(record)).toEqual({ codes: ['ind', 'eng'], warnings: [] });
  });

  it('splits jammed codes into three-letter chunks', () => {
    const record = parseMrk('=041  0\\$aengfregerita$drus');
    expect(languageCodes(record).codes).toEqual(['eng', 'fre', 'ger', 'ita', 'rus']);
  });

  it('maps language names as SLiMS writes them, with a warning', () => {
    const record = parseMrk(`
=041  \\\\$aIndonesia
=041  \\\\$aBahasa Inggris
=041  \\\\$aJawa
`);
    const result = languageCodes(record);
    expect(result.codes).toEqual(['ind', 'eng', 'jav']);
    expect(result.warnings).toHaveLength(3);
    expect(result.warnings[0]).toContain('"Indonesia"');
  });

  it('drops blanks and fill characters', () => {
    const record = parseMrk(`
=008  120829s2013\\\\\\\\jak\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\|||\\d
=041  \\\\$a   $a|||
`);
    expect(languageCodes(record)).toEqual({ codes: [], warnings: [] });
  });

  it('normalises upper case, ISO 639-2/T and obsolete codes', () => {
    const record = parseMrk('=041  \\\\$aIND$amsa$agae');
    expect(languageCodes(record).codes).toEqual(['ind', 'may', 'gla']);
  });

  it('reports what it cannot read', () => {
    const result = languageCodes(parseMrk('=041  \\\\$aBahasa Planet Mars'));
    expect(result.codes).toEqual([]);
    expect(result.warnings[0]).toContain('unrecognised');
  });

  it('keeps real codes it has no names for', () => {
    expect(languageCodes(parseMrk('=041  \\\\$anob')).codes).toEqual(['nob']);
  });
});

describe('language names', () => {
  it('maps English and Indonesian names, "Bahasa X" and ISO 639-1 codes', () => {
    expect(languageCodeFromName('English')).toBe('eng');
    expect(languageCodeFromName('Inggris')).toBe('eng');
    expect(languageCodeFromName('Bahasa Indonesia')).toBe('ind');
    expect(languageCodeFromName('indonesian')).toBe('ind');
    expect(languageCodeFromName('Sunda')).toBe('sun');
    expect(languageCodeFromName('Belanda')).toBe('dut');
    expect(languageCodeFromName('Perancis')).toBe('fre');
    expect(languageCodeFromName('Greek')).toBe('gre');
    expect(languageCodeFromName('id')).toBe('ind');
    expect(languageCodeFromName('Klingon')).toBeUndefined();
  });

  it('names a code in English or Indonesian', () => {
    expect(languageName('jav', 'en')).toBe('Javanese');
    expect(languageName('jav', 'id')).toBe('Bahasa Jawa');
    expect(languageName('msa', 'en')).toBe('Malay');
    expect(languageName('xyz', 'en')).toBeUndefined();
  });

  it('canonicalises codes', () => {
    expect(canonicalCode(' ZHO ')).toBe('chi');
    expect(canonicalCode('ind')).toBe('ind');
  });
});

describe('languageCodes with several values in one subfield', () => {
  it('reads space- or semicolon-separated codes and names', () => {
    expect(languageCodes(parseMrk('=041  \\\\$aind; eng')).codes).toEqual(['ind', 'eng']);
    expect(languageCodes(parseMrk('=041  \\\\$aIndonesia, Inggris')).codes).toEqual(['ind', 'eng']);
  });
});
