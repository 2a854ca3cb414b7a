/** Prop checks of SpendGuard: each error says what is wrong and what to write instead. */

/** Throws unless the amount is a positive number of dollars. */
export function validatePositiveUsd(prop: string, amount: number | undefined, example: string, owner = 'SpendGuard'): void {
  if (amount !== undefined && !(Number.isFinite(amount) && amount > 0)) {
    throw new Error(`${owner}: ${prop} must be a positive amount of US dollars, got ${amount}. Write e.g. ${example}, or leave it out for the default.`);
  }
}

/** Throws unless every threshold is a percentage in (0, 1000], the range AWS Budgets accepts. */
export function validatePercentages(prop: string, thresholds: readonly number[], example: string, owner = 'SpendGuard'): void {
  for (const threshold of thresholds) {
    if (!(Number.isFinite(threshold) && threshold > 0 && threshold <= 1000)) {
      throw new Error(`${owner}: ${prop} must be percentages of the budget, more than 0 and at most 1000, got ${threshold}. Write e.g. ${example}.`);
    }
  }
}

/**
 * The notifications AWS Budgets accepts on one budget.
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Notification.html
 */
export const MAX_NOTIFICATIONS_PER_BUDGET = 10;

/**
 * Throws unless each budget's notifications fit AWS Budgets: every budget notifies at each actual and each forecast
 * threshold, at most 10 in all, and a threshold given twice in one list would be the same notification twice, which
 * Budgets refuses.
 */
export function validateNotificationCount(actualPercent: readonly number[], forecastPercent: readonly number[], owner = 'SpendGuard'): void {
  for (const [prop, list] of [['actualThresholdsPercent', actualPercent], ['forecastThresholdsPercent', forecastPercent]] as const) {
    const repeated = list.filter((t, i) => list.indexOf(t) !== i);
    if (repeated.length > 0) {
      throw new Error(`${owner}: ${prop} lists ${[...new Set(repeated)].join(', ')} more than once; AWS Budgets refuses the same notification twice. List each threshold once, e.g. ${prop}: [80, 100].`);
    }
  }
  const count = actualPercent.length + forecastPercent.length;
  if (count > MAX_NOTIFICATIONS_PER_BUDGET) {
    throw new Error(`${owner}: each budget notifies at every actualThresholdsPercent and every forecastThresholdsPercent, ${count} notifications, `
      + `but AWS Budgets allows at most ${MAX_NOTIFICATIONS_PER_BUDGET} per budget. Keep ${MAX_NOTIFICATIONS_PER_BUDGET} or fewer in all, `
      + 'e.g. actualThresholdsPercent: [50, 80, 100, 150], forecastThresholdsPercent: [100].');
  }
}
