import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIso2709Record } from './iso2709-reader.ts';
import { isControlField } from './marc-record.ts';
import type { MarcRecord } from './marc-record.ts';
import { decodeMarc8 } from './marc8.ts';

const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const ascii = (s: string): string => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
const ESC = '1b';

describe('decodeMarc8', () => {
  it('passes ASCII through', () => {
    expect(decodeMarc8(hex(ascii('Hello, world 123')))).toEqual({ text: 'Hello, world 123', unknown: 0 });
  });

  it('puts an ANSEL diacritic after its base letter and composes it (NFC)', () => {
    expect(decodeMarc8(hex('e2 65'))).toEqual({ text: '\u00e9', unknown: 0 });
    expect(decodeMarc8(hex(`${ascii('Caf')} e2 65`)).text).toBe('Café');
    expect(decodeMarc8(hex(`${ascii('Ba')} f0 63 ${ascii('on')}`)).text).toBe('Baçon');
  });

  it('keeps stacked diacritics in their MARC-8 order', () => {
    // circumflex then acute: a + U+0302 + U+0301 = ấ; acute then circumflex is a different letter
    expect(decodeMarc8(hex('e3 e2 61')).text).toBe('a\u0302\u0301'.normalize('NFC'));
    expect(decodeMarc8(hex('e2 e3 61')).text).toBe('a\u0301\u0302'.normalize('NFC'));
    expect(decodeMarc8(hex('e2 e3 61')).text).not.toBe(decodeMarc8(hex('e3 e2 61')).text);
    // marks of different classes are reordered canonically by NFC: dot below + circumflex = ậ
    expect(decodeMarc8(hex('e3 f2 61')).text).toBe('\u1ead');
  });

  it('maps the ANSEL special letters and symbols', () => {
    expect(decodeMarc8(hex('a1 a2 a5 b1 b2 b5 b8 ba c3 c5 c7 c8')).text).toBe('ŁØÆłøæıð©¿ß€');
    expect(decodeMarc8(hex('ae b0')).text).toBe('\u02bc\u02bb'); // alif, ayn
  });

  it('joins the halves of a double diacritic into one Unicode double mark', () => {
    expect(decodeMarc8(hex('eb 74 ec 73')).text).toBe('t\u0361s');
    expect(decodeMarc8(hex('fa 6e fb 67')).text).toBe('n\u0360g');
  });

  it('drops the non-sort markers and maps the joiners', () => {
    expect(decodeMarc8(hex(`88 ${ascii('The ')} 89 ${ascii('Ring')}`)).text).toBe('The Ring');
    expect(decodeMarc8(hex('61 8d 62 8e 63')).text).toBe('a\u200db\u200cc');
  });

  it('switches G0 to Hebrew and back', () => {
    const r = decodeMarc8(hex(`${ESC} 28 32 60 61 6c 20 79 6c 65 6d ${ESC} 28 42 ${ascii(' ok')}`));
    expect(r).toEqual({ text: 'אבל שלום ok', unknown: 0 });
  });

  it('reads Hebrew points as combining marks written before their letter', () => {
    expect(decodeMarc8(hex(`${ESC} 28 32 41 60`)).text).toBe('\u05d0\u05b8');
  });

  it('switches G0 to Basic Cyrillic and G1 to Extended Cyrillic', () => {
    expect(decodeMarc8(hex(`${ESC} 28 4e 6d 4f 53 4b 57 41`)).text).toBe('Москва');
    expect(decodeMarc8(hex(`${ESC} 29 51 e4 c4`)).text).toBe('Ёё');
    expect(decodeMarc8(hex(`${ESC} 2d 51 e7`)).text).toBe('Ї'); // ESC - designates G1 too
    expect(decodeMarc8(hex(`${ESC} 2c 4e 41`)).text).toBe('а'); // ESC , designates G0 too
  });

  it('reads Arabic and Greek', () => {
    expect(decodeMarc8(hex(`${ESC} 28 33 47 48 31`)).text).toBe('اب١');
    expect(decodeMarc8(hex(`${ESC} 28 53 22 61 62 76 77`)).text).toBe('άβσς');
  });

  it('supports the one-byte escapes for subscripts, superscripts and Greek symbols', () => {
    expect(decodeMarc8(hex(`${ascii('H')} ${ESC} 62 32 ${ESC} 73 ${ascii('O')}`)).text).toBe('H₂O');
    expect(decodeMarc8(hex(`${ascii('x')} ${ESC} 70 32 ${ESC} 73`)).text).toBe('x²');
    expect(decodeMarc8(hex(`${ESC} 67 61 62 63 ${ESC} 73 ${ascii('-rays')}`)).text).toBe('αβγ-rays');
  });

  it('returns to the default sets at each subfield and reads the subfield code as ASCII', () => {
    const r = decodeMarc8(hex(`${ESC} 28 32 60 1f 61 60`));
    expect(r.text).toBe('א\u001fa`');
  });

  it('counts and replaces bytes it cannot map', () => {
    expect(decodeMarc8(hex('61 a0 ff af 62'))).toEqual({ text: 'a\ufffd\ufffd\ufffdb', unknown: 3 });
    expect(decodeMarc8(hex(`${ESC} 28 32 7f`))).toEqual({ text: '\ufffd', unknown: 1 });
  });

  it('replaces each EACC (CJK) character with one U+FFFD', () => {
    expect(decodeMarc8(hex(`${ESC} 24 31 21 30 64 21 30 64 ${ESC} 28 42 ${ascii('!')}`))).toEqual({ text: '\ufffd\ufffd!', unknown: 2 });
  });

  it('drops a diacritic left without a base letter, and counts it', () => {
    expect(decodeMarc8(hex('61 e2'))).toEqual({ text: 'a', unknown: 1 });
    expect(decodeMarc8(hex('61 e2 1f 62 63'))).toEqual({ text: 'a\u001fbc', unknown: 1 });
  });

  it('replaces a broken escape sequence and reads on', () => {
    expect(decodeMarc8(hex(`${ascii('Soci')} ${ESC} ${ascii('t')} e2 65`))).toEqual({ text: 'Soci\ufffdté', unknown: 1 });
    expect(decodeMarc8(hex(`${ascii('a')} ${ESC} 28`))).toEqual({ text: 'a\ufffd', unknown: 1 });
    expect(decodeMarc8(hex(`${ESC} 28 58 ${ascii('ab')}`))).toEqual({ text: '\ufffdab', unknown: 1 });
  });

  it('never throws and always returns NFC text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = decodeMarc8(bytes);
        expect(r.text).toBe(r.text.normalize('NFC'));
        expect(r.unknown).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Comparison with yaz-marcdump (Index Data's YAZ) over every MARC-8 record in the shared data.

const DATA = '/work/shared/data/marc';

/** Files marked "not valid UTF-8 (MARC-8/other)" whose "other" is a different charset: not compared. */
const NOT_MARC8: Readonly<Record<string, string>> = {
  'pymarc/1251.dat': 'Windows-1251, not MARC-8',
  'ruby-marc/cp866_multirecord.marc': 'cp866 UNIMARC, not MARC-8',
  'ruby-marc/cp866_unimarc.marc': 'cp866 UNIMARC, not MARC-8',
};

/**
 * Fields where Jala deliberately differs from yaz (file → tags), besides the general rules applied
 * to every field: yaz drops what it cannot map where Jala writes U+FFFD (removed before comparing),
 * and yaz writes the non-sort markers as U+0098/U+009C where Jala drops them.
 */
const KNOWN_DIFFERENCES: Readonly<Record<string, { tags: string[]; why: string }>> = {
  'marc4j/samples_diacritic4.mrc': { tags: ['500'], why: 'a lone ligature second half (0xEC) is kept as U+FE21; yaz drops it' },
  'pymarc/bad_eacc_encoding.dat': { tags: ['880'], why: 'EACC (CJK) is not mapped: U+FFFD' },
  'pymarc/bad_marc8_escape.dat': {
    tags: ['222', '245', '260', '580', '710', '780'],
    why: 'stray ESC bytes: Jala replaces the ESC and reads on; yaz drops the whole subfield',
  },
  'ruby-marc/marc8_accented_chars.marc': {
    tags: ['100', '245', '490', '505'],
    why: 'leader/09 says UTF-8 but the bytes are MARC-8: Jala decodes MARC-8; yaz trusts the leader and loses the subfields',
  },
  'traject/bad_utf_byte.utf8.marc': { tags: ['300'], why: 'a stray byte in a record declared UTF-8; yaz loses the subfield' },
  'marc4j/sample1.mrc': { tags: ['245'], why: 'five bytes of broken UTF-8 in a record declared UTF-8: both sides produce junk' },
};

function marc8Files(): string[] {
  const sources = readFileSync(join(DATA, 'SOURCES.md'), 'utf8');
  const files: string[] = [];
  for (const line of sources.split('\n')) {
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m?.[1] && line.includes('| ISO 2709 |') && line.includes('not valid UTF-8 (MARC-8/other)')) files.push(m[1]);
  }
  return files;
}

/** Records as byte slices, split on the record terminator (test helper; the reader does this for real). */
function recordSlices(data: Uint8Array): { bytes: Uint8Array; offset: number }[] {
  const out: { bytes: Uint8Array; offset: number }[] = [];
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(0x1d, start);
    if (end < 0) end = data.length - 1;
    let s = start;
    while (s < end && (data[s] === 0x0a || data[s] === 0x0d)) s++;
    if (end + 1 - s >= 24) out.push({ bytes: data.subarray(s, end + 1), offset: s });
    start = end + 1;
  }
  return out;
}

function fieldLines(record: MarcRecord): string[] {
  return record.fields.map((f) =>
    isControlField(f) ? `${f.tag} ${f.value}` : `${f.tag} ${f.ind1}${f.ind2}${f.subfields.map((s) => `$${s.code}${s.value}`).join('')}`,
  );
}

const unescapeXml = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[e] ?? String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });

/** yaz's MARCXML for one record, as field lines like fieldLines(), NFC, non-sort markers removed. */
function yazFieldLines(xml: string): string[] {
  const out: string[] = [];
  const fieldRe =
    /<controlfield tag="([^"]*)">([\s\S]*?)<\/controlfield>|<datafield tag="([^"]*)" ind1="([^"]*)" ind2="([^"]*)">([\s\S]*?)<\/datafield>/g;
  for (const m of xml.matchAll(fieldRe)) {
    if (m[1] !== undefined) {
      out.push(`${m[1]} ${unescapeXml(m[2] ?? '')}`);
      continue;
    }
    const subfields = [...(m[6] ?? '').matchAll(/<subfield code="([^"]*)">([\s\S]*?)<\/subfield>/g)]
      .map((s) => `$${unescapeXml(s[1] ?? '')}${unescapeXml(s[2] ?? '')}`)
      .join('');
    out.push(`${m[3]} ${unescapeXml(m[4] ?? '')}${unescapeXml(m[5] ?? '')}${subfields}`);
  }
  return out.map((l) => l.replace(/[\u0098\u009c]/g, '').normalize('NFC'));
}

describe('MARC-8 decoding compared with yaz-marcdump', () => {
  const work = mkdtempSync(join(tmpdir(), 'jala-marc8-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('decodes every field of every MARC-8 record in the shared data as yaz does', () => {
    const probe = spawnSync('yaz-marcdump', ['-V'], { encoding: 'utf8' });
    if (probe.error) {
      throw new Error('yaz-marcdump is not installed: the MARC-8 comparison needs it (apt-get install -y yaz)');
    }
    const files = marc8Files();
    expect(files.length).toBeGreaterThanOrEqual(30);

    const perFile: string[] = [];
    const fileRates = new Map<string, { equal: number; fields: number }>();
    const unexpected: string[] = [];
    let total = 0;
    let exact = 0;
    let equalWithoutReplacements = 0;
    let known = 0;
    for (const file of files) {
      if (NOT_MARC8[file]) continue;
      const data = readFileSync(join(DATA, file));
      let fileFields = 0;
      let fileEqual = 0;
      for (const { bytes, offset } of recordSlices(data)) {
        const ours = parseIso2709Record(bytes, file, offset);
        if (!ours.ok || ours.source.encoding !== 'marc8') continue;
        const path = join(work, 'record.mrc');
        writeFileSync(path, bytes);
        const xml = execFileSync('yaz-marcdump', ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marcxml', path], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        const mine = fieldLines(ours.record);
        const theirs = yazFieldLines(xml);
        for (let k = 0; k < Math.max(mine.length, theirs.length); k++) {
          total++;
          fileFields++;
          const a = mine[k] ?? '(missing)';
          const b = theirs[k] ?? '(missing)';
          if (a === b) exact++;
          if (a.replace(/\ufffd/g, '') === b) {
            equalWithoutReplacements++;
            fileEqual++;
            continue;
          }
          if (KNOWN_DIFFERENCES[file]?.tags.includes(a.slice(0, 3))) {
            known++;
            continue;
          }
          unexpected.push(`${file} @${offset} field ${k + 1}\n  jala: ${JSON.stringify(a)}\n  yaz:  ${JSON.stringify(b)}`);
        }
      }
      perFile.push(`${file}: ${fileEqual}/${fileFields}`);
      fileRates.set(file, { equal: fileEqual, fields: fileFields });
    }
    const rate = (n: number): string => `${((100 * n) / total).toFixed(2)} %`;
    console.info(
      [
        `MARC-8 fields compared with yaz-marcdump: ${total}`,
        `  identical: ${exact} (${rate(exact)})`,
        `  identical once Jala's U+FFFD are removed: ${equalWithoutReplacements} (${rate(equalWithoutReplacements)})`,
        `  known, documented differences: ${known}`,
        ...perFile.map((l) => `  ${l}`),
      ].join('\n'),
    );
    expect(unexpected, unexpected.slice(0, 10).join('\n')).toEqual([]);
    expect(total).toBeGreaterThan(5000);
    // the Latin (95 MARC-8 records) and Hebrew (20) files match field for field
    expect(fileRates.get('evergreen/jazz_1k.mrc')).toEqual({ equal: 1924, fields: 1924 });
    expect(fileRates.get('evergreen/hebrew.marc')).toEqual({ equal: 562, fields: 562 });
  });
});
