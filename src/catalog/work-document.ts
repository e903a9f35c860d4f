import { z } from 'zod';
import { Author, Link } from './record-document.ts';

/** The union of a work's member records (RecordManager's merged record), as stored and indexed. */
export const WorkDocument = z.object({
  /** numeric work id; shown to people as `w${id}` */
  id: z.number().int().positive(),
  /** member record ids (`LIB.localId`), base record first */
  records: z.array(z.string()),
  /** member library codes, in the order of `records` */
  libraries: z.array(z.string()),
  title: z.string(),
  titleShort: z.string(),
  subtitle: z.string().optional(),
  titleSort: z.string(),
  titleAlt: z.array(z.string()),
  authors: z.array(Author),
  authors2: z.array(Author),
  corporateAuthors: z.array(z.string()),
  subjects: z.array(z.string()),
  genres: z.array(z.string()),
  series: z.array(z.string()),
  publishers: z.array(z.string()),
  year: z.number().int().optional(),
  years: z.array(z.number().int()),
  edition: z.string().optional(),
  physical: z.string().optional(),
  languages: z.array(z.string()),
  format: z.string(),
  isbns: z.array(z.string()),
  isbn10: z.array(z.string()),
  issns: z.array(z.string()),
  oclc: z.array(z.string()),
  lccn: z.string().optional(),
  callNumbers: z.array(z.string()),
  summary: z.string().optional(),
  contents: z.array(z.string()),
  links: z.array(Link),
  allText: z.string(),
});
export type WorkDocument = z.infer<typeof WorkDocument>;

export function workLabel(id: number): string {
  return `w${id}`;
}

/** "w123" or "123" → 123 */
export function parseWorkLabel(text: string): number | undefined {
  const m = /^w?(\d{1,12})$/i.exec(text.trim());
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
