/** Notifier: the Lambda function that turns any event into a readable alert, with its dead-letter queue and alarm. */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NotifierFunction } from '../functions/notifier-function';

/** Properties of a `Notifier`. */
export interface NotifierProps {
  /** The topic alerts are published to; publishing also grants the use of its `masterKey`, if it has one. */
  readonly topic: sns.ITopic;

  /**
   * The key the notifier's logs are encrypted with. Its policy must let CloudWatch Logs use it.
   * @default - logs are encrypted with CloudWatch Logs' own key
   */
  readonly logsKey?: kms.IKey;

  /**
   * How long the notifier's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The notifier: every event routed to it becomes one alert on the topic, with a subject a person can triage from
 * and message attributes (`severity`, `detection`) that subscribers can filter on.
 *
 * Events it cannot deliver after EventBridge's and Lambda's retries land in a dead-letter queue, and a message
 * there raises an alarm on the same topic.
 */
export class Notifier extends Construct {
  /** The notifier function. */
  public readonly function: lambda.IFunction;
  /** Events that could not be turned into alerts after every retry. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** Alarms as soon as one event reaches the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'cdk-validator-cfnguard::sqs_dlq_check',
      reason: 'This queue is the notifier\'s dead-letter queue; its messages are kept 14 days and alarm at once.',
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A role of its own, scoped to its log group, instead of the broad AWSLambdaBasicExecutionRole.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'MiningGuard notifier: writes its logs and publishes alerts',
    });
    logGroup.grantWrite(role);

    const fn = new NotifierFunction(this, 'Function', {
      description: 'MiningGuard notifier: turns security and cost events into readable alerts',
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        ALERT_TOPIC_ARN: props.topic.topicArn,
        POWERTOOLS_SERVICE_NAME: 'mining-guard-notifier',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    props.topic.grantPublish(fn);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey*; the grant is limited to the topic\'s one key.',
    });
    Validations.of(fn).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'The notifier reads no private resource and only calls SNS: a VPC would add NAT or endpoint cost and a failure point, no protection.',
    });
    this.function = fn;

    const alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'MiningGuard could not turn an event into an alert: read the messages in the notifier\'s dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cw_actions.SnsAction(props.topic));
    this.deadLetterAlarm = alarm;
  }

  /**
   * A rule target that delivers matched events to the notifier, retried for up to six hours, then dead-lettered.
   */
  public ruleTarget(): events.IRuleTarget {
    return new targets.LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
    });
  }
}
