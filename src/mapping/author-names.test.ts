import { describe, expect, it } from 'vitest';
import { parseMrk } from '../../test/fixtures/mrk.ts';
import { authorFromField, cleanName, directOrder, invertedOrder, isPrimaryRole, surname } from './author-names.ts';
import { isDataField, type MarcDataField } from '../marc/marc-record.ts';

function field(line: string): MarcDataField {
  const f = parseMrk(line).fields.filter(isDataField)[0];
  if (!f) throw new Error('no field');
  return f;
}

describe('directOrder', () => {
  it('turns inverted names around', () => {
    expect(directOrder('Hirata, Andrea')).toBe('Andrea Hirata');
    expect(directOrder('Toer, Pramoedya Ananta')).toBe('Pramoedya Ananta Toer');
    expect(directOrder('King, Martin Luther, Jr.')).toBe('Martin Luther King Jr.');
  });

  it('keeps names without a comma', () => {
    expect(directOrder('Hamka')).toBe('Hamka');
    expect(directOrder('Pramoedya Ananta Toer')).toBe('Pramoedya Ananta Toer');
  });

  it('leaves dates out', () => {
    expect(directOrder('Hirata, Andrea, 1967-')).toBe('Andrea Hirata');
    expect(cleanName('Parsons, Robert, 1546-1610.')).toBe('Parsons, Robert');
  });
});

describe('invertedOrder and surname', () => {
  it('inverts direct names on their last word, as RecordManager keys them', () => {
    expect(invertedOrder('Pramoedya Ananta Toer')).toBe('Toer, Pramoedya Ananta');
    expect(invertedOrder('Toer, Pramoedya Ananta')).toBe('Toer, Pramoedya Ananta');
    expect(invertedOrder('Hamka')).toBe('Hamka');
  });

  it('finds the surname in either order', () => {
    expect(surname('Hirata, Andrea')).toBe('Hirata');
    expect(surname('Pramoedya Ananta Toer')).toBe('Toer');
    expect(surname('Toer, Pramoedya Ananta, 1925-2006')).toBe('Toer');
    expect(surname('Hamka')).toBe('Hamka');
  });
});

describe('authorFromField', () => {
  it('builds name, direct form and role from a 100', () => {
    expect(authorFromField(field('=100  1\\$aHirata, Andrea,$d1967-$eauthor.'))).toEqual({
      name: 'Hirata, Andrea',
      direct: 'Andrea Hirata',
      role: 'author',
    });
  });

  it('keeps forename entries (ind1=0) as they are', () => {
    expect(authorFromField(field('=100  0\\$aPramoedya Ananta Toer'))).toEqual({
      name: 'Pramoedya Ananta Toer',
      direct: 'Pramoedya Ananta Toer',
    });
  });

  it('includes numeration and titles in the name, relator codes in the role', () => {
    expect(authorFromField(field('=700  0\\$aJohn Paul$bII,$cPope,$d1920-2005,$4aut'))).toEqual({
      name: 'John Paul II, Pope',
      direct: 'John Paul II',
      role: 'aut',
    });
  });

  it('returns nothing without $a', () => {
    expect(authorFromField(field('=700  1\\$d1900-'))).toBeUndefined();
  });
});

describe('isPrimaryRole', () => {
  it('recognises author roles in English, Indonesian and as codes', () => {
    expect(isPrimaryRole('author')).toBe(true);
    expect(isPrimaryRole('aut')).toBe(true);
    expect(isPrimaryRole('Penulis.')).toBe(true);
    expect(isPrimaryRole('editor, ill')).toBe(false);
    expect(isPrimaryRole(undefined)).toBe(false);
  });
});
