import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkPartners } from './partner-config.ts';
import { ConsortiumConfig } from './consortium-config.ts';

export const CONFIG_FILE = 'consortium.json';

export type ConfigResult =
  | { ok: true; config: ConsortiumConfig; path: string | undefined }
  | { ok: false; error: 'config/unreadable' | 'config/invalid'; message: string };

/**
 * The consortium config: JALA_CONFIG if set, else `<data dir>/consortium.json`; a missing default
 * file is an empty consortium (libraries are registered by ingest), a broken one is an error.
 */
export function loadConsortiumConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const explicit = env.JALA_CONFIG;
  const file = explicit ? path.resolve(explicit) : path.join(dataDir, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    if (!explicit && (cause as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: true, config: ConsortiumConfig.parse({}), path: undefined };
    }
    return { ok: false, error: 'config/unreadable', message: `cannot read config ${file}: ${(cause as Error).message}` };
  }
  let json: unknown;
  try {
    // a config saved by an editor that writes a UTF-8 byte-order mark is the same config
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (cause) {
    return { ok: false, error: 'config/invalid', message: `config ${file} is not valid JSON: ${(cause as Error).message}` };
  }
  const parsed = ConsortiumConfig.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: 'config/invalid', message: `config ${file} is invalid:\n${z.prettifyError(parsed.error)}` };
  }
  const codes = new Set<string>();
  for (const lib of parsed.data.libraries) {
    if (codes.has(lib.code)) return { ok: false, error: 'config/invalid', message: `config ${file}: library ${lib.code} is listed twice` };
    codes.add(lib.code);
  }
  const partnerProblems = checkPartners(parsed.data.iso18626, parsed.data.libraries);
  if (partnerProblems.length > 0) return { ok: false, error: 'config/invalid', message: `config ${file}: ${partnerProblems.join('; ')}` };
  return { ok: true, config: parsed.data, path: file };
}
