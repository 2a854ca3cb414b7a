/** The budgets SpendGuard creates: monthly cost (all services or EC2 compute only) and EC2 running hours. */
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** How a cost budget sets its limit: a fixed amount, or the average of past months. */
export interface CostBudgetLimit {
  readonly limitUsd?: number;
  readonly autoAdjustMonths: number;
}

/** Where a budget's notifications go, at which thresholds. */
export interface BudgetNotifications {
  readonly topic: sns.ITopic;
  readonly actualPercent: readonly number[];
  readonly forecastPercent: readonly number[];
}

function notificationsOf(n: BudgetNotifications): budgets.CfnBudget.NotificationWithSubscribersProperty[] {
  const notification = (type: string, threshold: number) => ({
    notification: { notificationType: type, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
    subscribers: [{ subscriptionType: 'SNS', address: n.topic.topicArn }],
  });
  return [...n.actualPercent.map((t) => notification('ACTUAL', t)), ...n.forecastPercent.map((t) => notification('FORECASTED', t))];
}

/**
 * A monthly cost budget. Credits and refunds are excluded: a credit granted for one thing must not hide what an
 * attacker spends on another, and a refund arrives weeks after the spend it repays.
 */
export function costBudget(
  scope: Construct, id: string, name: string, limit: CostBudgetLimit, notifications: BudgetNotifications, costFilters?: Record<string, string[]>,
): budgets.CfnBudget {
  const budget = new budgets.CfnBudget(scope, id, {
    budget: {
      budgetName: name,
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      budgetLimit: limit.limitUsd !== undefined ? { amount: limit.limitUsd, unit: 'USD' } : undefined,
      autoAdjustData: limit.limitUsd === undefined
        ? { autoAdjustType: 'HISTORICAL', historicalOptions: { budgetAdjustmentPeriod: limit.autoAdjustMonths } }
        : undefined,
      costTypes: { includeCredit: false, includeRefund: false },
      costFilters,
    },
    notificationsWithSubscribers: notificationsOf(notifications),
  });
  // Budgets checks that it may publish when the budget is created: the topic's policy must exist first.
  budget.node.addDependency(notifications.topic);
  return budget;
}

/** A monthly usage budget on the running hours of EC2 instances, every type together. */
export function runningHoursBudget(scope: Construct, id: string, name: string, hours: number, notifications: BudgetNotifications): budgets.CfnBudget {
  const budget = new budgets.CfnBudget(scope, id, {
    budget: {
      budgetName: name,
      budgetType: 'USAGE',
      timeUnit: 'MONTHLY',
      budgetLimit: { amount: hours, unit: 'Hrs' },
      costFilters: { UsageTypeGroup: ['EC2: Running Hours'] },
    },
    notificationsWithSubscribers: notificationsOf(notifications),
  });
  budget.node.addDependency(notifications.topic);
  return budget;
}
