import { Command, CommanderError, Option } from 'commander';
import { reportFailure } from './report-failure.ts';

// commands are loaded when run, so each pays only for what it uses

const program = new Command();
program
  .name('jala')
  .description('Jala: the union catalog and interlibrary-loan assistant of a library consortium')
  .showHelpAfterError()
  .exitOverride()
  .hook('preAction', async (_program, action) => {
    // migrate-store names its own source and target; the others read the data directory's stores
    if (action.name() === 'migrate-store' || !action.options.some((o) => o.long === '--data-dir')) return;
    const { noticeSqliteLeftBehind } = await import('./left-behind-notice.ts');
    noticeSqliteLeftBehind((action.opts() as { dataDir?: string }).dataDir);
  });

program
  .command('ingest')
  .description('load MARC records (ISO 2709 or MARCXML files or directories) of one member library into the union catalog')
  .requiredOption('--library <CODE>', 'the member library the records belong to')
  .option('--name <name>', 'the library\'s full name (registers or renames it)')
  .option('--data-dir <dir>', 'data directory (default: $JALA_DATA_DIR, else index-data/)')
  .option('--json', 'print the summary as one JSON object')
  .option('--replace', "remove this library's records that are not in the new input")
  .option('--no-bulk', 'store record by record even into an empty consortium (by default a first load builds a new database file aside and swaps it in)')
  .addOption(new Option('--holdings <profile>', 'item field of these records').choices(['auto', 'koha952', 'marc852', 'sierra949', 'symphony999', 'none']).default('auto'))
  .argument('<path...>', 'MARC files or directories')
  .action(async (paths: string[], opts) => {
    const { runIngest } = await import('./ingest-command.ts');
    process.exitCode = await runIngest(paths, opts);
  });

program
  .command('stats')
  .description('libraries, records, works, items, how much the catalog is shared, and each library\'s last harvest and its outcome')
  .option('--data-dir <dir>', 'data directory')
  .option('--json', 'print one JSON object')
  .option('--digest', 'a digest of every work with its member records and every holding (equal for catalogs holding the same), with the works, records and holdings parts')
  .action(async (opts) => {
    const { runStats } = await import('./stats-command.ts');
    process.exitCode = runStats(opts);
  });

program
  .command('migrate-store')
  .description('copy the whole consortium between stores and prove it: the data directory\'s SQLite into PostgreSQL (--to postgres://…), or back (--from postgres://… --to DIR|FILE); per-table row counts and digests, and the catalog digest, must be equal on both sides before the copy is committed')
  .requiredOption('--to <store>', 'where to copy to: postgres://user:password@host:port/db, or SQLite as sqlite:PATH, a data directory (its jala.db) or a .db file')
  .option('--from <store>', 'where to copy from, in the same forms (default: the data directory\'s SQLite database)')
  .option('--data-dir <dir>', 'data directory whose database is the default source')
  .option('--overwrite', 'replace what a non-empty target holds (otherwise it is refused and left as it was)')
  .option('--json', 'print one JSON object')
  .action(async (opts) => {
    const { runMigrateStoreCommand } = await import('./migrate-store-command.ts');
    process.exitCode = runMigrateStoreCommand(opts);
  });

program
  .command('export')
  .description('the original MARC of a record (LIB.localId) or of every record of a work (w123), for copy cataloguing')
  .argument('<id>', 'a record id such as UGM.12345 or a work id such as w42')
  .addOption(new Option('--format <format>', 'output format').choices(['marcxml', 'iso2709', 'json']).default('marcxml'))
  .option('--data-dir <dir>', 'data directory')
  .action(async (id: string, opts) => {
    const { runExport } = await import('./export-command.ts');
    process.exitCode = runExport(id, opts);
  });

program
  .command('ask')
  .description('ask the union catalog one question (English or Bahasa Indonesia); --batch reads one question per line')
  .argument('[question...]', 'the question, e.g. "do you have Laskar Pelangi?"')
  .option('--data-dir <dir>', 'data directory')
  .option('--library <CODE>', "the asker's library: its holdings first, its shelf ranked higher")
  .option('--json', 'print the answer as JSON')
  .option('--batch', 'read questions from standard input, one per line; one answer per line')
  .action(async (words: string[], opts) => {
    const { runAsk } = await import('./ask-command.ts');
    process.exitCode = await runAsk(words, opts);
  });

program
  .command('chat')
  .description('a terminal conversation with the catalog')
  .option('--data-dir <dir>', 'data directory')
  .option('--library <CODE>', 'chat as a member of this library')
  .addOption(new Option('--role <role>', 'chat as a patron, librarian or admin').choices(['patron', 'librarian', 'admin']).default('patron'))
  .option('--user <ID>', 'your user id (default: $USER)')
  .action(async (opts) => {
    const { runChat } = await import('./chat-command.ts');
    process.exitCode = await runChat(opts);
  });

program
  .command('start')
  .description('run Jala: Slack and/or Discord when their credentials are set, else the terminal chat on the data directory (building the sample consortium on first run)')
  .option('--data-dir <dir>', 'data directory')
  .option('--library <CODE>', 'terminal chat as a patron of this library')
  .action(async (opts) => {
    const { runStart } = await import('./start-command.ts');
    process.exitCode = await runStart(opts);
  });

program
  .command('serve')
  .description('run the catalog server and everything configured, without a terminal chat: HTTP (SRU at /sru, OAI-PMH at /oai, /health) on $JALA_HTTP_PORT (default 8080), Slack, Discord, scheduled harvests')
  .option('--data-dir <dir>', 'data directory')
  .option('--z3950 <PORT>', 'also serve Z39.50 on this port, through simple2zoom (apt-get install libnet-z3950-simple2zoom-perl)')
  .action(async (opts) => {
    const { runServe } = await import('./serve-command.ts');
    process.exitCode = await runServe(opts);
  });

program
  .command('simple2zoom-config')
  .description('print the simple2zoom configuration that serves Z39.50 in front of Jala\'s SRU (Bib-1 attributes mapped to its CQL indexes)')
  .option('--sru-url <URL>', 'where Jala\'s SRU is', 'http://127.0.0.1:8080/sru')
  .action(async (opts: { sruUrl: string }) => {
    const { simple2zoomConfig } = await import('../z3950/simple2zoom-config.ts');
    process.stdout.write(simple2zoomConfig(opts.sruUrl));
  });

program
  .command('say')
  .description('send one chat message as a user of a library, through the same path as Slack and Discord (e.g. "/ill request w12")')
  .requiredOption('--user <ID>', 'the user id')
  .addOption(new Option('--role <role>', 'the user\'s role').choices(['patron', 'librarian', 'admin']).makeOptionMandatory())
  .requiredOption('--library <CODE>', 'the user\'s library')
  .option('--name <name>', 'display name (for patrons: shown to their librarians)')
  .option('--data-dir <dir>', 'data directory')
  .option('--json', 'print { replies, notifications } as JSON')
  .argument('<message...>', 'the message')
  .action(async (message: string[], opts) => {
    const { runSay } = await import('./say-command.ts');
    process.exitCode = await runSay(message, opts);
  });

program
  .command('bench')
  .description('benchmark at consortium scale: generate MARC for many libraries, ingest, index and ask; medians of several runs')
  .option('--records <N>', 'records to generate: 10k, 100k, 1M or a number', '10k')
  .option('--runs <N>', 'runs; each figure is the median', '3')
  .option('--libraries <N>', 'member libraries (5-50)', '20')
  .option('--seed <N>', 'generator seed', '1')
  .option('--questions <N>', 'questions asked per run', '300')
  .option('--keep <dir>', 'keep (and reuse) the generated MARC and the last data directory here')
  .option('--in-thread', 'read and map records in the ingesting thread (default: a worker thread)')
  .option('--no-bulk', 'load record by record into the live file (default: the bulk path of a first load, built aside and swapped in)')
  .option('--no-protocols', 'skip the catalog server figures (SRU latency, OAI-PMH throughput beside the Catmandu peer)')
  .option('--oai-peer-records <N>', 'works the Catmandu OAI peer serves beside Jala (0: no peer)', '100k')
  .option('--cpu-prof <dir>', 'write V8 CPU profiles of the ingest step (all threads) here and report CPU seconds by stage')
  .option('--store <kind>', 'sqlite, or postgres: a fresh database per run on JALA_DATABASE_URL\'s server, else on a throwaway local server (fsync off)', 'sqlite')
  .option('--json', 'print one JSON object')
  .action(async (opts) => {
    const { runBenchCommand } = await import('./bench-command.ts');
    process.exitCode = await runBenchCommand(opts);
  });

program
  .command('slack-manifest')
  .description('print the Slack app manifest (slash commands from the command table; SLACK_PUBLIC_URL sets the request URL, SLACK_APP_TOKEN without a signing secret means Socket Mode)')
  .action(async () => {
    const { printSlackManifest } = await import('../slack/slack-manifest.ts');
    process.exitCode = printSlackManifest();
  });

program
  .command('discord-register')
  .description('register the Discord application commands (bulk overwrite; to DISCORD_GUILD_ID when set, else globally)')
  .option('--data-dir <dir>', 'data directory (its consortium config names the libraries offered to /reindex)')
  .action(async (opts: { dataDir?: string }) => {
    const [{ registerDiscordCommands }, { loadConsortiumConfig, resolveDataDir }] = await Promise.all([
      import('../discord/start-discord.ts'),
      import('../../src/index.ts'),
    ]);
    const config = loadConsortiumConfig(resolveDataDir(opts.dataDir));
    const result = await registerDiscordCommands(process.env, config.ok ? { config: config.config } : {});
    process.stdout.write(`Registered ${result.commands} commands (${result.scope}).\n`);
  });

program
  .command('reindex')
  .description('run the configured sources (files, OAI-PMH) of every library or one: only what changed, or --full; the index is swapped when done')
  .argument('[library]', 'only this library')
  .option('--full', 'harvest everything again, remove what the sources no longer have, and rebuild the index')
  .option('--no-bulk', 'with --full: keep the record-by-record path (by default a full reindex of files-only sources rebuilds the catalog aside and swaps it in)')
  .option('--data-dir <dir>', 'data directory')
  .option('--json', 'print the report as one JSON object')
  .action(async (library: string | undefined, opts) => {
    const { runReindex } = await import('./reindex-command.ts');
    process.exitCode = await runReindex(library, opts);
  });

program
  .command('quality')
  .description('bibliographic-control report: invalid ISBNs, records without 245 or 001, repaired MARC-8/UTF-8 mismatches, language names for codes, title-only matches')
  .argument('[library]', 'only this library')
  .option('--data-dir <dir>', 'data directory')
  .option('--json', 'print one JSON object (up to 1,000 examples per check)')
  .action(async (library: string | undefined, opts) => {
    const { runQuality } = await import('./quality-command.ts');
    process.exitCode = runQuality(library, opts);
  });

program
  .command('overlap')
  .description('coordinated acquisition: works two libraries share and works each holds without the other, per format and subject')
  .argument('<library1>')
  .argument('<library2>')
  .option('--csv', 'every work of either library as CSV')
  .option('--json', 'print one JSON object')
  .option('--data-dir <dir>', 'data directory')
  .action(async (first: string, second: string, opts) => {
    const { runOverlap } = await import('./collection-command.ts');
    process.exitCode = runOverlap(first, second, opts);
  });

program
  .command('unique')
  .description('works only this library holds in the consortium (last copies), per format and subject')
  .argument('<library>')
  .option('--csv', 'the unique works as CSV')
  .option('--json', 'print one JSON object')
  .option('--data-dir <dir>', 'data directory')
  .action(async (library: string, opts) => {
    const { runUnique } = await import('./collection-command.ts');
    process.exitCode = runUnique(library, opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportFailure(err);
  }
}
