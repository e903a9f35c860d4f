import { phrases, type Answer, type HoldingView, type WorkAnswer } from '../../src/index.ts';

/** Terminal text for an answer: the core decides what to say, this only lays it out. */
export function renderAnswer(a: Answer): string {
  const p = phrases(a.language);
  switch (a.kind) {
    case 'help':
      return p.help;
    case 'greeting':
      return `${p.greeting}\n${p.help}`;
    case 'thanks':
      return p.thanks;
    case 'empty':
      return p.empty;
    default:
      break;
  }
  if (a.total === 0) {
    return [p.nothingFound(a.searched), ...(a.suggestion ? [p.didYouMean(a.suggestion)] : [])].join('\n');
  }
  const lines: string[] = [];
  if (a.step === 'all-fields' || a.step === 'fuzzy' || a.step === 'without-filters' || a.step === 'suggestion') {
    lines.push(p.stepNote[a.step](a));
  }
  if (a.verdict) {
    const v = a.verdict;
    const outcome: Record<typeof v.outcome, string> = {
      available: p.availabilityYes(v.libraryName),
      'on-loan': p.availabilityOnLoan(v.libraryName, v.dueDate),
      'library-use-only': p.availabilityLibraryUse(v.libraryName),
      missing: p.availabilityMissing(v.libraryName),
      'not-held': p.availabilityNotHeld(v.libraryName),
      unknown: p.availabilityUnknown(v.libraryName),
    };
    lines.push(outcome[v.outcome]);
    if (v.availableElsewhere.length > 0) lines.push(p.availableAt(v.availableElsewhere.join(', ')));
    else if (v.heldElsewhere.length > 0) lines.push(p.heldAt(v.heldElsewhere.join(', ')));
  }
  if (a.offset === 0) lines.push(p.found(a.total, a.searched));
  a.results.forEach((w, i) => lines.push(...renderWork(a, w, a.offset + i + 1)));
  if (a.hasMore) lines.push('', p.more(a.offset + a.results.length, a.total));
  return lines.join('\n');
}

function renderWork(a: Answer, w: WorkAnswer, n: number): string[] {
  const p = phrases(a.language);
  const head = [
    `${n}. ${w.title}`,
    w.authors.length > 0 ? ` — ${w.authors.slice(0, 3).join('; ')}` : '',
    w.year !== undefined ? ` (${w.year})` : '',
    w.edition ? ` · ${w.edition}` : '',
    ` · ${w.format} · ${w.workId}`,
  ].join('');
  const out = [head];
  if (w.isbns.length > 0) out.push(`   ISBN ${w.isbns.slice(0, 3).join(', ')}`);
  if (a.kind === 'holders') out.push(`   ${p.holdersLine(w.libraries.length)}`);
  for (const lib of w.libraries) out.push(`   ${renderLibrary(a, w.holdings.filter((h) => h.library === lib))}`);
  for (const link of w.links.slice(0, 2)) out.push(`   ${p.online}: ${link.label ? `${link.label} ` : ''}${link.url}`);
  if (w.requestable) out.push(`   → ${p.requestHint(w.workId)}`);
  return out;
}

function renderLibrary(a: Answer, holdings: readonly HoldingView[]): string {
  const p = phrases(a.language);
  const first = holdings[0];
  if (!first) return '';
  if (first.noItemInformation) return `${first.library} (${first.libraryName}): ${p.noItemInformation}`;
  const counts = new Map<string, number>();
  for (const h of holdings) {
    const label = p.status(h.status, h.dueDate);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const statuses = [...counts].map(([label, c]) => (c > 1 ? `${c}× ${label}` : label)).join(', ');
  const call = holdings.find((h) => h.callNumber)?.callNumber;
  const where = [...new Set(holdings.map((h) => [h.branch, h.location].filter(Boolean).join(' / ')).filter((s) => s !== ''))].slice(0, 2).join('; ');
  return `${first.library} (${first.libraryName}): ${statuses}${call ? ` · ${call}` : ''}${where ? ` · ${where}` : ''}`;
}
