import { z } from 'zod';

/** Availability of one item, as a patron would hear it. */
export const ItemStatus = z.enum(['available', 'on-loan', 'library-use-only', 'lost', 'withdrawn', 'unknown']);
export type ItemStatus = z.infer<typeof ItemStatus>;

/** One physical copy held by a member library. */
export const Item = z.object({
  /** the member library's code (the ingest's --library), never taken from the data */
  library: z.string().min(1),
  /** branch / home library inside the member (952$a, 852$b, 949$l, 999$m) */
  branch: z.string().optional(),
  location: z.string().optional(),
  callNumber: z.string().optional(),
  barcode: z.string().optional(),
  itemType: z.string().optional(),
  status: ItemStatus,
  /** YYYY-MM-DD when on loan and the source gives a due date */
  dueDate: z.string().optional(),
  note: z.string().optional(),
  /** why the status is what it is, in the source's words: "damaged", "long overdue", "in transit", "INTRANSIT" */
  statusDetail: z.string().optional(),
  /** volume / issue of this copy (952$h, 949$v) */
  volume: z.string().optional(),
});
export type Item = z.infer<typeof Item>;

export const Author = z.object({
  /** as catalogued, punctuation trimmed: "Hirata, Andrea" */
  name: z.string().min(1),
  /** direct order: "Andrea Hirata" */
  direct: z.string().min(1),
  /** relator term or code when given ($e / $4) */
  role: z.string().optional(),
});
export type Author = z.infer<typeof Author>;

export const Link = z.object({ url: z.string().min(1), label: z.string().optional() });
export type Link = z.infer<typeof Link>;

/** A library's record mapped from MARC: what is stored, deduplicated and indexed. */
export const RecordDocument = z.object({
  /** `${library}.${localId}` */
  id: z.string().min(3),
  library: z.string().min(1),
  localId: z.string().min(1),
  title: z.string().min(1),
  titleShort: z.string().min(1),
  subtitle: z.string().optional(),
  titleFull: z.string().min(1),
  /** filing form: non-filing characters dropped, lower-cased, punctuation stripped */
  titleSort: z.string(),
  titleAlt: z.array(z.string()),
  /** 245$n / $p: part number and name, kept for the dedup veto rules */
  partNumber: z.string().optional(),
  authors: z.array(Author),
  /** secondary personal authors (700 other roles) */
  authors2: z.array(Author),
  corporateAuthors: z.array(z.string()),
  subjects: z.array(z.string()),
  genres: z.array(z.string()),
  series: z.array(z.string()),
  /** 490$x / 490$v */
  seriesIssns: z.array(z.string()),
  seriesNumbers: z.array(z.string()),
  publishers: z.array(z.string()),
  publishPlace: z.string().optional(),
  year: z.number().int().optional(),
  edition: z.string().optional(),
  physical: z.string().optional(),
  pageCount: z.number().int().optional(),
  /** MARC language codes (ind, eng, jav…) */
  languages: z.array(z.string()),
  /** coarse format: Book, eBook, Journal, Map, Musical Score, Video, Sound Recording, Music Recording, Image, Software/Data, Manuscript, Thesis, Kit, Other */
  format: z.string().min(1),
  /** ISBN-13s from 020$a with valid check digits */
  isbns: z.array(z.string().regex(/^97[89]\d{10}$/)),
  /** ISBN-10 forms of the valid ISBNs (for lookup) */
  isbn10: z.array(z.string().regex(/^\d{9}[\dX]$/)),
  /** 020$a with a bad check digit or shape, and 020$z (cancelled/invalid), as written */
  isbnInvalid: z.array(z.string()),
  issns: z.array(z.string()),
  lccn: z.string().optional(),
  oclc: z.array(z.string()),
  /** unique ids for dedup (RecordManager id_keys): "(lccn)…", "(ocolc)…", "(ismn)…" … */
  idKeys: z.array(z.string()),
  callNumber: z.string().optional(),
  summary: z.string().optional(),
  contents: z.array(z.string()),
  links: z.array(Link),
  items: z.array(Item),
  /** everything else searchable (notes, other data fields), for keyword search */
  allText: z.string(),
  /** RecordManager-style dedup title key (title words + author surname), absent without author */
  titleKey: z.string().optional(),
  /** normalizeKey of the filing title, for dedup confirmation */
  titleNorm: z.string(),
  /** normalizeKey of the main author */
  authorNorm: z.string().optional(),
});
export type RecordDocument = z.infer<typeof RecordDocument>;
