import { Presets, SingleBar } from 'cli-progress';

/** A progress bar on stderr for index builds, only on a terminal. */
export function indexProgressBar(): { update: (p: { done: number; total: number }) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    update: (p) => {
      if (!bar) {
        bar = new SingleBar({ format: ' indexing {bar} {value}/{total} works', clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
        bar.start(p.total, 0);
      }
      bar.update(p.done);
    },
    stop: () => bar?.stop(),
  };
}
