/**
 * A chat command as it arrives, before validation: the command, its subcommand and its argument
 * values by name. Discord's options and the adapters' typed inputs arrive in this form directly;
 * a typed command line ("/ill request laskar pelangi need-by:2026-12-01") is read into it here, by
 * the command table, so that both go through the same schemas (command-schemas.ts).
 */
import { commandSpec, type CommandArg } from './command-table.ts';
import { parseCommandLine } from './parse-command-line.ts';

export interface CommandInput {
  command: string;
  subcommand?: string;
  /** argument values by the command table's names */
  values: Readonly<Record<string, string>>;
  /** words no argument took (a usage error for commands that take none) */
  extra?: readonly string[];
}

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Whitespace-separated words with their offsets, in one pass. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** The original text from the first to the last of the given tokens, keeping the spacing between neighbours. */
function joinTokens(source: string, list: readonly Token[], all: readonly Token[]): string {
  let out = '';
  for (let i = 0; i < list.length; i++) {
    const t = list[i] as Token;
    if (i > 0) {
      const prev = list[i - 1] as Token;
      // neighbours in the line keep what stood between them (newlines in a note or an FAQ answer)
      out += all.indexOf(prev) + 1 === all.indexOf(t) ? source.slice(prev.end, t.start) : ' ';
    }
    out += t.text;
  }
  return out;
}

/** One word (an id, a date, a library code) or free text. */
const singleWord = (arg: CommandArg): boolean => arg.kind !== 'text';

/**
 * "/ill request laskar pelangi need-by:2026-12-01 note: for Monday" →
 * { command: 'ill', subcommand: 'request', values: { item: 'laskar pelangi', 'need-by': '2026-12-01', note: 'for Monday' } }.
 * Optional arguments may be written `name:value`; the others are taken by position, and the last free-text
 * argument takes the rest. Undefined when the line is no command.
 */
export function readCommandLine(line: string): CommandInput | undefined {
  const parsed = parseCommandLine(line);
  if (parsed.command === '') return undefined;
  const spec = commandSpec(parsed.command);
  if (!spec) return { command: parsed.command, values: {} };
  let rest = parsed.rest;
  let subcommand: string | undefined;
  if (spec.subcommands.length > 0) {
    const first = /^\S+/.exec(rest)?.[0];
    if (first === undefined) return { command: spec.name, values: {} };
    subcommand = first.toLowerCase();
    rest = rest.slice(first.length);
    const sub = spec.subcommands.find((s) => s.name === subcommand);
    if (!sub) return { command: spec.name, subcommand, values: {} };
    return { command: spec.name, subcommand, ...readArgs(sub.args, rest) };
  }
  return { command: spec.name, ...readArgs(spec.args, rest) };
}

function readArgs(args: readonly CommandArg[], text: string): { values: Record<string, string>; extra?: string[] } {
  const all = tokens(text);
  const values: Record<string, string> = {};
  // `name:value` for optional arguments (the free-text `details` is always the rest, never named)
  const named = new Map(args.filter((a) => !a.required && a.name !== 'details').map((a) => [a.name, a]));
  const positional: Token[] = [];
  const segments = new Map<string, Token[]>();
  let open: { arg: CommandArg; words: Token[] } | undefined;
  for (const t of all) {
    const colon = t.text.indexOf(':');
    const arg = colon > 0 ? named.get(t.text.slice(0, colon).toLowerCase()) : undefined;
    if (arg && !segments.has(arg.name)) {
      const head = t.text.slice(colon + 1);
      const words: Token[] = head === '' ? [] : [{ text: head, start: t.start + colon + 1, end: t.end }];
      segments.set(arg.name, words);
      open = singleWord(arg) && words.length > 0 ? undefined : { arg, words };
      continue;
    }
    if (open) {
      open.words.push(t);
      if (singleWord(open.arg)) open = undefined;
      continue;
    }
    positional.push(t);
  }
  for (const [name, words] of segments) values[name] = joinTokens(text, words, all);
  const left = args.filter((a) => values[a.name] === undefined);
  let i = 0;
  for (let k = 0; k < left.length && i < positional.length; k++) {
    const arg = left[k] as CommandArg;
    const lastText = arg.kind === 'text' && !left.slice(k + 1).some((a) => a.kind === 'text' && (a.required || a.name === 'details'));
    if (singleWord(arg) || !lastText) {
      values[arg.name] = (positional[i] as Token).text;
      i++;
    } else {
      // the last free-text argument takes every word after it that a later one-word argument does not need
      const after = left.slice(k + 1).filter((a) => a.required && singleWord(a)).length;
      const take = Math.max(1, positional.length - i - after);
      values[arg.name] = joinTokens(text, positional.slice(i, i + take), all);
      i += take;
    }
  }
  const extra = positional.slice(i).map((t) => t.text);
  return extra.length > 0 ? { values, extra } : { values };
}
