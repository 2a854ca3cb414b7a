import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BudgetNotifications, costBudget, runningHoursBudget } from '../../lib/spend/budgets';

/** A stack with a topic Budgets may publish to, and the notifications of a budget to it. */
function setUp(actualPercent: number[] = [80, 100], forecastPercent: number[] = [100]) {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
  const topic = new sns.Topic(s, 'SpendTopic');
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
  }));
  const notifications: BudgetNotifications = { topic, actualPercent, forecastPercent };
  const topicId = s.getLogicalId(topic.node.defaultChild as sns.CfnTopic);
  const topicPolicyId = s.getLogicalId(topic.node.findChild('Policy').node.defaultChild as sns.CfnTopicPolicy);
  return { s, notifications, topicId, topicPolicyId };
}

/** The one budget of a template. */
function onlyBudget(s: Stack): { Properties: Record<string, any>; DependsOn: string[] } {
  const budgets = Object.values(Template.fromStack(s).findResources('AWS::Budgets::Budget'));
  expect(budgets).toHaveLength(1);
  return budgets[0] as { Properties: Record<string, any>; DependsOn: string[] };
}

describe('costBudget', () => {
  test('with a limit: a monthly cost budget of that many dollars, without credits or refunds', () => {
    // GIVEN
    const { s, notifications } = setUp();
    // WHEN
    costBudget(s, 'Monthly', 'guard-monthly-cost', { limitUsd: 500, autoAdjustMonths: 6 }, notifications);
    // THEN
    expect(onlyBudget(s).Properties.Budget).toEqual({
      BudgetName: 'guard-monthly-cost',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: 500, Unit: 'USD' },
      CostTypes: { IncludeCredit: false, IncludeRefund: false },
    });
  });

  test('without a limit: adjusted to the average of the past months, filtered as given', () => {
    // GIVEN
    const { s, notifications } = setUp();
    // WHEN
    costBudget(s, 'Compute', 'guard-ec2-compute', { autoAdjustMonths: 3 }, notifications, { Service: ['Amazon Elastic Compute Cloud - Compute'] });
    // THEN
    expect(onlyBudget(s).Properties.Budget).toEqual({
      BudgetName: 'guard-ec2-compute',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      AutoAdjustData: { AutoAdjustType: 'HISTORICAL', HistoricalOptions: { BudgetAdjustmentPeriod: 3 } },
      CostTypes: { IncludeCredit: false, IncludeRefund: false },
      CostFilters: { Service: ['Amazon Elastic Compute Cloud - Compute'] },
    });
  });

  test('notifies the topic above each actual threshold, then each forecast one, and waits for the topic\'s policy', () => {
    // GIVEN
    const { s, notifications, topicId, topicPolicyId } = setUp([50, 90], [100, 120]);
    // WHEN
    costBudget(s, 'Monthly', 'guard-monthly-cost', { autoAdjustMonths: 6 }, notifications);
    // THEN
    const budget = onlyBudget(s);
    const notification = (type: string, threshold: number) => ({
      Notification: { NotificationType: type, ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' },
      Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }],
    });
    expect(budget.Properties.NotificationsWithSubscribers).toEqual([
      notification('ACTUAL', 50), notification('ACTUAL', 90), notification('FORECASTED', 100), notification('FORECASTED', 120),
    ]);
    expect([...budget.DependsOn].sort()).toEqual([topicId, topicPolicyId].sort());
  });
});

describe('runningHoursBudget', () => {
  test('a monthly usage budget on the running hours of every EC2 instance, notifying the topic once it may', () => {
    // GIVEN
    const { s, notifications, topicId, topicPolicyId } = setUp([100], []);
    // WHEN
    runningHoursBudget(s, 'RunningHours', 'guard-ec2-running-hours', 2000, notifications);
    // THEN
    const budget = onlyBudget(s);
    expect(budget.Properties).toEqual({
      Budget: {
        BudgetName: 'guard-ec2-running-hours',
        BudgetType: 'USAGE',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 2000, Unit: 'Hrs' },
        CostFilters: { UsageTypeGroup: ['EC2: Running Hours'] },
      },
      NotificationsWithSubscribers: [{
        Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' },
        Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }],
      }],
    });
    expect([...budget.DependsOn].sort()).toEqual([topicId, topicPolicyId].sort());
  });
});
