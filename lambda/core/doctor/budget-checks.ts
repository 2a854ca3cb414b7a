/** Judges the guard's budgets: each with notifications, and each notification with subscribers. */
import { Check, fail, pass } from './check';

/** A budget notification as AWS Budgets DescribeNotificationsForBudget returns it, with its subscribers (DescribeSubscribersForNotification). */
export interface BudgetNotification {
  readonly NotificationType?: string;
  readonly ComparisonOperator?: string;
  readonly Threshold?: number;
  readonly ThresholdType?: string;
  readonly Subscribers: ReadonlyArray<{ readonly SubscriptionType?: string; readonly Address?: string }>;
}

/** A budget's checks: one for the budget having notifications, one per notification having subscribers. */
export function judgeBudget(budgetName: string, notifications: readonly BudgetNotification[]): Check[] {
  const name = `budget ${budgetName}`;
  if (notifications.length === 0) {
    return [fail(name, 'no notification: going over it alerts nobody', 'deploy the guard again to restore the budget\'s notifications')];
  }
  const checks: Check[] = [pass(name, `${notifications.length} notification${notifications.length === 1 ? '' : 's'}`)];
  for (const n of notifications) {
    const what = `${String(n.NotificationType)} ${String(n.ComparisonOperator)} ${String(n.Threshold)}${n.ThresholdType === 'PERCENTAGE' ? '%' : ''}`;
    checks.push(n.Subscribers.length > 0
      ? pass(`${name} notification ${what}`, n.Subscribers.map((s) => `${String(s.SubscriptionType)} ${String(s.Address)}`).join(', '))
      : fail(`${name} notification ${what}`, 'no subscriber: nobody is told', 'deploy the guard again to subscribe the alert topic to the notification'));
  }
  return checks;
}
