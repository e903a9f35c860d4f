import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root (where package.json lives), whatever the current directory. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundled sample consortium and default data directory. */
export const DEFAULT_DATA_DIR = path.join(PACKAGE_ROOT, 'index-data');

/** --data-dir, else JALA_DATA_DIR, else index-data/ of the checkout. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return path.resolve(flag);
  if (env.JALA_DATA_DIR) return path.resolve(env.JALA_DATA_DIR);
  return DEFAULT_DATA_DIR;
}
