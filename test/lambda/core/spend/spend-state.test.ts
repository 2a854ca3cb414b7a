import * as fc from 'fast-check';
import { parseSpendState, serializeSpendState, SpendState } from '../../../../lambda/core/spend/spend-state';

const SEEN = { month: '2026-11-01T00:00:00.000Z', actualUsd: 12.5, forecastUsd: 40, seenAt: '2026-11-25T04:00:00.000Z' };

describe('parseSpendState', () => {
  test('reads what serializeSpendState wrote, budget by budget', () => {
    const state: SpendState = { 'monthly-cost': SEEN, 'gpu-budget': { month: SEEN.month, actualUsd: 0, seenAt: '2026-11-02T00:00:00Z' } };
    expect(serializeSpendState(state)).toBe(JSON.stringify(state));
    expect(parseSpendState(serializeSpendState(state))).toEqual({
      'monthly-cost': SEEN,
      'gpu-budget': { month: SEEN.month, actualUsd: 0, forecastUsd: undefined, seenAt: '2026-11-02T00:00:00Z' },
    });
  });

  test('nothing stored yet is an empty memory', () => {
    expect(parseSpendState(undefined)).toEqual({});
    expect(parseSpendState('{}')).toEqual({});
  });

  test('reads amounts written as numeric strings', () => {
    const text = '{"b":{"month":"2026-11-01T00:00:00.000Z","actualUsd":"12.5","forecastUsd":"40","seenAt":"2026-11-25T04:00:00.000Z"}}';
    expect(parseSpendState(text)).toEqual({ b: SEEN });
  });

  test('forgets the budgets it cannot trust and keeps the others', () => {
    const text = JSON.stringify({
      'good': SEEN,
      'no month': { ...SEEN, month: undefined },
      'amount in words': { ...SEEN, actualUsd: 'twelve' },
      'no amount': { ...SEEN, actualUsd: null },
      'a date that is no date': { ...SEEN, seenAt: 'yesterday' },
      'an empty date': { ...SEEN, seenAt: '' },
      'not an object': 'SEEN',
      'a list': [SEEN],
    });
    expect(parseSpendState(text)).toEqual({ good: SEEN });
  });

  test('a forecast that is no number is dropped, not the budget', () => {
    expect(parseSpendState(JSON.stringify({ b: { ...SEEN, forecastUsd: 'soon' } }))).toEqual({ b: { ...SEEN, forecastUsd: undefined } });
  });

  test.each([
    ['not JSON', 'hello'],
    ['cut JSON', JSON.stringify({ b: SEEN }).slice(0, 30)],
    ['a list', '[1,2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"state"'],
    ['empty', ''],
  ])('forgets everything in a document that is %s', (_name, text) => {
    expect(parseSpendState(text)).toEqual({});
  });

  test('fields other than the figures are not carried over', () => {
    expect(parseSpendState(JSON.stringify({ b: { ...SEEN, extra: 'x'.repeat(1000) } }))).toEqual({ b: SEEN });
  });

  test('any text gives a memory of well-formed figures, or none, without an error', () => {
    const figures = fc.record({
      month: fc.oneof(fc.constant(SEEN.month), fc.jsonValue()),
      actualUsd: fc.oneof(fc.double({ noNaN: true }), fc.jsonValue()),
      forecastUsd: fc.jsonValue(),
      seenAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.jsonValue()),
    }, { requiredKeys: [] });
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.dictionary(fc.string({ maxLength: 20 }), figures, { maxKeys: 5 }).map((s) => JSON.stringify(s)),
    );
    fc.assert(fc.property(texts, (text) => {
      const state = parseSpendState(text);
      for (const seen of Object.values(state)) {
        expect(typeof seen.month).toBe('string');
        expect(seen.month.length).toBeGreaterThan(0);
        expect(Number.isFinite(seen.actualUsd)).toBe(true);
        expect(seen.forecastUsd === undefined || Number.isFinite(seen.forecastUsd)).toBe(true);
        expect(Number.isNaN(Date.parse(seen.seenAt))).toBe(false);
      }
      expect(parseSpendState(serializeSpendState(state))).toEqual(state);
    }), { numRuns: 500 });
  });

  test.each(['__proto__', 'constructor', 'toString'])('a budget named %p keeps its own figures, and an absent one reads as nothing', (name) => {
    // GIVEN figures stored for a budget whose name is one of Object's
    const state = parseSpendState(`{${JSON.stringify(name)}:${JSON.stringify(SEEN)}}`);
    // THEN they are that budget's, they survive a round trip, and no other budget reads Object's properties as figures
    expect(Object.keys(state)).toEqual([name]);
    expect(state[name]).toEqual({ ...SEEN });
    expect(JSON.parse(serializeSpendState(state))).toEqual(JSON.parse(`{${JSON.stringify(name)}:${JSON.stringify(SEEN)}}`));
    expect(parseSpendState('{}')[name]).toBeUndefined();
  });
});
