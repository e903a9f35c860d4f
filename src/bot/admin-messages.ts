import type { Language } from '../answer/answer-types.ts';
import type { CatalogStatus, HarvestRunView } from '../reports/catalog-status.ts';
import type { OverlapGroup, OverlapReport, UniqueGroup, UniqueReport } from '../reports/collection-overlap.ts';
import type { QualityCheck, QualityReport } from '../reports/quality-report.ts';
import type { ReindexProgress, ReindexReport, ReindexSourceReport, RunningReindex } from '../harvest/reindex-runner.ts';

/** What Jala says about reindexing and the administration reports, in English and Bahasa Indonesia. */
interface AdminPhrases {
  forbidden: string;
  reindexUsage: string;
  alreadyRunning(r: RunningReindex): string;
  unknownLibrary(code: string, known: string[]): string;
  sameLibrary(code: string): string;
  noSources(library?: string): string;
  started(mode: 'full' | 'incremental', library?: string): string;
  progress(p: ReindexProgress): string;
  finished(r: ReindexReport, works: number): string;
  stats(s: CatalogStatus): string;
  quality(r: QualityReport): string;
  overlap(r: OverlapReport): string;
  unique(r: UniqueReport): string;
  exported(id: string, records: string[], file: string): string;
  notFound(id: string): string;
  exportUsage: string;
}

const CHECK_EN: Record<QualityCheck, string> = {
  'invalid-isbn': 'Invalid ISBNs in 020$a',
  'no-245': 'Records without a 245 (title)',
  'no-001': 'Records without a 001 (control number)',
  'encoding-repaired': 'MARC-8/UTF-8 mismatches repaired (leader/09 wrong)',
  'language-name': 'Language names instead of MARC codes',
  'title-key-match': 'Matched by title key only (borderline duplicates)',
};
const CHECK_ID: Record<QualityCheck, string> = {
  'invalid-isbn': 'ISBN tidak sah di 020$a',
  'no-245': 'Cantuman tanpa 245 (judul)',
  'no-001': 'Cantuman tanpa 001 (nomor kendali)',
  'encoding-repaired': 'Ketidakcocokan MARC-8/UTF-8 yang diperbaiki (leader/09 salah)',
  'language-name': 'Nama bahasa, bukan kode MARC',
  'title-key-match': 'Digabung hanya berdasarkan kunci judul (duplikat meragukan)',
};

const n = (lang: Language, v: number): string => v.toLocaleString(lang === 'id' ? 'id-ID' : 'en-US');
const seconds = (s: number): string => (s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 360) / 10} h`);
const time = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

function sourceLine(lang: Language, s: ReindexSourceReport): string {
  const id = lang === 'id';
  const counts = id
    ? `${n(lang, s.received)} dibaca, ${n(lang, s.ingested)} baru, ${n(lang, s.updated)} diperbarui, ${n(lang, s.unchanged)} tetap, ${n(lang, s.skipped)} dilewati, ${n(lang, s.deleted)} dihapus`
    : `${n(lang, s.received)} read, ${n(lang, s.ingested)} new, ${n(lang, s.updated)} updated, ${n(lang, s.unchanged)} unchanged, ${n(lang, s.skipped)} skipped, ${n(lang, s.deleted)} deleted`;
  const outcome = s.outcome === 'ok' ? (id ? 'berhasil' : 'ok') : `${id ? 'gagal' : 'failed'} — ${s.error?.code ?? ''}: ${s.error?.message ?? ''}`;
  return `  ${s.library} · ${s.label} (${s.mode}${s.pages !== undefined ? `, ${n(lang, s.pages)} ${id ? 'halaman' : 'pages'}` : ''}): ${outcome}; ${counts}`;
}

function runLine(lang: Language, r: HarvestRunView | undefined): string {
  const id = lang === 'id';
  if (!r) return id ? 'belum pernah dipanen' : 'never harvested';
  const what = r.source === 'files' ? (id ? 'berkas' : 'files') : 'OAI-PMH';
  const outcome =
    r.outcome === 'ok' ? (id ? 'berhasil' : 'ok') : r.outcome === 'running' ? (id ? 'sedang berjalan' : 'running') : r.outcome === 'interrupted' ? (id ? 'terputus' : 'interrupted') : `${id ? 'gagal' : 'failed'} (${r.errorCode ?? '?'})`;
  return `${id ? 'panen terakhir' : 'last harvest'} ${time(r.finishedAt ?? r.startedAt)} ${what} ${r.mode}: ${outcome}`;
}

function overlapGroups(lang: Language, groups: OverlapGroup[], a: string, b: string): string[] {
  return groups.slice(0, 8).map((g) => `  ${g.key}: ${n(lang, g.shared)} ${lang === 'id' ? 'bersama' : 'shared'}, ${n(lang, g.onlyFirst)} ${lang === 'id' ? 'hanya' : 'only'} ${a}, ${n(lang, g.onlySecond)} ${lang === 'id' ? 'hanya' : 'only'} ${b}`);
}

function uniqueGroups(lang: Language, groups: UniqueGroup[]): string[] {
  return groups.slice(0, 8).map((g) => `  ${g.key}: ${n(lang, g.unique)} ${lang === 'id' ? 'dari' : 'of'} ${n(lang, g.held)}`);
}

const en: AdminPhrases = {
  forbidden: 'Only consortium admins can do that.',
  reindexUsage: 'Usage: /reindex [LIBRARY] [full] — without a library every library; without "full" only what changed.',
  alreadyRunning: (r) =>
    `A reindex is already running (${r.mode}${r.library ? `, ${r.library}` : ', all libraries'}, started ${time(r.startedAt)}${r.by ? ` by ${r.by}` : ''}${r.progress ? `, ${n('en', r.progress.received)} records so far` : ''}). ${r.library ? 'A library is reindexed by one run at a time (other libraries can be reindexed meanwhile)' : 'A reindex of every library runs by itself'}; try again when it has finished.`,
  unknownLibrary: (code, known) => `There is no member library "${code}". Known: ${known.join(', ') || 'none'}.`,
  sameLibrary: (code) => `Name two different libraries (both were ${code}).`,
  noSources: (lib) => (lib ? `${lib} has no sources configured (files or oai in the consortium config).` : 'No library has sources configured (files or oai in the consortium config).'),
  started: (mode, lib) => `Reindex started (${mode === 'full' ? 'full rebuild' : 'changes only'}, ${lib ?? 'all libraries'}). I will update this message as it goes; questions are answered from the current index meanwhile.`,
  progress: (p) => {
    const where = p.current ? `${p.current.library} · ${p.current.label} [${p.current.index}/${p.current.of}]` : '';
    const head = p.phase === 'index' ? 'Reindex: building the new search index…' : `Reindex (${p.mode}) — ${where}`;
    return [
      head,
      `${n('en', p.received)} records harvested · ${n('en', p.ingested)} ingested · ${n('en', p.unchanged)} unchanged · ${n('en', p.skipped)} skipped · ${n('en', p.deleted)} deleted · ${n('en', p.ratePerSecond)} records/s${p.etaSeconds !== undefined ? ` · about ${seconds(p.etaSeconds)} left` : ''}`,
    ].join('\n');
  },
  finished: (r, works) =>
    [
      r.outcome === 'ok'
        ? `Reindex finished in ${seconds(r.seconds)} (${r.mode}). The new index is in use: ${n('en', works)} works.`
        : r.outcome === 'partial'
          ? `Reindex finished in ${seconds(r.seconds)} (${r.mode}) with failures; the new index is in use: ${n('en', works)} works. Failed sources resume where they stopped next time.`
          : `Reindex failed after ${seconds(r.seconds)}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}. The current index stays in use.`,
      ...r.sources.map((s) => sourceLine('en', s)),
    ].join('\n'),
  stats: (s) =>
    [
      `Union catalog: ${s.libraries} libraries, ${n('en', s.records)} records in ${n('en', s.works)} works (${s.dedupRatio} records per work), ${n('en', s.items)} items, ${n('en', s.availableItems)} available; ${n('en', s.sharedWorks)} works held by more than one library.`,
      ...s.perLibrary.map((l) => `  ${l.library}: ${n('en', l.records)} records, ${n('en', l.items)} items (${n('en', l.availableItems)} available); ${runLine('en', l.lastHarvest)}`),
    ].join('\n'),
  quality: (r) =>
    [
      `Bibliographic control — ${r.library ?? 'all libraries'} (${n('en', r.records)} records):`,
      ...r.findings.flatMap((f) => [
        `• ${CHECK_EN[f.check]}: ${n('en', f.count)}`,
        ...f.examples.slice(0, 3).map((e) => `    ${e.recordId} “${e.title.slice(0, 60)}”: ${e.detail}`),
      ]),
      'Full lists: jala quality --json',
    ].join('\n'),
  overlap: (r) => {
    const [a, b] = r.libraries;
    return [
      `${a} and ${b}: ${n('en', r.shared)} works shared; ${n('en', r.onlyFirst)} only at ${a} (of ${n('en', r.held[0])}), ${n('en', r.onlySecond)} only at ${b} (of ${n('en', r.held[1])}).`,
      'By format:',
      ...overlapGroups('en', r.byFormat, a, b),
      'By subject (first heading):',
      ...overlapGroups('en', r.bySubject, a, b),
      'Every work is in the attached CSV.',
    ].join('\n');
  },
  unique: (r) =>
    [
      `${r.library} holds ${n('en', r.held)} works; ${n('en', r.unique)} of them no other member library holds (last copies in the consortium).`,
      'Unique works by format:',
      ...uniqueGroups('en', r.byFormat),
      'By subject (first heading):',
      ...uniqueGroups('en', r.bySubject),
      'The unique works are in the attached CSV.',
    ].join('\n'),
  exported: (id, records, file) => `MARC 21 (MARCXML) of ${id}: ${records.length === 1 ? `record ${records[0]}` : `${records.length} records (${records.join(', ')})`}, attached as ${file}.`,
  notFound: (id) => `No work or record "${id}" (work ids look like w42, record ids like UGM.12345).`,
  exportUsage: 'Usage: /jala export <work id | record id>',
};

const id: AdminPhrases = {
  forbidden: 'Hanya admin konsorsium yang dapat melakukannya.',
  reindexUsage: 'Cara pakai: /reindex [KODE] [full] — tanpa kode semua perpustakaan; tanpa "full" hanya yang berubah.',
  alreadyRunning: (r) =>
    `Pengindeksan ulang sedang berjalan (${r.mode}${r.library ? `, ${r.library}` : ', semua perpustakaan'}, mulai ${time(r.startedAt)}${r.by ? ` oleh ${r.by}` : ''}${r.progress ? `, ${n('id', r.progress.received)} cantuman sejauh ini` : ''}). ${r.library ? 'Satu perpustakaan diindeks ulang oleh satu proses sekaligus (perpustakaan lain boleh diindeks ulang sementara itu)' : 'Pengindeksan ulang semua perpustakaan berjalan sendiri'}; coba lagi setelah selesai.`,
  unknownLibrary: (code, known) => `Tidak ada perpustakaan anggota "${code}". Yang dikenal: ${known.join(', ') || 'tidak ada'}.`,
  sameLibrary: (code) => `Sebutkan dua perpustakaan yang berbeda (keduanya ${code}).`,
  noSources: (lib) => (lib ? `${lib} tidak punya sumber (files atau oai di konfigurasi konsorsium).` : 'Tidak ada perpustakaan dengan sumber (files atau oai di konfigurasi konsorsium).'),
  started: (mode, lib) => `Pengindeksan ulang dimulai (${mode === 'full' ? 'bangun ulang penuh' : 'hanya perubahan'}, ${lib ?? 'semua perpustakaan'}). Pesan ini akan saya perbarui; pertanyaan tetap dijawab dari indeks yang sekarang.`,
  progress: (p) => {
    const where = p.current ? `${p.current.library} · ${p.current.label} [${p.current.index}/${p.current.of}]` : '';
    const head = p.phase === 'index' ? 'Pengindeksan ulang: membangun indeks pencarian baru…' : `Pengindeksan ulang (${p.mode}) — ${where}`;
    return [
      head,
      `${n('id', p.received)} cantuman dipanen · ${n('id', p.ingested)} dimuat · ${n('id', p.unchanged)} tetap · ${n('id', p.skipped)} dilewati · ${n('id', p.deleted)} dihapus · ${n('id', p.ratePerSecond)} cantuman/detik${p.etaSeconds !== undefined ? ` · sekitar ${seconds(p.etaSeconds)} lagi` : ''}`,
    ].join('\n');
  },
  finished: (r, works) =>
    [
      r.outcome === 'ok'
        ? `Pengindeksan ulang selesai dalam ${seconds(r.seconds)} (${r.mode}). Indeks baru sudah dipakai: ${n('id', works)} karya.`
        : r.outcome === 'partial'
          ? `Pengindeksan ulang selesai dalam ${seconds(r.seconds)} (${r.mode}) dengan kegagalan; indeks baru sudah dipakai: ${n('id', works)} karya. Sumber yang gagal dilanjutkan dari titik berhentinya lain kali.`
          : `Pengindeksan ulang gagal setelah ${seconds(r.seconds)}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}. Indeks yang sekarang tetap dipakai.`,
      ...r.sources.map((s) => sourceLine('id', s)),
    ].join('\n'),
  stats: (s) =>
    [
      `Katalog induk: ${s.libraries} perpustakaan, ${n('id', s.records)} cantuman dalam ${n('id', s.works)} karya (${s.dedupRatio} cantuman per karya), ${n('id', s.items)} eksemplar, ${n('id', s.availableItems)} tersedia; ${n('id', s.sharedWorks)} karya dimiliki lebih dari satu perpustakaan.`,
      ...s.perLibrary.map((l) => `  ${l.library}: ${n('id', l.records)} cantuman, ${n('id', l.items)} eksemplar (${n('id', l.availableItems)} tersedia); ${runLine('id', l.lastHarvest)}`),
    ].join('\n'),
  quality: (r) =>
    [
      `Kendali bibliografis — ${r.library ?? 'semua perpustakaan'} (${n('id', r.records)} cantuman):`,
      ...r.findings.flatMap((f) => [
        `• ${CHECK_ID[f.check]}: ${n('id', f.count)}`,
        ...f.examples.slice(0, 3).map((e) => `    ${e.recordId} “${e.title.slice(0, 60)}”: ${e.detail}`),
      ]),
      'Daftar lengkap: jala quality --json',
    ].join('\n'),
  overlap: (r) => {
    const [a, b] = r.libraries;
    return [
      `${a} dan ${b}: ${n('id', r.shared)} karya dimiliki bersama; ${n('id', r.onlyFirst)} hanya di ${a} (dari ${n('id', r.held[0])}), ${n('id', r.onlySecond)} hanya di ${b} (dari ${n('id', r.held[1])}).`,
      'Menurut format:',
      ...overlapGroups('id', r.byFormat, a, b),
      'Menurut subjek (tajuk pertama):',
      ...overlapGroups('id', r.bySubject, a, b),
      'Semua karya ada di berkas CSV terlampir.',
    ].join('\n');
  },
  unique: (r) =>
    [
      `${r.library} memiliki ${n('id', r.held)} karya; ${n('id', r.unique)} di antaranya tidak dimiliki anggota lain (eksemplar terakhir di konsorsium).`,
      'Karya unik menurut format:',
      ...uniqueGroups('id', r.byFormat),
      'Menurut subjek (tajuk pertama):',
      ...uniqueGroups('id', r.bySubject),
      'Karya unik ada di berkas CSV terlampir.',
    ].join('\n'),
  exported: (wid, records, file) => `MARC 21 (MARCXML) ${wid}: ${records.length === 1 ? `cantuman ${records[0]}` : `${records.length} cantuman (${records.join(', ')})`}, terlampir sebagai ${file}.`,
  notFound: (wid) => `Tidak ada karya atau cantuman "${wid}" (id karya seperti w42, id cantuman seperti UGM.12345).`,
  exportUsage: 'Cara pakai: /jala export <id karya | id cantuman>',
};

/** The name of a quality check, as the reports title it. */
export function qualityCheckLabel(check: QualityCheck, language: Language): string {
  return (language === 'id' ? CHECK_ID : CHECK_EN)[check];
}

export function adminPhrases(language: Language): AdminPhrases {
  return language === 'id' ? id : en;
}
