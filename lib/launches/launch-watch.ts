/** LaunchWatch: judges every compute launch against a policy in real time, in every region, and contains it on request. */
import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import { Construct } from 'constructs';
import { catalogSubscriptionPattern } from './subscription-pattern';
import type { IAlertChannel } from '../alerts/alert-channel';
import {
  ComputePolicy, CONFIRMATION_ACTIONS, ContainmentKind, grantsOf, HANDLER_ENVIRONMENT, LAUNCH_CONTAINMENT, LAUNCH_DETECTIONS, LaunchResponses,
  LaunchSettings, resolveComputePolicy, resolveResponses, toEnvironment,
} from '../catalog';
import { cloudTrailRules } from '../common/cloudtrail-rules';
import { GuardFunction } from '../common/guard-function';
import { LaunchEvaluatorFunction } from '../functions/launch-evaluator-function';

/** What MiningGuard does about a flagged launch. */
export enum ResponseMode {
  /** Alert only. The default: nothing is changed. */
  NOTIFY = 'NOTIFY',
  /** Alert, lift the attacker's stop/termination protection, and stop (never terminate) what was launched. */
  STOP = 'STOP',
  /** As STOP, and also move every network interface of an instance into the guard's isolation security group and detach its instance profile. */
  QUARANTINE = 'QUARANTINE',
}

/** What LaunchWatch does about the launches the compute policy flags. */
export interface LaunchWatchOptions {
  /**
   * The response per detection id (see the detection table), e.g. `{ 'ec2-instance-launch': ResponseMode.STOP }`.
   * Containment is never active unless it is set here, and only the permissions of the responses set are granted.
   * @default - NOTIFY for every detection
   */
  readonly responses?: { [detectionId: string]: ResponseMode };

  /**
   * Plan containment and say in the alert what would have been done, but change nothing: the evaluator is granted no
   * containment permission at all. Use it, with the `mining-guard replay` command on last month's CloudTrail, before
   * turning containment on.
   * @default false
   */
  readonly dryRun?: boolean;
}

/** Properties of a `LaunchWatch`. */
export interface LaunchWatchProps extends LaunchWatchOptions {
  /** Where alerts go, and the key of the evaluator's logs and idempotency table. */
  readonly alerts: IAlertChannel;

  /**
   * What compute the account expects: launches outside it are flagged.
   * @default - the default policy (GPU and accelerator families denied, 64 vCPUs and 10 instances per call)
   */
  readonly computePolicy?: ComputePolicy;

  /**
   * The log group a multi-region trail delivers to. With it, every catalog call of every region reaches the guard
   * within minutes, also where no part of it runs and from services that send their calls to EventBridge in
   * us-east-1 only (IAM, STS, sign-in, Organizations, Account Management): launches are judged here, tamper and
   * credential calls are handed to the notifier. CloudWatch Logs allows two subscription filters per log group: this
   * uses one, and one of the log group's five filter patterns with regular expressions.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
   * @default - only the calls EventBridge brings this region, within seconds
   */
  readonly trailLogGroup?: logs.ILogGroup;

}

/**
 * LaunchWatch, the fast path: EventBridge rules built from the catalog send every compute launch call of this
 * region, and those other regions forward to it, to the launch evaluator within seconds; a subscription on the
 * trail's log group sends every catalog call of every region within minutes. The evaluator judges each launch
 * against the policy, alerts with the vCPUs, GPUs and estimated cost per hour, and contains it in the region it was
 * made in when a response other than NOTIFY is set for its detection. The tamper and credential calls the log group
 * brings are handed to the alert channel's notifier, unchanged, in the event EventBridge would deliver.
 *
 * Both paths share one idempotency key, the CloudTrail eventID, so nothing is alerted or contained twice: the
 * evaluator's table is the notifier's too (`Notifier.useIdempotencyTable`), each under keys of its own.
 *
 * A burst from one principal (hundreds of calls in minutes) folds into few alerts: the first detection of a
 * five-minute window alerts at once, the rest are summarised when the window closes; each is still contained.
 */
export class LaunchWatch extends Construct {
  /** The launch evaluator. */
  public readonly evaluator: lambda.IFunction;
  /** Remembers which events were handled, so the two paths and retries act once. */
  public readonly idempotencyTable: dynamodb.ITable;
  /** The rules that select the catalog's launch calls: a `$or` branch per service, in as few rules as EventBridge's pattern length allows. */
  public readonly rules: events.Rule[];
  /** The schedule that sends the summaries of closed alert-storm windows. */
  public readonly stormFlush: events.Rule;
  /** @internal The kinds of containment step the responses set plan, each once; none in a dry run. */
  public readonly _containmentKinds: readonly ContainmentKind[];

  constructor(scope: Construct, id: string, props: LaunchWatchProps) {
    super(scope, id);
    const settings = validatedSettings(props);
    const key = props.alerts.key;

    const table = new dynamodb.Table(this, 'Idempotency', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiration',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      // Only records of handled events, which expire after a day: nothing worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.idempotencyTable = table;

    const evaluator = new GuardFunction(this, 'Evaluator', {
      handler: LaunchEvaluatorFunction,
      name: 'launchEvaluator',
      description: 'MiningGuard launch evaluator: judges compute launches against the policy and contains them on request',
      roleDescription: 'MiningGuard launch evaluator: judges launches, contains them when told to, alerts',
      memorySize: 512,
      timeout: Duration.minutes(2),
      environment: toEnvironment('launchEvaluator', {
        alertTopicArn: props.alerts.topic.topicArn,
        idempotencyTable: table.tableName,
        launchSettings: JSON.stringify(settings),
        notifierFunction: props.alerts.notifier.function.functionArn,
      }),
      alerts: props.alerts,
      deadLetterAlarmDescription: 'MiningGuard could not judge a launch: read the messages in the launch evaluator\'s dead-letter queue.',
      outsideVpcReason: 'The evaluator calls only AWS APIs, in every region: a VPC would add NAT or endpoint cost and a failure point, no protection.',
    });
    const fn = evaluator.function;
    this.evaluator = fn;
    // The evaluator's own containment calls are CloudTrail events too: it knows them by its role, and never judges them.
    fn.addEnvironment(HANDLER_ENVIRONMENT.launchEvaluator.guardRoleArn, evaluator.role.roleArn);
    table.grantReadWriteData(fn);
    this._containmentKinds = containmentKinds(settings.responses, settings.dryRun);
    this.grantPermissions(evaluator.role, settings.responses, settings.dryRun);

    this.rules = cloudTrailRules(this, LAUNCH_DETECTIONS, evaluator.ruleTarget(), 'launch calls to the launch evaluator');

    // Alert storm control folds a principal's burst into one summary, sent when its window closes: look every minute.
    this.stormFlush = new events.Rule(this, 'StormFlush', {
      description: 'MiningGuard: summarise bursts of launch detections whose window has closed',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [evaluator.ruleTarget({ retryAttempts: 2 })],
    });

    // The notifier judges the tamper and credential calls the log group brings: the evaluator may invoke it, and only it.
    const notifier = props.alerts.notifier;
    evaluator.role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [notifier.function.functionArn] }));
    if (Stack.of(notifier) === Stack.of(this)) {
      notifier.useIdempotencyTable(table);
    } else {
      Annotations.of(this).addWarningV2('mining-guard:launch-watch-notifier-elsewhere',
        'The alert channel\'s notifier is in another stack, so it cannot share the idempotency table without a reference cycle between the stacks: '
        + 'a tamper call that arrives both through EventBridge and through the trail\'s log group alerts twice. Create the alert channel in this stack to alert once.');
    }

    if (props.trailLogGroup) {
      new logs.SubscriptionFilter(this, 'EveryRegion', {
        logGroup: props.trailLogGroup,
        destination: new destinations.LambdaDestination(fn),
        filterPattern: logs.FilterPattern.literal(catalogSubscriptionPattern()),
      });
    }
  }

  private grantPermissions(role: iam.Role, responses: LaunchResponses, dryRun: boolean): void {
    // Sizing and pricing what a call launches: the types it names through launch templates, existing instances or
    // existing Auto Scaling groups, the specs of types the bundled table lacks, the region's prices, and the CPU and
    // GPUs of the ECS task definition a service or task runs. These Describe calls and the Price List take no resource.
    // @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
    role.addToPolicy(new iam.PolicyStatement({
      actions: [
        'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeLaunchConfigurations',
        'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplateVersions', 'ecs:DescribeTaskDefinition',
        'pricing:GetProducts',
      ],
      resources: ['*'],
    }));
    // A dry run changes nothing, so it may change nothing.
    const kinds = containmentKinds(responses, dryRun);
    const account = Stack.of(this).account;
    for (const grant of grantsOf(kinds)) {
      // Describe calls take no resource, so they are granted as the reads above are; every other call is limited to
      // this account. Containment acts in the region of each event, which may be any region.
      const reads = grant.conditions ? [] : grant.actions.filter((a) => /:Describe/.test(a));
      const changes = grant.actions.filter((a) => !reads.includes(a));
      if (reads.length > 0) role.addToPolicy(new iam.PolicyStatement({ actions: reads, resources: ['*'] }));
      if (changes.length === 0) continue;
      role.addToPolicy(new iam.PolicyStatement({
        actions: changes,
        resources: ['*'],
        conditions: { ...grant.conditions, StringEquals: { ...grant.conditions?.StringEquals, 'aws:ResourceAccount': account } },
      }));
    }
    if (kinds.length > 0) {
      // A record only the trail's log group brings could be forged: containment acts on it once CloudTrail confirms it.
      const confirm = new iam.Policy(this, 'ConfirmEvents', {
        statements: [new iam.PolicyStatement({ actions: [...CONFIRMATION_ACTIONS], resources: ['*'] })],
      });
      role.attachInlinePolicy(confirm);
      Validations.of(confirm).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'CloudTrail LookupEvents supports no resource-level permissions; it reads this account\'s event history, to confirm a log-group record before containment acts on it.',
      });
    }
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'EC2, Auto Scaling and ECS DescribeTaskDefinition calls and the Price List\'s GetProducts take no resource; containment acts on resources the attacker names at run time, in any region, limited to this account.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason: 'DynamoDB encryption with a customer-managed key needs ReEncrypt*; granted by the table for its one key.',
      },
    );
  }
}

/** The kinds of containment step the responses set plan, each once. A dry run changes nothing, so it may change nothing. */
function containmentKinds(responses: LaunchResponses, dryRun: boolean): ContainmentKind[] {
  if (dryRun) return [];
  return [...new Set(LAUNCH_DETECTIONS.flatMap((d) => {
    const response = responses[d.id];
    return (response && LAUNCH_CONTAINMENT[d.id]?.[response]) || [];
  }))];
}

/** The settings the evaluator receives, checked here with the same checks and messages the evaluator and replay use. */
function validatedSettings(props: LaunchWatchProps): LaunchSettings {
  try {
    const computePolicy = props.computePolicy ?? {};
    resolveComputePolicy(computePolicy);
    const responses = resolveResponses(props.responses ?? {});
    return { computePolicy, responses, dryRun: props.dryRun ?? false };
  } catch (error) {
    throw new Error(`LaunchWatch: ${(error as Error).message}`);
  }
}
