import { describe, expect, it } from 'vitest';
import { createTitleKey, filingForm, foldText, normalizeKey, trimPunctuation } from './text-normalize.ts';

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
