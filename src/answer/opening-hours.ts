/**
 * Opening hours on a given day, read from a library's hours as librarians write them in the
 * consortium config ("Monday-Friday 08:00-20:00, Saturday 08:00-12:00; closed on Sundays and
 * national holidays", "Senin–Jumat 08.00–16.00, Sabtu 09.00–12.00, Minggu tutup"), and the day a
 * question asks about ("open on Sunday?", "buka hari sabtu?", "today", "besok").
 */

/** 0 = Sunday … 6 = Saturday (Date#getDay). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const DAY_WORDS: ReadonlyArray<readonly [RegExp, Weekday]> = [
  [/^(?:sunday|sundays|sun|minggu|ahad)$/u, 0],
  [/^(?:monday|mondays|mon|senin)$/u, 1],
  [/^(?:tuesday|tuesdays|tue|tues|selasa)$/u, 2],
  [/^(?:wednesday|wednesdays|wed|rabu)$/u, 3],
  [/^(?:thursday|thursdays|thu|thur|thurs|kamis)$/u, 4],
  [/^(?:friday|fridays|fri|jumat|jum'at|jumaat)$/u, 5],
  [/^(?:saturday|saturdays|sat|sabtu)$/u, 6],
];

function dayOf(word: string): Weekday | undefined {
  const w = word.toLowerCase();
  for (const [re, d] of DAY_WORDS) if (re.test(w)) return d;
  return undefined;
}

const DAY = "(?:sundays?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sun|mon|tues?|wed|thu(?:rs?)?|fri|sat|minggu|ahad|senin|selasa|rabu|kamis|jum'?at|sabtu)";
const TIME = '\\d{1,2}(?:[.:]\\d{2})?(?:\\s?(?:am|pm|wib|wita|wit))?';

export interface DayHours {
  open: boolean;
  /** "08:00-12:00" when open and the hours say */
  times?: string;
}

/** What the hours text says about one weekday; undefined when it does not mention that day. */
export function hoursOn(text: string, day: Weekday): DayHours | undefined {
  const t = text.replace(/[–—]/gu, '-');
  const result = new Map<Weekday, DayHours>();
  // "Monday-Friday 08:00-20:00", "Saturday 08:00-12:00", "Senin s.d. Jumat 08.00-16.00"
  const ranges = new RegExp(`(${DAY})(?:\\s*(?:-|to|until|through|sampai|s\\.?d\\.?|hingga)\\s*(${DAY}))?(?:\\s*(?:and|&|dan|,)\\s*(${DAY}))?\\s*:?\\s*(${TIME}\\s*(?:-|to|until|sampai|s\\.?d\\.?|hingga)\\s*${TIME})`, 'giu');
  for (const m of t.matchAll(ranges)) {
    const from = dayOf(m[1] ?? '');
    const to = m[2] !== undefined ? dayOf(m[2]) : from;
    const also = m[3] !== undefined ? dayOf(m[3]) : undefined;
    const times = (m[4] ?? '').replace(/\s+/gu, '');
    if (from === undefined || to === undefined) continue;
    for (let d = from; ; d = ((d + 1) % 7) as Weekday) {
      result.set(d, { open: true, times });
      if (d === to) break;
    }
    if (also !== undefined) result.set(also, { open: true, times });
  }
  // "closed on Sundays and national holidays", "Minggu tutup", "tutup hari Minggu", "closed on weekends"
  const closedAfter = new RegExp(`(?:closed|tutup|libur)(?:\\s+(?:on|every|pada|setiap|tiap|hari))*\\s+((?:${DAY}|weekends?|akhir pekan)(?:\\s*(?:,|and|&|dan|or|atau)\\s*(?:${DAY}|weekends?|akhir pekan))*)`, 'giu');
  const closedBefore = new RegExp(`(?:hari\\s+)?(${DAY}|weekends?|akhir pekan)\\s*:?\\s*(?:closed|tutup|libur)`, 'giu');
  const close = (list: string): void => {
    for (const word of list.split(/\s*(?:,|and|&|dan|or|atau)\s*|\s+/u)) {
      if (/^(?:weekends?|akhir|pekan)$/iu.test(word)) {
        result.set(0, { open: false });
        result.set(6, { open: false });
      }
      const d = dayOf(word);
      if (d !== undefined) result.set(d, { open: false });
    }
  };
  for (const m of t.matchAll(closedAfter)) close(m[1] ?? '');
  for (const m of t.matchAll(closedBefore)) close(m[1] ?? '');
  return result.get(day);
}

/** The weekday a question asks about ("on Sunday", "hari sabtu", "today", "besok"); undefined when none. */
export function askedDay(question: string, today: Weekday): Weekday | undefined {
  // "minggu ini/depan/lalu" is this/next/last week, not Sunday
  const q = question.toLowerCase().replace(/\bminggu\s+(?:ini|depan|lalu|kemarin)\b/gu, ' ');
  if (/\b(?:today|tonight|hari ini|nanti malam|sekarang)\b/u.test(q)) return today;
  if (/\b(?:tomorrow|besok)\b/u.test(q)) return ((today + 1) % 7) as Weekday;
  for (const word of q.split(/[^\p{L}']+/u)) {
    const d = dayOf(word);
    if (d !== undefined) return d;
  }
  if (/\b(?:weekends?|akhir pekan)\b/u.test(q)) return 6;
  return undefined;
}
