import { runChat } from './chat-command.ts';

/**
 * `npm start`: the platforms whose credentials are set, else the terminal chat on the data
 * directory, building the configured (sample) libraries that are missing first.
 */
export async function runStart(flags: { dataDir?: string; library?: string }): Promise<number> {
  return runChat({ ...flags, ingestMissing: true });
}
