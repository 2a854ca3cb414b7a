import * as fc from 'fast-check';
import { times, usd } from '../../../../lambda/core/alerts/money';

describe('usd', () => {
  test.each([
    [0, '$0.00'],
    [0.59, '$0.59'],
    [42.1, '$42.10'],
    [1310.4, '$1,310.40'],
    [9999.99, '$9,999.99'],
    [10_000, '$10,000'],
    [1_234_567.8, '$1,234,568'],
    [-12.5, '-$12.50'],
    [-12_345.6, '-$12,346'],
  ])('writes %d as %s', (amount, text) => {
    expect(usd(amount)).toBe(text);
  });

  test('rounds to the cent below $10,000 and to the dollar above', () => {
    expect(usd(0.004)).toBe('$0.00');
    expect(usd(0.006)).toBe('$0.01');
    expect(usd(10_000.49)).toBe('$10,000');
    expect(usd(10_000.5)).toBe('$10,001');
  });

  test('a negative zero has no sign', () => {
    expect(usd(-0)).toBe('$0.00');
  });

  test('any finite amount is a dollar sign, grouped digits, and cents exactly when it is under $10,000', () => {
    fc.assert(fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), (amount) => {
      const text = usd(amount);
      expect(text).toMatch(/^-?\$\d{1,3}(,\d{3})*(\.\d{2})?$/);
      expect(text.includes('.')).toBe(Math.abs(amount) < 10_000);
      expect(text.startsWith('-')).toBe(amount < 0);
    }), { numRuns: 500 });
  });
});

describe('times', () => {
  test.each([
    [1, '1.0x'],
    [6.3, '6.3x'],
    [17.85, '17.9x'],
    [99.94, '99.9x'],
    [100, '100x'],
    [1234.5, '1235x'],
  ])('writes %d as %s', (ratio, text) => {
    expect(times(ratio)).toBe(text);
  });

  test('any ratio up to a trillion is digits, one decimal below 100, and an x', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (ratio) => {
      const text = times(ratio);
      expect(text).toMatch(/^\d+(\.\d)?x$/);
      if (ratio >= 100) expect(text).toMatch(/^\d+x$/);
    }), { numRuns: 500 });
  });
});
