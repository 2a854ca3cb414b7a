import { BudgetsClient, DescribeBudgetCommand, DescribeBudgetPerformanceHistoryCommand } from '@aws-sdk/client-budgets';
import { mockClient } from 'aws-sdk-client-mock';
import { describeBudget, describePerformanceHistory } from '../../../../lambda/aws/spend/budgets-api';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';

const budgets = mockClient(BudgetsClient);
const ACCOUNT = '123456789012';
const START = new Date('2026-08-01T00:00:00Z');
const END = new Date('2026-11-01T00:00:00Z');

/** One month's budgeted and actual amounts, as the API lists them. */
function period(start: string, end: string, actual: string) {
  return {
    TimePeriod: { Start: new Date(start), End: new Date(end) },
    BudgetedAmount: { Amount: '1000', Unit: 'USD' },
    ActualAmount: { Amount: actual, Unit: 'USD' },
  };
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => budgets.reset());

describe('describeBudget', () => {
  test('returns the budget DescribeBudget answers with, for the account and name', async () => {
    // GIVEN
    const budget = {
      BudgetName: 'monthly-cost',
      BudgetType: 'COST' as const,
      TimeUnit: 'MONTHLY' as const,
      BudgetLimit: { Amount: '1000', Unit: 'USD' },
      CalculatedSpend: { ActualSpend: { Amount: '576', Unit: 'USD' } },
    };
    budgets.on(DescribeBudgetCommand).resolves({ Budget: budget });

    // WHEN
    const described = await describeBudget(ACCOUNT, 'monthly-cost');

    // THEN
    expect(described).toEqual(budget);
    const [call] = budgets.commandCalls(DescribeBudgetCommand);
    expect(call.args[0].input).toEqual({ AccountId: ACCOUNT, BudgetName: 'monthly-cost' });
    expect(await regionOf(call)).toBe('us-east-1');
    expect((call.thisValue as BudgetsClient).config.retryMode).toBe('adaptive');
    expect(await (call.thisValue as BudgetsClient).config.maxAttempts()).toBe(6);
  });

  test.each([
    ['a budget that does not exist', awsError('NotFoundException', 'Unable to get budget: monthly-cost - the budget doesn\'t exist.')],
    ['AccessDenied', awsError('AccessDeniedException', 'User is not authorized to perform: budgets:ViewBudget')],
    ['throttling that outlasts the SDK\'s retries', awsError('ThrottlingException', 'Rate exceeded')],
  ])('throws on %s, so the budget is reported as not judged', async (_, error) => {
    // GIVEN
    budgets.on(DescribeBudgetCommand).rejects(error);

    // WHEN / THEN
    await expect(describeBudget(ACCOUNT, 'monthly-cost')).rejects.toBe(error);
  });
});

describe('describePerformanceHistory', () => {
  test('asks for the periods between start and end, and returns them in the API\'s shape', async () => {
    // GIVEN
    const august = period('2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z', '744');
    budgets.on(DescribeBudgetPerformanceHistoryCommand).resolves({ BudgetPerformanceHistory: { BudgetedAndActualAmountsList: [august] } });

    // WHEN
    const history = await describePerformanceHistory(ACCOUNT, 'monthly-cost', START, END);

    // THEN
    expect(history).toEqual({ BudgetedAndActualAmountsList: [august] });
    const [call] = budgets.commandCalls(DescribeBudgetPerformanceHistoryCommand);
    expect(call.args[0].input).toEqual({
      AccountId: ACCOUNT, BudgetName: 'monthly-cost', TimePeriod: { Start: START, End: END }, NextToken: undefined,
    });
  });

  test('follows NextToken through every page', async () => {
    // GIVEN three pages of one month each
    const months = [
      period('2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z', '744'),
      period('2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z', '720'),
      period('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', '744'),
    ];
    budgets.on(DescribeBudgetPerformanceHistoryCommand)
      .resolvesOnce({ BudgetPerformanceHistory: { BudgetedAndActualAmountsList: [months[0]] }, NextToken: 'page-2' })
      .resolvesOnce({ BudgetPerformanceHistory: { BudgetedAndActualAmountsList: [months[1]] }, NextToken: 'page-3' })
      .resolvesOnce({ BudgetPerformanceHistory: { BudgetedAndActualAmountsList: [months[2]] } });

    // WHEN
    const history = await describePerformanceHistory(ACCOUNT, 'monthly-cost', START, END);

    // THEN
    expect(history).toEqual({ BudgetedAndActualAmountsList: months });
    const tokens = budgets.commandCalls(DescribeBudgetPerformanceHistoryCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, 'page-2', 'page-3']);
  });

  test('a budget too new to have history answers with an empty list', async () => {
    // GIVEN
    budgets.on(DescribeBudgetPerformanceHistoryCommand).resolves({
      BudgetPerformanceHistory: { BudgetName: 'new', BudgetedAndActualAmountsList: [] },
    });

    // WHEN / THEN
    expect(await describePerformanceHistory(ACCOUNT, 'new', START, END)).toEqual({ BudgetedAndActualAmountsList: [] });
  });

  test('NotFoundException, which Budgets answers for a budget without history, means no history', async () => {
    // GIVEN
    budgets.on(DescribeBudgetPerformanceHistoryCommand).rejects(awsError('NotFoundException', 'No budget performance history found'));

    // WHEN / THEN
    expect(await describePerformanceHistory(ACCOUNT, 'new', START, END)).toEqual({ BudgetedAndActualAmountsList: [] });
  });

  test('a page missing its history is read as no periods', async () => {
    // GIVEN
    budgets.on(DescribeBudgetPerformanceHistoryCommand).resolves({});

    // WHEN / THEN
    expect(await describePerformanceHistory(ACCOUNT, 'monthly-cost', START, END)).toEqual({ BudgetedAndActualAmountsList: [] });
  });

  test.each([
    ['AccessDenied', awsError('AccessDeniedException', 'User is not authorized to perform: budgets:ViewBudget')],
    ['throttling that outlasts the SDK\'s retries', awsError('ThrottlingException', 'Rate exceeded')],
  ])('throws on %s, even on a later page', async (_, error) => {
    // GIVEN
    budgets.on(DescribeBudgetPerformanceHistoryCommand)
      .resolvesOnce({ BudgetPerformanceHistory: { BudgetedAndActualAmountsList: [] }, NextToken: 'page-2' })
      .rejects(error);

    // WHEN / THEN
    await expect(describePerformanceHistory(ACCOUNT, 'monthly-cost', START, END)).rejects.toBe(error);
    expect(budgets.commandCalls(DescribeBudgetPerformanceHistoryCommand)).toHaveLength(2);
  });
});
