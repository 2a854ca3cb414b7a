/** WebhookSubscriptions: HTTPS subscribers that get every alert, retried for most of an hour, and never lost silently. */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { validateWebhookUrls } from './alert-destinations';
import { DeadLetters } from '../common/dead-letters';

/**
 * How SNS retries an alert an endpoint did not take: three tries 20 seconds apart, six more backing off exponentially
 * to 5 minutes, then five 5 minutes apart; about 40 minutes in all (at most 56), within SNS's 3,600-second limit
 * on an HTTP/S policy. By default SNS tries three times in a minute, then drops the alert.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 */
export const WEBHOOK_DELIVERY_POLICY: sns.DeliveryPolicy = {
  healthyRetryPolicy: {
    minDelayTarget: Duration.seconds(20),
    maxDelayTarget: Duration.minutes(5),
    numRetries: 14,
    numNoDelayRetries: 0,
    numMinDelayRetries: 3,
    numMaxDelayRetries: 5,
    backoffFunction: sns.BackoffFunction.EXPONENTIAL,
  },
};

/** Properties of `WebhookSubscriptions`. */
export interface WebhookSubscriptionsProps {
  /** The topic whose alerts the endpoints receive. */
  readonly topic: sns.ITopic;
  /** The endpoints: HTTPS, without credentials (see `validateWebhookUrls`). */
  readonly urls: readonly string[];
  /** The dead-letter alarm's name: the alert channel's naming, so it alerts through the notifier. */
  readonly alarmName: string;
}

/**
 * One HTTPS subscription per URL, each with a delivery policy that retries for most of an hour and a dead-letter
 * queue (shared, encrypted, TLS only, kept 14 days) for what still could not be delivered. The queue's alarm alerts
 * through the same topic: an endpoint that is down does not keep email and Slack from hearing that it is.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
 */
export class WebhookSubscriptions extends Construct {
  /** The alerts no endpoint took after every retry, as SNS envelopes. */
  public readonly deadLetters: DeadLetters;

  constructor(scope: Construct, id: string, props: WebhookSubscriptionsProps) {
    super(scope, id);
    validateWebhookUrls('webhookUrls', props.urls);
    this.deadLetters = new DeadLetters(this, 'DeadLetters', {
      alarmName: props.alarmName,
      alarmDescription: 'MiningGuard could not deliver alerts to a webhook after about 40 minutes of retries: the messages in the webhook '
        + 'dead-letter queue are the alerts it missed. Check the endpoints (the topic\'s HTTPS subscriptions), then read the alerts there.',
    });
    Validations.of(this.deadLetters.queue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the HTTPS alert subscriptions; its messages are kept 14 days and alarm at once.',
    });
    for (const url of props.urls) {
      props.topic.addSubscription(new subscriptions.UrlSubscription(url, {
        protocol: sns.SubscriptionProtocol.HTTPS,
        deliveryPolicy: WEBHOOK_DELIVERY_POLICY,
        deadLetterQueue: this.deadLetters.queue,
      }));
    }
  }
}
