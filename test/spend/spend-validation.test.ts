import { validatePercentages, validatePositiveUsd } from '../../lib/spend/spend-validation';

describe('validatePositiveUsd', () => {
  test('accepts any positive amount, and no amount', () => {
    for (const amount of [0.01, 1, 100, 250000, undefined]) {
      expect(() => validatePositiveUsd('monthlyLimitUsd', amount, 'monthlyLimitUsd: 500')).not.toThrow();
    }
  });

  test.each([0, -5, NaN, Infinity])('refuses %d, saying what to write', (amount) => {
    expect(() => validatePositiveUsd('monthlyLimitUsd', amount, 'monthlyLimitUsd: 500')).toThrow(
      `SpendGuard: monthlyLimitUsd must be a positive amount of US dollars, got ${amount}. `
      + 'Write e.g. monthlyLimitUsd: 500, or leave it out for the default.',
    );
  });
});

describe('validatePercentages', () => {
  test('accepts percentages above 0 up to 1000, and an empty list', () => {
    expect(() => validatePercentages('actualThresholds', [0.5, 80, 100, 1000], '[80, 100]')).not.toThrow();
    expect(() => validatePercentages('actualThresholds', [], '[80, 100]')).not.toThrow();
  });

  test.each([0, -10, 1000.5, 5000, NaN])('refuses %d among valid thresholds, saying what to write', (threshold) => {
    expect(() => validatePercentages('forecastThresholds', [80, threshold], '[100]')).toThrow(
      `SpendGuard: forecastThresholds must be percentages of the budget, more than 0 and at most 1000, got ${threshold}. Write e.g. [100].`,
    );
  });
});
