import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { detection } from '../../lib/catalog';
import { DeadLetters } from '../../lib/common/dead-letters';

describe('DeadLetters', () => {
  // GIVEN
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  // WHEN
  const deadLetters = new DeadLetters(s, 'DeadLetters', {
    alarmName: 'Guard-guard-dead-letters-notifier',
    alarmDescription: 'The notifier could not handle events: read its dead-letter queue.',
  });
  const template = Template.fromStack(s);

  test('a queue encrypted by SQS, reachable only over TLS, that keeps messages 14 days', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      },
    });
  });

  test('an alarm, named and described as told, as soon as one message is visible', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Guard-guard-dead-letters-notifier',
      AlarmDescription: 'The notifier could not handle events: read its dead-letter queue.',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLettersQueue'), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('the alarm watches the metric the catalog reads as the guard\'s dead letters', () => {
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(detection('guard-dead-letters').signal).toEqual({
      kind: 'alarm', namespace: alarm.Properties.Namespace, metricName: alarm.Properties.MetricName,
    });
  });

  test('exposes the queue and the alarm', () => {
    expect(deadLetters.queue.node.path).toBe('Test/DeadLetters/Queue');
    expect(deadLetters.alarm.node.path).toBe('Test/DeadLetters/Alarm');
  });
});
