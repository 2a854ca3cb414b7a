/** Reads the figures the spend evaluator judges out of Budgets API responses, as plain numbers and dates. */
import { fieldAt, numberAt, stringAt } from '../events/event-fields';

/** One budget's figures for the current month, as `DescribeBudget` reports them. */
export interface BudgetFigures {
  readonly name: string;
  /** The budgeted amount; an auto-adjusting budget reports the amount it adjusted to. */
  readonly limitUsd?: number;
  /** Spend so far this month. */
  readonly actualUsd: number;
  /** AWS Budgets' own forecast for the month, when it has one (new accounts have none). */
  readonly forecastUsd?: number;
  /** When AWS Budgets last refreshed the figures. */
  readonly lastUpdated?: Date;
}

/** The actual spend of one past, complete period. */
export interface PastPeriod {
  readonly start: Date;
  readonly end: Date;
  readonly actualUsd: number;
}

/** The calendar month (UTC) that `now` falls in: monthly budgets reset at its start. */
export interface Month {
  readonly start: Date;
  readonly end: Date;
}

export function monthOf(now: Date): Month {
  return {
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

/** A date from the SDK (a Date) or JSON (ISO text or epoch seconds), or undefined. */
function dateOf(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === 'string') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** Thrown when a response lacks what the evaluator needs; the budget is then reported as failed, not judged. */
export class UnreadableBudgetError extends Error {}

/** The figures of a `DescribeBudget` response's `Budget`. Amounts are decimal strings in the API. */
export function budgetFiguresOf(budget: unknown): BudgetFigures {
  const name = stringAt(budget, 'BudgetName');
  const actualUsd = numberAt(budget, 'CalculatedSpend.ActualSpend.Amount');
  if (!name) throw new UnreadableBudgetError('DescribeBudget returned a budget without a name');
  if (actualUsd === undefined) throw new UnreadableBudgetError(`budget ${name} has no actual spend (CalculatedSpend.ActualSpend.Amount)`);
  return {
    name,
    limitUsd: numberAt(budget, 'BudgetLimit.Amount'),
    actualUsd,
    forecastUsd: numberAt(budget, 'CalculatedSpend.ForecastedSpend.Amount'),
    lastUpdated: dateOf(fieldAt(budget, 'LastUpdatedTime')),
  };
}

/**
 * The complete periods of a `DescribeBudgetPerformanceHistory` response's `BudgetPerformanceHistory` that ended by
 * `before`, oldest first. Periods without an actual amount are left out: a new account simply has none.
 */
export function pastPeriodsOf(history: unknown, before: Date): PastPeriod[] {
  const list = fieldAt(history, 'BudgetedAndActualAmountsList');
  if (!Array.isArray(list)) return [];
  const periods: PastPeriod[] = [];
  for (const item of list) {
    const start = dateOf(fieldAt(item, 'TimePeriod.Start'));
    const end = dateOf(fieldAt(item, 'TimePeriod.End'));
    const actualUsd = numberAt(item, 'ActualAmount.Amount');
    if (start && end && actualUsd !== undefined && end.getTime() <= before.getTime() && end > start) {
      periods.push({ start, end, actualUsd });
    }
  }
  return periods.sort((a, b) => a.start.getTime() - b.start.getTime());
}
