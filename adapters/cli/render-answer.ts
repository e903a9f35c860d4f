import { libraryLine, phrases, stepNote, verdictLines, type Answer, type WorkAnswer } from '../../src/index.ts';

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
    case 'library-info':
    case 'my-requests':
      return p.askInChat;
    default:
      break;
  }
  if (a.total === 0) {
    return [p.nothingFound(a.searched), ...(a.suggestion ? [p.didYouMean(a.suggestion)] : [])].join('\n');
  }
  const lines: string[] = [];
  const note = stepNote(a);
  if (note) lines.push(note);
  if (a.verdict) lines.push(...verdictLines(a.language, a.verdict));
  if (a.offset === 0) lines.push(p.found(a.total, a.searched, a.totalEstimated));
  a.results.forEach((w, i) => lines.push(...renderWork(a, w, a.offset + i + 1)));
  if (a.hasMore) lines.push('', p.more(a.offset + a.results.length, a.total, a.totalEstimated));
  return lines.join('\n');
}

function renderWork(a: Answer, w: WorkAnswer, n: number): string[] {
  const p = phrases(a.language);
  const head = [
    `${n}. ${w.title}`,
    w.authors.length > 0 ? ` — ${w.authors.slice(0, 3).join('; ')}` : '',
    w.year !== undefined ? ` (${w.year})` : '',
    w.edition ? ` · ${w.edition}` : '',
    ` · ${p.format(w.format)} · ${w.workId}`,
  ].join('');
  const out = [head];
  if (w.isbns.length > 0) out.push(`   ISBN ${w.isbns.slice(0, 3).join(', ')}`);
  if (a.kind === 'holders') out.push(`   ${p.holdersLine(w.libraries.length)}`);
  for (const lib of w.libraries) out.push(`   ${libraryLine(a.language, w.holdings.filter((h) => h.library === lib))}`);
  for (const link of w.links.slice(0, 2)) out.push(`   ${p.online}: ${link.label ? `${link.label} ` : ''}${link.url}`);
  if (w.requestable) out.push(`   → ${p.requestHint(w.workId)}`);
  return out;
}
