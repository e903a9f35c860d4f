/**
 * One zod schema per chat command: what each argument must be, and what it becomes (a request
 * number, a checked date). Every command — typed as a line in the terminal or Slack, or arriving as
 * Discord options — is validated here before the bot acts on it, and handlers get typed values,
 * never text to parse again. The schemas' argument names are the command table's
 * (command-schemas.test.ts holds the two together).
 */
import { z } from 'zod';
import { parseDate } from '../ill/apply-action.ts';
import type { IllAction } from '../ill/ill-states.ts';
import { commandSpec, ILL_ACTIONS } from './command-table.ts';
import type { CommandInput } from './command-input.ts';

/** The longest argument text a command keeps (a chat message is capped before this anyway). */
const TEXT_MAX = 4_000;

const text = z.string().trim().max(TEXT_MAX);
const requiredText = text.min(1);
/** "R12", "#12" or "12" → 12 */
const requestId = z
  .string()
  .trim()
  .regex(/^(?:#|r)?\d{1,9}$/i, { error: 'ill/bad-id' })
  .transform((s) => Number(s.replace(/^[#r]/i, '')));
/** YYYY-MM-DD, a real date */
const date = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const d = parseDate(s);
    if (d === undefined || d.length !== s.length) {
      ctx.addIssue({ code: 'custom', message: 'ill/bad-date' });
      return z.NEVER;
    }
    return d;
  });
/** a library code as configured (checked against the consortium by the use case, which names the known ones) */
const library = z.string().trim().regex(/^[A-Za-z0-9_*-]{1,32}$/, { error: 'bot/usage' });

const FULL = new Set(['full', 'penuh', '--full']);
const ALL = new Set(['all', 'semua', '*']);

const illAction = z.object({ id: requestId, details: text.optional() });

/** The schemas by "command" or "command subcommand". */
export const COMMAND_SCHEMAS = {
  catalog: z.object({ question: requiredText }),
  'ill request': z.object({ item: requiredText, 'need-by': date.optional(), note: text.max(1000).optional() }),
  'ill status': z.object({ id: requestId }),
  'ill mine': z.object({}),
  'ill queue': z.object({}),
  'ill why': z.object({ id: requestId }),
  'ill stats': z.object({}),
  // `/reindex [LIBRARY] [full]`, in either order; "all" is every library
  reindex: z
    .object({ library: z.string().trim().optional(), mode: z.string().trim().optional() })
    .transform((v, ctx) => {
      const words = [v.library, v.mode].filter((w): w is string => w !== undefined && w !== '');
      const full = words.some((w) => FULL.has(w.toLowerCase()));
      const named = words.filter((w) => !FULL.has(w.toLowerCase()) && !ALL.has(w.toLowerCase()));
      if (named.length > 1 || (named[0] !== undefined && !library.safeParse(named[0]).success)) {
        ctx.addIssue({ code: 'custom', message: 'bot/usage' });
        return z.NEVER;
      }
      return { full, ...(named[0] !== undefined ? { library: named[0] } : {}) };
    }),
  'jala help': z.object({}),
  'jala stats': z.object({}),
  'jala settings': z.object({}),
  'jala faq': z.object({ details: text.optional() }),
  'jala quality': z.object({ library: library.optional() }),
  'jala overlap': z.object({ library1: library, library2: library }),
  'jala unique': z.object({ library }),
  'jala export': z.object({ id: requiredText.max(200) }),
  ...(Object.fromEntries(ILL_ACTIONS.map((a) => [`ill ${a.name}`, illAction])) as Record<`ill ${ChatIllAction}`, typeof illAction>),
};

/** The ILL actions people can type or press (the timers' own actions are not commands). */
export type ChatIllAction = Exclude<IllAction, 'timeout' | 'overdue'>;

type Schemas = typeof COMMAND_SCHEMAS;
export type CommandKey = keyof Schemas;

/** A validated command: its key and its typed values. */
export type ParsedCommand = { [K in CommandKey]: { key: K; values: z.output<Schemas[K]> } }[CommandKey];

export type CommandProblem =
  /** no such command, or no such subcommand: the command's usage (or the list of commands) answers */
  | { code: 'bot/unknown-command'; command: string }
  | { code: 'bot/usage'; command: string; subcommand?: string }
  | { code: 'ill/bad-id' | 'ill/bad-date'; command: string; subcommand?: string; value: string };

export type CommandResult = { ok: true; command: ParsedCommand } | { ok: false; problem: CommandProblem };

const isKey = (key: string): key is CommandKey => Object.hasOwn(COMMAND_SCHEMAS, key);

/** Validates a command input against its schema. */
export function parseCommand(input: CommandInput): CommandResult {
  const key = input.subcommand !== undefined ? `${input.command} ${input.subcommand}` : input.command;
  const at = { command: input.command, ...(input.subcommand !== undefined ? { subcommand: input.subcommand } : {}) };
  if (!isKey(key)) {
    return { ok: false, problem: isKey(input.command) || Object.keys(COMMAND_SCHEMAS).some((k) => k.startsWith(`${input.command} `)) ? { code: 'bot/usage', ...at } : { code: 'bot/unknown-command', command: input.command } };
  }
  // words past the last argument: a usage error where the command takes arguments; "/jala help ill" is still help
  const spec = commandSpec(input.command);
  const takesArguments = ((input.subcommand !== undefined ? spec?.subcommands.find((x) => x.name === input.subcommand)?.args : spec?.args) ?? []).length > 0;
  if (input.extra && input.extra.length > 0 && takesArguments) return { ok: false, problem: { code: 'bot/usage', ...at } };
  // empty values are absent ones: Discord leaves optional options out, a typed line may end in "note:"
  const values = Object.fromEntries(Object.entries(input.values).filter(([, v]) => v.trim() !== ''));
  const r = (COMMAND_SCHEMAS[key] as z.ZodType).safeParse(values);
  if (r.success) return { ok: true, command: { key, values: r.data } as ParsedCommand };
  const issue = r.error.issues[0];
  const code = issue?.message === 'ill/bad-id' || issue?.message === 'ill/bad-date' ? issue.message : 'bot/usage';
  if (code === 'bot/usage') return { ok: false, problem: { code, ...at } };
  const name = String(issue?.path[0] ?? '');
  return { ok: false, problem: { code, ...at, value: values[name] ?? '' } };
}
