/**
 * GuardFunction: one of the guard's bundled handlers with everything it needs around it: its own role and encrypted
 * log group (instead of the broad AWSLambdaBasicExecutionRole), arm64, the Powertools environment, the right to
 * publish alerts, optionally a dead-letter queue with an alarm, and the cdk-nag acknowledgements every guard function
 * shares.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetters } from './dead-letters';
import { HandlerName, SERVICE_NAMES } from '../catalog';

/** What a guard function needs of the alert channel: where alerts go, the key of what it stores, how alarms are named. */
export interface AlertWiring {
  /** The topic the function publishes alerts to, when it publishes any. */
  readonly topic: sns.ITopic;
  /**
   * The key the topic is encrypted with, when the topic does not carry it as its `masterKey` (an adopted topic
   * imported by ARN). A publishing function may use it to encrypt what it publishes.
   * @default - the topic's `masterKey`
   */
  readonly topicKey?: kms.IKey;
  /** The key the function's logs are encrypted with; its policy must let CloudWatch Logs use it. */
  readonly key?: kms.IKey;
  /** The name of one of the guard's alarms: alarms so named alert through the notifier. */
  alarmName(suffix: string): string;
}

/**
 * The concurrent executions reserved for each of the guard's functions. Reserved, they stay the guard's when anything
 * else fills the account's Lambda concurrency: an attacker who starts enough invocations of their own would otherwise
 * throttle the guard into silence. They also cap each function: a burst beyond them waits, and every guard function
 * is invoked asynchronously (EventBridge, SNS, CloudWatch Logs, AWS Config, the notifier hand-off), so Lambda retries
 * what was throttled for up to six hours. The launch evaluator and the notifier take a storm of launches in batches.
 *
 * Lambda keeps at least 100 of the account's concurrency unreserved in a region: reserving fails the deployment
 * in an account whose concurrency quota is below 100 plus these (new accounts may start at 10), with "Specified
 * ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum
 * value". Raise the quota (Service Quotas, Lambda, Concurrent executions), or turn reservation off with the context
 * value `RESERVE_CONCURRENCY_CONTEXT` set to false (MiningGuard's `reserveConcurrency: false`).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export const RESERVED_CONCURRENCY: Readonly<Record<HandlerName, number>> = {
  notifier: 10,
  launchEvaluator: 10,
  configEvaluator: 5,
  spendEvaluator: 2,
};

/**
 * The context key that turns the reservation of `RESERVED_CONCURRENCY` off for every guard function beneath where it
 * is set: `false` (or `"false"`, as `cdk deploy -c` passes it).
 */
export const RESERVE_CONCURRENCY_CONTEXT = 'mining-guard:reserveConcurrency';

/** Whether the guard's functions beneath `scope` reserve their concurrency: unless the context turns it off. */
export function reservesConcurrency(scope: Construct): boolean {
  const value: unknown = scope.node.tryGetContext(RESERVE_CONCURRENCY_CONTEXT);
  if (value === undefined || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`MiningGuard: the context value ${RESERVE_CONCURRENCY_CONTEXT} must be true or false, got ${JSON.stringify(value)}. `
    + `Write -c ${RESERVE_CONCURRENCY_CONTEXT}=false to deploy without reserved concurrency, or leave it out.`);
}

/** The construct projen generates for a bundled handler. */
export type HandlerConstruct = new (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;

export interface GuardFunctionProps {
  /** The handler's generated construct, e.g. `NotifierFunction`. */
  readonly handler: HandlerConstruct;
  /** Which handler it is: its Powertools service name and its contract. */
  readonly name: HandlerName;
  /** What the function does, for its description. */
  readonly description: string;
  /** What the function may do, for its role's description. */
  readonly roleDescription: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly alerts: AlertWiring;
  /**
   * Whether the function publishes alerts to the topic itself.
   * @default true
   */
  readonly publishesAlerts?: boolean;
  /**
   * Gives the function a dead-letter queue for events it could not handle after every retry, and an alarm on it with
   * this description.
   * @default - no dead-letter queue
   */
  readonly deadLetterAlarmDescription?: string;
  /** Why the function needs no VPC, for the Control Tower rule that wants every function in one. */
  readonly outsideVpcReason: string;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

export class GuardFunction extends Construct {
  /** Which handler it is: its environment's contract is `HANDLER_ENVIRONMENT[handlerName]`. */
  public readonly handlerName: HandlerName;
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Events the function could not handle after every retry, when it has a dead-letter queue. */
  public readonly deadLetterQueue?: sqs.IQueue;
  /** Alarms as soon as one event reaches the dead-letter queue. */
  public readonly deadLetterAlarm?: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: GuardFunctionProps) {
    super(scope, id);
    this.handlerName = props.name;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.alerts.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    this.logGroup.grantWrite(this.role);

    if (props.deadLetterAlarmDescription) {
      const deadLetters = new DeadLetters(this, 'DeadLetters', {
        alarmName: props.alerts.alarmName(`guard-dead-letters-${props.name}`),
        alarmDescription: props.deadLetterAlarmDescription,
      });
      this.deadLetterQueue = deadLetters.queue;
      this.deadLetterAlarm = deadLetters.alarm;
    }

    // `Default` keeps the function's logical id what it was before this construct owned it.
    this.function = new props.handler(this, 'Default', {
      description: props.description,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      deadLetterQueue: this.deadLetterQueue,
      reservedConcurrentExecutions: reservesConcurrency(this) ? RESERVED_CONCURRENCY[props.name] : undefined,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAMES[props.name],
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    if (props.publishesAlerts ?? true) {
      props.alerts.topic.grantPublish(this.function);
      const topicKey = props.alerts.topicKey;
      // grantPublish covers the topic's masterKey only; SNS encrypts each message with the topic's key as the publisher.
      if (topicKey && topicKey !== props.alerts.topic.masterKey) topicKey.grant(this.function, 'kms:Decrypt', 'kms:GenerateDataKey*');
      if (topicKey ?? props.alerts.topic.masterKey) {
        Validations.of(this.role).acknowledge({
          id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          reason: 'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey*; the grant is limited to the topic\'s one key.',
        });
      }
    }
    Validations.of(this.function).acknowledge({ id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: props.outsideVpcReason });
  }

  /**
   * A rule target that delivers matched events to the function, retried for up to six hours, then dead-lettered
   * (when the function has a dead-letter queue).
   */
  public ruleTarget(options: { retryAttempts?: number; maxEventAge?: Duration } = {}): events.IRuleTarget {
    return new targets.LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: options.retryAttempts ?? 8,
      maxEventAge: options.maxEventAge ?? Duration.hours(6),
    });
  }
}
