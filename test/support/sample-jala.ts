import fs from 'node:fs';
import path from 'node:path';
import { createJala, type Jala } from '../../src/app/create-jala.ts';
import { DEFAULT_DATA_DIR } from '../../src/config/data-dir.ts';
import { tempDir } from './paths.ts';

export interface SampleOptions {
  /** the data directory's name prefix */
  prefix?: string;
  /** each library's chat channels (platform → channel ids), replacing the sample's */
  channels?: (library: string) => { slack?: string[]; discord?: string[] };
}

/**
 * A fresh data directory with the sample consortium's config (file paths made absolute, channels
 * and other overrides filled in), to be ingested as `npm start` does. Returns the directory and the config path.
 */
export function sampleDataDir(
  override: (config: Record<string, unknown>) => void = () => {},
  opts: SampleOptions = {},
): { dataDir: string; configPath: string } {
  const dataDir = tempDir(opts.prefix ?? 'jala-sample-');
  const config = JSON.parse(fs.readFileSync(path.join(DEFAULT_DATA_DIR, 'consortium.json'), 'utf8')) as {
    libraries: Array<{ code: string; files: string[]; channels?: unknown }>;
  } & Record<string, unknown>;
  for (const lib of config.libraries) {
    lib.files = lib.files.map((f) => path.resolve(DEFAULT_DATA_DIR, f));
    if (opts.channels) lib.channels = { slack: [], discord: [], ...opts.channels(lib.code) };
  }
  override(config);
  const configPath = path.join(dataDir, 'consortium.json');
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { dataDir, configPath };
}

export async function sampleJala(override?: (config: Record<string, unknown>) => void): Promise<Jala & { configPath: string }> {
  const { dataDir, configPath } = sampleDataDir(override);
  const jala = await createJala({ dataDir, configPath, ingestMissing: true });
  return Object.assign(jala, { configPath });
}

/** A sample-consortium data directory whose config lists the libraries `codes` only (all four when absent). */
export function sampleDataDirOf(codes?: readonly string[]): { dataDir: string; configPath: string } {
  return sampleDataDir((config) => {
    if (codes) config.libraries = (config.libraries as Array<{ code: string }>).filter((l) => codes.includes(l.code));
  });
}
