import { MAX_NOTIFICATIONS_PER_BUDGET, validateNotificationCount, validatePercentages, validatePositiveUsd } from '../../lib/spend/spend-validation';

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

describe('validateNotificationCount', () => {
  test('accepts up to 10 notifications per budget, AWS Budgets\' limit, and none', () => {
    expect(MAX_NOTIFICATIONS_PER_BUDGET).toBe(10);
    expect(() => validateNotificationCount([10, 20, 30, 40, 50, 60, 70, 80], [90, 100])).not.toThrow();
    expect(() => validateNotificationCount([], [])).not.toThrow();
    // The same threshold in both lists is two notifications: one on actual spend, one on the forecast.
    expect(() => validateNotificationCount([100], [100])).not.toThrow();
  });

  test('refuses an 11th notification, saying how to write it', () => {
    expect(() => validateNotificationCount([10, 20, 30, 40, 50, 60, 70, 80, 90], [90, 100])).toThrow(
      'SpendGuard: each budget notifies at every actualThresholdsPercent and every forecastThresholdsPercent, 11 notifications, '
      + 'but AWS Budgets allows at most 10 per budget. Keep 10 or fewer in all, e.g. actualThresholdsPercent: [50, 80, 100, 150], forecastThresholdsPercent: [100].',
    );
  });

  test('refuses a threshold listed twice in one list', () => {
    expect(() => validateNotificationCount([80, 100, 80], [])).toThrow(
      'SpendGuard: actualThresholdsPercent lists 80 more than once; AWS Budgets refuses the same notification twice. List each threshold once, e.g. actualThresholdsPercent: [80, 100].',
    );
    expect(() => validateNotificationCount([], [100, 100])).toThrow(/forecastThresholdsPercent lists 100 more than once/);
  });
});
