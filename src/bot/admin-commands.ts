/**
 * `/reindex [LIBRARY] [full]` and `/jala stats|quality|overlap|unique|export`: administration use cases
 * (src/reports, src/harvest) turned into BotReplies. Reindex runs in the background; its progress reaches the admin who
 * asked through the outbox, every message under one progress key so that adapters edit one message.
 */
import type { Language } from '../answer/answer-types.ts';
import { catalogStatus } from '../reports/catalog-status.ts';
import { overlapReport, uniqueReport, type ReportError } from '../reports/collection-overlap.ts';
import { qualityReport } from '../reports/quality-report.ts';
import { overlapCsv, uniqueCsv } from '../reports/report-csv.ts';
import type { ReindexProgress } from '../harvest/reindex-runner.ts';
import type { Jala } from '../app/create-jala.ts';
import { exportMarc } from '../catalog/export-records.ts';
import type { BotActor, BotErrorCode, BotRequest, BotResult, Role } from './bot-types.ts';
import { commandSpec } from './command-table.ts';
import type { ParsedCommand } from './command-schemas.ts';
import { adminPhrases } from './admin-messages.ts';
import type { OutboxEvent } from './outbox-events.ts';

export interface AdminCommandOptions {
  now?: () => Date;
  /** progress updates at most this often (the first and the last always go) */
  progressIntervalMs?: number;
}

/** `/reindex [LIBRARY] [full]`, validated (command-schemas.ts) */
export type ReindexArgs = Extract<ParsedCommand, { key: 'reindex' }>['values'];
/** the `/jala` subcommands this module owns, validated */
export type AdminJalaCommand = Extract<ParsedCommand, { key: 'jala stats' | 'jala quality' | 'jala overlap' | 'jala unique' | 'jala export' }>;

/** `/reindex [LIBRARY] [full]`: admins only; answers at once, reports progress through the outbox. */
export function reindexCommand(jala: Jala, req: BotRequest, args: ReindexArgs | undefined, lang: Language, opts: AdminCommandOptions = {}): BotResult {
  const p = adminPhrases(lang);
  if (req.actor.role !== 'admin') return text(lang, p.forbidden, 'admin/forbidden');
  // undefined: the arguments did not fit `/reindex [LIBRARY] [full]`
  if (!args) return text(lang, p.reindexUsage, 'bot/usage');
  const full = args.full;
  const named = args.library !== undefined ? [args.library] : [];
  const now = opts.now ?? (() => new Date());
  const interval = opts.progressIntervalMs ?? 3_000;
  const key = { current: '' };
  const send = progressSender(jala, req.actor, now);
  let lastSent = 0;
  let lastPhase = '';
  const onProgress = (pr: ReindexProgress): void => {
    const t = now().getTime();
    if (pr.phase !== 'done' && pr.phase === lastPhase && t - lastSent < interval) return;
    lastSent = t;
    lastPhase = pr.phase;
    const done = pr.phase === 'done';
    send({ kind: 'reindex-progress', key: key.current, done, progress: pr, workCount: done && pr.report?.index ? jala.store.workCount() : 0, language: lang });
  };
  const started = jala.reindex.start(
    { ...(named[0] !== undefined ? { library: named[0] } : {}), full, trigger: 'chat', by: req.actor.displayName ?? `${req.actor.library ?? ''} admin`.trim() },
    onProgress,
  );
  if (!started.ok) {
    switch (started.error) {
      case 'reindex/already-running':
        return text(lang, p.alreadyRunning(started.running), started.error);
      case 'reindex/unknown-library':
        return text(lang, p.unknownLibrary(started.library, started.known), started.error);
      case 'reindex/no-sources':
        return text(lang, p.noSources(started.library), started.error);
      default: {
        const _: never = started;
        return _;
      }
    }
  }
  key.current = `reindex:${started.id}`;
  const lib = named[0] !== undefined ? jala.config.libraries.find((l) => l.code.toLowerCase() === named[0]?.toLowerCase())?.code : undefined;
  return {
    replies: [{ language: lang, blocks: [{ type: 'text', text: p.started(full ? 'full' : 'incremental', lib) }], actions: [], private: true, progress: { key: key.current, done: false } }],
    notifications: [],
  };
}

/**
 * The `/jala` subcommands this module owns: stats (with harvests), quality, overlap, unique, export.
 * Undefined for any other subcommand.
 */
export function adminJalaCommand(jala: Jala, req: BotRequest, cmd: AdminJalaCommand | { key: undefined; subcommand: string }, lang: Language): BotResult | undefined {
  const name = cmd.key === undefined ? cmd.subcommand : cmd.key.slice('jala '.length);
  if (!['stats', 'quality', 'overlap', 'unique', 'export'].includes(name)) return undefined;
  const p = adminPhrases(lang);
  const spec = commandSpec('jala')?.subcommands.find((s) => s.name === name);
  if (spec?.roles && !allowed(req.actor.role, spec.roles)) return text(lang, p.forbidden, 'admin/forbidden');
  // arguments that did not fit the subcommand's schema
  if (cmd.key === undefined) return name === 'export' ? text(lang, p.exportUsage, 'bot/usage') : usage(lang, name);
  switch (cmd.key) {
    case 'jala stats':
      return statsReply(jala, lang);
    case 'jala quality': {
      const r = qualityReport(jala.stores, { ...(cmd.values.library ? { library: cmd.values.library } : {}), examples: 3 });
      if (!r.ok) return text(lang, p.unknownLibrary(r.library, r.known), r.error);
      return text(lang, p.quality(r.report));
    }
    case 'jala overlap': {
      const r = overlapReport(jala.stores, cmd.values.library1, cmd.values.library2);
      if (!r.ok) return reportError(lang, r);
      const [a, b] = r.report.libraries;
      return withFile(text(lang, p.overlap(r.report)), `overlap-${a}-${b}.csv`, 'text/csv', overlapCsv(r.report));
    }
    case 'jala unique': {
      const r = uniqueReport(jala.stores, cmd.values.library);
      if (!r.ok) return reportError(lang, r);
      return withFile(text(lang, p.unique(r.report)), `unique-${r.report.library}.csv`, 'text/csv', uniqueCsv(r.report));
    }
    case 'jala export': {
      const id = cmd.values.id;
      const r = exportMarc(jala.store, id, 'marcxml');
      if (!r.ok) return text(lang, p.notFound(id), r.error);
      const file = `${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.xml`;
      return withFile(text(lang, p.exported(id, r.recordIds, file)), file, r.mediaType, r.data);
    }
    default:
      return undefined;
  }
}

/** `/jala stats`: the catalog's numbers and each library's last harvest with its outcome. */
export function statsReply(jala: Jala, lang: Language): BotResult {
  return text(lang, adminPhrases(lang).stats(catalogStatus(jala.stores)), undefined, false);
}

function allowed(role: Role, roles: readonly Role[]): boolean {
  return roles.includes(role);
}

/** Puts a progress event for one person in the outbox (their DM on the platform they asked from; worded at delivery). */
function progressSender(jala: Jala, actor: BotActor, now: () => Date): (event: OutboxEvent) => void {
  const outbox = jala.stores.outbox;
  return (event) => {
    try {
      outbox.enqueue({
        targetType: 'user',
        target: actor.userId,
        targetPlatform: actor.platform,
        requestId: null,
        payload: JSON.stringify(event),
        createdAt: now().toISOString(),
      });
    } catch {
      // the database was closed under a running reindex (shutdown): nobody is left to tell
    }
  };
}

function reportError(lang: Language, r: ReportError): BotResult {
  const p = adminPhrases(lang);
  switch (r.error) {
    case 'report/unknown-library':
      return text(lang, p.unknownLibrary(r.library, r.known), r.error);
    case 'report/same-library':
      return text(lang, p.sameLibrary(r.library), r.error);
    default: {
      const _: never = r;
      return _;
    }
  }
}

function usage(lang: Language, sub: string): BotResult {
  const spec = commandSpec('jala');
  const s = spec?.subcommands.find((x) => x.name === sub);
  const args = s ? s.args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ') : '';
  return text(lang, `/jala ${sub} ${args}${s ? ` — ${s.description[lang]}` : ''}`, 'bot/usage');
}

function text(language: Language, body: string, error?: BotErrorCode, isPrivate = true): BotResult {
  return { replies: [{ language, blocks: [{ type: 'text', text: body }], actions: [], private: isPrivate, ...(error ? { error } : {}) }], notifications: [] };
}

function withFile(result: BotResult, name: string, mediaType: string, data: string | Uint8Array): BotResult {
  const [first, ...others] = result.replies;
  if (!first) return result;
  const base64 = (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64');
  return { ...result, replies: [{ ...first, file: { name, mediaType, base64 } }, ...others] };
}
