import { describe, expect, it } from 'vitest';
import type { SeenEvents } from '../../src/replicas/seen-events.ts';

const at = (iso: string): Date => new Date(iso);
const NOW = at('2026-12-06T10:00:00.000Z');
const HOUR_LATER = at('2026-12-06T11:00:00.000Z');

/**
 * What every SeenEvents does. `open` gives two handles on one fresh database (as two replicas, or two
 * processes, hold them): what one records, the other sees.
 */
export function seenEventsContract(name: string, open: () => Promise<{ a: SeenEvents; b: SeenEvents; close: () => void }>): void {
  describe(`SeenEvents contract: ${name}`, () => {
    it('tells the first sighting of an event id from its repeats, per platform', async () => {
      const { a, close } = await open();
      try {
        expect(a.firstSighting('slack', 'Ev0A1B2C3', NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('slack', 'Ev0A1B2C3', NOW, HOUR_LATER)).toBe(false);
        // the same id on the other platform is another event
        expect(a.firstSighting('discord', 'Ev0A1B2C3', NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('slack', 'Ev0A1B2C4', NOW, HOUR_LATER)).toBe(true);
      } finally {
        close();
      }
    });

    it('recognises a repeat that reaches another replica of the same database', async () => {
      const { a, b, close } = await open();
      try {
        expect(a.firstSighting('discord', '1180000000000000001', NOW, HOUR_LATER)).toBe(true);
        expect(b.firstSighting('discord', '1180000000000000001', NOW, HOUR_LATER)).toBe(false);
        expect(b.firstSighting('discord', '1180000000000000002', NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('discord', '1180000000000000002', NOW, HOUR_LATER)).toBe(false);
      } finally {
        close();
      }
    });

    it('takes an id as new again once its sighting has expired, and forgets only expired sightings', async () => {
      const { a, b, close } = await open();
      try {
        expect(a.firstSighting('slack', 'EvOLD', NOW, at('2026-12-06T10:05:00.000Z'))).toBe(true);
        expect(a.firstSighting('slack', 'EvNEW', NOW, HOUR_LATER)).toBe(true);
        // still held a minute before it expires
        expect(b.firstSighting('slack', 'EvOLD', at('2026-12-06T10:04:00.000Z'), HOUR_LATER)).toBe(false);
        // past its expiry it is new again, and the new sighting holds
        expect(b.firstSighting('slack', 'EvOLD', at('2026-12-06T10:06:00.000Z'), at('2026-12-06T10:20:00.000Z'))).toBe(true);
        expect(a.firstSighting('slack', 'EvOLD', at('2026-12-06T10:07:00.000Z'), HOUR_LATER)).toBe(false);
        expect(a.forgetExpired(at('2026-12-06T10:30:00.000Z'))).toBe(1);
        expect(a.forgetExpired(at('2026-12-06T10:30:00.000Z'))).toBe(0);
        expect(b.firstSighting('slack', 'EvNEW', at('2026-12-06T10:30:00.000Z'), HOUR_LATER)).toBe(false);
        expect(b.firstSighting('slack', 'EvOLD', at('2026-12-06T10:30:00.000Z'), HOUR_LATER)).toBe(true);
      } finally {
        close();
      }
    });

    it('keeps ids of any shape as they are (no case folding or trimming)', async () => {
      const { a, close } = await open();
      try {
        expect(a.firstSighting('slack', 'ev1', NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('slack', 'EV1', NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('slack', ' ev1', NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('slack', "ev'1; DROP TABLE seen_events", NOW, HOUR_LATER)).toBe(true);
        expect(a.firstSighting('slack', "ev'1; DROP TABLE seen_events", NOW, HOUR_LATER)).toBe(false);
        expect(a.firstSighting('slack', 'ev1', NOW, HOUR_LATER)).toBe(false);
      } finally {
        close();
      }
    });
  });
}
