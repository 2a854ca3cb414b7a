/** Prop checks of SpendGuard: each error says what is wrong and what to write instead. */

/** Throws unless the amount is a positive number of dollars. */
export function validatePositiveUsd(prop: string, amount: number | undefined, example: string): void {
  if (amount !== undefined && !(Number.isFinite(amount) && amount > 0)) {
    throw new Error(`SpendGuard: ${prop} must be a positive amount of US dollars, got ${amount}. Write e.g. ${example}, or leave it out for the default.`);
  }
}

/** Throws unless every threshold is a percentage in (0, 1000], the range AWS Budgets accepts. */
export function validatePercentages(prop: string, thresholds: readonly number[], example: string): void {
  for (const threshold of thresholds) {
    if (!(Number.isFinite(threshold) && threshold > 0 && threshold <= 1000)) {
      throw new Error(`SpendGuard: ${prop} must be percentages of the budget, more than 0 and at most 1000, got ${threshold}. Write e.g. ${example}.`);
    }
  }
}
