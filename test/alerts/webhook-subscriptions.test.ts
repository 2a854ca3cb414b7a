import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { WEBHOOK_DELIVERY_POLICY, WebhookSubscriptions } from '../../lib/alerts/webhook-subscriptions';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

/** The longest SNS could wait in all between retries under a policy: every backoff retry at its longest. */
function longestRetrySeconds(policy: sns.DeliveryPolicy): number {
  const p = policy.healthyRetryPolicy!;
  const min = p.minDelayTarget!.toSeconds();
  const max = p.maxDelayTarget!.toSeconds();
  const backoff = p.numRetries! - (p.numNoDelayRetries ?? 0) - (p.numMinDelayRetries ?? 0) - (p.numMaxDelayRetries ?? 0);
  return (p.numMinDelayRetries ?? 0) * min + backoff * max + (p.numMaxDelayRetries ?? 0) * max;
}

describe('WebhookSubscriptions', () => {
  test('each endpoint retries with exponential backoff and sends what it never took to one encrypted, TLS-only queue', () => {
    // GIVEN
    const s = stack();
    const topic = new sns.Topic(s, 'Topic');
    // WHEN
    new WebhookSubscriptions(s, 'Webhooks', { topic, urls: ['https://hooks.example.com/a', 'https://hooks.example.com/b'], alarmName: 'mg-guard-dead-letters-webhooks' });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    const queue = Object.keys(t.findResources('AWS::SQS::Queue'))[0];
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    for (const endpoint of ['https://hooks.example.com/a', 'https://hooks.example.com/b']) {
      t.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'https',
        Endpoint: endpoint,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        DeliveryPolicy: {
          healthyRetryPolicy: {
            minDelayTarget: 20,
            maxDelayTarget: 300,
            numRetries: 14,
            numNoDelayRetries: 0,
            numMinDelayRetries: 3,
            numMaxDelayRetries: 5,
            backoffFunction: 'EXPONENTIAL',
          },
        },
      });
    }
    // Only this topic may send to the queue, and only over TLS.
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { Ref: Match.stringLikeRegexp('^Topic') } } },
          }),
        ]),
      },
    });
  });

  test('an alert in the queue raises the alarm named for the notifier, at once', () => {
    const s = stack();
    new WebhookSubscriptions(s, 'Webhooks', { topic: new sns.Topic(s, 'Topic'), urls: ['https://hooks.example.com/a'], alarmName: 'mg-guard-dead-letters-webhooks' });
    Template.fromStack(s).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mg-guard-dead-letters-webhooks',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: Match.stringLikeRegexp('could not deliver alerts to a webhook'),
    });
  });

  test('the retries last most of an hour, and never longer than the 3,600 seconds SNS allows', () => {
    const longest = longestRetrySeconds(WEBHOOK_DELIVERY_POLICY);
    expect(longest).toBeLessThanOrEqual(3_600);
    expect(longest).toBeGreaterThanOrEqual(1_800);
  });

  test('refuses a URL with credentials, like the alert channel', () => {
    const s = stack();
    expect(() => new WebhookSubscriptions(s, 'Webhooks', { topic: new sns.Topic(s, 'Topic'), urls: ['https://u:p@hooks.example.com/a'], alarmName: 'x' }))
      .toThrow(/carries a secret/);
  });
});
