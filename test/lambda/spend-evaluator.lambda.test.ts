import { Budget, BudgetsClient, DescribeBudgetCommand, DescribeBudgetPerformanceHistoryCommand } from '@aws-sdk/client-budgets';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/spend-evaluator.lambda';
import { captureLogs } from '../harness/captured-logs';
import { handlerEnvironment } from '../harness/handler-environment';
import { awsError, clockAt } from '../harness/mocked-aws';

const budgets = mockClient(BudgetsClient);
const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);

const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:mining-guard-alerts`;
const PARAMETER = '/mining-guard/spend-evaluator/state';
const SETTINGS = ['ALERT_TOPIC_ARN', 'ACCOUNT_ID', 'BUDGET_NAMES', 'STATE_PARAMETER_NAME'] as const;

/** Three past months of about a dollar an hour, as DescribeBudgetPerformanceHistory lists them. */
const HISTORY = {
  BudgetedAndActualAmountsList: [
    { TimePeriod: { Start: new Date('2026-08-01T00:00:00Z'), End: new Date('2026-09-01T00:00:00Z') }, ActualAmount: { Amount: '744', Unit: 'USD' } },
    { TimePeriod: { Start: new Date('2026-09-01T00:00:00Z'), End: new Date('2026-10-01T00:00:00Z') }, ActualAmount: { Amount: '720', Unit: 'USD' } },
    { TimePeriod: { Start: new Date('2026-10-01T00:00:00Z'), End: new Date('2026-11-01T00:00:00Z') }, ActualAmount: { Amount: '744', Unit: 'USD' } },
  ],
};

/** Each budget's month-to-date spend, as DescribeBudget reports it; a budget not here does not exist. */
let spend: Record<string, number>;
/** The state parameter, kept in memory; undefined until the first run writes it. */
let parameter: string | undefined;
/** Every call, across the three services, in the order it was made. */
let sent: string[];

function budget(name: string, actualUsd: number): Budget {
  return {
    BudgetName: name,
    BudgetType: 'COST',
    TimeUnit: 'MONTHLY',
    BudgetLimit: { Amount: '1000', Unit: 'USD' },
    CalculatedSpend: { ActualSpend: { Amount: String(actualUsd), Unit: 'USD' }, ForecastedSpend: { Amount: '740', Unit: 'USD' } },
  };
}

/** Runs the handler as if it were `iso`. */
async function runAt(iso: string): ReturnType<typeof handler> {
  clockAt(iso);
  try {
    return await handler();
  } finally {
    jest.useRealTimers();
  }
}

function published(): Array<{ subject: string; text: string }> {
  return sns.commandCalls(PublishCommand).map((c) => ({ subject: c.args[0].input.Subject!, text: JSON.parse(c.args[0].input.Message!).default }));
}

beforeEach(() => {
  handlerEnvironment({ ALERT_TOPIC_ARN: TOPIC, ACCOUNT_ID: ACCOUNT, BUDGET_NAMES: 'monthly-cost', STATE_PARAMETER_NAME: PARAMETER });
  delete process.env.ACCELERATION_FACTOR;
  delete process.env.MINIMUM_INCREASE_USD;
  spend = { 'monthly-cost': 576 };
  parameter = undefined;
  sent = [];
  for (const mock of [budgets, ssm, sns]) mock.reset();
  budgets.on(DescribeBudgetCommand).callsFake(({ BudgetName }) => {
    sent.push(`DescribeBudget ${BudgetName}`);
    if (spend[BudgetName] === undefined) throw awsError('NotFoundException', `Unable to get budget: ${BudgetName} - the budget doesn't exist.`);
    return { Budget: budget(BudgetName, spend[BudgetName]) };
  });
  budgets.on(DescribeBudgetPerformanceHistoryCommand).resolves({ BudgetPerformanceHistory: HISTORY });
  ssm.on(GetParameterCommand).callsFake(() => {
    sent.push('GetParameter');
    if (parameter === undefined) throw awsError('ParameterNotFound', '');
    return { Parameter: { Name: PARAMETER, Value: parameter } };
  });
  ssm.on(PutParameterCommand).callsFake(({ Value }) => {
    sent.push('PutParameter');
    parameter = Value;
    return { Version: 1 };
  });
  sns.on(PublishCommand).callsFake(() => {
    sent.push('Publish');
    return { MessageId: `message-${sns.commandCalls(PublishCommand).length}` };
  });
});
afterEach(() => jest.useRealTimers());

describe('the spend evaluator', () => {
  test('alerts once on accelerating spend, with the burn rate and the projected month-end', async () => {
    // GIVEN the month so far at the usual dollar an hour, seen once
    const first = await runAt('2026-11-25T04:00:00Z');

    // WHEN $168 more arrives in sixteen hours, and the next run finds Budgets not refreshed yet
    spend['monthly-cost'] = 744;
    const spike = await runAt('2026-11-25T20:00:00Z');
    const after = await runAt('2026-11-25T21:00:00Z');

    // THEN
    expect(first).toEqual({ evaluated: [{ budget: 'monthly-cost', verdict: 'first-look', messageId: undefined }], failed: [] });
    expect(spike).toEqual({ evaluated: [{ budget: 'monthly-cost', verdict: 'accelerating', messageId: 'message-1' }], failed: [] });
    expect(after.evaluated).toEqual([{ budget: 'monthly-cost', verdict: 'unchanged', messageId: undefined }]);
    const alerts = published();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toBe('[MiningGuard][HIGH] Spend 10.5x faster on monthly-cost: $10.50/h, month-end ~$2,046.00');
    expect(alerts[0].text).toContain('Budget "monthly-cost": actual spend rose by $168.00 to $744.00 in 16.0 h: a burn rate of $10.50/h.');
    const [publish] = sns.commandCalls(PublishCommand);
    expect(publish.args[0].input).toMatchObject({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'HIGH' },
        detection: { DataType: 'String', StringValue: 'spend-acceleration' },
      },
    });
    expect(JSON.parse(parameter!)).toEqual({
      'monthly-cost': { month: '2026-11-01T00:00:00.000Z', actualUsd: 744, forecastUsd: 740, seenAt: '2026-11-25T20:00:00.000Z' },
    });
  });

  test('reads each budget and the three months before this one, for the configured account', async () => {
    // WHEN
    await runAt('2026-11-25T04:00:00Z');

    // THEN
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: PARAMETER });
    expect(budgets.commandCalls(DescribeBudgetCommand)[0].args[0].input).toEqual({ AccountId: ACCOUNT, BudgetName: 'monthly-cost' });
    expect(budgets.commandCalls(DescribeBudgetPerformanceHistoryCommand)[0].args[0].input).toEqual({
      AccountId: ACCOUNT,
      BudgetName: 'monthly-cost',
      TimePeriod: { Start: new Date('2026-08-01T00:00:00Z'), End: new Date('2026-11-01T00:00:00Z') },
      NextToken: undefined,
    });
  });

  test('saves the state only after the alert is out', async () => {
    // GIVEN
    await runAt('2026-11-25T04:00:00Z');
    spend['monthly-cost'] = 744;
    sent = [];

    // WHEN
    await runAt('2026-11-25T20:00:00Z');

    // THEN
    expect(sent).toEqual(['GetParameter', 'DescribeBudget monthly-cost', 'Publish', 'PutParameter']);
  });

  test('an alert SNS refuses fails the run, keeps the old figures, and is sent by the next run', async () => {
    // GIVEN
    await runAt('2026-11-25T04:00:00Z');
    const before = parameter;
    spend['monthly-cost'] = 744;
    sns.on(PublishCommand).rejects(awsError('AuthorizationErrorException', `User is not authorized to perform: SNS:Publish on ${TOPIC}`, 403));

    // WHEN
    const refused = runAt('2026-11-25T20:00:00Z');

    // THEN
    await expect(refused).rejects.toThrow('could not judge 1 of 1 budget(s): monthly-cost (AuthorizationErrorException: User is not authorized');
    expect(parameter).toBe(before);

    // WHEN the next run can publish
    sns.on(PublishCommand).resolves({ MessageId: 'retried' });
    const retried = await runAt('2026-11-25T21:00:00Z');

    // THEN
    expect(retried.evaluated).toEqual([{ budget: 'monthly-cost', verdict: 'accelerating', messageId: 'retried' }]);
    expect(JSON.parse(parameter!)['monthly-cost']).toMatchObject({ actualUsd: 744, seenAt: '2026-11-25T21:00:00.000Z' });
  });

  test('a failing budget fails the run, naming it, after the others were judged and remembered', async () => {
    // GIVEN three budgets, one that Budgets refuses to describe
    process.env.BUDGET_NAMES = 'monthly-cost, gpu-team ,research';
    spend = { 'monthly-cost': 576, 'research': 120 };
    const denied = awsError('AccessDeniedException', 'User is not authorized to perform: budgets:ViewBudget');
    budgets.on(DescribeBudgetCommand, { BudgetName: 'gpu-team' }).rejects(denied);

    // WHEN
    const run = runAt('2026-11-25T04:00:00Z');

    // THEN
    await expect(run).rejects.toThrow(
      'The spend evaluator could not judge 1 of 3 budget(s): '
      + 'gpu-team (AccessDeniedException: User is not authorized to perform: budgets:ViewBudget)');
    expect(budgets.commandCalls(DescribeBudgetCommand).map((c) => c.args[0].input.BudgetName)).toEqual(['monthly-cost', 'gpu-team', 'research']);
    expect(Object.keys(JSON.parse(parameter!))).toEqual(['monthly-cost', 'research']);
  });

  test('every failing budget is named, with its own error', async () => {
    // GIVEN one budget that does not exist and one whose throttling outlasted the SDK's retries
    process.env.BUDGET_NAMES = 'deleted,throttled,monthly-cost';
    budgets.on(DescribeBudgetCommand, { BudgetName: 'throttled' }).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // WHEN / THEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow('could not judge 2 of 3 budget(s): '
      + 'deleted (NotFoundException: Unable to get budget: deleted - the budget doesn\'t exist.); throttled (ThrottlingException: Rate exceeded)');
  });

  test('a budget without figures is reported, not judged as zero spend', async () => {
    // GIVEN
    budgets.on(DescribeBudgetCommand).resolves({ Budget: { BudgetName: 'monthly-cost', BudgetType: 'COST', TimeUnit: 'MONTHLY' } });

    // WHEN / THEN
    await expect(runAt('2026-11-25T04:00:00Z'))
      .rejects.toThrow('monthly-cost (Error: budget monthly-cost has no actual spend (CalculatedSpend.ActualSpend.Amount))');
  });

  test('a budget too new to have history is judged against the month\'s own pace', async () => {
    // GIVEN
    budgets.on(DescribeBudgetPerformanceHistoryCommand).rejects(awsError('NotFoundException', 'No budget performance history found'));
    spend['monthly-cost'] = 50;
    await runAt('2026-11-10T00:00:00Z');

    // WHEN $130 more arrives in eight hours
    spend['monthly-cost'] = 180;
    const run = await runAt('2026-11-10T08:00:00Z');

    // THEN
    expect(run.evaluated[0].verdict).toBe('accelerating');
    expect(published()[0].text).toContain('the month\'s pace so far');
  });

  test('the acceleration factor and the minimum increase come from the environment', async () => {
    // GIVEN a factor the same spike does not reach
    process.env.ACCELERATION_FACTOR = '20';
    await runAt('2026-11-25T04:00:00Z');
    spend['monthly-cost'] = 744;

    // WHEN
    const run = await runAt('2026-11-25T20:00:00Z');

    // THEN
    expect(run.evaluated[0].verdict).toBe('steady');
    expect(sns.calls()).toHaveLength(0);
  });

  test('settings that are not numbers fall back to the defaults', async () => {
    // GIVEN
    process.env.ACCELERATION_FACTOR = 'fast';
    process.env.MINIMUM_INCREASE_USD = '-5';
    await runAt('2026-11-25T04:00:00Z');
    spend['monthly-cost'] = 744;

    // WHEN
    const run = await runAt('2026-11-25T20:00:00Z');

    // THEN
    expect(run.evaluated[0].verdict).toBe('accelerating');
  });

  test('a run that learns nothing new does not rewrite the state', async () => {
    // GIVEN
    await runAt('2026-11-25T04:00:00Z');
    ssm.resetHistory();

    // WHEN
    await runAt('2026-11-25T05:00:00Z');

    // THEN
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  test('the first run writes the state even when no budget could be judged', async () => {
    // GIVEN
    budgets.on(DescribeBudgetCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: budgets:ViewBudget'));

    // WHEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow('monthly-cost (AccessDeniedException');

    // THEN
    expect(ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: PARAMETER, Value: '{}', Type: 'String', Overwrite: true },
    ]);
  });

  test('a state parameter that cannot be read fails the run before any budget is judged', async () => {
    // GIVEN
    ssm.on(GetParameterCommand).rejects(awsError('AccessDeniedException', `Not authorized to perform: ssm:GetParameter on resource: ${PARAMETER}`));

    // WHEN / THEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(budgets.calls()).toHaveLength(0);
  });

  test('alert links point at the console of the topic\'s partition', async () => {
    // GIVEN
    process.env.ALERT_TOPIC_ARN = `arn:aws-cn:sns:cn-north-1:${ACCOUNT}:mining-guard-alerts`;
    await runAt('2026-11-25T04:00:00Z');
    spend['monthly-cost'] = 744;

    // WHEN
    await runAt('2026-11-25T20:00:00Z');

    // THEN
    expect(published()[0].text).toContain('AWS Budgets: https://console.amazonaws.cn/costmanagement/home#/budgets');
  });

  test.each(SETTINGS)('fails, naming %s, when it is not set, before any AWS call', async (name) => {
    // GIVEN
    delete process.env[name];

    // WHEN / THEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow(`${name} is not set: the spend evaluator's construct sets it`);
    for (const mock of [budgets, ssm, sns]) expect(mock.calls()).toHaveLength(0);
  });

  test('an empty setting counts as not set', async () => {
    // GIVEN
    process.env.BUDGET_NAMES = '';

    // WHEN / THEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow('BUDGET_NAMES is not set');
  });
});

test('a budget named __proto__ is remembered under its own name, and read back as its own figures', async () => {
  // GIVEN a budget whose name is an Object property, seen once
  process.env.BUDGET_NAMES = '__proto__';
  spend = { ['__proto__']: 576 };
  await runAt('2026-11-25T00:00:00Z');
  // WHEN it is read again at the next run
  await runAt('2026-11-25T01:00:00Z');
  // THEN the stored figures are that budget's own entry
  expect(Object.keys(JSON.parse(parameter!))).toEqual(['__proto__']);
  expect(JSON.parse(parameter!).__proto__).toMatchObject({ actualUsd: 576 });
});

test('a budget that could not be read is logged by its name and the failure, cut short, never the error with its response', async () => {
  // GIVEN Budgets failing with a long message that quotes a secret-looking value after its first 500 characters
  const SECRET = 'AKIASECRETLOOKING0001';
  budgets.on(DescribeBudgetCommand).rejects(Object.assign(awsError('AccessDeniedException', `${'denied '.repeat(100)}${SECRET}`), { $response: { body: SECRET } }));
  const lines = captureLogs();
  try {
    // WHEN
    await expect(runAt('2026-11-25T04:00:00Z')).rejects.toThrow(/could not judge 1 of 1 budget/);
    // THEN
    expect(JSON.stringify(lines)).not.toContain(SECRET);
    expect(lines).toContainEqual(['error', 'Budget not evaluated', { budget: 'monthly-cost', reason: expect.stringMatching(/^AccessDeniedException: denied denied /) }]);
  } finally {
    jest.restoreAllMocks();
  }
});
