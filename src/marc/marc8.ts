/**
 * MARC-8 → Unicode.
 *
 * MARC-8 is the ISO 2022-style encoding of pre-Unicode MARC 21 records (Library of Congress,
 * "MARC 21 Specifications — Character Sets: MARC-8 encoding environment" and its code tables).
 * Two working sets are in force at any time: G0, invoked by bytes 0x21–0x7E (default Basic Latin
 * = ASCII), and G1, invoked by bytes 0xA1–0xFE (default ANSEL Extended Latin). Escape sequences
 * re-designate either set. Combining marks are written BEFORE their base character in MARC-8 and
 * after it in Unicode, so the decoder holds marks back until the base arrives.
 *
 * Each table below maps the 7-bit code of a character (0x21–0x7E) to a Unicode code point; a
 * set designated into G1 is looked up with the high bit stripped (0xE1 → 0x61), as ISO 2022 does.
 *
 * Not supported: the East Asian set EACC (final '1', three bytes a character). Each of its
 * characters becomes U+FFFD and is counted in `unknown`.
 */

export interface Marc8Decoded {
  text: string;
  /** bytes or byte sequences that could not be mapped (each emitted as U+FFFD, or dropped when noted) */
  unknown: number;
}

interface CodedCharacterSet {
  readonly name: string;
  /** bytes per character */
  readonly width: 1 | 3;
  /** 7-bit code → Unicode code point */
  readonly chars: ReadonlyMap<number, number>;
  /** 7-bit codes of combining marks (written before their base character) */
  readonly combining: ReadonlySet<number>;
}

/** A run of consecutive 7-bit codes starting at `from`, with one code point each. */
type Run = readonly [from: number, codePoints: readonly number[]];

function characterSet(
  name: string,
  runs: readonly Run[],
  combiningRuns: readonly Run[] = [],
  width: 1 | 3 = 1,
): CodedCharacterSet {
  const chars = new Map<number, number>();
  const combining = new Set<number>();
  for (const [from, codePoints] of runs) codePoints.forEach((cp, i) => chars.set(from + i, cp));
  for (const [from, codePoints] of combiningRuns) {
    codePoints.forEach((cp, i) => {
      chars.set(from + i, cp);
      combining.add(from + i);
    });
  }
  return { name, width, chars, combining };
}

/** Code points from..to inclusive. */
function span(from: number, to: number): number[] {
  const out: number[] = [];
  for (let cp = from; cp <= to; cp++) out.push(cp);
  return out;
}

const BASIC_LATIN = characterSet('Basic Latin (ASCII)', [[0x21, span(0x21, 0x7e)]]);

const ANSEL = characterSet(
  'Extended Latin (ANSEL)',
  [
    // 0xA1–0xAE: Ł Ø Đ Þ Æ Œ ʹ · ♭ ® ± Ơ Ư ʼ
    [0x21, [0x0141, 0x00d8, 0x0110, 0x00de, 0x00c6, 0x0152, 0x02b9, 0x00b7, 0x266d, 0x00ae, 0x00b1, 0x01a0, 0x01af, 0x02bc]],
    // 0xB0–0xBA: ʻ ł ø đ þ æ œ ʺ ı £ ð
    [0x30, [0x02bb, 0x0142, 0x00f8, 0x0111, 0x00fe, 0x00e6, 0x0153, 0x02ba, 0x0131, 0x00a3, 0x00f0]],
    // 0xBC–0xBD: ơ ư
    [0x3c, [0x01a1, 0x01b0]],
    // 0xC0–0xC8: ° ℓ ℗ © ♯ ¿ ¡ ß €
    [0x40, [0x00b0, 0x2113, 0x2117, 0x00a9, 0x266f, 0x00bf, 0x00a1, 0x00df, 0x20ac]],
  ],
  [
    // 0xE0–0xFB: hook above, grave, acute, circumflex, tilde, macron, breve, dot above, diaeresis,
    // caron, ring above, ligature left/right half, comma above right, double acute, candrabindu,
    // cedilla, ogonek, dot below, diaeresis below, ring below, double low line, low line,
    // comma below, left half ring below, breve below, double tilde left/right half
    [0x60, [
      0x0309, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0308, 0x030c, 0x030a, 0xfe20,
      0xfe21, 0x0315, 0x030b, 0x0310, 0x0327, 0x0328, 0x0323, 0x0324, 0x0325, 0x0333, 0x0332, 0x0326,
      0x031c, 0x032e, 0xfe22, 0xfe23,
    ]],
    // 0xFE: comma above (high comma, centred)
    [0x7e, [0x0313]],
  ],
);

/** ASCII punctuation and digits 0x21–0x3F, shared (with substitutions) by the non-Latin G0 sets. */
function asciiPunctuation(substitutions: Readonly<Record<number, number>> = {}): Run {
  return [0x21, span(0x21, 0x3f).map((c) => substitutions[c] ?? c)];
}

const BASIC_HEBREW = characterSet(
  'Basic Hebrew',
  [
    asciiPunctuation({ 0x22: 0x05f4, 0x27: 0x05f3, 0x2d: 0x05be }), // gershayim, geresh, maqaf
    [0x5b, [0x5b]],
    [0x5d, [0x5d]],
    [0x60, span(0x05d0, 0x05ea)], // alef … tav, finals in Unicode order
    [0x7b, [0x05f0, 0x05f1, 0x05f2]], // Yiddish ligatures
  ],
  [
    // points: patah, qamats, segol, tsere, hiriq, holam, qubuts, sheva, hataf patah, hataf qamats,
    // hataf segol, dagesh, rafe, shin dot, varika
    [0x40, [0x05b7, 0x05b8, 0x05b6, 0x05b5, 0x05b4, 0x05b9, 0x05bb, 0x05b0, 0x05b2, 0x05b3, 0x05b1, 0x05bc, 0x05bf, 0x05c1, 0xfb1e]],
  ],
);

const BASIC_CYRILLIC = characterSet('Basic Cyrillic', [
  asciiPunctuation(),
  // 0x40–0x5F lower case in KOI order: ю а б ц д е ф г х и й к л м н о п я р с т у ж в ь ы з ш э щ ч ъ
  [0x40, [
    0x044e, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433, 0x0445, 0x0438, 0x0439, 0x043a,
    0x043b, 0x043c, 0x043d, 0x043e, 0x043f, 0x044f, 0x0440, 0x0441, 0x0442, 0x0443, 0x0436, 0x0432,
    0x044c, 0x044b, 0x0437, 0x0448, 0x044d, 0x0449, 0x0447, 0x044a,
  ]],
  // 0x60–0x7E upper case, same order (no capital hard sign here: it is in Extended Cyrillic)
  [0x60, [
    0x042e, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413, 0x0425, 0x0418, 0x0419, 0x041a,
    0x041b, 0x041c, 0x041d, 0x041e, 0x041f, 0x042f, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
    0x042c, 0x042b, 0x0417, 0x0428, 0x042d, 0x0429, 0x0427,
  ]],
]);

const EXTENDED_CYRILLIC = characterSet('Extended Cyrillic', [
  // 0xC0–0xCE: ґ ђ ѓ є ё ѕ і ї ј љ њ ћ ќ ў џ
  [0x40, [0x0491, 0x0452, 0x0453, 0x0454, 0x0451, 0x0455, 0x0456, 0x0457, 0x0458, 0x0459, 0x045a, 0x045b, 0x045c, 0x045e, 0x045f]],
  // 0xD0–0xD3: ѣ ѳ ѵ ѫ
  [0x50, [0x0463, 0x0473, 0x0475, 0x046b]],
  [0x5b, [0x5b]],
  [0x5d, [0x5d]],
  [0x5f, [0x5f]],
  // 0xE0–0xF3: Ґ Ђ Ѓ Є Ё Ѕ І Ї Ј Љ Њ Ћ Ќ Ў Џ Ъ Ѣ Ѳ Ѵ Ѫ
  [0x60, [
    0x0490, 0x0402, 0x0403, 0x0404, 0x0401, 0x0405, 0x0406, 0x0407, 0x0408, 0x0409, 0x040a, 0x040b,
    0x040c, 0x040e, 0x040f, 0x042a, 0x0462, 0x0472, 0x0474, 0x046a,
  ]],
]);

const BASIC_ARABIC = characterSet(
  'Basic Arabic',
  [
    asciiPunctuation({
      0x25: 0x066a, 0x2a: 0x066d, 0x2c: 0x060c, 0x3b: 0x061b, 0x3f: 0x061f,
      ...Object.fromEntries(span(0x30, 0x39).map((c) => [c, c - 0x30 + 0x0660])), // Arabic-Indic digits
    }),
    [0x41, span(0x0621, 0x063a)], // hamza … ghain
    [0x5b, [0x5b]],
    [0x5d, [0x5d]],
    [0x60, span(0x0640, 0x064a)], // tatweel, feh … yeh
    [0x73, [0x0671, 0x0670]], // alef wasla, superscript alef
    [0x78, [0x066c, 0x201d, 0x201c]], // thousands separator, quotation marks
  ],
  [[0x6b, span(0x064b, 0x0652)]], // fathatan … sukun
);

const EXTENDED_ARABIC = characterSet(
  'Extended Arabic',
  [
    [0x21, [
      0x06fd, 0x0672, 0x0673, 0x0679, 0x067a, 0x067b, 0x067c, 0x067d, 0x067e, 0x067f, 0x0680, 0x0681,
      0x0682, 0x0683, 0x0684, 0x0685, 0x0686, 0x06bf, 0x0687, 0x0688, 0x0689, 0x068a, 0x068b, 0x068c,
      0x068d, 0x068e, 0x068f, 0x0690, 0x0691, 0x0692, 0x0693, 0x0694, 0x0695, 0x0696, 0x0697, 0x0698,
      0x0699, 0x069a, 0x069b, 0x069c, 0x06fa, 0x069d, 0x069e, 0x06fb, 0x069f, 0x06a0, 0x06fc,
    ]],
    [0x50, span(0x06a1, 0x06b8)],
    [0x68, [0x06ba, 0x06bb, 0x06bc, 0x06bd, 0x06b9, 0x06be, 0x06c0, 0x06c4, 0x06c5, 0x06c6, 0x06ca, 0x06cb, 0x06cd, 0x06ce, 0x06d0, 0x06d2, 0x06d3]],
  ],
  [[0x7d, [0x0306, 0x030c]]], // short e, short u
);

const BASIC_GREEK = characterSet(
  'Basic Greek',
  [
    [0x30, [0x00ab, 0x00bb, 0x201c, 0x201d, 0x0374, 0x0375]],
    [0x3b, [0x0387]],
    [0x3f, [0x037e]],
    [0x41, [0x0391, 0x0392]],
    [0x44, [0x0393, 0x0394, 0x0395, 0x03da, 0x03dc, 0x0396, 0x0397, 0x0398, 0x0399, 0x039a, 0x039b, 0x039c, 0x039d, 0x039e, 0x039f, 0x03a0, 0x03de, 0x03a1, 0x03a3]],
    [0x58, [0x03a4, 0x03a5, 0x03a6, 0x03a7, 0x03a8, 0x03a9, 0x03e0]],
    [0x61, [
      0x03b1, 0x03b2, 0x03d0, 0x03b3, 0x03b4, 0x03b5, 0x03db, 0x03dd, 0x03b6, 0x03b7, 0x03b8, 0x03b9,
      0x03ba, 0x03bb, 0x03bc, 0x03bd, 0x03be, 0x03bf, 0x03c0, 0x03df, 0x03c1, 0x03c3, 0x03c2, 0x03c4,
      0x03c5, 0x03c6, 0x03c7, 0x03c8, 0x03c9, 0x03e1,
    ]],
  ],
  // grave, acute, diaeresis, perispomeni, smooth breathing, rough breathing, iota subscript
  [[0x21, [0x0300, 0x0301, 0x0308, 0x0342, 0x0313, 0x0314, 0x0345]]],
);

// ( ) at 0x28–0x29, + at 0x2B, - at 0x2D, digits at 0x30–0x39
const SUBSCRIPTS = characterSet('Subscripts', [
  [0x28, [0x208d, 0x208e]],
  [0x2b, [0x208a]],
  [0x2d, [0x208b]],
  [0x30, span(0x2080, 0x2089)],
]);
const SUPERSCRIPTS = characterSet('Superscripts', [
  [0x28, [0x207d, 0x207e]],
  [0x2b, [0x207a]],
  [0x2d, [0x207b]],
  [0x30, [0x2070, 0x00b9, 0x00b2, 0x00b3, ...span(0x2074, 0x2079)]],
]);
const GREEK_SYMBOLS = characterSet('Greek Symbols', [[0x61, [0x03b1, 0x03b2, 0x03b3]]]);

/** EACC is recognised (so its three-byte characters are consumed whole) but has no table here. */
const EACC = characterSet('East Asian (EACC)', [], [], 3);

/** Final characters of the ESC ( / ESC , / ESC ) / ESC - / ESC $ designation sequences. */
const BY_FINAL: ReadonlyMap<number, CodedCharacterSet> = new Map([
  [0x42, BASIC_LATIN], // 'B'
  [0x45, ANSEL], // 'E'
  [0x32, BASIC_HEBREW], // '2'
  [0x4e, BASIC_CYRILLIC], // 'N'
  [0x51, EXTENDED_CYRILLIC], // 'Q'
  [0x33, BASIC_ARABIC], // '3'
  [0x34, EXTENDED_ARABIC], // '4'
  [0x53, BASIC_GREEK], // 'S'
  [0x31, EACC], // '1' (multibyte)
]);

/** The one-byte technique: ESC g / ESC b / ESC p / ESC s designate into G0. */
const BY_SHORT_ESCAPE: ReadonlyMap<number, CodedCharacterSet> = new Map([
  [0x67, GREEK_SYMBOLS], // 'g'
  [0x62, SUBSCRIPTS], // 'b'
  [0x70, SUPERSCRIPTS], // 'p'
  [0x73, BASIC_LATIN], // 's'
]);

const G0_INTERMEDIATES = new Set([0x28, 0x2c]); // '(' ','
const G1_INTERMEDIATES = new Set([0x29, 0x2d]); // ')' '-'

/** C1 controls with a meaning in MARC-8: null string = drop. */
const C1_CONTROLS: ReadonlyMap<number, string> = new Map([
  [0x88, ''], // non-sort begin (NSB)
  [0x89, ''], // non-sort end (NSE)
  [0x8d, '\u200d'], // joiner
  [0x8e, '\u200c'], // non-joiner
]);

/**
 * MARC-8 splits the double diacritics (ligature, double tilde) into a first and a second half,
 * each written before the letter it spans. Unicode has one double-width mark after the first
 * letter (U+0361, U+0360); the second half is then dropped.
 */
const DOUBLE_DIACRITICS: ReadonlyMap<number, { replacement: number; secondHalf: number }> = new Map([
  [0xfe20, { replacement: 0x0361, secondHalf: 0xfe21 }],
  [0xfe22, { replacement: 0x0360, secondHalf: 0xfe23 }],
]);

const ESC = 0x1b;
const SUBFIELD_DELIMITER = 0x1f;
const REPLACEMENT = '\ufffd';

/**
 * Decode the MARC-8 bytes of one field (between field terminators) to NFC Unicode.
 *
 * The designations return to the defaults (G0 ASCII, G1 ANSEL) at the start of the field and
 * after every subfield delimiter (0x1F), and the subfield code after a delimiter is read as ASCII,
 * as the MARC 21 structure requires. Combining marks with no base before the end of a subfield
 * are dropped and counted as unknown.
 */
export function decodeMarc8(bytes: Uint8Array): Marc8Decoded {
  let g0 = BASIC_LATIN;
  let g1 = ANSEL;
  let unknown = 0;
  let out = '';
  let pending: number[] = [];
  /** second halves of double diacritics still expected (each is dropped when it arrives) */
  let awaitedSecondHalves: number[] = [];

  const emitBase = (text: string): void => {
    out += text;
    for (const mark of pending) out += String.fromCodePoint(mark);
    pending = [];
  };
  const addMark = (mark: number): void => {
    const double = DOUBLE_DIACRITICS.get(mark);
    if (double) {
      pending.push(double.replacement);
      awaitedSecondHalves.push(double.secondHalf);
      return;
    }
    const awaited = awaitedSecondHalves.indexOf(mark);
    if (awaited >= 0) {
      awaitedSecondHalves.splice(awaited, 1);
      return;
    }
    pending.push(mark);
  };
  const endSubfield = (): void => {
    unknown += pending.length;
    pending = [];
    awaitedSecondHalves = [];
    g0 = BASIC_LATIN;
    g1 = ANSEL;
  };
  const lookUp = (set: CodedCharacterSet, code: number): void => {
    const cp = set.chars.get(code);
    if (cp === undefined) {
      unknown++;
      emitBase(REPLACEMENT);
    } else if (set.combining.has(code)) {
      addMark(cp);
    } else {
      emitBase(String.fromCodePoint(cp));
    }
  };

  let i = 0;
  /** no EACC table: one U+FFFD for each three-byte character; returns the bytes it took */
  const skipWide = (low: number, high: number): number => {
    unknown++;
    emitBase(REPLACEMENT);
    return wideCharacterLength(bytes, i, low, high);
  };
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b === ESC) {
      const consumed = designate(bytes, i);
      if (consumed.g0) g0 = consumed.g0;
      if (consumed.g1) g1 = consumed.g1;
      if (consumed.unknown) {
        unknown++;
        emitBase(REPLACEMENT);
      }
      i += consumed.length;
      continue;
    }
    if (b === SUBFIELD_DELIMITER) {
      endSubfield();
      out += '\u001f';
      const code = bytes[i + 1];
      if (code !== undefined && code >= 0x20 && code < 0x7f) {
        out += String.fromCharCode(code);
        i += 2;
      } else {
        i += 1;
      }
      continue;
    }
    if (b < 0x20) {
      // other C0 controls (and the field/record terminators, should they be passed in): keep
      emitBase(String.fromCharCode(b));
      i++;
      continue;
    }
    if (b === 0x20) {
      emitBase(' ');
      i++;
      continue;
    }
    if (b < 0x7f) {
      if (g0.width === 3) {
        i += skipWide(0x21, 0x7e);
        continue;
      }
      lookUp(g0, b);
      i++;
      continue;
    }
    const control = C1_CONTROLS.get(b);
    if (control !== undefined) {
      if (control !== '') emitBase(control);
      i++;
      continue;
    }
    if (b >= 0xa1 && b <= 0xfe) {
      if (g1.width === 3) {
        i += skipWide(0xa1, 0xfe);
        continue;
      }
      lookUp(g1, b & 0x7f);
      i++;
      continue;
    }
    // DEL, the remaining C1 controls, 0xA0 and 0xFF have no meaning in MARC-8
    unknown++;
    emitBase(REPLACEMENT);
    i++;
  }
  unknown += pending.length;
  return { text: out.normalize('NFC'), unknown };
}

interface Designation {
  /** bytes consumed, ESC included */
  length: number;
  g0?: CodedCharacterSet;
  g1?: CodedCharacterSet;
  /** not a sequence MARC-8 defines */
  unknown: boolean;
}

/**
 * Read the escape sequence at `at` (bytes[at] is ESC). A well-formed designation of a set MARC-8
 * does not define is consumed whole; an ESC followed by anything else is consumed alone, so the
 * bytes after it are still read as text.
 */
function designate(bytes: Uint8Array, at: number): Designation {
  const next = bytes[at + 1];
  const short = next === undefined ? undefined : BY_SHORT_ESCAPE.get(next);
  if (short) return { length: 2, g0: short, unknown: false };

  // ESC I F, ESC $ F (G0, multibyte), ESC $ I F
  let length = 1;
  let multibyte = false;
  if (bytes[at + length] === 0x24) {
    multibyte = true;
    length++;
  }
  const intermediate = bytes[at + length];
  let target: 'g0' | 'g1';
  if (intermediate !== undefined && G0_INTERMEDIATES.has(intermediate)) target = 'g0';
  else if (intermediate !== undefined && G1_INTERMEDIATES.has(intermediate)) target = 'g1';
  else if (multibyte) {
    target = 'g0';
    length--; // ESC $ F has no intermediate of its own
  } else return { length: 1, unknown: true };
  length++;
  const final = bytes[at + length];
  if (final === undefined || final < 0x30 || final > 0x7e) return { length, unknown: true };
  length++;
  const set = BY_FINAL.get(final);
  if (!set || (set.width === 3) !== multibyte) return { length, unknown: true };
  return { length, [target]: set, unknown: false };
}

/** Bytes of the three-byte character at `at`: fewer when a byte outside low..high cuts it short. */
function wideCharacterLength(bytes: Uint8Array, at: number, low: number, high: number): number {
  let n = 1;
  while (n < 3) {
    const b = bytes[at + n];
    if (b === undefined || b < low || b > high) break;
    n++;
  }
  return n;
}
