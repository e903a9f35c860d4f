import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readCommandLine } from './command-input.ts';
import { COMMAND_SCHEMAS, parseCommand } from './command-schemas.ts';
import { COMMANDS } from './command-table.ts';

const parse = (line: string) => {
  const input = readCommandLine(line);
  if (!input) throw new Error(`no command: ${line}`);
  return parseCommand(input);
};

describe('the command schemas', () => {
  it('have one schema per command-table entry, with the table’s argument names', () => {
    const fromTable = new Map<string, string[]>();
    for (const c of COMMANDS) {
      if (c.subcommands.length === 0) fromTable.set(c.name, c.args.map((a) => a.name).sort());
      for (const s of c.subcommands) fromTable.set(`${c.name} ${s.name}`, s.args.map((a) => a.name).sort());
    }
    expect(Object.keys(COMMAND_SCHEMAS).sort()).toEqual([...fromTable.keys()].sort());
    for (const [key, schema] of Object.entries(COMMAND_SCHEMAS)) {
      const object = schema instanceof z.ZodPipe ? (schema.in as z.ZodObject) : (schema as z.ZodObject);
      expect(Object.keys(object.shape).sort(), key).toEqual(fromTable.get(key));
    }
  });

  it('reads a typed request with its need-by date and a note that keeps its lines', () => {
    const r = parse('/ill request Laskar Pelangi: edisi ulang tahun need-by:2026-12-01 note: untuk kelas\nhari Senin');
    expect(r).toEqual({ ok: true, command: { key: 'ill request', values: { item: 'Laskar Pelangi: edisi ulang tahun', 'need-by': '2026-12-01', note: 'untuk kelas\nhari Senin' } } });
  });

  it('turns request ids into numbers, whichever way they are written', () => {
    for (const id of ['R12', 'r12', '#12', '12']) expect(parse(`/ill status ${id}`)).toEqual({ ok: true, command: { key: 'ill status', values: { id: 12 } } });
    expect(parse('/ill decline R3 not-held, sorry')).toEqual({ ok: true, command: { key: 'ill decline', values: { id: 3, details: 'not-held, sorry' } } });
  });

  it('names what is wrong: a bad id, an impossible date, a missing argument, an unknown command', () => {
    expect(parse('/ill accept X7')).toEqual({ ok: false, problem: { code: 'ill/bad-id', command: 'ill', subcommand: 'accept', value: 'X7' } });
    expect(parse('/ill request bumi manusia need-by:2026-02-30')).toEqual({ ok: false, problem: { code: 'ill/bad-date', command: 'ill', subcommand: 'request', value: '2026-02-30' } });
    expect(parse('/ill status')).toEqual({ ok: false, problem: { code: 'bot/usage', command: 'ill', subcommand: 'status' } });
    expect(parse('/ill frobnicate R1')).toEqual({ ok: false, problem: { code: 'bot/usage', command: 'ill', subcommand: 'frobnicate' } });
    expect(parse('/jala overlap UGM')).toEqual({ ok: false, problem: { code: 'bot/usage', command: 'jala', subcommand: 'overlap' } });
    expect(parse('/jala overlap UGM UI USU')).toEqual({ ok: false, problem: { code: 'bot/usage', command: 'jala', subcommand: 'overlap' } });
    expect(parse('/pinjam buku')).toEqual({ ok: false, problem: { code: 'bot/unknown-command', command: 'pinjam' } });
  });

  it('reads /reindex in either order, with “all” for every library', () => {
    expect(parse('/reindex UGM full')).toEqual({ ok: true, command: { key: 'reindex', values: { full: true, library: 'UGM' } } });
    expect(parse('/reindex penuh UGM')).toEqual({ ok: true, command: { key: 'reindex', values: { full: true, library: 'UGM' } } });
    expect(parse('/reindex semua')).toEqual({ ok: true, command: { key: 'reindex', values: { full: false } } });
    expect(parse('/reindex UGM UI')).toMatchObject({ ok: false, problem: { code: 'bot/usage' } });
  });

  it('validates options that arrive typed (Discord) by the same schemas', () => {
    expect(parseCommand({ command: 'ill', subcommand: 'request', values: { item: 'bumi manusia', 'need-by': 'next week' } })).toEqual({
      ok: false, problem: { code: 'ill/bad-date', command: 'ill', subcommand: 'request', value: 'next week' },
    });
    // an optional option left empty is absent
    expect(parseCommand({ command: 'ill', subcommand: 'request', values: { item: 'bumi manusia', note: '' } })).toEqual({ ok: true, command: { key: 'ill request', values: { item: 'bumi manusia' } } });
  });

  it('keeps help forgiving: words after a subcommand that takes none are ignored', () => {
    expect(parse('/ill mine please')).toEqual({ ok: true, command: { key: 'ill mine', values: {} } });
  });
});
