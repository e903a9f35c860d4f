import type { WorkDocument } from '../catalog/work-document.ts';
import type { IndexedWork } from './index-options.ts';
import { titleHash, titleTier } from './title-key.ts';

/** What of a work is searched, and under which field. */
export function workToIndexed(work: WorkDocument, availableAt: readonly string[]): IndexedWork {
  const title = [work.title, work.subtitle ?? ''].join(' ');
  const authors = [...work.authors, ...work.authors2].flatMap((a) => [a.name, a.direct]).concat(work.corporateAuthors).join(' ; ');
  const subjects = [...work.subjects, ...work.genres].join(' ; ');
  const other = [
    work.publishers.join(' '),
    work.edition ?? '',
    work.summary ?? '',
    work.contents.join(' '),
    work.callNumbers.join(' '),
    work.allText,
  ].join(' ');
  const tq = titleTier(work.title, work.subtitle, [...work.subjects, ...work.genres]);
  const tk = titleHash(work.titleShort);
  return {
    id: work.id,
    titleShort: work.titleShort,
    title,
    subjects,
    authors,
    titleAlt: work.titleAlt.join(' ; '),
    series: work.series.join(' ; '),
    other,
    title_s: [work.titleShort, title, work.titleAlt.join(' ')].join(' '),
    subjects_s: subjects,
    other_s: [work.summary ?? '', work.contents.join(' ')].join(' '),
    libs: [...new Set(work.libraries)],
    avail: [...availableAt],
    year: work.year,
    lang: work.languages,
    format: work.format,
    tk,
    // a subtitle that only says "a novel" does not make another title
    tx: tq === 0 ? tk : titleHash(work.title),
    tq,
  };
}
