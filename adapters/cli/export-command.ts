import { exportMarc, openCatalog, type ExportFormat } from '../../src/index.ts';

export function runExport(id: string, flags: { dataDir?: string; format: ExportFormat }): number {
  const catalog = openCatalog(flags.dataDir);
  try {
    const result = exportMarc(catalog.store, id, flags.format);
    if (!result.ok) {
      process.stderr.write(`jala export: no record or work "${id}" (record ids look like UGM.12345, work ids like w42)\n`);
      return 1;
    }
    process.stdout.write(result.data);
    return 0;
  } finally {
    catalog.close();
  }
}
