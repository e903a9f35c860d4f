import readline from 'node:readline';
import { DEFAULT_DATA_DIR, createJala, resolveDataDir, type Answer } from '../../src/index.ts';
import { renderAnswer } from './render-answer.ts';
import { indexProgressBar } from './progress.ts';

interface AskFlags {
  dataDir?: string;
  library?: string;
  json?: boolean;
  batch?: boolean;
}

/** `jala ask`: one question from the arguments, or one per line of standard input with --batch. */
export async function runAsk(words: string[], flags: AskFlags): Promise<number> {
  const progress = indexProgressBar();
  const dataDir = resolveDataDir(flags.dataDir);
  // the bundled sample consortium is built on first use, as npm start does
  const jala = await createJala({ dataDir, onIndexProgress: progress.update, ingestMissing: dataDir === DEFAULT_DATA_DIR, onWaiting: (line) => void process.stderr.write(`${line}\n`) });
  progress.stop();
  try {
    if (flags.library && !jala.libraries.some((l) => l.code === flags.library)) {
      process.stderr.write(`jala ask: unknown library "${flags.library}" (known: ${jala.libraries.map((l) => l.code).join(', ') || 'none'})\n`);
      return 2;
    }
    const ask = (q: string): Answer => jala.ask(q, flags.library ? { homeLibrary: flags.library } : {});
    if (!flags.batch) {
      const answer = ask(words.join(' '));
      process.stdout.write(flags.json ? `${JSON.stringify(answer)}\n` : `${renderAnswer(answer)}\n`);
      return 0;
    }
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      const answer = ask(line);
      process.stdout.write(flags.json ? `${JSON.stringify(answer)}\n` : `${oneLine(line, answer)}\n`);
    }
    return 0;
  } finally {
    jala.close();
  }
}

/** A reading-list line: the question, then the best match and who holds it. */
function oneLine(question: string, a: Answer): string {
  const top = a.results[0];
  if (!top) return `${question.trim()}\t—`;
  const holders = top.libraries
    .map((lib) => {
      const hs = top.holdings.filter((h) => h.library === lib);
      return `${lib}:${hs.some((h) => h.status === 'available') ? 'available' : (hs[0]?.status ?? 'unknown')}`;
    })
    .join(' ');
  return `${question.trim()}\t${top.title}${top.year !== undefined ? ` (${top.year})` : ''}\t${top.workId}\t${holders}`;
}
