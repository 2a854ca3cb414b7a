/** DeadLetters: where a guard function's undeliverable events go, with an alarm that alerts as soon as one arrives. */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeAlarmsWithoutActions } from '../alerts/alarm-routing';

export interface DeadLettersProps {
  /** The alarm's name: the alert channel's naming, so its state changes reach the notifier. */
  readonly alarmName: string;
  /** What the alarm tells a person, e.g. which function lost events and where to look. */
  readonly alarmDescription: string;
}

export class DeadLetters extends Construct {
  public readonly queue: sqs.Queue;
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLettersProps) {
    super(scope, id);
    acknowledgeAlarmsWithoutActions(this);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'cdk-validator-cfnguard::sqs_dlq_check',
      reason: 'This queue is itself a dead-letter queue; its messages are kept 14 days and alarm at once.',
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription: props.alarmDescription,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
