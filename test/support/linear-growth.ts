/**
 * Whether a function's time grows linearly with its input, without a wall-clock threshold: it is timed
 * per call at 10 KB, 100 KB and 1 MB, and each step's time ratio is divided by the step's size ratio
 * (10). Linear gives about 1, n log n a little more, quadratic about 10. A call too quick to time is
 * repeated until the repetitions take a few milliseconds; each size takes the best of two trials (a GC
 * pause or a busy neighbour only ever adds time). A step already far off stops the measurement, so a
 * quadratic function fails fast instead of running for minutes on a megabyte.
 */
export const SIZES = [10_000, 100_000, 1_000_000] as const;

export interface Growth {
  /** milliseconds per call at each size measured */
  ms: number[];
  /** per step: (time ratio) / (size ratio) — about 1 when linear, about 10 when quadratic */
  ratios: number[];
}

/** Above this a step counts as super-linear (linear ≈ 1, n log n ≈ 1.2, quadratic ≈ 10); room for a loaded machine. */
export const MAX_STEP_RATIO = 4;

/** Calls are repeated until they take this long together, so the timer's resolution does not decide. */
const MIN_TIMED_MS = 3;

/**
 * Milliseconds per call of fn on `input`: the best of `trials`, each repeated until it is long enough
 * to time. Every call gets its own copy of the input (one character changed at the start): V8 caches the
 * results of split and global replace per subject string, so the same string again would be nearly free.
 */
export function timePerCall(fn: (input: string) => unknown, input: string, trials = 2): number {
  let best = Infinity;
  let copy = 0;
  const fresh = (): string => String.fromCharCode(0x61 + (copy++ % 26)) + input.slice(1);
  for (let t = 0; t < trials; t++) {
    let reps = 0;
    let elapsed = 0;
    while (elapsed < MIN_TIMED_MS && reps < 20) {
      const s = fresh();
      s.charCodeAt(s.length - 1); // made before the clock starts
      const start = performance.now();
      fn(s);
      elapsed += performance.now() - start;
      reps++;
    }
    best = Math.min(best, elapsed / reps);
  }
  return best;
}

/** Below this a call's time is noise (timer, scheduling); a ratio never uses less. */
const FLOOR_MS = 0.2;

export function measureGrowth(fn: (input: string) => unknown, make: (size: number) => string): Growth {
  fn(make(SIZES[0])); // warm up the JIT on the smallest size
  const inputs = SIZES.map((size) => make(size));
  const ms: number[] = [];
  const ratios: number[] = [];
  for (const [i, size] of SIZES.entries()) {
    const input = inputs[i] ?? '';
    ms.push(timePerCall(fn, input, 1));
    const prev = SIZES[i - 1];
    if (prev === undefined) continue;
    const ratioNow = (): number => Math.max(ms[i] ?? 0, FLOOR_MS) / Math.max(ms[i - 1] ?? 0, FLOOR_MS) / (size / prev);
    // a step that looks super-linear is measured again, both sizes, best of three: load on a shared
    // machine only ever adds time, a quadratic function stays ten times off
    for (let retry = 0; retry < 2 && ratioNow() > MAX_STEP_RATIO; retry++) {
      ms[i - 1] = Math.min(ms[i - 1] ?? Infinity, timePerCall(fn, inputs[i - 1] ?? '', 1));
      if (ratioNow() > MAX_STEP_RATIO) ms[i] = Math.min(ms[i] ?? Infinity, timePerCall(fn, input, 1));
    }
    ratios.push(ratioNow());
    if (ratioNow() > MAX_STEP_RATIO) break; // super-linear: do not wait for the next size
  }
  return { ms, ratios };
}

/** An input of exactly `size` characters: `prefix`, then `unit` repeated, then `suffix`. */
export function hostile(prefix: string, unit: string, suffix = ''): (size: number) => string {
  return (size) => {
    const room = Math.max(0, size - prefix.length - suffix.length);
    return (prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix).slice(0, size);
  };
}

/** How many times slower than ordinary words of the same size a hostile input may be (quadratic patterns are thousands of times). */
export const MAX_HOSTILE_FACTOR = 50;
/** Below this an ordinary input's time is noise; a factor never divides by less. */
const ORDINARY_FLOOR_MS = 5;

export interface HostileCheck {
  /** per size: hostile ms / ordinary ms (with the floor) */
  factors: number[];
  ms: number[];
}

/**
 * The issue's own yardstick: a hostile input must take about as long as a message of ordinary words
 * of the same size, at 10 KB, 100 KB and 1 MB — compared as a factor, both measured alike, never
 * against a clock. Stops at the first size already far off, so a quadratic parser fails fast.
 */
export function compareWithOrdinary(fn: (input: string) => unknown, make: (size: number) => string, ordinaryMs: readonly number[]): HostileCheck {
  fn(make(SIZES[0]));
  const factors: number[] = [];
  const ms: number[] = [];
  for (const [i, size] of SIZES.entries()) {
    let t = timePerCall(fn, make(size), 1);
    const factor = (): number => t / Math.max(ordinaryMs[i] ?? 0, ORDINARY_FLOOR_MS);
    if (factor() > MAX_HOSTILE_FACTOR) t = Math.min(t, timePerCall(fn, make(size), 1)); // once more: load only adds time
    ms.push(t);
    factors.push(factor());
    if (factor() > MAX_HOSTILE_FACTOR) break;
  }
  return { factors, ms };
}

/** Above this the time from 1 MB to 2 MB confirms super-linear growth (quadratic ≈ 4, linear ≈ 2, n log n ≈ 2.1). */
export const MAX_DOUBLING_RATIO = 3;

/**
 * A second look at an input that seemed to grow faster than its length: one more doubling, 1 MB and
 * 2 MB, the best of three calls each. A quadratic function takes about four times as long at 2 MB; a
 * linear one about twice. A garbage-collection pause or a busy neighbour on a loaded machine (which
 * is what makes one 1 MB measurement look slow) does not repeat as a fourfold step.
 */
export function doublingRatio(fn: (input: string) => unknown, make: (size: number) => string): { ratio: number; ms: [number, number] } {
  const oneMb = make(1_000_000);
  const twoMb = make(2_000_000);
  const a = timePerCall(fn, oneMb, 3);
  const b = timePerCall(fn, twoMb, 3);
  return { ratio: Math.max(b, FLOOR_MS) / Math.max(a, FLOOR_MS), ms: [a, b] };
}

/** Milliseconds per call on ordinary words at each size, the best of two. */
export function ordinaryTimes(fn: (input: string) => unknown): number[] {
  const words = 'buku sejarah perpustakaan the history of reading in java laskar pelangi novel ';
  fn(words);
  return SIZES.map((size) => timePerCall(fn, words.repeat(Math.ceil(size / words.length)).slice(0, size), 2));
}
