/** LaunchWatch: judges every compute launch against a policy in real time, in every region, and contains it on request. */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_LAUNCH_POLICY, LAUNCH_DETECTIONS, LaunchPolicy } from '../catalog';
import { launchSubscriptionPattern } from './subscription-pattern';
import { cloudTrailRules } from '../common/cloudtrail-rules';
import { DeadLetters } from '../common/dead-letters';
import { FunctionBasics } from '../common/function-basics';
import { LaunchEvaluatorFunction } from '../functions/launch-evaluator-function';

/** What MiningGuard does about a flagged launch. */
export enum ResponseMode {
  /** Alert only. The default: nothing is changed. */
  NOTIFY = 'NOTIFY',
  /** Alert, lift the attacker's stop/termination protection, and stop (never terminate) what was launched. */
  STOP = 'STOP',
  /** As STOP, and also move instances into an isolation security group and detach their instance profile. */
  QUARANTINE = 'QUARANTINE',
}

/** The launch policy and the responses: what LaunchWatch flags and what it does about it. */
export interface LaunchWatchOptions {
  /**
   * Regions where compute is expected. A launch anywhere else is flagged.
   * @default - every region
   */
  readonly allowedRegions?: string[];

  /**
   * Instance families allowed even when denied below, as family prefixes (`g5`, `p4d`, or `g` for every g family).
   * When set without denied families, every other family is denied.
   * @default - every family that is not denied
   */
  readonly allowedInstanceFamilies?: string[];

  /**
   * Instance families denied, as prefixes: `p` covers p2 to p5, and SageMaker's `ml.p` types too.
   * @default - the GPU and accelerator families: p, g, gr, inf, trn, dl, f, vt
   */
  readonly deniedInstanceFamilies?: string[];

  /**
   * The most vCPUs one call may start.
   * @default 64
   */
  readonly maxVcpusPerCall?: number;

  /**
   * The most instances, tasks or Auto Scaling capacity one call may start.
   * @default 10
   */
  readonly maxInstancesPerCall?: number;

  /**
   * The most vCPUs one ECS task definition may ask for (the campaign registers 16-vCPU Fargate tasks).
   * @default 8
   */
  readonly maxVcpusPerTask?: number;

  /**
   * Principals never flagged, as ARN patterns with `*`, e.g. your CI/CD roles:
   * `arn:aws:iam::111122223333:role/cdk-*-cfn-exec-role-*`. Assumed-role sessions match by their role's session ARN
   * (`arn:aws:sts::111122223333:assumed-role/ci-deployer/*`).
   * @default - none
   */
  readonly exemptPrincipals?: string[];

  /**
   * The response per detection id (see the README's detection table), e.g. `{ 'ec2-instance-launch': ResponseMode.STOP }`.
   * Containment is never active unless it is set here, and only the permissions of the responses set are granted.
   * @default - NOTIFY for every detection
   */
  readonly responses?: { [detectionId: string]: ResponseMode };

  /**
   * Plan containment and say in the alert what would have been done, but change nothing. Use it, with the
   * `mining-guard replay` command on last month's CloudTrail, before turning containment on.
   * @default false
   */
  readonly dryRun?: boolean;
}

/** Properties of a `LaunchWatch`. */
export interface LaunchWatchProps extends LaunchWatchOptions {
  /** Where alerts go. */
  readonly topic: sns.ITopic;

  /**
   * The log group a multi-region trail delivers to. With it, launches in every region are judged within minutes,
   * not only those in the regions where LaunchWatch is deployed. CloudWatch Logs allows two subscription filters
   * per log group: this uses one.
   * @default - only this region's launches, through EventBridge
   */
  readonly trailLogGroup?: logs.ILogGroup;

  /**
   * The key for the evaluator's logs and its idempotency table.
   * @default - AWS-owned keys
   */
  readonly key?: kms.IKey;
}

/**
 * LaunchWatch, the fast path: EventBridge rules built from the catalog send every compute launch call of this
 * region to the launch evaluator within seconds, and a subscription on the trail's log group sends those of every
 * region within minutes. The evaluator judges each call against the policy, alerts with the vCPUs, GPUs and
 * estimated cost per hour, and contains it when a response other than NOTIFY is set for its detection. Both paths
 * share one idempotency key, the CloudTrail eventID, so nothing is alerted or contained twice.
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

  constructor(scope: Construct, id: string, props: LaunchWatchProps) {
    super(scope, id);
    const policy = validatedPolicy(props);

    const table = new dynamodb.Table(this, 'Idempotency', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiration',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.key ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.key,
      // Only records of handled events, which expire after a day: nothing worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.idempotencyTable = table;

    const deadLetters = new DeadLetters(this, 'DeadLetters', {
      topic: props.topic,
      alarmDescription: 'MiningGuard could not judge a launch: read the messages in the launch evaluator\'s dead-letter queue.',
    });
    const { role, logGroup } = new FunctionBasics(this, 'Basics', {
      description: 'MiningGuard launch evaluator: judges launches, contains them when told to, alerts',
      logsKey: props.key,
    });

    const fn = new LaunchEvaluatorFunction(this, 'Evaluator', {
      description: 'MiningGuard launch evaluator: judges compute launches against the policy and contains them on request',
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(2),
      role,
      logGroup,
      deadLetterQueue: deadLetters.queue,
      environment: {
        ALERT_TOPIC_ARN: props.topic.topicArn,
        IDEMPOTENCY_TABLE: table.tableName,
        LAUNCH_POLICY: JSON.stringify(policy),
        POWERTOOLS_SERVICE_NAME: 'mining-guard-launch-evaluator',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    this.evaluator = fn;
    props.topic.grantPublish(fn);
    table.grantReadWriteData(fn);
    FunctionBasics.outsideVpc(fn, 'The evaluator calls only AWS APIs, in every region: a VPC would add NAT or endpoint cost and a failure point, no protection.');
    this.grantPermissions(role, policy);

    const target = new targets.LambdaFunction(fn, { deadLetterQueue: deadLetters.queue, retryAttempts: 8, maxEventAge: Duration.hours(6) });
    this.rules = cloudTrailRules(this, LAUNCH_DETECTIONS, target, 'launch calls to the launch evaluator');

    // Alert storm control folds a principal's burst into one summary, sent when its window closes: look every minute.
    this.stormFlush = new events.Rule(this, 'StormFlush', {
      description: 'MiningGuard: summarise bursts of launch detections whose window has closed',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(fn, { deadLetterQueue: deadLetters.queue, retryAttempts: 2 })],
    });

    if (props.trailLogGroup) {
      new logs.SubscriptionFilter(this, 'EveryRegion', {
        logGroup: props.trailLogGroup,
        destination: new destinations.LambdaDestination(fn),
        filterPattern: logs.FilterPattern.literal(launchSubscriptionPattern()),
      });
    }
  }

  private grantPermissions(role: iam.Role, policy: LaunchPolicy): void {
    // Sizing and pricing what a call launches: the types it names through launch templates, existing instances or
    // existing Auto Scaling groups, the specs of types the bundled table lacks, and the region's prices. Describe calls
    // and the Price List take no resource.
    role.addToPolicy(new iam.PolicyStatement({
      actions: [
        'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeLaunchConfigurations',
        'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplateVersions', 'pricing:GetProducts',
      ],
      resources: ['*'],
    }));
    const actions = new Set<string>();
    for (const d of LAUNCH_DETECTIONS) {
      const response = policy.responses[d.id];
      for (const action of (response && d.containmentPermissions?.[response]) || []) actions.add(action);
    }
    if (actions.size > 0) {
      // Containment acts in the region of each event, which may be any region of this account.
      role.addToPolicy(new iam.PolicyStatement({
        actions: [...actions].sort(),
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': Stack.of(this).account } },
      }));
    }
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'EC2 and Auto Scaling Describe calls and the Price List\'s GetProducts take no resource; containment acts on resources the attacker names at run time, in any region, limited to this account.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey*; the grant is limited to the topic\'s key.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason: 'DynamoDB encryption with a customer-managed key needs ReEncrypt*; granted by the table for its one key.',
      },
    );
  }
}

/** The policy the evaluator receives, with the props checked; each error says what to write instead. */
function validatedPolicy(props: LaunchWatchOptions): LaunchPolicy {
  for (const [name, value] of [['maxVcpusPerCall', props.maxVcpusPerCall], ['maxInstancesPerCall', props.maxInstancesPerCall], ['maxVcpusPerTask', props.maxVcpusPerTask]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new Error(`LaunchWatch: ${name} must be a whole number above 0, got ${value}. Write e.g. ${name}: ${DEFAULT_LAUNCH_POLICY[name]}.`);
    }
  }
  for (const region of props.allowedRegions ?? []) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw new Error(`LaunchWatch: '${region}' in allowedRegions is not a region name. Write e.g. ['eu-west-1', 'us-east-1'].`);
    }
  }
  const responses: Record<string, ResponseMode> = props.responses ?? {};
  for (const [id, mode] of Object.entries(responses)) {
    const detection = LAUNCH_DETECTIONS.find((d) => d.id === id);
    if (!detection) {
      throw new Error(`LaunchWatch: responses names '${id}', which is not a launch detection. Launch detections: ${LAUNCH_DETECTIONS.map((d) => d.id).join(', ')}.`);
    }
    if (!detection.responses.includes(mode)) {
      throw new Error(`LaunchWatch: '${id}' allows ${detection.responses.join(', ')}, not ${mode}.`);
    }
  }
  return {
    allowedRegions: props.allowedRegions ?? DEFAULT_LAUNCH_POLICY.allowedRegions,
    allowedInstanceFamilies: props.allowedInstanceFamilies ?? DEFAULT_LAUNCH_POLICY.allowedInstanceFamilies,
    deniedInstanceFamilies: props.deniedInstanceFamilies ?? DEFAULT_LAUNCH_POLICY.deniedInstanceFamilies,
    maxVcpusPerCall: props.maxVcpusPerCall ?? DEFAULT_LAUNCH_POLICY.maxVcpusPerCall,
    maxInstancesPerCall: props.maxInstancesPerCall ?? DEFAULT_LAUNCH_POLICY.maxInstancesPerCall,
    maxVcpusPerTask: props.maxVcpusPerTask ?? DEFAULT_LAUNCH_POLICY.maxVcpusPerTask,
    exemptPrincipals: props.exemptPrincipals ?? DEFAULT_LAUNCH_POLICY.exemptPrincipals,
    responses,
    dryRun: props.dryRun ?? DEFAULT_LAUNCH_POLICY.dryRun,
  };
}
