/**
 * The least time a wait is given before it fails. Waits end as soon as their condition holds, so on a
 * quiet machine this costs nothing; it only has to outlast a loaded 2-core machine (several suites
 * and helpers at once), where a 5-second deadline once failed a Discord end-to-end test that was merely
 * slow (the machine's load average was 30). A wait that reaches it is a hang, not slowness.
 */
export const MIN_WAIT_MS = 180_000;

/**
 * Polls until `probe` gives something (not undefined or false) and returns it: waits on a condition,
 * never on a duration. Fails after `timeoutMs`, raised to MIN_WAIT_MS (the deadline is there to report a
 * hang with `what` in the message, not to measure speed).
 */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = MIN_WAIT_MS, what = 'condition', everyMs = 20): Promise<T> {
  const deadline = Math.max(timeoutMs, MIN_WAIT_MS);
  const end = Date.now() + deadline;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${deadline} ms)`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
