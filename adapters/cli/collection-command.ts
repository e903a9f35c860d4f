import { adminPhrases, openCatalog, overlapCsv, overlapReport, uniqueCsv, uniqueReport } from '../../src/index.ts';

interface ReportFlags {
  dataDir?: string;
  csv?: boolean;
  json?: boolean;
}

/** `jala overlap LIB1 LIB2 [--csv|--json]`: works two libraries share and hold alone, per format and subject. */
export function runOverlap(first: string, second: string, flags: ReportFlags): number {
  const catalog = openCatalog(flags.dataDir);
  try {
    const result = overlapReport(catalog.stores, first, second);
    if (!result.ok) return refuse('overlap', result.error === 'report/same-library' ? adminPhrases('en').sameLibrary(result.library) : adminPhrases('en').unknownLibrary(result.library, result.known));
    if (flags.csv) process.stdout.write(overlapCsv(result.report));
    else if (flags.json) process.stdout.write(`${JSON.stringify(result.report)}\n`);
    else process.stdout.write(`${adminPhrases('en').overlap(result.report).replace(/\n[^\n]*attached CSV\.$/, '\n(--csv lists every work)')}\n`);
    return 0;
  } finally {
    catalog.close();
  }
}

/** `jala unique LIB [--csv|--json]`: works no other member holds (last copies), per format and subject. */
export function runUnique(library: string, flags: ReportFlags): number {
  const catalog = openCatalog(flags.dataDir);
  try {
    const result = uniqueReport(catalog.stores, library);
    if (!result.ok) return refuse('unique', result.error === 'report/same-library' ? adminPhrases('en').sameLibrary(result.library) : adminPhrases('en').unknownLibrary(result.library, result.known));
    if (flags.csv) process.stdout.write(uniqueCsv(result.report));
    else if (flags.json) process.stdout.write(`${JSON.stringify(result.report)}\n`);
    else process.stdout.write(`${adminPhrases('en').unique(result.report).replace(/\n[^\n]*attached CSV\.$/, '\n(--csv lists the unique works)')}\n`);
    return 0;
  } finally {
    catalog.close();
  }
}

function refuse(command: string, why: string): number {
  process.stderr.write(`jala ${command}: ${why}\n`);
  return 2;
}
