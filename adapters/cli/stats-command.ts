import { catalogStatus, openCatalog, type HarvestRunView } from '../../src/index.ts';
import { formatNumber } from './format-number.ts';

export function runStats(flags: { dataDir?: string; json?: boolean; digest?: boolean }): number {
  const catalog = openCatalog(flags.dataDir);
  try {
    if (flags.digest) {
      const d = catalog.stores.catalog.digest();
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(d)}\n`
          : `${d.digest}\n  works ${formatNumber(d.works)} ${d.parts.works}\n  records ${formatNumber(d.records)} ${d.parts.records}\n  holdings ${formatNumber(d.items)} ${d.parts.holdings}\n`,
      );
      return 0;
    }
    const s = catalogStatus(catalog.stores);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    const lines = [
      `Libraries ${formatNumber(s.libraries)} · records ${formatNumber(s.records)} · works ${formatNumber(s.works)} · items ${formatNumber(s.items)} (${formatNumber(s.availableItems)} available)`,
      `Dedup ratio ${s.dedupRatio} records per work · ${formatNumber(s.sharedWorks)} works held by more than one library`,
      '',
      ...s.perLibrary.flatMap((l) => [
        `  ${l.library.padEnd(12)} ${formatNumber(l.records).padStart(9)} records ${formatNumber(l.items).padStart(9)} items ${formatNumber(l.availableItems).padStart(8)} available   ${l.name}${l.lastIngest ? `  (last ingest ${when(l.lastIngest)})` : ''}`,
        ...l.harvests.map((h) => `  ${''.padEnd(12)} last harvest ${harvestLine(h)}`),
      ]),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    catalog.close();
  }
}

function when(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function harvestLine(h: HarvestRunView): string {
  const source = h.source === 'files' ? 'files' : `OAI-PMH ${h.source.split(' ').slice(2).join(' ')}`;
  const outcome = h.outcome === 'failed' ? `FAILED ${h.errorCode ?? ''}${h.error ? `: ${h.error}` : ''}` : h.outcome;
  return `${when(h.finishedAt ?? h.startedAt)} ${source} (${h.mode}): ${outcome}`;
}
