/** Notifier: the Lambda function that turns any event into a readable alert, the one path every alert takes. */
import { Duration, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmNamePrefix, alarmStateChangePattern } from './alarm-routing';
import { HANDLER_ENVIRONMENT, toEnvironment } from '../catalog';
import { AlertWiring, GuardFunction } from '../common/guard-function';
import { NotifierFunction } from '../functions/notifier-function';

/** Properties of a `Notifier`. */
export interface NotifierProps {
  /** The topic alerts are published to; publishing also grants the use of its `masterKey`, if it has one. */
  readonly topic: sns.ITopic;

  /**
   * The key the topic is encrypted with, when the topic does not carry it as its `masterKey`: the notifier may use it.
   * @default - the topic's `masterKey`
   */
  readonly topicKey?: kms.IKey;

  /**
   * The key the notifier's logs are encrypted with. Its policy must let CloudWatch Logs use it.
   * @default - logs are encrypted with CloudWatch Logs' own key
   */
  readonly key?: kms.IKey;

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
 * It is the one path alerts take. CloudWatch alarms reach it too: every alarm named with `alarmName()` (the vCPU
 * alarms, the dead-letter alarms, the CIS alarms) sends its state changes through EventBridge to the notifier, which
 * says which alarm, where, the value against its threshold and what to do; no alarm publishes raw JSON to the topic.
 *
 * The same CloudTrail call can reach it twice: through EventBridge (in its own region or forwarded from another) and,
 * minutes later, through the trail's log group, which LaunchWatch's evaluator hands on. Given an idempotency table
 * (`useIdempotencyTable`), it alerts on a call once per eventID; findings, alarms and cost events are alerted as they come.
 *
 * Events it cannot deliver after EventBridge's and Lambda's retries land in a dead-letter queue, and a message
 * there raises an alarm.
 */
export class Notifier extends Construct {
  /** The notifier function. */
  public readonly function: lambda.IFunction;
  /** Events that could not be turned into alerts after every retry. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** Alarms as soon as one event reaches the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.IAlarm;
  /** The rule that sends the state changes of the alarms named by `alarmName()` to the notifier. */
  public readonly alarmRule: events.Rule;
  /** The start of every alarm name `alarmName()` gives: unique to this notifier in the account and region. */
  public readonly alarmNamePrefix: string;

  private readonly guardFunction: GuardFunction;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    this.alarmNamePrefix = `${Names.uniqueResourceName(this, { maxLength: 64, separator: '-' })}-`;

    const wiring: AlertWiring = { topic: props.topic, topicKey: props.topicKey, key: props.key, alarmName: (suffix) => this.alarmName(suffix) };
    this.guardFunction = new GuardFunction(this, 'Function', {
      handler: NotifierFunction,
      name: 'notifier',
      description: 'MiningGuard notifier: turns security and cost events into readable alerts',
      roleDescription: 'MiningGuard notifier: writes its logs, reads attached policies and publishes alerts',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: toEnvironment('notifier', { alertTopicArn: props.topic.topicArn }),
      alerts: wiring,
      deadLetterAlarmDescription: 'MiningGuard could not turn an event into an alert: read the messages in the notifier\'s dead-letter queue.',
      outsideVpcReason: 'The notifier reads no private resource and only calls SNS and IAM: a VPC would add NAT or endpoint cost and a failure point, no protection.',
      logRetention: props.logRetention,
    });
    this.function = this.guardFunction.function;
    // Whether an attached customer-managed policy grants administrator access is in its document; AWS managed
    // policies are judged by name. Reading policies of this account only, and only their documents.
    const stack = Stack.of(this);
    const policies = stack.formatArn({ service: 'iam', region: '', resource: 'policy', resourceName: '*' });
    this.guardFunction.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'], resources: [policies] }));
    // The resource as cdk-nag prints it: tokens as <AWS::Partition> and <AWS::AccountId>.
    const printed = `arn:${Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition}:iam::${Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account}:policy/*`;
    Validations.of(this.guardFunction.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${printed}]`,
      reason: 'The policy someone attaches can be any of the account\'s customer-managed policies: the notifier reads its document (GetPolicy, GetPolicyVersion only) to judge whether it grants administrator access.',
    });
    this.deadLetterQueue = this.guardFunction.deadLetterQueue!;
    this.deadLetterAlarm = this.guardFunction.deadLetterAlarm!;

    this.alarmRule = new events.Rule(this, 'AlarmStateChanges', {
      description: 'MiningGuard: its alarms going into ALARM, and back to OK, to the notifier',
      eventPattern: alarmStateChangePattern(this.alarmNamePrefix),
      targets: [this.ruleTarget()],
    });
  }

  /** The name for an alarm whose state changes should alert through this notifier, e.g. `alarmName('cis-root-usage')`. */
  public alarmName(suffix: string): string {
    return new AlarmNamePrefix(this.alarmNamePrefix).alarmName(suffix);
  }

  /**
   * Tells the notifier which resources are the guard's own and who deploys it (JSON, see TamperWatch), so it can
   * tell the guard's deployment from tampering.
   */
  public useGuardContext(json: string): void {
    this.guardFunction.function.addEnvironment(HANDLER_ENVIRONMENT.notifier.guardContext, json);
  }

  /**
   * Remembers, in this table, which CloudTrail calls were alerted, so that a call arriving through more than one
   * path (EventBridge, the trail's log group, a retry) alerts once per eventID; records expire after a day. The
   * table's partition key must be a string named `id`, with time to live on `expiration`, as LaunchWatch's
   * idempotency table is, which LaunchWatch gives its alert channel's notifier. Grants the notifier read and write.
   */
  public useIdempotencyTable(table: dynamodb.ITable): void {
    this.guardFunction.function.addEnvironment(HANDLER_ENVIRONMENT.notifier.idempotencyTable, table.tableName);
    table.grantReadWriteData(this.guardFunction.function);
    if (table.encryptionKey) {
      const reason = 'DynamoDB encryption with a customer-managed key needs ReEncrypt* and GenerateDataKey*; granted by the idempotency table for its one key.';
      Validations.of(this.guardFunction.role).acknowledge(
        { id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
        { id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
      );
    }
  }

  /**
   * A rule target that delivers matched events to the notifier, retried for up to six hours, then dead-lettered.
   */
  public ruleTarget(): events.IRuleTarget {
    return this.guardFunction.ruleTarget();
  }
}
