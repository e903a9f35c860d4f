import { describe, expect, it } from 'vitest';
import { createTitleKey, filingForm, foldText, isAscii, normalizeKey, trimPunctuation } from './text-normalize.ts';

describe('trimPunctuation', () => {
  it('drops trailing ISBD punctuation with its spaces', () => {
    expect(trimPunctuation('E Street shuffle :')).toBe('E Street shuffle');
    expect(trimPunctuation('Laskar pelangi /')).toBe('Laskar pelangi');
    expect(trimPunctuation('Hirata, Andrea,')).toBe('Hirata, Andrea');
    expect(trimPunctuation('Jakarta ;')).toBe('Jakarta');
  });

  it('drops a final period only after three word characters', () => {
    expect(trimPunctuation('Bentang Pustaka.')).toBe('Bentang Pustaka');
    expect(trimPunctuation('King, Martin Luther, Jr.')).toBe('King, Martin Luther, Jr.');
    expect(trimPunctuation('Washington, D.C.')).toBe('Washington, D.C.');
  });

  it('strips wrapping square brackets when there are no inner ones', () => {
    expect(trimPunctuation('[Jakarta] :')).toBe('Jakarta');
    expect(trimPunctuation('[Tel Aviv')).toBe('Tel Aviv');
    expect(trimPunctuation('[s.n.]')).toBe('s.n.');
    expect(trimPunctuation('[a] [b]')).toBe('[a] [b]');
  });

  it('leaves clean values alone', () => {
    expect(trimPunctuation('Bumi manusia')).toBe('Bumi manusia');
    expect(trimPunctuation('  spaced  ')).toBe('spaced');
  });
});

describe('foldText', () => {
  it('removes diacritics and lower-cases', () => {
    expect(foldText('Pérez Galdós')).toBe('perez galdos');
    expect(foldText('Marṭin Buber')).toBe('martin buber');
  });

  it('spells out letters NFD cannot decompose', () => {
    expect(foldText('Œuvres Æsop Straße Łódź Ørsted Đorđević ılık')).toBe('oeuvres aesop strasse lodz orsted dordevic ilik');
  });

  it('keeps non-Latin letters', () => {
    expect(foldText('Личные архивные')).toBe('личные архивные');
    expect(foldText('ガンダム')).toBe('ガンダム');
    expect(foldText('हिन्दी')).toBe('हिन्दी');
  });

  it('folds compatibility forms', () => {
    expect(foldText('ﬁle ＡＢＣ')).toBe('file abc');
  });
});

describe('normalizeKey', () => {
  it('keeps only letters and digits', () => {
    expect(normalizeKey('Laskar Pelangi!')).toBe('laskarpelangi');
    expect(normalizeKey('Negeri 5 Menara : sebuah novel')).toBe('negeri5menarasebuahnovel');
    expect(normalizeKey('Hirata, Andrea')).toBe('hirataandrea');
  });

  it('matches accented and plain spellings', () => {
    expect(normalizeKey('Sprichwörter')).toBe(normalizeKey('Sprichworter'));
  });
});

describe('filingForm', () => {
  it('lower-cases and turns punctuation into single spaces', () => {
    expect(filingForm('Anarkhizm be-"Tsiyon" : ben Buber')).toBe('anarkhizm be tsiyon ben buber');
  });
});

describe('createTitleKey', () => {
  it('stops after the fourth word longer than three characters', () => {
    expect(createTitleKey('laskar pelangi sebuah novel karya andrea hirata')).toBe('laskarpelangisebuahnovel');
  });

  it('stops when the key grows past 35 characters', () => {
    const key = createTitleKey('a an of supercalifragilisticexpialidocious extraordinarily words');
    expect(key).toBe('aanofsupercalifragilisticexpialidocious');
    expect(createTitleKey('the tale of the old and the new sea of the red sky and me')).toBe('thetaleoftheoldandthenewseaoftheredsky');
  });

  it('keeps short words without counting them', () => {
    expect(createTitleKey('the art of war')).toBe('theartofwar');
  });

  it('keys titles with a configured prefix on up to 100 characters', () => {
    const title = 'proceedings of the international conference on artificial intelligence applications san diego';
    expect(createTitleKey(title)).toBe('proceedingsoftheinternationalconference');
    expect(createTitleKey(title, { fullTitlePrefixes: ['Proceedings of the'] })).toBe(normalizeKey(title));
  });

  it('normalises what it keeps', () => {
    expect(createTitleKey('Bumi Manusia: Tetralogi Buru')).toBe('bumimanusiatetralogiburu');
  });
});

describe('ASCII text takes a short cut to the same result', () => {
  // the general forms, as written before ASCII had its own path
  const FOLDED_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u064b-\u065f\u0670]/gu;
  const generalFold = (v: string): string =>
    v.normalize('NFKD').replace(FOLDED_MARKS, '').toLowerCase().replace(/[œæßłøđðıþħ]/gu, (c) => ({ œ: 'oe', æ: 'ae', ß: 'ss', ł: 'l', ø: 'o', đ: 'd', ð: 'd', ı: 'i', þ: 'th', ħ: 'h' })[c] ?? c).normalize('NFKC');
  const generalKey = (v: string): string => generalFold(v).replace(/[^\p{L}\p{N}]+/gu, '');
  const generalFiling = (v: string): string => v.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();
  const everyAscii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('');
  const samples = [
    everyAscii,
    ...Array.from({ length: 128 }, (_, c) => `Ab ${String.fromCharCode(c)} 9z`),
    'LASKAR PELANGI : sebuah novel /',
    'Hirata, Andrea, 1967-',
    '  The Art of War [2nd ed.]  ',
    '',
  ];

  it('isAscii tells U+0000–U+007F from the rest', () => {
    expect(isAscii(everyAscii)).toBe(true);
    expect(isAscii('')).toBe(true);
    expect(isAscii('caf\u00e9')).toBe(false);
    expect(isAscii('\u0080')).toBe(false);
    expect(isAscii('a\ud83d\ude00')).toBe(false);
  });

  it('folds, keys and files ASCII as the general path does', () => {
    for (const s of samples) {
      expect(foldText(s)).toBe(generalFold(s));
      expect(normalizeKey(s)).toBe(generalKey(s));
      expect(filingForm(s)).toBe(generalFiling(s));
    }
  });

  it('gives the same title key to an ASCII title and to the same title with an accent that folds away', () => {
    const ascii = 'the tale of the old and the new sea of the red sky and me';
    expect(createTitleKey(ascii)).toBe('thetaleoftheoldandthenewseaoftheredsky');
    // one character longer in UTF-16 before folding, same code-point counts
    expect(createTitleKey(ascii.replace('tale', 'tále'))).toBe('thetaleoftheoldandthenewseaoftheredsky');
    expect(createTitleKey(`${'x'.repeat(250)}`)).toBe('x'.repeat(200));
    expect(createTitleKey(`${'é'.repeat(250)}`)).toBe('e'.repeat(200));
  });
});
