import * as fc from 'fast-check';
import { toAlertMessage, renderText } from '../../../../lambda/core/alerts/render-alert';
import { evaluateSpend, SpendInput } from '../../../../lambda/core/spend/evaluate-spend';
import { spendAlert } from '../../../../lambda/core/spend/spend-alert';
import { BudgetFigures, PastPeriod } from '../../../../lambda/core/spend/spend-figures';
import { SeenFigures } from '../../../../lambda/core/spend/spend-state';

const SETTINGS = { accelerationFactor: 3, minimumIncreaseUsd: 5 };
const NOVEMBER = '2026-11-01T00:00:00.000Z';

/** Three past months of about $720 each: $1 an hour. */
const HISTORY: PastPeriod[] = [
  { start: new Date('2026-08-01T00:00:00Z'), end: new Date('2026-09-01T00:00:00Z'), actualUsd: 744 },
  { start: new Date('2026-09-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z'), actualUsd: 720 },
  { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), actualUsd: 744 },
];

function budget(actualUsd: number, extra: Partial<BudgetFigures> = {}): BudgetFigures {
  return { name: 'monthly-cost', limitUsd: 1000, actualUsd, forecastUsd: 740, ...extra };
}

function seen(actualUsd: number, seenAt: string): SeenFigures {
  return { month: NOVEMBER, actualUsd, forecastUsd: 740, seenAt };
}

function input(overrides: Partial<SpendInput>): SpendInput {
  return { now: new Date('2026-11-25T12:00:00Z'), budget: budget(600), history: HISTORY, settings: SETTINGS, ...overrides };
}

describe('evaluateSpend', () => {
  test('steady spend, at the usual dollar an hour, does not alert', () => {
    // GIVEN $8 more than 8 hours ago
    const evaluation = evaluateSpend(input({ budget: budget(584), last: seen(576, '2026-11-25T04:00:00Z') }));
    // THEN
    expect(evaluation.verdict).toBe('steady');
    expect(evaluation.burnUsdPerHour).toBeCloseTo(1);
    expect(evaluation.next).toEqual({ month: NOVEMBER, actualUsd: 584, forecastUsd: 740, seenAt: '2026-11-25T12:00:00.000Z' });
  });

  test('a spike alerts with the burn rate and the projected month-end, hours before the budget is crossed', () => {
    // GIVEN $160 more in 8 hours: $20 an hour against a dollar
    const evaluation = evaluateSpend(input({ budget: budget(736), last: seen(576, '2026-11-25T04:00:00Z') }));
    // THEN
    expect(evaluation.verdict).toBe('accelerating');
    expect(evaluation.burnUsdPerHour).toBeCloseTo(20);
    expect(evaluation.baselineUsdPerHour).toBeCloseTo(1);
    // 132 hours left in November at $20 an hour.
    expect(evaluation.projectedMonthEndUsd).toBeCloseTo(736 + 20 * 132);
    expect(evaluation.hoursToLimit).toBeCloseTo(13.2);

    // WHEN it becomes an alert
    const alert = spendAlert(evaluation, { account: '123456789012', partition: 'aws' });
    const message = toAlertMessage(alert);
    // THEN
    expect(message.subject).toBe('[MiningGuard][HIGH] Spend 20.0x faster on monthly-cost: $20.00/h, month-end ~$3,376.00');
    expect(message.attributes).toEqual({ severity: 'HIGH', detection: 'spend-acceleration' });
    const text = renderText(alert);
    expect(text).toContain('actual spend rose by $160.00 to $736.00 in 8.0 h: a burn rate of $20.00/h.');
    expect(text).toContain('the previous 3 month(s)\' average ($1.00/h, 20.0x)');
    expect(text).toContain('At this rate the month ends at about $3,376.00 (AWS Budgets\' own forecast: $740.00), against a budget of $1,000.00.');
    expect(text).toContain('The budget is reached in about 13.2 h.');
  });

  test('figures Budgets has not refreshed are not judged, and keep the time they were first seen', () => {
    // GIVEN the same actual spend as the last run
    const last = seen(576, '2026-11-25T04:00:00Z');
    const evaluation = evaluateSpend(input({ budget: budget(576, { forecastUsd: 745 }), last }));
    // THEN
    expect(evaluation.verdict).toBe('unchanged');
    expect(evaluation.next).toEqual({ ...last, forecastUsd: 745 });
  });

  test('a new account with no history is measured against the month\'s own pace', () => {
    // GIVEN $50 by day 10, then $130 more in 8 hours
    const now = new Date('2026-11-10T08:00:00Z');
    const evaluation = evaluateSpend(input({ now, history: [], budget: budget(180), last: seen(50, '2026-11-10T00:00:00Z') }));
    // THEN
    expect(evaluation.historyPeriods).toBe(0);
    expect(evaluation.historyUsdPerHour).toBeUndefined();
    expect(evaluation.monthPaceUsdPerHour).toBeCloseTo(50 / 216);
    expect(evaluation.verdict).toBe('accelerating');
  });

  test('a new account\'s first spend has no baseline to judge against', () => {
    const evaluation = evaluateSpend(input({ history: [], budget: budget(40), last: seen(0, '2026-11-25T04:00:00Z') }));
    expect(evaluation.verdict).toBe('steady');
    expect(evaluation.reason).toMatch(/no baseline/);
  });

  test('the first look compares the month so far with the past months', () => {
    // GIVEN $6,000 by the 25th, against about $600 at the usual pace
    const evaluation = evaluateSpend(input({ budget: budget(6000) }));
    // THEN
    expect(evaluation.verdict).toBe('accelerating');
    expect(evaluation.measuredHours).toBe(588);
  });

  test('a first look at a normal month records the figures without alerting', () => {
    const evaluation = evaluateSpend(input({ budget: budget(590) }));
    expect(evaluation.verdict).toBe('first-look');
    expect(evaluation.next.actualUsd).toBe(590);
  });

  test('a new month starts counting again', () => {
    const evaluation = evaluateSpend(input({ budget: budget(3), last: { ...seen(900, '2026-10-31T20:00:00Z'), month: '2026-10-01T00:00:00.000Z' } }));
    expect(evaluation.verdict).toBe('new-month');
    expect(evaluation.next.month).toBe(NOVEMBER);
  });

  test('a refund that lowers the figures is not an anomaly', () => {
    const evaluation = evaluateSpend(input({ budget: budget(500), last: seen(576, '2026-11-25T04:00:00Z') }));
    expect(evaluation.verdict).toBe('steady');
  });

  test('growth below the minimum worth judging does not alert, however fast', () => {
    const evaluation = evaluateSpend(input({ history: [], budget: budget(4.5), last: seen(0.5, '2026-11-25T11:00:00Z') }));
    expect(evaluation.verdict).toBe('steady');
  });
});

describe('evaluateSpend, for any figures', () => {
  const money = fc.double({ min: 0, max: 1e7, noNaN: true });
  const hoursIntoMonth = fc.integer({ min: 1, max: 29 * 24 });
  const arbitraryInput = fc.record({
    actual: money,
    lastActual: fc.option(money, { nil: undefined }),
    lastHoursAgo: fc.integer({ min: 0, max: 200 }),
    at: hoursIntoMonth,
    history: fc.array(money, { maxLength: 3 }),
    factor: fc.double({ min: 1.01, max: 20, noNaN: true }),
    minimum: fc.double({ min: 0, max: 100, noNaN: true }),
  }).map((r): SpendInput => {
    const now = new Date(Date.parse(NOVEMBER) + r.at * 3_600_000);
    const seenAt = new Date(Math.max(Date.parse(NOVEMBER), now.getTime() - r.lastHoursAgo * 3_600_000)).toISOString();
    return {
      now,
      budget: budget(r.actual),
      history: r.history.map((actualUsd, i) => ({ start: new Date(Date.UTC(2026, 7 + i, 1)), end: new Date(Date.UTC(2026, 8 + i, 1)), actualUsd })),
      last: r.lastActual === undefined ? undefined : seen(r.lastActual, seenAt),
      settings: { accelerationFactor: r.factor, minimumIncreaseUsd: r.minimum },
    };
  });

  test('alerts only on growth of at least the minimum, at least `factor` times a positive baseline', () => {
    fc.assert(fc.property(arbitraryInput, (i) => {
      const e = evaluateSpend(i);
      if (e.verdict === 'accelerating') {
        expect(e.baselineUsdPerHour).toBeGreaterThan(0);
        expect(e.increaseUsd!).toBeGreaterThanOrEqual(i.settings.minimumIncreaseUsd);
        expect(e.burnUsdPerHour!).toBeGreaterThanOrEqual(i.settings.accelerationFactor * e.baselineUsdPerHour! * (1 - 1e-9));
        expect(e.projectedMonthEndUsd!).toBeGreaterThanOrEqual(i.budget.actualUsd);
      }
    }));
  });

  test('never alerts twice on the same figures: what it remembers is judged unchanged next time', () => {
    fc.assert(fc.property(arbitraryInput, fc.integer({ min: 0, max: 3 }), (i, laterHours) => {
      const first = evaluateSpend(i);
      const later = new Date(Math.min(i.now.getTime() + laterHours * 3_600_000, Date.UTC(2026, 10, 30, 23)));
      const again = evaluateSpend({ ...i, now: later, last: first.next });
      expect(again.verdict).toBe('unchanged');
    }));
  });

  test('any alert it raises has a subject under 100 characters', () => {
    fc.assert(fc.property(arbitraryInput, fc.string({ maxLength: 100 }), (i, name) => {
      const e = evaluateSpend({ ...i, budget: { ...i.budget, name } });
      if (e.verdict !== 'accelerating') return;
      expect(toAlertMessage(spendAlert(e, { account: '123456789012', partition: 'aws' })).subject.length).toBeLessThan(100);
    }));
  });
});

test('a long budget name is shortened in the subject, never the figures', () => {
  // GIVEN the name SpendGuard derives from a construct path
  const name = 'MiningGuardBasic-MiningGuard-SpendGuard-9D890B2E-monthly-cost';
  const evaluation = evaluateSpend(input({ budget: budget(736, { name }), last: seen(576, '2026-11-25T04:00:00Z') }));
  // WHEN
  const subject = toAlertMessage(spendAlert(evaluation, { account: '123456789012', partition: 'aws' })).subject;
  // THEN
  expect(subject.length).toBeLessThan(100);
  expect(subject).toMatch(/^\[MiningGuard\]\[HIGH\] Spend 20\.0x faster on MiningGuard\S*\.\.\.\S*-cost: \$20\.00\/h, month-end ~\$3,376\.00$/);
});
