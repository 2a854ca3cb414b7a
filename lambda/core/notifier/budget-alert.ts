/** Turns an AWS Budgets notification (plain prose on SNS) into an alert. */
import { EventReader, MalformedEventError } from './event-reader';
import { detection as catalogDetection } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { consoleOrigin } from '../alerts/console-links';
import { snsNotificationOf } from '../events/sns-notification';

/** `Label: value` lines of the notification, e.g. `Budget Name: Test Budget`. */
function labelledLines(message: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of message.split('\n')) {
    const match = /^([A-Za-z][A-Za-z ]*?):\s*(.+?)\s*$/.exec(line);
    if (match && !lines.has(match[1])) lines.set(match[1], match[2]);
  }
  return lines;
}

/** Whether the event is, or wraps, a notification from AWS Budgets. */
export function isBudgetNotification(event: unknown): boolean {
  const notification = snsNotificationOf(event);
  return notification !== undefined
    && (notification.message.startsWith('AWS Budget Notification') || (notification.subject ?? '').startsWith('AWS Budgets:'));
}

/** The alert for a Budgets notification. Throws `MalformedEventError` when it names no budget or alert type. */
export function budgetAlert(event: unknown): Alert {
  const notification = snsNotificationOf(event)!;
  const lines = labelledLines(notification.message);
  const budgetName = lines.get('Budget Name');
  const alertType = lines.get('Alert Type');
  if (!budgetName) throw new MalformedEventError('Budgets notification without a `Budget Name:` line');
  if (!alertType) throw new MalformedEventError(`Budgets notification for ${budgetName} without an \`Alert Type:\` line`);

  const detection = catalogDetection('budget-threshold');
  const amount = lines.get(`${alertType} Amount`);
  const threshold = lines.get('Alert Threshold');
  const budgeted = lines.get('Budgeted Amount');
  const budgetType = lines.get('Budget Type') ?? 'Cost';
  const account = /AWS Account (\d{12})/.exec(notification.message)?.[1];
  const partition = notification.topicArn?.split(':')[1] ?? 'aws';
  // A forecast can still be wrong; spend already incurred cannot.
  const severity = alertType === 'ACTUAL' ? 'HIGH' : detection.severity;

  const refs: Record<string, string> = { budget: budgetName, alertType };
  if (notification.messageId) refs.messageId = notification.messageId;

  return {
    severity,
    detectionId: detection.id,
    title: detection.title,
    headline: `${alertType} ${budgetType.toLowerCase()} ${amount ?? ''} passed ${threshold ?? 'the threshold'} of budget ${budgetName}`,
    what: [
      textLines([
        `AWS Budgets reports that the ${alertType} ${budgetType.toLowerCase()} of budget "${budgetName}" passed its alert threshold.`,
        [amount && `${alertType} amount: ${amount}`, threshold && `threshold: ${threshold}`, budgeted && `budgeted: ${budgeted}`].filter(Boolean).join(', '),
      ]),
      // AWS's own lines, quoted as lines: the renderer still makes each one line and never a heading.
      `\nThe notification as AWS Budgets sent it:\n${notification.message.trim()}`,
    ].join('\n'),
    who: ['AWS Budgets does not say who spent: Cost Explorer shows which service, region and usage type.'],
    where: account ? `Account ${account}, all regions` : 'All regions of the budget\'s account',
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: detection.nextSteps,
    links: [
      { label: 'AWS Budgets', url: `${consoleOrigin(partition, 'us-east-1')}/costmanagement/home#/budgets` },
      { label: 'Cost Explorer', url: `${consoleOrigin(partition, 'us-east-1')}/costmanagement/home#/cost-explorer` },
    ],
    refs,
  };
}

/** AWS Budgets notifications, as a Lambda SNS trigger or an SNS envelope. */
export const BUDGETS_READER: EventReader = { matches: isBudgetNotification, read: budgetAlert };
