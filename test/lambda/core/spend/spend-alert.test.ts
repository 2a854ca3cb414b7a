import * as fc from 'fast-check';
import { toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { evaluateSpend, SpendEvaluation } from '../../../../lambda/core/spend/evaluate-spend';
import { spendAlert } from '../../../../lambda/core/spend/spend-alert';
import { PastPeriod } from '../../../../lambda/core/spend/spend-figures';
import { detection } from '../../../../lib/catalog';

const CONTEXT = { account: '123456789012', partition: 'aws' };
const NOVEMBER = '2026-11-01T00:00:00.000Z';

/** Three past months of about $720 each: $1 an hour. */
const HISTORY: PastPeriod[] = [
  { start: new Date('2026-08-01T00:00:00Z'), end: new Date('2026-09-01T00:00:00Z'), actualUsd: 744 },
  { start: new Date('2026-09-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z'), actualUsd: 720 },
  { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), actualUsd: 744 },
];

/** $160 more in the 8 hours since $576 was seen: $20 an hour against a dollar. */
const SPIKE = evaluateSpend({
  now: new Date('2026-11-25T12:00:00Z'),
  budget: { name: 'monthly-cost', limitUsd: 1000, actualUsd: 736, forecastUsd: 740 },
  history: HISTORY,
  last: { month: NOVEMBER, actualUsd: 576, forecastUsd: 740, seenAt: '2026-11-25T04:00:00Z' },
  settings: { accelerationFactor: 3, minimumIncreaseUsd: 5 },
});

/** An accelerating evaluation with only the figures a test names. */
function evaluation(figures: Partial<SpendEvaluation>): SpendEvaluation {
  return {
    verdict: 'accelerating',
    budget: { name: 'b', actualUsd: 100 },
    reason: 'The burn rate is at least 3 times the baseline.',
    historyPeriods: 0,
    next: { month: NOVEMBER, actualUsd: 100, seenAt: '2026-11-25T12:00:00.000Z' },
    ...figures,
  };
}

describe('spendAlert', () => {
  test('a spike states the burn rate, both baselines, the projected month-end and when the budget is reached', () => {
    // GIVEN
    expect(SPIKE.verdict).toBe('accelerating');
    const acceleration = detection('spend-acceleration');
    // WHEN
    const alert = spendAlert(SPIKE, CONTEXT);
    // THEN
    expect(alert).toEqual({
      severity: acceleration.severity,
      detectionId: 'spend-acceleration',
      title: acceleration.title,
      headline: 'Spend 20.0x faster on monthly-cost: $20.00/h, month-end ~$3,376.00',
      what: [
        'Budget "monthly-cost": actual spend rose by $160.00 to $736.00 in 8.0 h: a burn rate of $20.00/h.',
        'That is faster than the month\'s pace so far ($0.99/h, 20.1x) and the previous 3 month(s)\' average ($1.00/h, 20.0x).',
        'At this rate the month ends at about $3,376.00 (AWS Budgets\' own forecast: $740.00), against a budget of $1,000.00.',
        'The budget is reached in about 13.2 h.',
      ].join('\n'),
      who: ['AWS Budgets does not say who spent: Cost Explorer shows which service, region and usage type.'],
      where: 'Account 123456789012, all regions',
      why: acceleration.rationale,
      done: ['Notified this channel.'],
      next: acceleration.nextSteps,
      links: [
        { label: 'AWS Budgets', url: 'https://us-east-1.console.aws.amazon.com/costmanagement/home#/budgets' },
        { label: 'Cost Explorer', url: 'https://us-east-1.console.aws.amazon.com/costmanagement/home#/cost-explorer' },
      ],
      refs: { budget: 'monthly-cost', burnUsdPerHour: '20.00', projectedMonthEndUsd: '3376.00' },
    });
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][HIGH] Spend 20.0x faster on monthly-cost: $20.00/h, month-end ~$3,376.00');
  });

  test('without a baseline it says "accelerating" and compares with nothing', () => {
    const alert = spendAlert(evaluation({ burnUsdPerHour: 12.5, measuredHours: 4, increaseUsd: 50, projectedMonthEndUsd: 1750 }), CONTEXT);
    expect(alert.headline).toBe('Spend accelerating on b: $12.50/h, month-end ~$1,750.00');
    expect(alert.what).toBe([
      'Budget "b": actual spend rose by $50.00 to $100.00 in 4.0 h: a burn rate of $12.50/h.',
      'At this rate the month ends at about $1,750.00.',
    ].join('\n'));
  });

  test('long times are written in days', () => {
    const figures = { burnUsdPerHour: 1, measuredHours: 72, increaseUsd: 72, baselineUsdPerHour: 0.25, hoursToLimit: 100 };
    const alert = spendAlert(evaluation(figures), CONTEXT);
    expect(alert.what.split('\n')[0]).toBe('Budget "b": actual spend rose by $72.00 to $100.00 in 3.0 days: a burn rate of $1.00/h.');
    expect(alert.what.split('\n').pop()).toBe('The budget is reached in about 4.2 days.');
    expect(alert.headline).toBe('Spend 4.0x faster on b: $1.00/h, month-end ~$100.00');
  });

  test('a baseline of nothing is compared against a cent, not divided by zero', () => {
    const alert = spendAlert(evaluation({ burnUsdPerHour: 3, monthPaceUsdPerHour: 0 }), CONTEXT);
    expect(alert.what).toContain('That is faster than the month\'s pace so far ($0.00/h, 300x).');
  });

  test('links to the console of the partition it runs in', () => {
    const alert = spendAlert(SPIKE, { account: '123456789012', partition: 'aws-cn' });
    expect(alert.links.map((l) => l.url))
      .toEqual(['https://console.amazonaws.cn/costmanagement/home#/budgets', 'https://console.amazonaws.cn/costmanagement/home#/cost-explorer']);
  });

  test('any figures and any budget name give a sendable alert with its figures written as money', () => {
    const money = fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: undefined });
    const evaluations = fc.record({
      name: fc.string({ unit: 'binary', maxLength: 200 }),
      actualUsd: fc.double({ min: 0, max: 1e9, noNaN: true }),
      burnUsdPerHour: money,
      baselineUsdPerHour: money,
      monthPaceUsdPerHour: money,
      historyUsdPerHour: money,
      projectedMonthEndUsd: money,
      hoursToLimit: money,
      measuredHours: money,
      increaseUsd: money,
      limitUsd: money,
      forecastUsd: money,
    }).map(({ name, actualUsd, limitUsd, forecastUsd, ...figures }) => evaluation({
      ...figures, budget: { name, actualUsd, limitUsd, forecastUsd },
    }));
    fc.assert(fc.property(evaluations, (e) => {
      const alert = spendAlert(e, CONTEXT);
      const message = toAlertMessage(alert);
      expect(message.subject.length).toBeLessThan(100);
      expect(alert.what).not.toMatch(/NaN|Infinity|undefined/);
      expect(alert.headline).not.toMatch(/NaN|undefined/);
      expect(alert.refs.burnUsdPerHour).toMatch(/^\d+\.\d\d$/);
      expect(alert.refs.projectedMonthEndUsd).toMatch(/^\d+\.\d\d$/);
    }), { numRuns: 300 });
  });
});
