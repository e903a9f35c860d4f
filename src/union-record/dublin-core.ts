/**
 * Simple Dublin Core of a work (the union record), for OAI-PMH oai_dc and SRU's dc schema:
 * title (with subtitle), creators (as catalogued, inverted), contributors, subjects, summary,
 * publishers, year, format, physical description, ISBN/ISSN as URNs and links, languages, series.
 */
import type { WorkDocument } from '../catalog/work-document.ts';
import { xmlText } from '../common/xml-text.ts';

export type DcElement =
  | 'title' | 'creator' | 'subject' | 'description' | 'publisher' | 'contributor' | 'date' | 'type'
  | 'format' | 'identifier' | 'source' | 'language' | 'relation' | 'coverage' | 'rights';

/** The elements in the order oai_dc.xsd lists them (any order is valid; this one reads well). */
export function dublinCore(work: WorkDocument): Array<[DcElement, string]> {
  const out: Array<[DcElement, string]> = [];
  const add = (name: DcElement, values: Iterable<string | undefined>): void => {
    const seen = new Set<string>();
    for (const v of values) {
      const t = v?.trim();
      if (t && !seen.has(t)) {
        seen.add(t);
        out.push([name, t]);
      }
    }
  };
  add('title', [work.subtitle ? `${work.title} : ${work.subtitle}` : work.title]);
  add('creator', [...work.authors.map((a) => a.name), ...work.corporateAuthors]);
  add('contributor', work.authors2.map((a) => a.name));
  add('subject', [...work.subjects, ...work.genres]);
  add('description', [work.summary, ...work.contents]);
  add('publisher', work.publishers);
  add('date', [work.year !== undefined ? String(work.year) : undefined]);
  add('type', [work.format]);
  add('format', [work.physical]);
  add('identifier', [...work.isbns.map((i) => `URN:ISBN:${i}`), ...work.issns.map((i) => `URN:ISSN:${i}`), ...work.links.map((l) => l.url)]);
  add('language', work.languages);
  add('relation', work.series);
  return out;
}

/** `<dc:name>value</dc:name>…` */
export function dcElementsXml(elements: ReadonlyArray<[DcElement, string]>): string {
  return elements.map(([name, value]) => `<dc:${name}>${xmlText(value)}</dc:${name}>`).join('');
}
