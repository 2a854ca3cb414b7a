import * as fc from 'fast-check';
import { batches, CALLS_IN_FLIGHT, inParallel } from '../../../../lambda/aws/launch/in-parallel';

describe('inParallel', () => {
  test('runs every item, at most the bound at a time, and answers in the items\' order', async () => {
    // GIVEN 50 calls that each take longer the earlier they start
    let inFlight = 0;
    let most = 0;
    const work = async (n: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 50 - n));
      inFlight--;
      return n * 2;
    };

    // WHEN
    const results = await inParallel(Array.from({ length: 50 }, (_, i) => i), work, 8);

    // THEN
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(most).toBe(8);
  });

  test('bounds by CALLS_IN_FLIGHT unless told otherwise, and an empty list runs nothing', async () => {
    let most = 0;
    let inFlight = 0;
    await inParallel(Array.from({ length: 40 }, (_, i) => i), async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    });
    expect(most).toBe(CALLS_IN_FLIGHT);
    const work = jest.fn();
    expect(await inParallel([], work)).toEqual([]);
    expect(work).not.toHaveBeenCalled();
  });

  test('a rejected call rejects the whole', async () => {
    await expect(inParallel([1, 2, 3], async (n) => {
      if (n === 2) throw new Error('no');
      return n;
    })).rejects.toThrow('no');
  });
});

describe('batches', () => {
  test('cut any list into batches of at most the size, keeping every item in order', () => {
    fc.assert(fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (items, size) => {
      const cut = batches(items, size);
      expect(cut.flat()).toEqual(items);
      for (const b of cut) expect(b.length).toBeGreaterThan(0);
      for (const b of cut) expect(b.length).toBeLessThanOrEqual(size);
    }));
  });
});
