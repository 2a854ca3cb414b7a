import { budgetFiguresOf, monthOf, pastPeriodsOf, UnreadableBudgetError } from '../../../../lambda/core/spend/spend-figures';
import { parseSpendState, serializeSpendState } from '../../../../lambda/core/spend/spend-state';

describe('budgetFiguresOf', () => {
  test('reads the decimal strings and the refresh time of a DescribeBudget budget', () => {
    const figures = budgetFiguresOf({
      BudgetName: 'monthly-cost',
      BudgetLimit: { Amount: '1000.0', Unit: 'USD' },
      CalculatedSpend: { ActualSpend: { Amount: '123.456', Unit: 'USD' }, ForecastedSpend: { Amount: '800', Unit: 'USD' } },
      LastUpdatedTime: new Date('2026-11-25T06:00:00Z'),
    });
    expect(figures).toEqual({ name: 'monthly-cost', limitUsd: 1000, actualUsd: 123.456, forecastUsd: 800, lastUpdated: new Date('2026-11-25T06:00:00Z') });
  });

  test('a new account has no forecast yet', () => {
    const figures = budgetFiguresOf({ BudgetName: 'b', CalculatedSpend: { ActualSpend: { Amount: '0', Unit: 'USD' } } });
    expect(figures.forecastUsd).toBeUndefined();
    expect(figures.actualUsd).toBe(0);
  });

  test.each([
    ['no name', { CalculatedSpend: { ActualSpend: { Amount: '1' } } }, /without a name/],
    ['no actual spend', { BudgetName: 'b' }, /no actual spend/],
    ['nothing at all', undefined, /without a name/],
  ])('refuses a budget with %s', (_name, budget, message) => {
    expect(() => budgetFiguresOf(budget)).toThrow(UnreadableBudgetError);
    expect(() => budgetFiguresOf(budget)).toThrow(message);
  });
});

describe('pastPeriodsOf', () => {
  test('keeps complete periods before the month, oldest first, and skips those without an amount', () => {
    const periods = pastPeriodsOf({
      BudgetedAndActualAmountsList: [
        { TimePeriod: { Start: new Date('2026-10-01T00:00:00Z'), End: new Date('2026-11-01T00:00:00Z') }, ActualAmount: { Amount: '700', Unit: 'USD' } },
        { TimePeriod: { Start: new Date('2026-09-01T00:00:00Z'), End: new Date('2026-10-01T00:00:00Z') }, ActualAmount: { Amount: '650', Unit: 'USD' } },
        { TimePeriod: { Start: new Date('2026-08-01T00:00:00Z'), End: new Date('2026-09-01T00:00:00Z') } },
        { TimePeriod: { Start: new Date('2026-11-01T00:00:00Z'), End: new Date('2026-12-01T00:00:00Z') }, ActualAmount: { Amount: '30', Unit: 'USD' } },
      ],
    }, new Date('2026-11-01T00:00:00Z'));
    expect(periods.map((p) => p.actualUsd)).toEqual([650, 700]);
  });

  test('no history is an empty list', () => {
    expect(pastPeriodsOf({ BudgetedAndActualAmountsList: [] }, new Date())).toEqual([]);
    expect(pastPeriodsOf(undefined, new Date())).toEqual([]);
  });
});

test('monthOf gives the calendar month in UTC', () => {
  expect(monthOf(new Date('2026-12-31T23:30:00-05:00'))).toEqual({ start: new Date('2027-01-01T00:00:00Z'), end: new Date('2027-02-01T00:00:00Z') });
});

describe('the spend state', () => {
  test('survives a round trip', () => {
    const state = { 'monthly-cost': { month: '2026-11-01T00:00:00.000Z', actualUsd: 12.5, forecastUsd: 40, seenAt: '2026-11-25T04:00:00.000Z' } };
    expect(parseSpendState(serializeSpendState(state))).toEqual(state);
  });

  test.each([
    ['missing', undefined],
    ['not JSON', 'hello'],
    ['a list', '[1,2]'],
    ['entries without figures', '{"a":{"month":"x"}}'],
  ])('forgets what it cannot trust: %s', (_name, text) => {
    expect(parseSpendState(text)).toEqual({});
  });
});
