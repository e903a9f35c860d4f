/**
 * Tests that need a program from outside npm (yaz-marcdump, the OAI-PMH peer's Perl modules, xmllint,
 * PostgreSQL, …) ask for it here. When it is missing they are skipped with one visible line naming the
 * tool and how to install it, so a newcomer with only Node can run `npm test`. Under `.ci/run`
 * (JALA_REQUIRE_SYSTEM_TOOLS=1) a missing tool fails instead: CI never silently runs less.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export interface SystemTool {
  /** what the skip line calls it, e.g. "yaz-marcdump" */
  name: string;
  /** how to get it, e.g. "apt-get install yaz" */
  install: string;
  /** true when the tool can be used here */
  present: () => boolean;
}

/** A tool found by running a command that exits 0 when the tool works (e.g. `yaz-marcdump -V`). */
export function commandTool(name: string, command: string, args: string[], install: string): SystemTool {
  let cached: boolean | undefined;
  return {
    name,
    install,
    present: () => {
      if (cached === undefined) {
        // no timeout: on a loaded machine a slow start must not look like a missing tool
        const r = spawnSync(command, args, { stdio: 'ignore' });
        cached = r.error === undefined && r.status === 0;
      }
      return cached;
    },
  };
}

/** Is a missing tool a failure here (CI) rather than a skip? */
export const SYSTEM_TOOLS_REQUIRED = process.env.JALA_REQUIRE_SYSTEM_TOOLS === '1';

/** The tools of a list that are missing. */
export function missingTools(tools: readonly SystemTool[]): SystemTool[] {
  return tools.filter((t) => !t.present());
}

/** The one line that names what is missing and how to install it. */
function missingLine(missing: readonly SystemTool[]): string {
  return `needs ${missing.map((t) => `${t.name} (${t.install})`).join(', ')}`;
}

export interface ToolOptions {
  /** an environment variable that, set to 1, skips these tests on purpose (with the same visible line) */
  optOut?: string;
}

type Gate = { run: true } | { run: false; fail: string | undefined };

function gate(tools: readonly SystemTool[], title: string, opts: ToolOptions): Gate {
  if (opts.optOut && process.env[opts.optOut] === '1') {
    process.stderr.write(`skipped: ${title} — ${opts.optOut}=1\n`);
    return { run: false, fail: undefined };
  }
  const missing = missingTools(tools);
  if (missing.length === 0) return { run: true };
  const line = missingLine(missing);
  if (SYSTEM_TOOLS_REQUIRED) return { run: false, fail: `${title}: ${line}; JALA_REQUIRE_SYSTEM_TOOLS=1 makes this a failure` };
  process.stderr.write(`skipped: ${title} — ${line}\n`);
  return { run: false, fail: undefined };
}

/**
 * `describe` that runs when every tool is present; otherwise skips with one line on stderr naming
 * what is missing and how to install it — or, under `.ci/run`, fails with that line.
 */
export function describeWithTools(tools: readonly SystemTool[], title: string, body: () => void, opts: ToolOptions = {}): void {
  const g = gate(tools, title, opts);
  if (g.run) describe(title, body);
  else if (g.fail !== undefined) {
    const message = g.fail;
    describe(title, () => {
      it('has the system tools it needs', () => {
        throw new Error(message);
      });
    });
  } else describe.skip(title, body);
}

/** `it` with the same rule as describeWithTools, for one test of a suite that otherwise needs nothing. */
export function itWithTools(tools: readonly SystemTool[], title: string, fn: () => unknown, timeout?: number): void {
  const g = gate(tools, title, {});
  if (g.run) it(title, fn, timeout);
  else if (g.fail !== undefined) {
    const message = g.fail;
    it(title, () => {
      throw new Error(message);
    });
  } else it.skip(title, fn);
}

/** The tools the suites use, named once. */
export const TOOLS = {
  yazMarcdump: commandTool('yaz-marcdump', 'yaz-marcdump', ['-V'], 'apt-get install yaz'),
  xmllint: commandTool('xmllint', 'xmllint', ['--version'], 'apt-get install libxml2-utils'),
  cqlParser: commandTool('CQL::Parser', 'perl', ['-MCQL::Parser', '-MJSON::PP', '-e1'], 'apt-get install libcql-parser-perl'),
  yazClient: commandTool('yaz-client', 'yaz-client', ['-V'], 'apt-get install yaz'),
  zoomsh: commandTool('zoomsh', 'sh', ['-c', 'command -v zoomsh'], 'apt-get install yaz'),
  simple2zoom: commandTool('simple2zoom', 'perl', ['-MNet::Z3950::Simple2ZOOM', '-e1'], 'apt-get install libnet-z3950-simple2zoom-perl'),
  perlZoom: commandTool('Perl ZOOM + MARC::Record', 'perl', ['-MZOOM', '-MMARC::Record', '-MMARC::File::XML', '-e1'], 'apt-get install libnet-z3950-zoom-perl libmarc-record-perl libmarc-xml-perl'),
  catmanduSru: commandTool('catmandu SRU', 'perl', ['-MCatmandu::Importer::SRU', '-MCatmandu::Importer::MARC', '-e1'], 'apt-get install libcatmandu-sru-perl libcatmandu-marc-perl'),
  catmanduOai: commandTool('catmandu OAI', 'perl', ['-MCatmandu::Importer::OAI', '-e1'], 'apt-get install libcatmandu-oai-perl'),
  oaiPeer: commandTool(
    'the OAI-PMH test peer (Dancer::Plugin::Catmandu::OAI, catmandu, yaz-marcdump)',
    'sh',
    ['-c', 'command -v catmandu && command -v yaz-marcdump && perl -MDancer::Plugin::Catmandu::OAI -MCatmandu::Importer::MARC -MCatmandu::Store::DBI -MDBD::SQLite -MCQL::Parser -e1'],
    'apt-get install yaz libdancer-plugin-catmandu-oai-perl libcatmandu-marc-perl libcatmandu-dbi-perl libdbd-sqlite3-perl libcql-parser-perl',
  ),
  oaiPmh: commandTool('oai_pmh (HTTP::OAI)', 'sh', ['-c', 'command -v oai_pmh && perl -MHTTP::OAI -e1'], 'apt-get install libhttp-oai-perl'),
} as const;
