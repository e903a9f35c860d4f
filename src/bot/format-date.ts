import type { Language } from '../common/language.ts';

const FORMATS: Record<Language, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
};

/** A date (YYYY-MM-DD or an ISO timestamp) as its reader writes it: "6 Des 2026" / "6 Dec 2026". Anything else is shown as it is. */
export function formatDate(date: string, lang: Language): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);
  return Number.isNaN(d.getTime()) ? date : FORMATS[lang].format(d);
}
