/** Judges the alert topic's subscriptions: one nobody confirmed delivers nothing, and nothing else says so. */
import { Check, fail, pass } from './check';

/** A subscription as SNS ListSubscriptionsByTopic returns it. */
export interface TopicSubscription {
  readonly SubscriptionArn?: string;
  readonly Protocol?: string;
  readonly Endpoint?: string;
}

/** Whether SNS says the subscription waits for its confirmation: its ARN is `PendingConfirmation` (or `Deleted` once refused). */
function pending(arn: unknown): boolean {
  return typeof arn !== 'string' || !arn.startsWith('arn:');
}

/** One check per subscription of the topic, and a failed one when the topic has none. */
export function judgeSubscriptions(topicArn: string, subscriptions: readonly TopicSubscription[]): Check[] {
  if (subscriptions.length === 0) {
    return [fail(`subscriptions of ${topicArn}`, 'the alert topic has no subscription: alerts reach nobody',
      'set alertEmails, alertSlack or alertWebhookUrls on MiningGuard, or subscribe to the topic')];
  }
  return subscriptions.map((s) => {
    const where = `${String(s.Protocol ?? '?')} ${String(s.Endpoint ?? '?')}`;
    const name = `subscription ${where}`;
    if (!pending(s.SubscriptionArn)) return pass(name, 'confirmed');
    const fix = s.Protocol === 'email' || s.Protocol === 'email-json'
      ? `open the "AWS Notification - Subscription Confirmation" email sent to ${String(s.Endpoint)} and click "Confirm subscription"`
        + ' (look in spam; resend with: aws sns subscribe --topic-arn ' + topicArn + ` --protocol ${s.Protocol} --notification-endpoint ${String(s.Endpoint)})`
      : `confirm the subscription at ${String(s.Endpoint)} (it must answer the SubscriptionConfirmation message), or subscribe it again`;
    return fail(name, `${String(s.SubscriptionArn ?? 'no ARN')}: nothing is delivered until it is confirmed`, fix);
  });
}
