/** What Jala says about ISO 18626 partners in chat and reports, in English and Indonesian. */
import type { Language } from '../common/language.ts';

export interface PartnerPhrases {
  reminder(partner: string): string;
  refused(partner: string, label: string, why: string): string;
  statsHeader: string;
  statsLine(code: string, name: string, s: { lent: number; lentMedian: string; borrowed: number; shipMedian: string }): string;
  pending(n: number): string;
}

const en: PartnerPhrases = {
  reminder: (partner) => `${partner} sent a reminder about this request`,
  refused: (partner, label, why) => `${partner}'s system refused Jala's message “${label}”: ${why}. It is not sent again; check the request with ${partner}.`,
  statsHeader: 'Partners outside the consortium (ISO 18626), turnaround apart from members (lent to members · median days from request to receipt · borrowed from members · median days from request to shipping):',
  statsLine: (code, name, s) => `${code} (${name}): lent ${s.lent} · ${s.lentMedian} · borrowed ${s.borrowed} · ${s.shipMedian}`,
  pending: (n) => `${n} message(s) to partners waiting to be sent`,
};

const id: PartnerPhrases = {
  reminder: (partner) => `${partner} mengirim pengingat tentang permintaan ini`,
  refused: (partner, label, why) => `Sistem ${partner} menolak pesan Jala “${label}”: ${why}. Pesan tidak dikirim ulang; periksa permintaan ini dengan ${partner}.`,
  statsHeader: 'Mitra di luar konsorsium (ISO 18626), waktu layanan terpisah dari anggota (meminjamkan ke anggota · median hari dari permintaan sampai diterima · meminjam dari anggota · median hari dari permintaan sampai dikirim):',
  statsLine: (code, name, s) => `${code} (${name}): meminjamkan ${s.lent} · ${s.lentMedian} · meminjam ${s.borrowed} · ${s.shipMedian}`,
  pending: (n) => `${n} pesan untuk mitra menunggu dikirim`,
};

export function partnerPhrases(lang: Language): PartnerPhrases {
  return lang === 'en' ? en : id;
}
