import { describe, expect, it } from 'vitest';
import { numberVariants, spellingVariants, termVariants } from './term-variants.ts';

describe('query word variants', () => {
  it('spells Indonesian words the old and the new way', () => {
    expect(spellingVariants('pramudya')).toContain('pramoedya');
    expect(spellingVariants('toer')).toContain('tur');
    expect(spellingVariants('djakarta')).toContain('jakarta');
    expect(spellingVariants('tjerita')).toContain('cerita');
    expect(spellingVariants('njanji')).toContain('nyanyi');
    expect(spellingVariants('sjair')).toContain('syair');
    expect(spellingVariants('achir')).toContain('akhir');
    expect(spellingVariants('jogja')).toContain('yogya');
    expect(spellingVariants('noerbaja')).toContain('nurbaya');
  });

  it('writes numbers as digits and words in both languages', () => {
    expect(numberVariants('lima')).toEqual(expect.arrayContaining(['5', 'five']));
    expect(numberVariants('5')).toEqual(expect.arrayContaining(['lima', 'five']));
    expect(numberVariants('six')).toContain('6');
  });

  it('treats and, dan, et and und as one word, and leaves other words alone', () => {
    expect(termVariants('dan')).toEqual(expect.arrayContaining(['and', 'et', 'und']));
    expect(termVariants('pelangi')).not.toContain('pelangi');
    expect(spellingVariants('ab')).toEqual([]);
  });
});
