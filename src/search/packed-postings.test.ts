import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PostingsPacker } from './packed-postings.ts';

describe('packed postings', () => {
  it('visits a subset of documents as the full walk would: the same postings, in the same order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 400 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 60 }),
        fc.boolean(),
        (posted, wanted, changed) => {
          const ids = [...posted].sort((a, b) => a - b);
          const postings = new PostingsPacker(ids.length).add(ids, ids.map((d) => (d % 7) + 1));
          // a list changed after loading is a Map underneath: still ascending, still the same walk
          if (changed && 'set' in postings) postings.set(5001, 3);
          const subset = Int32Array.from(wanted).sort();
          const keep = new Set(subset);
          const walked: Array<[number, number]> = [];
          postings.forEach((tf, d) => (keep.has(d) ? walked.push([d, tf]) : undefined));
          const looked: Array<[number, number]> = [];
          if (!('forEachOf' in postings)) return;
          postings.forEachOf(subset, (tf, d) => looked.push([d, tf]));
          expect(looked).toEqual(walked);
        },
      ),
      { numRuns: 500 },
    );
  });
});
