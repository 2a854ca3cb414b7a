/**
 * OrganizationManagement: the small stack of the management (payer) account, for what only that account can do.
 */
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { delegateGuardDutyAdministrator } from './guardduty-organization';
import { ORGANIZATION_SPEND_TOPIC, ORGANIZATION_TRAIL_STREAM } from './organization-names';
import { accountUniqueName } from '../common/account-names';
import { GuardKey } from '../common/guard-key';
import { catalogSubscriptionPattern } from '../launches/subscription-pattern';
import { anomalyDetection } from '../spend/anomaly-detection';
import { costBudget } from '../spend/budgets';
import { allowSpendPublishers, SPEND_PUBLISHERS } from '../spend/spend-topic';
import { validateNotificationCount, validatePercentages, validatePositiveUsd } from '../spend/spend-validation';
import { AuditTrail, AuditTrailProps } from '../trail/audit-trail';

/** The organization's spend, watched from the management (payer) account, where every linked account's costs add up. */
export interface OrganizationSpendOptions {
  /**
   * The organization's monthly cost budget, in US dollars: every linked account's spend together.
   * @default - auto-adjusting: the average of the last `autoAdjustMonths` months
   */
  readonly monthlyLimitUsd?: number;

  /**
   * How many past months an auto-adjusting budget averages. Only without `monthlyLimitUsd`.
   * @default 6
   */
  readonly autoAdjustMonths?: number;

  /**
   * Thresholds of actual spend, in percent of the budget, that notify; at most 10 with `forecastThresholdsPercent`.
   * @default [80, 100]
   */
  readonly actualThresholdsPercent?: number[];

  /**
   * Thresholds of the month-end forecast, in percent of the budget, that notify.
   * @default [100]
   */
  readonly forecastThresholdsPercent?: number[];

  /**
   * Cost Anomaly Detection in the payer account: a SERVICE monitor, which judges the spend of every linked account
   * and names the account in each anomaly's root causes, and an immediate subscription to it.
   * @default true
   */
  readonly anomalyDetection?: boolean;

  /**
   * The ARN of the payer account's existing SERVICE monitor, to subscribe to it instead of creating one (an account
   * holds only one): `aws ce get-anomaly-monitors`.
   * @default - a monitor is created, and kept when the stack is deleted
   */
  readonly existingAnomalyMonitorArn?: string;

  /**
   * The total impact, in US dollars, an anomaly must reach to alert.
   * @default 100
   */
  readonly anomalyThresholdUsd?: number;
}

/** Properties of `OrganizationManagement`. */
export interface OrganizationManagementProps {
  /** The organization's id: `aws organizations describe-organization --query Organization.Id`. */
  readonly organizationId: string;

  /** The security account, whose `MiningGuard` and `OrganizationMembers` judge, contain and alert for the organization. */
  readonly securityAccount: string;

  /**
   * The regions where the security account becomes GuardDuty's delegated administrator: the guard's regions.
   * Leave it empty when GuardDuty's administrator is already named (`aws guardduty list-organization-admin-accounts`).
   */
  readonly guardDutyRegions: string[];

  /**
   * The organization trail: created here, or an existing one adopted with `existingTrailArn` and its
   * `existingLogGroup`, such as Control Tower's (`aws-controltower/CloudTrailLogs`, in this account). Its log group is
   * subscribed to a stream the security account's launch evaluator reads: the backstop for regions without the member
   * part. A log group takes at most two subscription filters.
   * @default - a new organization trail: `{ organizationTrail: true, organizationId }`, with any other create prop given here
   */
  readonly auditTrail?: AuditTrailProps;

  /**
   * The organization's budget and Cost Anomaly Detection, published to a topic the security account's notifier reads.
   * @default - an auto-adjusting budget and a new SERVICE monitor
   */
  readonly spend?: OrganizationSpendOptions;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * What an organization's guard needs of its management (payer) account, and nothing more, as a small stack of its
 * own. Deploy it first, then the security account's stack (`MiningGuard` with `OrganizationMembers`, whose
 * `managementAccount` names this stack's account and region).
 *
 * ```ts
 * new OrganizationManagement(this, 'Management', { organizationId: 'o-a1b2c3d4e5', securityAccount: '111122223333', guardDutyRegions: ['eu-west-1', 'us-east-1'] });
 * ```
 *
 * - GuardDuty's delegated administrator: the security account, in each of `guardDutyRegions`; the security
 *   account's guard then turns GuardDuty on for every member;
 * - the organization trail (created, or adopted with its log group), its log group subscribed to a Kinesis stream
 *   that only the security account may read, encrypted with a key only it may decrypt through Kinesis;
 * - a monthly budget of the whole organization and a Cost Anomaly Detection monitor, which see every linked
 *   account's spend, publishing to a topic that only AWS Budgets and Cost Anomaly Detection may publish to and only
 *   the security account may subscribe to.
 */
export class OrganizationManagement extends Construct {
  /** The organization trail, created or adopted. */
  public readonly auditTrail: AuditTrail;
  /** The stream the trail's log group is subscribed to, when the trail has a log group here. */
  public readonly trailStream?: kinesis.Stream;
  /** The topic AWS Budgets and Cost Anomaly Detection publish to. */
  public readonly spendTopic: sns.Topic;
  /** The GuardDuty delegated-administrator calls, one per region. */
  public readonly guardDutyAdministrators: cr.AwsCustomResource[];

  constructor(scope: Construct, id: string, props: OrganizationManagementProps) {
    super(scope, id);
    const stack = Stack.of(this);
    checkProps(props, stack);
    const security = new iam.AccountPrincipal(props.securityAccount);

    this.guardDutyAdministrators = delegateGuardDutyAdministrator(this, props.securityAccount, props.guardDutyRegions);

    // A trail created here is the organization's, whatever else its props say; an adopted one is taken as it is.
    const trail = props.auditTrail?.existingTrailArn !== undefined
      ? props.auditTrail
      : { organizationTrail: true, organizationId: props.organizationId, ...props.auditTrail };
    this.auditTrail = new AuditTrail(this, 'AuditTrail', trail);
    const key = new GuardKey(this, 'Key', { description: 'MiningGuard organization: trail records to the security account, spend notifications' });
    if (this.auditTrail.logGroup) {
      this.trailStream = this.streamToSecurityAccount(this.auditTrail.logGroup, key, security);
    }
    this.spendTopic = this.spendNotifications(props.spend ?? {}, key, security);
  }

  /**
   * The trail's catalog records, on a stream the security account reads: CloudWatch Logs subscribes across accounts
   * only through a stream. One shard takes 1 MB or 1,000 records a second, far more than the catalog's calls.
   */
  private streamToSecurityAccount(logGroup: logs.ILogGroup, key: GuardKey, security: iam.AccountPrincipal): kinesis.Stream {
    const stack = Stack.of(this);
    const stream = new kinesis.Stream(this, 'TrailStream', {
      streamName: ORGANIZATION_TRAIL_STREAM,
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: 1,
      retentionPeriod: Duration.hours(24),
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
    });
    stream.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SecurityAccountReads',
      principals: [security],
      actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      resources: [stream.streamArn],
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SecurityAccountDecryptsTheStream',
      principals: [security],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `kinesis.${stack.region}.amazonaws.com` } },
    }));
    Validations.of(stream).acknowledge({
      id: 'AwsSolutions::AwsSolutions-KDS3',
      reason: 'The security account reads the stream from another account, which the AWS managed key aws/kinesis cannot allow: only a customer-managed key\'s policy can.',
    });
    const subscription = new logs.SubscriptionFilter(this, 'TrailToSecurityAccount', {
      logGroup,
      destination: new destinations.KinesisDestination(stream),
      filterPattern: logs.FilterPattern.literal(catalogSubscriptionPattern()),
    });
    const reason = 'aws-cdk-lib\'s grant to CloudWatch Logs\' role, to write the trail\'s records to the stream encrypted with its key, and that key alone.';
    Validations.of(subscription).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
      { id: 'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
    );
    return stream;
  }

  /** The organization's budget and anomaly monitor, publishing to a topic the security account subscribes to. */
  private spendNotifications(options: OrganizationSpendOptions, key: GuardKey, security: iam.AccountPrincipal): sns.Topic {
    const actualPercent = options.actualThresholdsPercent ?? [80, 100];
    const forecastPercent = options.forecastThresholdsPercent ?? [100];
    const owner = 'OrganizationManagement';
    validatePositiveUsd('spend.monthlyLimitUsd', options.monthlyLimitUsd, 'monthlyLimitUsd: 50000', owner);
    validatePositiveUsd('spend.anomalyThresholdUsd', options.anomalyThresholdUsd, 'anomalyThresholdUsd: 100', owner);
    validatePercentages('spend.actualThresholdsPercent', actualPercent, 'actualThresholdsPercent: [80, 100]', owner);
    validatePercentages('spend.forecastThresholdsPercent', forecastPercent, 'forecastThresholdsPercent: [100]', owner);
    validateNotificationCount(actualPercent, forecastPercent, owner);
    if (options.autoAdjustMonths !== undefined && options.monthlyLimitUsd !== undefined) {
      throw new Error('OrganizationManagement: `spend.autoAdjustMonths` sets an auto-adjusting budget, but `spend.monthlyLimitUsd` fixes the limit. Remove one of them.');
    }
    const autoAdjustMonths = options.autoAdjustMonths ?? 6;
    if (!(Number.isInteger(autoAdjustMonths) && autoAdjustMonths >= 1 && autoAdjustMonths <= 12)) {
      throw new Error(`OrganizationManagement: spend.autoAdjustMonths must be a whole number of months from 1 to 12, got ${autoAdjustMonths}. Write e.g. autoAdjustMonths: 6.`);
    }
    const anomalyOn = options.anomalyDetection ?? true;
    if (!anomalyOn && (options.existingAnomalyMonitorArn !== undefined || options.anomalyThresholdUsd !== undefined)) {
      throw new Error('OrganizationManagement: anomaly detection is off (`spend.anomalyDetection: false`), so the anomaly props do nothing. Remove them, or turn it on.');
    }

    key.allowServices('AllowCostServicesToEncryptSpendNotifications', SPEND_PUBLISHERS);
    const topic = new sns.Topic(this, 'SpendTopic', {
      topicName: ORGANIZATION_SPEND_TOPIC,
      displayName: 'MiningGuard organization spend notifications (to the security account\'s notifier)',
      masterKey: key,
      enforceSSL: true,
    });
    allowSpendPublishers(topic, Stack.of(this).account);
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SecurityAccountSubscribesItsNotifier',
      principals: [security],
      actions: ['sns:Subscribe'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'sns:Protocol': 'lambda' } },
    }));

    const nameOf = (suffix: string) => accountUniqueName(this, suffix);
    costBudget(this, 'OrganizationCost', nameOf('organization-monthly-cost'), { limitUsd: options.monthlyLimitUsd, autoAdjustMonths },
      { topic, actualPercent, forecastPercent });
    if (anomalyOn) {
      anomalyDetection(this, {
        topic,
        existingMonitorArn: options.existingAnomalyMonitorArn,
        monitorName: nameOf('organization-services'),
        subscriptionName: nameOf('organization-immediate'),
        thresholdUsd: options.anomalyThresholdUsd ?? 100,
      });
    }
    return topic;
  }
}

/** The synth errors: each says what to write instead. */
function checkProps(props: OrganizationManagementProps, stack: Stack): void {
  if (!/^o-[a-z0-9]{10,32}$/.test(props.organizationId)) {
    throw new Error(`OrganizationManagement: organizationId ${JSON.stringify(props.organizationId)} is not an organization id. Write the id 'aws organizations describe-organization --query Organization.Id' prints, such as 'o-a1b2c3d4e5'.`);
  }
  if (!ACCOUNT_ID.test(props.securityAccount)) {
    throw new Error(`OrganizationManagement: securityAccount ${JSON.stringify(props.securityAccount)} is not an account id. Write the security account's 12 digits, such as '111122223333'.`);
  }
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    throw new Error(`OrganizationManagement: the stack ${stack.stackName} is environment-agnostic, but the security account names its stream and topic by account and region. Give it env: { account: '999988887777', region: 'us-east-1' }, with the management account and the region of the trail's log group.`);
  }
  if (stack.account === props.securityAccount) {
    throw new Error('OrganizationManagement: securityAccount is this stack\'s own account. GuardDuty cannot delegate administration to the management account: name a member account, such as the Control Tower audit account.');
  }
  const bad = props.guardDutyRegions.filter((r) => !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(r));
  if (bad.length > 0) {
    throw new Error(`OrganizationManagement: guardDutyRegions has ${bad.map((r) => JSON.stringify(r)).join(', ')}, not region names. Write names such as 'us-east-1'.`);
  }
}
