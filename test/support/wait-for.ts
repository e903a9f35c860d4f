/** Polls until `probe` gives something (not undefined or false) and returns it; fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000, what = 'condition', everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
