import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertChannel, SpendGuard, SpendGuardOptions } from '../../lib';

const ACCOUNT = '111122223333';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

function guard(options: SpendGuardOptions = {}): { s: Stack; spend: SpendGuard; t: () => Template } {
  const s = stack();
  const channel = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
  const spend = new SpendGuard(s, 'Spend', { ...options, alerts: channel });
  return { s, spend, t: () => Template.fromStack(s) };
}

function budgetsOf(t: Template): any[] {
  return Object.values(t.findResources('AWS::Budgets::Budget')).map((r) => r.Properties);
}

const ANOMALY_ABSOLUTE_100 = JSON.stringify({ Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['100'] } });

describe('SpendGuard', () => {
  test('by default: an auto-adjusting monthly budget without credits or refunds, notifying at 80 % and 100 % actual and 100 % forecast', () => {
    // GIVEN / WHEN
    const { t } = guard();
    // THEN
    const [budget, ...others] = budgetsOf(t());
    expect(others).toHaveLength(0);
    expect(budget.Budget).toEqual({
      BudgetName: 'Test-eu-west-1-868dee-monthly-cost',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      AutoAdjustData: { AutoAdjustType: 'HISTORICAL', HistoricalOptions: { BudgetAdjustmentPeriod: 6 } },
      CostTypes: { IncludeCredit: false, IncludeRefund: false },
    });
    t().hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetName: Match.stringLikeRegexp('-monthly-cost$') },
      NotificationsWithSubscribers: [
        { Notification: { NotificationType: 'ACTUAL', Threshold: 80, ThresholdType: 'PERCENTAGE', ComparisonOperator: 'GREATER_THAN' }, Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('SpendSpendTopic') } }] },
        { Notification: { NotificationType: 'ACTUAL', Threshold: 100, ThresholdType: 'PERCENTAGE', ComparisonOperator: 'GREATER_THAN' }, Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('SpendSpendTopic') } }] },
        { Notification: { NotificationType: 'FORECASTED', Threshold: 100, ThresholdType: 'PERCENTAGE', ComparisonOperator: 'GREATER_THAN' }, Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('SpendSpendTopic') } }] },
      ],
    });
  });

  test('by default: a SERVICE anomaly monitor with an immediate subscription of $100 to the spend topic', () => {
    const { t, spend } = guard();
    t().hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE', MonitorName: Match.stringLikeRegexp('-services$') });
    t().hasResourceProperties('AWS::CE::AnomalySubscription', {
      Frequency: 'IMMEDIATE',
      MonitorArnList: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('SpendAnomalyMonitor'), 'MonitorArn'] }],
      Subscribers: [{ Type: 'SNS', Address: { Ref: Match.stringLikeRegexp('SpendSpendTopic') } }],
      ThresholdExpression: ANOMALY_ABSOLUTE_100,
    });
    expect(spend.anomalyMonitor).toBeDefined();
  });

  test('Budgets and Cost Anomaly Detection publish, for this account only, to a topic that hands them to the notifier', () => {
    const { t } = guard();
    const template = t();
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsKey'), 'Arn'] }, DisplayName: Match.stringLikeRegexp('spend') });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('SpendSpendTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ...['budgets.amazonaws.com', 'costalerts.amazonaws.com'].map((service) => Match.objectLike({
            Effect: 'Allow', Principal: { Service: service }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          })),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCostServicesToEncryptSpendNotifications',
          Principal: { Service: ['budgets.amazonaws.com', 'costalerts.amazonaws.com'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: Match.stringLikeRegexp('SpendSpendTopic') },
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsNotifierFunction'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'sns.amazonaws.com', SourceArn: { Ref: Match.stringLikeRegexp('SpendSpendTopic') } });
    // Budgets and Cost Anomaly Detection check their right to publish on creation: the policy comes first.
    for (const type of ['AWS::Budgets::Budget', 'AWS::CE::AnomalySubscription']) {
      for (const r of Object.values(template.findResources(type))) expect(r.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/SpendSpendTopicPolicy/)]));
    }
  });

  test('the alert topic the evaluator publishes to lets budgets and costalerts in, for this account only', () => {
    const { t } = guard();
    t().hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith(['budgets.amazonaws.com', 'costalerts.amazonaws.com'].map((service) => Match.objectLike({
          Effect: 'Allow', Principal: { Service: service }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }))),
      },
    });
    t().hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: Match.arrayWith(['budgets.amazonaws.com', 'costalerts.amazonaws.com']) },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        })]),
      },
    });
  });

  test('by default: the vCPU alarms and the spend evaluator, alerting through the channel', () => {
    const { t, spend } = guard();
    expect(spend.vcpuAlarms?.alarms).toHaveLength(22);
    expect(spend.spendEvaluator).toBeDefined();
    t().hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BUDGET_NAMES: spend.budgetName, ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertsTopic') } }) },
    });
  });

  test('a limit fixes the budget', () => {
    const { t } = guard({ monthlyLimitUsd: 2500, actualThresholdsPercent: [50, 90], forecastThresholdsPercent: [110, 150] });
    const [budget] = budgetsOf(t());
    expect(budget.Budget.BudgetLimit).toEqual({ Amount: 2500, Unit: 'USD' });
    expect(budget.Budget.AutoAdjustData).toBeUndefined();
    expect(budget.NotificationsWithSubscribers.map((n: any) => [n.Notification.NotificationType, n.Notification.Threshold]))
      .toEqual([['ACTUAL', 50], ['ACTUAL', 90], ['FORECASTED', 110], ['FORECASTED', 150]]);
  });

  test('autoAdjustMonths sets the months an auto-adjusting budget averages', () => {
    const { t } = guard({ autoAdjustMonths: 3 });
    expect(budgetsOf(t())[0].Budget.AutoAdjustData).toEqual({ AutoAdjustType: 'HISTORICAL', HistoricalOptions: { BudgetAdjustmentPeriod: 3 } });
  });

  test('computeBudget adds an auto-adjusting budget on EC2 compute, which the evaluator also reads', () => {
    const { t, spend } = guard({ computeBudget: true });
    t().hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: Match.stringLikeRegexp('-ec2-compute-cost$'),
        CostFilters: { Service: ['Amazon Elastic Compute Cloud - Compute'] },
        AutoAdjustData: { AutoAdjustType: 'HISTORICAL' },
        CostTypes: { IncludeCredit: false, IncludeRefund: false },
      },
    });
    expect(spend.computeBudget).toBeDefined();
    t().hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ BUDGET_NAMES: Match.stringLikeRegexp('-monthly-cost,.*-ec2-compute-cost$') }) } });
  });

  test('computeMonthlyLimitUsd adds the compute budget with that limit', () => {
    const { t } = guard({ computeMonthlyLimitUsd: 400 });
    t().hasResourceProperties('AWS::Budgets::Budget', { Budget: { CostFilters: { Service: ['Amazon Elastic Compute Cloud - Compute'] }, BudgetLimit: { Amount: 400, Unit: 'USD' } } });
  });

  test('ec2RunningHoursLimit adds a usage budget on EC2 running hours', () => {
    const { t, spend } = guard({ ec2RunningHoursLimit: 2000 });
    t().hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'USAGE', BudgetLimit: { Amount: 2000, Unit: 'Hrs' }, CostFilters: { UsageTypeGroup: ['EC2: Running Hours'] } },
    });
    expect(spend.runningHoursBudget).toBeDefined();
  });

  test('an existing monitor is adopted: subscribed to, not created', () => {
    const arn = `arn:aws:ce::${ACCOUNT}:anomalymonitor/abcdefgh-1234-4ea0-84cc-918a97d736ef`;
    const { t, spend } = guard({ existingAnomalyMonitorArn: arn });
    t().resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    t().hasResourceProperties('AWS::CE::AnomalySubscription', { MonitorArnList: [arn] });
    expect(spend.anomalyMonitorArn).toBe(arn);
  });

  test('anomalyMonitorName names the monitor created', () => {
    const { t } = guard({ anomalyMonitorName: 'all-services' });
    t().hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorName: 'all-services' });
  });

  test.each([
    [{ anomalyThresholdUsd: 250 }, { Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['250'] } }],
    [{ anomalyThresholdPercent: 40 }, { Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_PERCENTAGE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['40'] } }],
    [{ anomalyThresholdUsd: 50, anomalyThresholdPercent: 40 }, {
      Or: [
        { Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['50'] } },
        { Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_PERCENTAGE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: ['40'] } },
      ],
    }],
  ])('anomaly thresholds %j become the threshold expression', (options, expression) => {
    const { t } = guard(options);
    t().hasResourceProperties('AWS::CE::AnomalySubscription', { ThresholdExpression: JSON.stringify(expression) });
  });

  test('each signal can be turned off', () => {
    const { t, spend } = guard({ anomalyDetection: false, vcpuAlarms: false, spendEvaluator: false });
    for (const type of ['AWS::CE::AnomalyMonitor', 'AWS::CE::AnomalySubscription', 'AWS::SSM::Parameter']) t().resourceCountIs(type, 0);
    // Only the notifier's dead-letter alarm, and its rule for the guard's alarms, are left.
    t().resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t().resourceCountIs('AWS::Events::Rule', 1);
    expect(spend.anomalySubscription).toBeUndefined();
    t().resourceCountIs('AWS::Budgets::Budget', 1);
  });

  test('vcpuAlarmOptions reach the alarms', () => {
    const { spend } = guard({ vcpuAlarmOptions: { baselineVcpus: { 'G/OnDemand': 8 } } });
    expect(spend.vcpuAlarms?.alarms.length).toBe(22);
  });

  test('with an adopted alert topic, the channel\'s key lets CloudWatch Logs, Budgets and Cost Anomaly Detection in', () => {
    // GIVEN an existing topic
    const s = stack();
    const channel = new AlertChannel(s, 'Alerts', { topic: sns.Topic.fromTopicArn(s, 'T', `arn:aws:sns:eu-west-1:${ACCOUNT}:security`) });
    // WHEN
    new SpendGuard(s, 'Spend', { alerts: channel });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsToEncryptLogGroups' }), Match.objectLike({ Sid: 'AllowCostServicesToEncryptSpendNotifications' })]) },
    });
  });

  describe('refuses', () => {
    test.each([
      ['a zero limit', { monthlyLimitUsd: 0 }, /monthlyLimitUsd must be a positive amount of US dollars, got 0. Write e.g. monthlyLimitUsd: 1000/],
      ['a negative limit', { monthlyLimitUsd: -5 }, /monthlyLimitUsd must be a positive amount/],
      ['a negative compute limit', { computeMonthlyLimitUsd: -1 }, /computeMonthlyLimitUsd must be a positive amount/],
      ['a zero anomaly threshold', { anomalyThresholdUsd: 0 }, /anomalyThresholdUsd must be a positive amount/],
      ['a zero threshold', { actualThresholdsPercent: [0, 100] }, /actualThresholdsPercent must be percentages of the budget, more than 0 and at most 1000, got 0. Write e.g. actualThresholdsPercent: \[80, 100\]/],
      ['a threshold above 1000 %', { forecastThresholdsPercent: [1001] }, /forecastThresholdsPercent must be percentages.*got 1001/],
      ['a negative anomaly percentage', { anomalyThresholdPercent: -3 }, /anomalyThresholdPercent must be percentages/],
      ['more than 10 notifications per budget', { actualThresholdsPercent: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], forecastThresholdsPercent: [100] },
        /11 notifications, but AWS Budgets allows at most 10 per budget/],
      ['a threshold listed twice', { actualThresholdsPercent: [100, 100] }, /actualThresholdsPercent lists 100 more than once/],
      ['no running hours', { ec2RunningHoursLimit: 0 }, /ec2RunningHoursLimit must be a positive number of hours/],
      ['a limit and auto-adjustment together', { monthlyLimitUsd: 10, autoAdjustMonths: 3 }, /`autoAdjustMonths` sets an auto-adjusting budget, but `monthlyLimitUsd` fixes the limit/],
      ['a year and more of auto-adjustment', { autoAdjustMonths: 13 }, /autoAdjustMonths must be a whole number of months from 1 to 12/],
      ['adopting and creating a monitor together', { existingAnomalyMonitorArn: 'arn:aws:ce::111122223333:anomalymonitor/x', anomalyMonitorName: 'mine' }, /either `existingAnomalyMonitorArn`.*or `anomalyMonitorName`.*not both/],
      ['anomaly props with anomaly detection off', { anomalyDetection: false, anomalyThresholdUsd: 5 }, /anomaly detection is off/],
    ])('%s', (_name, options, message) => {
      expect(() => guard(options as SpendGuardOptions)).toThrow(message);
    });
  });
});
