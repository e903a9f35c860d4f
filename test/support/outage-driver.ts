import { expect } from 'vitest';
import type { OutboxRow } from './outbox-rows.ts';
import type { TcpGate } from './tcp-gate.ts';
import { waitFor } from './wait-for.ts';

/** What an outage test drives on its platform's fake (Slack's Web API or Discord's REST). */
/** `F`: the fake's faults; `W`: which of its requests a fault hits. */
export interface OutagePlatform<F extends string, W> {
  /** the gate in front of the fake: closed, connections are refused */
  gate: TcpGate;
  /** turns a fault on for the requests `when` picks (or all faults off with undefined) */
  setOutage(fault: F | undefined, when?: W): void;
  /** requests the fake has answered with this fault so far */
  hits(fault: F): number;
  /** deliveries the adapter has logged as failed so far */
  failures(): number;
  /** outbox notifications still to deliver */
  undelivered(): number[];
  /** one more delivery pass once the outbox is empty (nothing may be left in flight) */
  settle(): Promise<void>;
}

/**
 * Turns the fault on and runs the ILL steps one after the other, each once the outbox has failed to
 * deliver at least once more (so an earlier notification about a request is further into its
 * back-off than a later one); then brings the platform back and waits until nothing is left to deliver.
 */
export async function throughOutage<F extends string, W>(
  platform: OutagePlatform<F, W>,
  fault: F | 'refused',
  steps: Array<() => Promise<void>>,
  when?: W,
): Promise<void> {
  const hitsBefore = fault === 'refused' ? 0 : platform.hits(fault);
  if (fault === 'refused') await platform.gate.close();
  else platform.setOutage(fault, when);
  try {
    for (const step of steps) {
      const before = platform.failures();
      await step();
      await waitFor(() => platform.failures() >= before + 1, 20_000, `a failed delivery during "${fault}"`);
    }
    if (fault !== 'refused') expect(platform.hits(fault)).toBeGreaterThan(hitsBefore);
  } finally {
    if (fault === 'refused') await platform.gate.open();
    else platform.setOutage(undefined);
  }
  await waitFor(() => platform.undelivered().length === 0, 30_000, `the outbox to empty after "${fault}"`);
  await platform.settle();
}

/**
 * For every request and library: no card where the outbox sent the library nothing about the
 * request, else exactly one, which `check` compares with the library's notifications about it
 * (oldest first) and answers with how many messages the card and its thread hold. Returns their sum.
 */
export function expectOneCardPerLibrary<C>(
  rows: readonly OutboxRow[],
  rids: readonly string[],
  libraries: readonly string[],
  cardsOf: (rid: string, library: string) => C[],
  check: (card: C, notifications: OutboxRow[], label: string) => number,
): number {
  let messages = 0;
  for (const rid of rids) {
    const n = Number(rid.slice(1));
    for (const lib of libraries) {
      const mine = rows.filter((r) => r.targetType === 'library' && r.target === lib && r.requestId === n);
      const cards = cardsOf(rid, lib);
      if (mine.length === 0) {
        expect(cards, `${rid} in ${lib}`).toHaveLength(0);
        continue;
      }
      expect.soft(cards, `one card for ${rid} in ${lib}`).toHaveLength(1);
      const card = cards[0];
      if (card !== undefined) messages += check(card, mine, `${rid} in ${lib}`);
    }
  }
  return messages;
}
