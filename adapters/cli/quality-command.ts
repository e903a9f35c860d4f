import { adminPhrases, openCatalog, qualityCheckLabel, qualityReport } from '../../src/index.ts';
import { formatNumber } from './format-number.ts';

/** `jala quality [LIBRARY] [--json]`: the bibliographic-control report (JSON lists up to 1,000 examples per check). */
export function runQuality(library: string | undefined, flags: { dataDir?: string; json?: boolean }): number {
  const catalog = openCatalog(flags.dataDir);
  try {
    const result = qualityReport(catalog.stores, { ...(library ? { library } : {}), examples: flags.json ? 1000 : 10 });
    if (!result.ok) {
      process.stderr.write(`jala quality: ${adminPhrases('en').unknownLibrary(result.library, result.known)}\n`);
      return 2;
    }
    const r = result.report;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const lines = [`Bibliographic control — ${r.library ?? 'all libraries'} (${formatNumber(r.records)} records):`];
    for (const f of r.findings) {
      lines.push(`• ${qualityCheckLabel(f.check, 'en')}: ${formatNumber(f.count)}`);
      for (const e of f.examples) lines.push(`    ${e.recordId} “${e.title.slice(0, 70)}”: ${e.detail}`);
      if (f.count > f.examples.length) lines.push(`    … and ${formatNumber(f.count - f.examples.length)} more (--json lists them)`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    catalog.close();
  }
}
