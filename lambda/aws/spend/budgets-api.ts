/** Reads budgets from the AWS Budgets API; the client is created on first use, with the SDK's adaptive retry. */
import type { BudgetsClient } from '@aws-sdk/client-budgets';

type Budgets = typeof import('@aws-sdk/client-budgets');

let loaded: { client: BudgetsClient; sdk: Budgets } | undefined;

async function budgets(): Promise<{ client: BudgetsClient; sdk: Budgets }> {
  if (!loaded) {
    const sdk = await import('@aws-sdk/client-budgets');
    // Budgets allows few requests per second; adaptive retry waits out throttling instead of failing the run.
    loaded = { sdk, client: new sdk.BudgetsClient({ retryMode: 'adaptive', maxAttempts: 6 }) };
  }
  return loaded;
}

/** The `Budget` of `DescribeBudget`. */
export async function describeBudget(accountId: string, budgetName: string): Promise<unknown> {
  const { client, sdk } = await budgets();
  const out = await client.send(new sdk.DescribeBudgetCommand({ AccountId: accountId, BudgetName: budgetName }));
  return out.Budget;
}

/**
 * The `BudgetPerformanceHistory` of the periods between `start` and `end`, every page of it. A budget too new to
 * have any history answers with an empty list, or with `NotFoundException`: both mean "no history".
 */
export async function describePerformanceHistory(accountId: string, budgetName: string, start: Date, end: Date): Promise<unknown> {
  const { client, sdk } = await budgets();
  const amounts: unknown[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const out = await client.send(new sdk.DescribeBudgetPerformanceHistoryCommand({
        AccountId: accountId,
        BudgetName: budgetName,
        TimePeriod: { Start: start, End: end },
        NextToken: nextToken,
      }));
      amounts.push(...(out.BudgetPerformanceHistory?.BudgetedAndActualAmountsList ?? []));
      nextToken = out.NextToken;
    } while (nextToken);
  } catch (error) {
    if ((error as Error).name !== 'NotFoundException') throw error;
  }
  return { BudgetedAndActualAmountsList: amounts };
}
