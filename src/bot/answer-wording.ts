import type { Answer, AvailabilityVerdict, HoldingView, Language } from '../answer/answer-types.ts';
import { phrases } from './messages.ts';

/**
 * The sentences of an answer that every platform says the same way; adapters only lay them out.
 */

/**
 * One library's copies, counted by what a reader can do with them:
 * "UGM (Perpustakaan …): 2 of 3 copies on the shelf; 1 on loan until 15 Dec 2026 · 899.2 HIR l · PUSAT / SIRK".
 * Library use only and missing copies are counted apart; dates are written in the reader's language.
 */
export function libraryLine(language: Language, holdings: readonly HoldingView[]): string {
  const p = phrases(language);
  const first = holdings[0];
  if (!first) return '';
  if (first.noItemInformation) return `${first.library} (${first.libraryName}): ${p.noItemInformation}`;
  const count = (f: (h: HoldingView) => boolean): number => holdings.filter(f).length;
  const total = holdings.length;
  const available = count((h) => h.status === 'available');
  const onLoan = holdings.filter((h) => h.status === 'on-loan');
  const firstDue = onLoan.map((h) => h.dueDate).filter((d): d is string => d !== undefined).sort()[0];
  const libraryUse = count((h) => h.status === 'library-use-only');
  const missing = count((h) => h.status === 'lost' || h.status === 'withdrawn');
  const unknown = count((h) => h.status === 'unknown');
  const rest = [
    onLoan.length > 0 ? p.countOnLoan(onLoan.length, firstDue, onLoan.length === total) : '',
    libraryUse > 0 ? p.countLibraryUse(libraryUse, libraryUse === total) : '',
    missing > 0 ? p.countMissing(missing, missing === total) : '',
    unknown > 0 ? p.countUnknown(unknown, unknown === total) : '',
  ].filter((x) => x !== '');
  let statuses: string;
  if (available > 0) statuses = [p.copiesOnShelf(available, total), ...rest].join('; ');
  else if (rest.length === 1) statuses = `${p.copies(total)}, ${rest[0]}`;
  else statuses = `${p.copies(total)}: ${rest.join('; ')}`;
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
