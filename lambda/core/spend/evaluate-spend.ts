/** Judges one budget's figures: how fast money is being spent now, against the month's pace and past months. */
import type { BudgetFigures, PastPeriod } from './spend-figures';
import { monthOf } from './spend-figures';
import type { SeenFigures } from './spend-state';

const HOUR_MS = 3_600_000;

/** What makes spend "accelerating". */
export interface SpendSettings {
  /** The burn rate must be at least this many times the baseline rate. */
  readonly accelerationFactor: number;
  /** And the spend since the last figures at least this many dollars, so cents on a quiet account never alert. */
  readonly minimumIncreaseUsd: number;
}

export interface SpendInput {
  readonly now: Date;
  readonly budget: BudgetFigures;
  /** Complete past periods (months), any order; empty for a new account. */
  readonly history: readonly PastPeriod[];
  /** What was seen on an earlier run, if anything. */
  readonly last?: SeenFigures;
  readonly settings: SpendSettings;
}

/**
 * - `first-look`: nothing seen before, so no rate of change yet (the month-to-date pace is still compared to history);
 * - `unchanged`: Budgets has not refreshed since the last run (it does so up to 3 times a day): not an anomaly;
 * - `new-month`: the figures belong to a month not seen before; the count starts again;
 * - `steady`: spend grew, but not faster than the baseline allows (or there is no baseline yet);
 * - `accelerating`: alert.
 */
export type SpendVerdict = 'first-look' | 'unchanged' | 'new-month' | 'steady' | 'accelerating';

export interface SpendEvaluation {
  readonly verdict: SpendVerdict;
  readonly budget: BudgetFigures;
  /** Why this verdict, in one sentence. */
  readonly reason: string;
  /** Dollars per hour since the last figures changed (or over the month so far, on a first look). */
  readonly burnUsdPerHour?: number;
  /** Hours the burn rate was measured over. */
  readonly measuredHours?: number;
  /** Spend measured over those hours. */
  readonly increaseUsd?: number;
  /** The month's average rate before this change. */
  readonly monthPaceUsdPerHour?: number;
  /** The average rate of the past periods. */
  readonly historyUsdPerHour?: number;
  /** How many past periods that average covers. */
  readonly historyPeriods: number;
  /** The rate the burn rate was compared to: the higher of the month's pace and the history's. */
  readonly baselineUsdPerHour?: number;
  /** Month-end spend if the burn rate holds. */
  readonly projectedMonthEndUsd?: number;
  /** Hours until the budget's limit is reached at the burn rate, when it is not reached yet. */
  readonly hoursToLimit?: number;
  /** What to remember for the next run. */
  readonly next: SeenFigures;
}

function hoursBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / HOUR_MS;
}

/** The average hourly spend of the past periods, or undefined without any. */
function historyRate(history: readonly PastPeriod[]): number | undefined {
  const hours = history.reduce((sum, p) => sum + hoursBetween(p.start, p.end), 0);
  if (history.length === 0 || hours <= 0) return undefined;
  return history.reduce((sum, p) => sum + p.actualUsd, 0) / hours;
}

/** Judges the budget's figures. Pure: the same input always gives the same evaluation. */
export function evaluateSpend(input: SpendInput): SpendEvaluation {
  const { now, budget, last, settings } = input;
  const month = monthOf(now);
  const monthKey = month.start.toISOString();
  const current: SeenFigures = { month: monthKey, actualUsd: budget.actualUsd, forecastUsd: budget.forecastUsd, seenAt: now.toISOString() };
  const history = input.history.filter((p) => p.end.getTime() <= month.start.getTime());
  const historyUsdPerHour = historyRate(history);
  const hoursLeft = Math.max(0, hoursBetween(now, month.end));
  const base = { budget, historyUsdPerHour, historyPeriods: history.length };

  if (last && last.month === monthKey && last.actualUsd === budget.actualUsd) {
    // The time the spend was first seen stays, so the next change is measured over the whole time it took.
    return { ...base, verdict: 'unchanged', reason: 'AWS Budgets has not refreshed the actual spend since it was last seen.', next: { ...last, forecastUsd: budget.forecastUsd } };
  }
  if (last && last.month !== monthKey) {
    return { ...base, verdict: 'new-month', reason: 'The figures belong to a new month; spend is counted from zero again.', next: current };
  }

  // On a first look there is no earlier figure: judge the month so far against the past months.
  const since = last ? new Date(last.seenAt) : month.start;
  const measuredHours = hoursBetween(since, now);
  const increaseUsd = budget.actualUsd - (last?.actualUsd ?? 0);
  const monthPaceUsdPerHour = last ? last.actualUsd / Math.max(hoursBetween(month.start, since), 1) : undefined;
  const baselines = [monthPaceUsdPerHour, historyUsdPerHour].filter((r): r is number => r !== undefined && r > 0);
  const baselineUsdPerHour = baselines.length > 0 ? Math.max(...baselines) : undefined;
  const common = { ...base, measuredHours, increaseUsd, monthPaceUsdPerHour, baselineUsdPerHour, next: current };

  if (measuredHours <= 0 || increaseUsd <= 0) {
    // A refund or a correction lowered the figures, or the clock went backwards: nothing to measure.
    return { ...common, verdict: last ? 'steady' : 'first-look', reason: 'Spend did not grow since the figures were last seen.' };
  }
  const burnUsdPerHour = increaseUsd / measuredHours;
  const projectedMonthEndUsd = budget.actualUsd + burnUsdPerHour * hoursLeft;
  const limit = budget.limitUsd;
  const hoursToLimit = limit !== undefined && limit > budget.actualUsd ? (limit - budget.actualUsd) / burnUsdPerHour : undefined;
  const measured = { ...common, burnUsdPerHour, projectedMonthEndUsd, hoursToLimit };

  if (baselineUsdPerHour === undefined) {
    return { ...measured, verdict: last ? 'steady' : 'first-look', reason: 'There is no baseline yet (no past month, nothing spent earlier this month) to compare the burn rate to.' };
  }
  if (increaseUsd < settings.minimumIncreaseUsd) {
    return { ...measured, verdict: last ? 'steady' : 'first-look', reason: `Spend grew by less than the ${settings.minimumIncreaseUsd} USD worth judging.` };
  }
  if (burnUsdPerHour < settings.accelerationFactor * baselineUsdPerHour) {
    return { ...measured, verdict: last ? 'steady' : 'first-look', reason: `The burn rate is below ${settings.accelerationFactor} times the baseline.` };
  }
  return { ...measured, verdict: 'accelerating', reason: `The burn rate is at least ${settings.accelerationFactor} times the baseline.` };
}
