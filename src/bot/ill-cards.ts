import { workLabel } from '../catalog/work-document.ts';
import type { Headline, IllError } from '../ill/apply-action.ts';
import type { IllRequest, RotaEntry } from '../ill/ill-request.ts';
import { rowsFor, type Side, type TransitionRow } from '../ill/ill-states.ts';
import type { IllLibraryStats } from '../ill/ill-stats.ts';
import type { IllNotice } from '../ill/ill-workflow.ts';
import type { Language } from '../common/language.ts';
import type { ActionButton, BotReply, RequestSummary } from './bot-types.ts';
import { formatDate } from './format-date.ts';
import { illPhrases } from './ill-messages.ts';
import { buttonLabel, declineInWords, doneWords, illWording } from './ill-wording.ts';

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
    stateLabel: illWording(lang).state[r.state] ?? r.state,
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
    const seen = new Set<string>();
    const out: ActionButton[] = [];
    for (const row of rowsFor(r.state, side)) {
      if (row.action === 'note' || row.action === 'timeout' || row.action === 'overdue') continue;
      if (patron && !row.patron) continue;
      if (seen.has(row.action)) continue;
      seen.add(row.action);
      out.push({
        id: `ill:${row.action}`,
        label: buttonLabel(lang, row.action, r.state),
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
      p.lineState(illWording(lang).state[r.state] ?? r.state, r.supplierState && side === 'supplier' ? illWording(lang).supplierState[r.supplierState] : undefined),
      ...(r.needBy ? [p.lineNeedBy(formatDate(r.needBy, lang))] : []),
      ...(r.dueDate ? [p.lineDue(formatDate(r.dueDate, lang))] : []),
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

  /**
   * What just happened, told as done ("UGM approved request R6. Now: sent to the lending library — waiting
   * for its answer."). The offer to ask again is for the borrowing side only (`forBorrower`).
   */
  const headline = (h: Headline, lang: Language, forBorrower = true): string => {
    const q = illPhrases(lang);
    const w = illWording(lang);
    const who = h.actor === 'system' ? q.system : h.actor === 'patron' ? q.patronWord : h.actor.library;
    const base = w.event(who, doneWords(lang, h.action, h.from ?? '', rid(h.requestId)), w.state[h.to] ?? h.to);
    if (h.unfilled) return forBorrower ? `${base} ${q.unfilledOffer(h.unfilled.workId !== null ? workLabel(h.unfilled.workId) : undefined)}` : base;
    if (!h.note) return base;
    const d = h.action === 'decline' ? declineInWords(lang, h.note) : { words: h.note };
    return `${base} (${[d.reason, d.words ? `“${d.words}”` : undefined].filter(Boolean).join(': ')})`;
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
        return p.errors.notAllowedNow(buttonLabel(lang, e.action, e.state), `${illWording(lang).state[e.state] ?? e.state}${e.maxRenewals !== undefined ? ` (max ${e.maxRenewals})` : ''}`);
      case 'ill/needs-details':
        return p.errors.needsDetails(illWording(lang).button[e.action] ?? e.action, needsWord(e.needs, lang));
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
        const h = headline(n.headline, lang, n.side !== 'supplier' && !n.endedLender);
        if (n.endedLender) return { ...card({ ...r, supplier: n.endedLender, supplierState: 'UNFILLED' }, 'supplier', false, lang, [h]), actions: [] };
        return card(r, n.side, n.patron, lang, [h], n.showPatron, h);
      }
      case 'lender-reminder':
        return card(r, 'supplier', false, lang, [p.reminderLender(rid(r.id), formatDate(r.responseDeadline as string, lang))]);
      case 'due-reminder':
        return card(r, 'requester', n.patron, lang, [p.dueReminder(rid(r.id), r.title, formatDate(r.dueDate as string, lang))]);
      default: {
        const _: never = n;
        throw new Error(`unknown notice ${JSON.stringify(_)}`);
      }
    }
  };

  return { summary, card, headline, errorText, notice };
}

/**
 * One line of "/ill why": a rota entry, why it was chosen or skipped, and how its turn went — for a
 * lender that declined, its reason and the librarian's own words (`decision`: the decline's stored note).
 */
export function rotaLine(e: RotaEntry, lang: Language, decision?: string | null): string {
  const p = illPhrases(lang);
  const w = illWording(lang);
  const r = e.reason;
  let why: string;
  if (r.kind === 'skipped') why = (p.skipped as Record<string, string>)[r.code] ?? r.code;
  else if (r.kind === 'chosen') why = `${(p.chosen as Record<string, string>)[r.code] ?? r.code} · ${p.load(r.lent, r.borrowed, r.openQueue)}`;
  else if (e.status === 'declined') {
    const d = declineInWords(lang, decision ?? r.code);
    why = w.decided(d.reason, d.words);
  } else why = decision ? w.decided(undefined, decision) : '';
  return `${e.position + 1}. ${e.library} — ${p.rotaStatus[e.status] ?? e.status}${why ? `: ${why}` : ''}`;
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
