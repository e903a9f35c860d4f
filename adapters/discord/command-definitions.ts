import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMANDS, type CommandSpec } from '../../src/index.ts';

type CommandArg = CommandSpec['args'][number];
type Bilingual = CommandSpec['description'];

export type DiscordCommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord caps descriptions at 100 characters and choices at 25. */
const DESCRIPTION_MAX = 100;
const CHOICES_MAX = 25;

/**
 * The application commands, generated from the core's command table (the one source of truth):
 * subcommands become Discord subcommands, arguments string options, and commands restricted to
 * admins get default member permissions (the core re-checks every run).
 */
export function commandDefinitions(opts: { libraries?: ReadonlyArray<{ code: string; name: string }> } = {}): DiscordCommandBody[] {
  return COMMANDS.map((spec) => commandBody(spec, opts.libraries ?? []));
}

function commandBody(spec: CommandSpec, libraries: ReadonlyArray<{ code: string; name: string }>): DiscordCommandBody {
  const restricted = spec.roles !== undefined && !spec.roles.includes('patron');
  const options =
    spec.subcommands.length > 0
      ? spec.subcommands.map(
          (sub): APIApplicationCommandSubcommandOption => ({
            type: ApplicationCommandOptionType.Subcommand,
            name: sub.name,
            ...describe(sub.description),
            options: sub.args.map((a) => optionBody(a, libraries)),
          }),
        )
      : spec.args.map((a) => optionBody(a, libraries));
  return {
    type: ApplicationCommandType.ChatInput,
    name: spec.name,
    ...describe(spec.description),
    options,
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: restricted ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM],
    // seen only by members who may manage the server unless the guild grants it otherwise; the core re-checks the role at run time
    ...(restricted ? { default_member_permissions: PermissionFlagsBits.ManageGuild.toString() } : {}),
  };
}

function optionBody(arg: CommandArg, libraries: ReadonlyArray<{ code: string; name: string }>): APIApplicationCommandBasicOption {
  const base = { name: arg.name, ...describe(arg.description), required: arg.required };
  if (arg.kind === 'library' && libraries.length > 0 && libraries.length <= CHOICES_MAX) {
    return {
      type: ApplicationCommandOptionType.String,
      ...base,
      choices: libraries.map((l) => ({ name: clip(`${l.code} — ${l.name}`, 100), value: l.code })),
    };
  }
  const length = arg.kind === 'date' ? { min_length: 10, max_length: 10 } : arg.kind === 'request-id' ? { max_length: 32 } : { max_length: 500 };
  return { type: ApplicationCommandOptionType.String, ...base, ...length, ...(arg.autocomplete ? { autocomplete: true } : {}) };
}

function describe(d: Bilingual): { description: string; description_localizations: { id: string } } {
  return { description: clip(d.en, DESCRIPTION_MAX), description_localizations: { id: clip(d.id, DESCRIPTION_MAX) } };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
