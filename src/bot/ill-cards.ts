import { workLabel } from '../catalog/work-document.ts';
import type { Headline, IllError } from '../ill/apply-action.ts';
import type { IllRequest, RotaEntry } from '../ill/ill-request.ts';
import { rowsFor, type Side, type TransitionRow } from '../ill/ill-states.ts';
import type { IllLibraryStats } from '../ill/ill-stats.ts';
import type { IllNotice } from '../ill/ill-workflow.ts';
import type { Language } from '../shared/language.ts';
import type { ActionButton, BotReply, RequestSummary } from './bot-types.ts';
import { illPhrases } from './ill-messages.ts';

/** ILL requests as the conversation shows them: cards, buttons, headlines and refusals, in one language. */
export interface IllCards {
  summary(r: IllRequest, lang: Language): RequestSummary;
  card(r: IllRequest, side: Side, patron: boolean, lang: Language, extra?: string[], showPatron?: boolean, event?: string): BotReply;
  headline(h: Headline, lang: Language): string;
  errorText(e: IllError, lang: Language): string;
  /** a notice rendered for its addressee, in `lang` */
  notice(n: IllNotice, r: IllRequest, lang: Language): BotReply;
}

export const rid = (id: number): string => `R${id}`;

export function createIllCards(libraryName: (code: string) => string): IllCards {
  const summary = (r: IllRequest, lang: Language): RequestSummary => ({
    id: rid(r.id),
    state: r.state,
    stateLabel: illPhrases(lang).state[r.state] ?? r.state,
    ...(r.supplierState ? { supplierState: r.supplierState } : {}),
    requester: r.requester,
    ...(r.supplier ? { supplier: r.supplier } : {}),
    version: r.version,
    title: r.title,
    ...(r.workId !== null ? { workId: workLabel(r.workId) } : {}),
    ...(r.dueDate ? { dueDate: r.dueDate } : {}),
    ...(r.needBy ? { needBy: r.needBy } : {}),
  });

  /** The buttons a viewer on a side may press now: straight from the state table. */
  const buttonsFor = (r: IllRequest, side: Side, patron: boolean, lang: Language): ActionButton[] => {
    const p = illPhrases(lang);
    const seen = new Set<string>();
    const out: ActionButton[] = [];
    for (const row of rowsFor(r.state, side)) {
      if (row.action === 'note' || row.action === 'timeout' || row.action === 'overdue') continue;
      if (patron && !row.patron) continue;
      if (seen.has(row.action)) continue;
      seen.add(row.action);
      out.push({
        id: `ill:${row.action}`,
        label: p.action[row.action] ?? row.action,
        ...(row.action === 'reject' || row.action === 'decline' || row.action === 'cancel' || row.action === 'lost' ? { style: 'danger' as const } : {}),
        ...(row.action === 'accept' || row.action === 'ship' || row.action === 'receive' || row.action === 'checkin' || (row.action === 'approve' && side === 'requester') ? { style: 'primary' as const } : {}),
        target: rid(r.id),
        version: r.version,
        ...(row.needs ? { input: inputFor(row, lang) } : {}),
      });
    }
    return out;
  };

  const card: IllCards['card'] = (r, side, patron, lang, extra = [], showPatron = false, event) => {
    const p = illPhrases(lang);
    const lines = [
      p.lineRequester(`${r.requester} (${libraryName(r.requester)})`, r.supplier ? `${r.supplier} (${libraryName(r.supplier)})` : undefined),
      p.lineState(p.state[r.state] ?? r.state, r.supplierState && side === 'supplier' ? r.supplierState : undefined),
      ...(r.needBy ? [p.lineNeedBy(r.needBy)] : []),
      ...(r.dueDate ? [p.lineDue(r.dueDate)] : []),
      ...(r.condition && r.state === 'CONDITION_PENDING' ? [p.lineCondition(r.condition)] : []),
      ...(r.note ? [p.lineNote(r.note)] : []),
      ...(showPatron && r.patronName ? [p.linePatron(r.patronName)] : []),
      ...extra,
    ];
    const s = summary(r, lang);
    return {
      language: lang,
      blocks: [{ type: 'request-card', request: s, lines, ...(event ? { event } : {}) }],
      actions: buttonsFor(r, side, patron, lang),
      private: patron,
      request: s,
    };
  };

  const headline = (h: Headline, lang: Language): string => {
    const q = illPhrases(lang);
    const who = h.actor === 'system' ? q.system : h.actor === 'patron' ? q.patronWord : h.actor.library;
    const base = q.event(who, q.action[h.action] ?? h.action, rid(h.requestId), q.state[h.to] ?? h.to);
    if (h.unfilled) return `${base} ${q.unfilledOffer(h.unfilled.workId !== null ? workLabel(h.unfilled.workId) : undefined)}`;
    return h.note ? `${base} (${h.note})` : base;
  };

  const errorText = (e: IllError, lang: Language): string => {
    const p = illPhrases(lang);
    switch (e.code) {
      case 'ill/not-found':
        return p.errors.notFound(rid(e.requestId));
      case 'ill/forbidden':
        return p.errors.forbidden;
      case 'ill/stale':
        return p.errors.stale(rid(e.requestId));
      case 'ill/not-allowed-now':
        return p.errors.notAllowedNow(p.action[e.action] ?? e.action, `${p.state[e.state] ?? e.state}${e.maxRenewals !== undefined ? ` (max ${e.maxRenewals})` : ''}`);
      case 'ill/needs-details':
        return p.errors.needsDetails(p.action[e.action] ?? e.action, needsWord(e.needs, lang));
      case 'ill/bad-date':
        return p.errors.badDate(e.text);
      default: {
        const _: never = e;
        return String(_);
      }
    }
  };

  const notice = (n: IllNotice, r: IllRequest, lang: Language): BotReply => {
    const p = illPhrases(lang);
    switch (n.kind) {
      case 'transition': {
        const h = headline(n.headline, lang);
        if (n.endedLender) return { ...card({ ...r, supplier: n.endedLender, supplierState: 'UNFILLED' }, 'supplier', false, lang, [h]), actions: [] };
        return card(r, n.side, n.patron, lang, [h], n.showPatron, h);
      }
      case 'lender-reminder':
        return card(r, 'supplier', false, lang, [p.reminderLender(rid(r.id), r.responseDeadline as string)]);
      case 'due-reminder':
        return card(r, 'requester', n.patron, lang, [p.dueReminder(rid(r.id), r.title, r.dueDate as string)]);
      default: {
        const _: never = n;
        throw new Error(`unknown notice ${JSON.stringify(_)}`);
      }
    }
  };

  return { summary, card, headline, errorText, notice };
}

/** One line of "/ill why": a rota entry, why it was chosen or skipped, and how its turn went. */
export function rotaLine(e: RotaEntry, lang: Language): string {
  const p = illPhrases(lang);
  const r = e.reason;
  const why = e.status === 'skipped'
    ? (p.skipped as Record<string, string>)[r.code] ?? r.code
    : `${(p.chosen as Record<string, string>)[r.code] ?? r.code}${e.status === 'pending' || e.status === 'selected' || e.status === 'supplied' ? ` · ${r.kind === 'chosen' ? p.load(r.lent, r.borrowed, r.openQueue) : p.load(0, 0, 0)}` : ` · ${r.code}`}`;
  return `${e.position + 1}. ${e.library} — ${p.rotaStatus[e.status] ?? e.status}: ${why}`;
}

/** "/ill stats" in words. */
export function statsText(stats: readonly IllLibraryStats[], lang: Language): string {
  const p = illPhrases(lang);
  const lines = stats.map((s) =>
    p.statsLine(s.library, {
      placed: s.placed, filled: s.filled, rate: s.placed === 0 ? '—' : `${Math.round((100 * s.filled) / s.placed)} %`,
      median: s.medianDaysToReceive === undefined ? '—' : `${s.medianDaysToReceive.toFixed(1)} d`, lent: s.lent, borrowed: s.borrowed, open: s.open,
    }),
  );
  return [p.statsHeader, ...lines].join('\n');
}

export function inputFor(row: TransitionRow, lang: Language): NonNullable<ActionButton['input']> {
  const id = lang === 'id';
  if (row.needs === 'date') return { label: id ? 'Tanggal kembali (YYYY-MM-DD), opsional' : 'Due date (YYYY-MM-DD), optional', kind: 'date', required: !row.optional };
  if (row.needs === 'reason' && row.action === 'decline') {
    return {
      label: id ? 'Alasan' : 'Reason',
      kind: 'reason',
      required: true,
      choices: [
        { value: 'not-held', label: id ? 'Tidak dimiliki' : 'Not held' },
        { value: 'not-on-shelf', label: id ? 'Tidak di rak' : 'Not on shelf' },
        { value: 'non-circulating', label: id ? 'Tidak dipinjamkan' : 'Non-circulating' },
        { value: 'policy', label: id ? 'Kebijakan' : 'Policy' },
        { value: 'poor-condition', label: id ? 'Kondisi buruk' : 'Poor condition' },
      ],
    };
  }
  return { label: row.needs === 'reason' ? (id ? 'Alasan' : 'Reason') : id ? 'Rincian' : 'Details', kind: row.needs === 'reason' ? 'reason' : 'text', required: !row.optional };
}

function needsWord(needs: 'reason' | 'text' | 'date', lang: Language): string {
  const id = lang === 'id';
  if (needs === 'reason') return id ? 'alasan' : 'a reason';
  if (needs === 'date') return id ? 'tanggal (YYYY-MM-DD)' : 'a date (YYYY-MM-DD)';
  return id ? 'keterangan' : 'some text';
}
