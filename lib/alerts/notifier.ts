/** Notifier: the Lambda function that turns any event into a readable alert, with its dead-letter queue and alarm. */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetters } from '../common/dead-letters';
import { FunctionBasics } from '../common/function-basics';
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

  private readonly notifierFunction: NotifierFunction;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);

    const deadLetters = new DeadLetters(this, 'DeadLetters', {
      topic: props.topic,
      alarmDescription: 'MiningGuard could not turn an event into an alert: read the messages in the notifier\'s dead-letter queue.',
    });
    this.deadLetterQueue = deadLetters.queue;
    this.deadLetterAlarm = deadLetters.alarm;

    const { role, logGroup } = new FunctionBasics(this, 'Basics', {
      description: 'MiningGuard notifier: writes its logs and publishes alerts',
      logsKey: props.logsKey,
      logRetention: props.logRetention,
    });

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
    FunctionBasics.outsideVpc(fn, 'The notifier reads no private resource and only calls SNS: a VPC would add NAT or endpoint cost and a failure point, no protection.');
    this.function = fn;
    this.notifierFunction = fn;
  }

  /**
   * Tells the notifier which resources are the guard's own and who deploys it (JSON, see TamperWatch), so it can
   * tell the guard's deployment from tampering.
   */
  public useGuardContext(json: string): void {
    this.notifierFunction.addEnvironment('GUARD_CONTEXT', json);
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
