import type { Answer, AvailabilityVerdict, HoldingView, Language } from '../answer/answer-types.ts';
import { phrases } from './messages.ts';

/**
 * The sentences of an answer that every platform says the same way; adapters only lay them out.
 */

/** "UGM (Perpustakaan …): 2× available, on loan until 2026-12-15 · 899.2 HIR l · PUSAT / SIRK" */
export function libraryLine(language: Language, holdings: readonly HoldingView[]): string {
  const p = phrases(language);
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

/** What the asked library can offer, then where else the work is on the shelf or held. */
export function verdictLines(language: Language, v: AvailabilityVerdict): string[] {
  const p = phrases(language);
  const outcome: Record<AvailabilityVerdict['outcome'], string> = {
    available: p.availabilityYes(v.libraryName),
    'on-loan': p.availabilityOnLoan(v.libraryName, v.dueDate),
    'library-use-only': p.availabilityLibraryUse(v.libraryName),
    missing: p.availabilityMissing(v.libraryName),
    'not-held': p.availabilityNotHeld(v.libraryName),
    unknown: p.availabilityUnknown(v.libraryName),
  };
  const lines = [outcome[v.outcome]];
  if (v.availableElsewhere.length > 0) lines.push(p.availableAt(v.availableElsewhere.join(', ')));
  else if (v.heldElsewhere.length > 0) lines.push(p.heldAt(v.heldElsewhere.join(', ')));
  return lines;
}

/**
 * What the reader should know before the results: an ISBN that is not valid, which rung of the
 * ladder answered when it was not the exact search, and an edition year that is not held.
 */
export function stepNote(a: Answer): string | undefined {
  const p = phrases(a.language);
  const lines: string[] = [];
  if (a.invalidIsbn) lines.push(p.invalidIsbn(a.invalidIsbn));
  if (a.step !== 'exact' && a.step !== 'identifier' && a.step !== 'none') lines.push(p.stepNote[a.step](a));
  if (a.editionYear && !a.editionYear.found && a.total > 0) lines.push(p.editionYearMissing(a.editionYear.year));
  return lines.length > 0 ? lines.join('\n') : undefined;
}
