import * as fc from 'fast-check';
import { inBatches, MAX_EVALUATIONS_PER_CALL } from '../../../../lambda/core/config/batches';

describe('inBatches', () => {
  test('PutEvaluations takes 100 evaluations a call', () => {
    expect(MAX_EVALUATIONS_PER_CALL).toBe(100);
  });

  test('nothing to send is no call at all', () => {
    expect(inBatches([])).toEqual([]);
  });

  test.each([
    [1, [1]],
    [100, [100]],
    [101, [100, 1]],
    [250, [100, 100, 50]],
  ])('%d evaluations go in batches of %j', (count, sizes) => {
    const batches = inBatches(Array.from({ length: count }, (_, i) => i));
    expect(batches.map((b) => b.length)).toEqual(sizes);
  });

  test('keeps the order and does not change what it is given', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(inBatches(items, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('any list, in any batch size, comes back whole, in order, in full batches but the last', () => {
    fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 500 }), fc.integer({ min: 1, max: 150 }), (items, size) => {
      const batches = inBatches(items, size);
      expect(batches.flat()).toEqual(items);
      expect(batches.every((b, i) => (i < batches.length - 1 ? b.length === size : b.length >= 1 && b.length <= size))).toBe(true);
      expect(batches).toHaveLength(Math.ceil(items.length / size));
    }));
  });

  test.each([0, -1, 2.5, Number.NaN])('refuses a batch size of %p instead of looping for ever or losing items', (size) => {
    expect(() => inBatches([1, 2], size)).toThrow(RangeError);
  });
});
