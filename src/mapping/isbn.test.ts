import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isbnCandidate, normalizeIsbn, spacedIsbn, toIsbn10 } from './isbn.ts';

describe('normalizeIsbn', () => {
  it('turns the Indonesian ISBN-10 979-3062-79-7 into 978-979-…', () => {
    expect(normalizeIsbn('979-3062-79-7')).toEqual({ isbn13: '9789793062792', isbn10: '9793062797' });
  });

  it('takes the first token and ignores qualifiers', () => {
    expect(normalizeIsbn('979-3062-79-7 (pbk.)')).toEqual({ isbn13: '9789793062792', isbn10: '9793062797' });
    expect(normalizeIsbn('9780670026623 (alk. paper)')?.isbn13).toBe('9780670026623');
    expect(normalizeIsbn('ISBN: 978-0-670-02662-3')?.isbn13).toBe('9780670026623');
    expect(normalizeIsbn('978 0 670 02662 3')?.isbn13).toBe('9780670026623');
  });

  it('accepts an X check digit in either case', () => {
    expect(normalizeIsbn('067002662x')).toEqual({ isbn13: '9780670026623', isbn10: '067002662X' });
  });

  it('keeps a 979 ISBN-13 without an ISBN-10 form', () => {
    expect(normalizeIsbn('979-10-96908-02-8')).toEqual({ isbn13: '9791096908028' });
  });

  it('rejects wrong check digits and non-ISBN numbers', () => {
    expect(normalizeIsbn('3805515713 (v. 1)')).toBeNull();
    expect(normalizeIsbn('979-3062-79-8')).toBeNull();
    expect(normalizeIsbn('9789793062793')).toBeNull();
    expect(normalizeIsbn('0216-1234')).toBeNull(); // an ISSN
    expect(normalizeIsbn('9770216123004')).toBeNull(); // an ISSN barcode (977)
    expect(normalizeIsbn('Rp 45.000')).toBeNull();
    expect(normalizeIsbn('')).toBeNull();
  });

  it('accepts a correct check digit in a range isbn3 does not know', () => {
    // 978-0-00… is in range tables; a 978-6-xx group number beyond them still validates by checksum
    const nine = '699999999';
    const isbn10 = nine + checkDigit10(nine);
    expect(normalizeIsbn(isbn10)?.isbn10).toBe(isbn10);
  });
});

describe('isbnCandidate', () => {
  it('finds the ISBN-shaped token', () => {
    expect(isbnCandidate('pbk. 979-3062-79-7')).toBe('9793062797');
    expect(isbnCandidate('no number here')).toBeUndefined();
  });
});

describe('toIsbn10', () => {
  it('converts 978 ISBN-13s and refuses 979 and invalid ones', () => {
    expect(toIsbn10('9789793062792')).toBe('9793062797');
    expect(toIsbn10('978-0-670-02662-3')).toBe('067002662X');
    expect(toIsbn10('9791096908028')).toBeNull();
    expect(toIsbn10('9789793062793')).toBeNull();
  });
});

function checkDigit10(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(nine[i]);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

describe('ISBN-10 ↔ ISBN-13 round trip (property)', () => {
  const nineDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 });

  it('ISBN-10 → ISBN-13 → ISBN-10 gives back the same number', () => {
    fc.assert(
      fc.property(nineDigits, (nine) => {
        const isbn10 = nine + checkDigit10(nine);
        const normalized = normalizeIsbn(isbn10);
        expect(normalized).not.toBeNull();
        expect(normalized?.isbn13.startsWith('978')).toBe(true);
        expect(toIsbn10(normalized?.isbn13 ?? '')).toBe(isbn10);
        expect(normalizeIsbn(normalized?.isbn13 ?? '')).toEqual(normalized);
      }),
    );
  });

  it('hyphens and spaces do not change the result', () => {
    fc.assert(
      fc.property(nineDigits, fc.array(fc.constantFrom('-', ' ', ''), { minLength: 9, maxLength: 9 }), (nine, seps) => {
        const isbn10 = nine + checkDigit10(nine);
        const spelled = [...isbn10].map((ch, i) => ch + (seps[i] ?? '')).join('');
        expect(normalizeIsbn(spelled)).toEqual(normalizeIsbn(isbn10));
      }),
    );
  });

  it('a changed check digit is rejected', () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 1, max: 10 }), (nine, delta) => {
        const good = checkDigit10(nine);
        const goodValue = good === 'X' ? 10 : Number(good);
        const badValue = (goodValue + delta) % 11;
        const bad = badValue === 10 ? 'X' : String(badValue);
        expect(normalizeIsbn(nine + bad)).toBeNull();
      }),
    );
  });
});

describe('spacedIsbn (one pass instead of a rescanning pattern)', () => {
  // the pattern it replaces, kept here as the oracle for short inputs
  const OLD = /(?:\d[\s-]?){12}\d(?![\d\s-]*\d)|(?:\d[\s-]?){9}[\dXx](?![\d\s-]*\d)/u;

  it('finds exactly what the old pattern found', () => {
    const chars = fc.constantFrom('1', '9', '7', '0', 'X', 'x', ' ', '  ', '-', '\t', 'a', ';', '\u00a0');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(spacedIsbn(text)).toBe(OLD.exec(text)?.[0]);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads groups written with spaces and hyphens', () => {
    expect(isbnCandidate('978 979 3062 79 2')).toBe('9789793062792');
    expect(isbnCandidate('nomor 979 3062 79 X ya')).toBe('979306279X');
    expect(isbnCandidate('12 34 5')).toBeUndefined();
  });

  it('takes one pass over a megabyte of digits (steps grow with the length, not its square)', () => {
    // count the characters the scanner looks at through a string whose reads are counted
    const reads = (size: number): number => {
      let n = 0;
      const text = '1'.repeat(size);
      const counted = new Proxy(Object(text), {
        get(target, prop) {
          if (prop === 'charCodeAt') return (i: number) => (n++, text.charCodeAt(i));
          if (prop === 'length') return text.length;
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(text) : v;
        },
      }) as unknown as string;
      spacedIsbn(counted);
      return n;
    };
    const small = reads(10_000);
    expect(reads(100_000) / small).toBeLessThan(11);
    expect(reads(1_000_000) / small).toBeLessThan(110);
  });
});
