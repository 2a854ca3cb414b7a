import {
  BudgetsClient,
  CreateBudgetCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeBudgetPerformanceHistoryCommand,
  DescribeBudgetPerformanceHistoryCommandOutput,
} from '@aws-sdk/client-budgets';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/spend-evaluator.lambda';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { MOTO_ACCOUNT, motoClientConfig, receiveAll, subscribeQueueToTopic, TopicInbox, uniqueName } from '../../harness/moto';

// The emulator implements CreateBudget and DescribeBudget, so budgets live there and the handler reads them for
// real; it lacks DescribeBudgetPerformanceHistory, which is mocked, as are the failures it cannot produce.
// Taken before the mock replaces it, so the test can reach the emulator where it implements the call.
const realSend = BudgetsClient.prototype.send as (this: BudgetsClient, command: unknown) => Promise<unknown>;
const emulatedBudgets = new BudgetsClient(motoClientConfig());
const budgets = mockClient(BudgetsClient);

/** Three past months of about a dollar an hour. */
const HISTORY: DescribeBudgetPerformanceHistoryCommandOutput = {
  $metadata: {},
  BudgetPerformanceHistory: {
    BudgetedAndActualAmountsList: [
      { TimePeriod: { Start: new Date('2026-08-01T00:00:00Z'), End: new Date('2026-09-01T00:00:00Z') }, ActualAmount: { Amount: '744', Unit: 'USD' } },
      { TimePeriod: { Start: new Date('2026-09-01T00:00:00Z'), End: new Date('2026-10-01T00:00:00Z') }, ActualAmount: { Amount: '720', Unit: 'USD' } },
      { TimePeriod: { Start: new Date('2026-10-01T00:00:00Z'), End: new Date('2026-11-01T00:00:00Z') }, ActualAmount: { Amount: '744', Unit: 'USD' } },
    ],
  },
};

/** Sets the budget's figures in the emulator, which has no UpdateBudget: the budget is replaced. */
async function setSpend(name: string, actualUsd: number, forecastUsd = 740): Promise<void> {
  await realSend.call(emulatedBudgets, new DeleteBudgetCommand({ AccountId: MOTO_ACCOUNT, BudgetName: name })).catch(() => undefined);
  await realSend.call(emulatedBudgets, new CreateBudgetCommand({
    AccountId: MOTO_ACCOUNT,
    Budget: {
      BudgetName: name,
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: '1000', Unit: 'USD' },
      CalculatedSpend: { ActualSpend: { Amount: String(actualUsd), Unit: 'USD' }, ForecastedSpend: { Amount: String(forecastUsd), Unit: 'USD' } },
    },
  }));
}

/** Runs the handler as if it were `iso`: only Date is faked, and only for the run, so SDK and poller timers stay real. */
async function runAt(iso: string): ReturnType<typeof handler> {
  jest.useFakeTimers({ now: new Date(iso), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
  try {
    return await handler();
  } finally {
    jest.useRealTimers();
  }
}

describe('the spend evaluator, against the emulated Budgets, SSM and topic', () => {
  let inbox: TopicInbox;
  let parameterName: string;

  beforeAll(async () => {
    const { TopicArn } = await new SNSClient(motoClientConfig()).send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
    inbox = await subscribeQueueToTopic(TopicArn!);
    emulatedHandlerEnvironment({
      ALERT_TOPIC_ARN: TopicArn!,
      ACCOUNT_ID: MOTO_ACCOUNT,
    });
  });

  beforeEach(() => {
    budgets.reset();
    budgets.on(DescribeBudgetCommand).callsFake((input) => realSend.call(emulatedBudgets, new DescribeBudgetCommand(input)));
    budgets.on(DescribeBudgetPerformanceHistoryCommand).resolves(HISTORY);
    parameterName = `/mining-guard/test/${uniqueName('spend')}`;
    process.env.STATE_PARAMETER_NAME = parameterName;
  });

  test('stays quiet on steady spend and on figures Budgets has not refreshed, then alerts once on a spike', async () => {
    // GIVEN a budget at the usual dollar an hour
    const name = uniqueName('monthly-cost');
    process.env.BUDGET_NAMES = name;
    await setSpend(name, 576);

    // WHEN read for the first time, again before Budgets refreshed, then after a steady refresh
    const first = await runAt('2026-11-25T04:00:00Z');
    const stale = await runAt('2026-11-25T05:00:00Z');
    await setSpend(name, 584);
    const steady = await runAt('2026-11-25T12:00:00Z');

    // THEN nothing alerts
    expect([first, stale, steady].map((r) => r.evaluated[0].verdict)).toEqual(['first-look', 'unchanged', 'steady']);
    expect(await receiveAll(inbox.queueUrl, { expected: 0, timeoutMs: 1500 })).toHaveLength(0);

    // WHEN $160 more arrives eight hours later: twenty dollars an hour
    await setSpend(name, 744);
    const spike = await runAt('2026-11-25T20:00:00Z');
    const after = await runAt('2026-11-25T21:00:00Z');

    // THEN one alert with the burn rate and the projected month-end, read back from the topic
    expect(spike.evaluated[0]).toMatchObject({ verdict: 'accelerating', messageId: expect.any(String) });
    expect(after.evaluated[0].verdict).toBe('unchanged');
    const [alert, ...more] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(more).toHaveLength(0);
    expect(alert.Subject).toBe(`[MiningGuard][HIGH] Spend 20.0x faster on ${name}: $20.00/h, month-end ~$3,224.00`);
    expect(alert.Message).toContain('a burn rate of $20.00/h');
    expect(alert.Message).toContain('At this rate the month ends at about $3,224.00');
    expect(alert.MessageAttributes!.detection.Value).toBe('spend-acceleration');

    // AND the last figures are kept in the parameter
    const { Parameter } = await new SSMClient(motoClientConfig()).send(new GetParameterCommand({ Name: parameterName }));
    expect(JSON.parse(Parameter!.Value!)[name]).toEqual({ month: '2026-11-01T00:00:00.000Z', actualUsd: 744, forecastUsd: 740, seenAt: '2026-11-25T20:00:00.000Z' });
  });

  test('a new account without history is judged against the month\'s own pace', async () => {
    // GIVEN no past months: Budgets answers with an empty list, or with NotFoundException
    const name = uniqueName('new-account');
    process.env.BUDGET_NAMES = name;
    budgets.on(DescribeBudgetPerformanceHistoryCommand).rejects(Object.assign(new Error('no history'), { name: 'NotFoundException' }));
    await setSpend(name, 50, 0);
    await runAt('2026-11-10T00:00:00Z');

    // WHEN $130 more arrives in eight hours
    await setSpend(name, 180, 0);
    const run = await runAt('2026-11-10T08:00:00Z');

    // THEN
    expect(run.evaluated[0].verdict).toBe('accelerating');
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Message).toContain('the month\'s pace so far');
    expect(alert.Message).not.toContain('month(s)\' average');
  });

  test('throttling that outlasts the retries fails the run, naming the budget, after judging the others', async () => {
    // GIVEN two budgets, one of which Budgets keeps throttling
    const ok = uniqueName('ok');
    const throttled = uniqueName('throttled');
    process.env.BUDGET_NAMES = `${throttled},${ok}`;
    await setSpend(ok, 576);
    budgets.on(DescribeBudgetCommand, { BudgetName: throttled })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));

    // WHEN / THEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow(`could not judge 1 of 2 budget(s): ${throttled} (ThrottlingException: Rate exceeded)`);
    const { Parameter } = await new SSMClient(motoClientConfig()).send(new GetParameterCommand({ Name: parameterName }));
    expect(Object.keys(JSON.parse(Parameter!.Value!))).toEqual([ok]);
  });

  test('a budget that no longer exists is reported, not skipped', async () => {
    process.env.BUDGET_NAMES = uniqueName('deleted');
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow(/NotFoundException/);
  });
});
