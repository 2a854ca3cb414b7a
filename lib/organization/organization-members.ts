/** OrganizationMembers: the security account's guard, for every member account of an organization, automatically. */
import { createHash } from 'crypto';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { autoEnableGuardDuty } from './guardduty-organization';
import { MEMBER_PARAMETERS, memberTemplate } from './member-template';
import { organizationSpendTopicArn, organizationTrailStreamArn } from './organization-names';
import { CONTAINMENT_ROLE_NAME, HANDLER_ENVIRONMENT } from '../catalog';
import { accountUniqueName } from '../common/account-names';
import { RecorderMode } from '../compliance/config-recorder';
import type { MiningGuard } from '../mining-guard';
import { EVERY_REGION_AT_ONCE, MAX_TEMPLATE_BODY_BYTES } from '../regions/regional-stack-set';
import { missingResourceTypes } from '../regions/resource-availability';
import { detectorFeatures } from '../threats/detector';

/** Who deploys the StackSet in the organization. */
export enum StackSetCaller {
  /** The stack is in a member account registered as a delegated administrator of StackSets: the usual security account. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
  /** The stack is in the organization's management account. */
  SELF = 'SELF',
}

/** The organizational units whose accounts get the member part. */
export class MemberTargets {
  /**
   * The accounts of these organizational units, and of every unit below them.
   * @param organizationalUnitIds ids such as `ou-ab12-cdef3456`
   */
  public static organizationalUnits(organizationalUnitIds: string[]): MemberTargets {
    return new MemberTargets([...organizationalUnitIds]);
  }

  /**
   * Every account of the organization but its management account, which service-managed StackSets never deploy to.
   * @param rootId the organization root's id, such as `r-ab12` (`aws organizations list-roots`)
   */
  public static organization(rootId: string): MemberTargets {
    return new MemberTargets([rootId]);
  }

  /** The ids the StackSet targets: organizational units, or the root. */
  public readonly organizationalUnitIds: string[];

  private constructor(organizationalUnitIds: string[]) {
    this.organizationalUnitIds = organizationalUnitIds;
  }
}

/** The management account's `OrganizationManagement` stack, as the security account's guard names it. */
export interface ManagementAccount {
  /** The management account's id. */
  readonly account: string;
  /** The region of its stack: where the organization trail's log group is. */
  readonly region: string;
  /**
   * Whether its stack streams the organization trail's log group: it does whenever its trail has one here (created,
   * or adopted with `existingLogGroup`). Set false for an adopted trail without a log group in the management account,
   * or the security account's deployment fails on a stream that does not exist.
   * @default true
   */
  readonly trailRecords?: boolean;
}

/** Properties of `OrganizationMembers`. */
export interface OrganizationMembersProps {
  /** The guard of the security account: it judges, contains and alerts for every member account. Its stack needs `env: { account, region }`. */
  readonly guard: MiningGuard;

  /**
   * The organization's id: only its principals may put events on the guard's bus or assume the containment role.
   * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
   */
  readonly organizationId: string;

  /** The accounts that get the member part: `MemberTargets.organizationalUnits([...])` or `MemberTargets.organization(rootId)`. */
  readonly targets: MemberTargets;

  /**
   * The regions of each member account that get the regional part.
   * @default - the guard's guarded regions (its home region and `everyRegion.regions`)
   */
  readonly regions?: string[];

  /**
   * Whether each member region creates its GuardDuty detector. In an organization, GuardDuty's delegated
   * administrator enables the members' detectors (auto-enable), and a second detector fails the stack instance.
   * @default false
   */
  readonly createDetectors?: boolean;

  /**
   * With the guard's `compliance`, whether each member region creates its Config recorder or uses the one it has:
   * `RecorderMode.ADOPT` where every member account has one (every Control Tower account), `RecorderMode.CREATE` where
   * none do. A region takes one recorder, and Config refuses rules without one: guessing wrong fails the stack instance.
   * @default - the guard's `compliance.recorder`, as the security account has it
   */
  readonly memberRecorder?: RecorderMode;

  /**
   * Who deploys the StackSet: a delegated administrator of StackSets, or the management account.
   * @default StackSetCaller.DELEGATED_ADMIN
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
   */
  readonly callAs?: StackSetCaller;

  /**
   * Where the management account's `OrganizationManagement` stack is: the guard then reads the organization trail's
   * records from its stream (the launch evaluator, the backstop for every region of every account) and its budget and
   * Cost Anomaly Detection notifications from its topic (the notifier). Deploy that stack first.
   * @default - no organization trail records or organization spend notifications reach the guard
   */
  readonly managementAccount?: ManagementAccount;

  /**
   * Whether the guard turns GuardDuty on for every member account, existing and new, with its own protection plans,
   * in each of its regions (`UpdateOrganizationConfiguration` with `AutoEnableOrganizationMembers: ALL`). The
   * security account must be GuardDuty's delegated administrator first: `OrganizationManagement` names it.
   * @default true
   */
  readonly guardDutyAutoEnable?: boolean;
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const TARGET_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The member part of an organization's guard, added next to the security account's `MiningGuard`:
 *
 * ```ts
 * new OrganizationMembers(this, 'Members', { guard, organizationId: 'o-a1b2c3d4e5', targets: MemberTargets.organization('r-ab12') });
 * ```
 *
 * - a policy on the home region's default bus that lets the organization's principals, and no one else, put events
 *   there;
 * - a service-managed StackSet with automatic deployment that puts into every account of the targets (new ones
 *   too, and never the security account itself) and every listed region the asset-free regional part, forwarding
 *   to the security account's bus, and, in one region per account, the containment role `mining-guard-containment`;
 * - the launch evaluator's right to assume that role in the organization's accounts, and its name in the
 *   evaluator's environment;
 * - GuardDuty turned on for every member account in each of the guard's regions (`guardDutyAutoEnable`);
 * - with `managementAccount`, the launch evaluator reading the organization trail's stream and the notifier the
 *   organization's spend topic, both made by `OrganizationManagement` in the management account.
 *
 * The containment role may be assumed only by the launch evaluator's role, only while it is of the organization;
 * it may read what the evaluator judges and take the actions of the responses set in `launchWatch.responses`
 * (none in a dry run), never terminate.
 */
export class OrganizationMembers extends Construct {
  /** The StackSet of the member part. */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The policy that opens the home region's default bus to the organization. */
  public readonly busPolicy: events.CfnEventBusPolicy;
  /** The member template, as CloudFormation receives it. */
  public readonly template: Record<string, any>;
  /** The region of each member account whose stack instance creates the containment role. */
  public readonly containmentRoleRegion: string;
  /** The launch evaluator's reading of the organization trail's stream, with `managementAccount`. */
  public readonly trailStreamMapping?: lambda.EventSourceMapping;
  /** The GuardDuty organization configuration calls, per region (with their detector lookups). */
  public readonly guardDutyAutoEnable: cr.AwsCustomResource[];

  constructor(scope: Construct, id: string, props: OrganizationMembersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const guardStack = Stack.of(props.guard);
    checkProps(props, guardStack);
    const home = { account: guardStack.account, region: guardStack.region };
    const regions = props.regions ?? props.guard.guardedRegions;

    const autoEnable = props.guardDutyAutoEnable ?? true;
    this.template = memberTemplate({
      settings: withoutHome(props.guard._regionalSettings),
      containmentKinds: props.guard.launchWatch._containmentKinds,
      // GuardDuty sends its members' findings to its administrator, the security account, whose own regional part
      // forwards them home: forwarded from the member as well, each finding would alert twice. Only in the security
      // account's regions: elsewhere nothing of it would see them.
      forwardFindings: !(autoEnable && regions.every((r) => props.guard.guardedRegions.includes(r))),
    });
    const body = JSON.stringify(this.template);
    if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY_BYTES) {
      throw new Error(`OrganizationMembers: the member template is ${Buffer.byteLength(body)} bytes, more than CloudFormation takes inline (${MAX_TEMPLATE_BODY_BYTES}). Turn off a part of it (everyRegion.vcpuAlarmOptions.usageClasses, compliance.disabledRules).`);
    }
    const resourceTypes = Object.values(this.template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    for (const region of regions) {
      const missing = missingResourceTypes(region, resourceTypes);
      if (missing && missing.length > 0) {
        throw new Error(`OrganizationMembers: CloudFormation in ${region} has no ${missing.join(', ')}, which the member part needs. Remove '${region}' from regions.`);
      }
    }
    // IAM is global: the home region's instance makes the role, or the first listed region's where home is not listed.
    this.containmentRoleRegion = regions.includes(home.region) ? home.region : regions[0];

    this.busPolicy = new events.CfnEventBusPolicy(this, 'OrganizationBusPolicy', {
      eventBusName: 'default',
      statementId: `MiningGuardMembers-${createHash('sha256').update(this.node.path).digest('hex').slice(0, 8)}`,
      statement: {
        Sid: 'MiningGuardOrganizationMembers',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      },
    });

    const evaluator = props.guard.launchWatch.evaluator;
    if (!(evaluator instanceof lambda.Function) || !evaluator.role) {
      throw new Error('OrganizationMembers: the guard\'s launch evaluator is not a function of this app, so it cannot be given the containment role.');
    }
    const roleArnPattern = `arn:${stack.partition}:iam::*:role/${CONTAINMENT_ROLE_NAME}`;
    evaluator.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [roleArnPattern],
      conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } },
    }));
    evaluator.addEnvironment(HANDLER_ENVIRONMENT.launchEvaluator.containmentRoleName, CONTAINMENT_ROLE_NAME);
    Validations.of(evaluator.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${printedPartition(stack)}:iam::*:role/${CONTAINMENT_ROLE_NAME}]`,
      reason: 'The containment role of every account of the organization, which the evaluator assumes in the account of each event; the organization condition (aws:ResourceOrgID) limits it to the organization\'s accounts.',
    });

    this.stackSet = new cloudformation.CfnStackSet(this, 'Default', {
      stackSetName: accountUniqueName(this, 'members'),
      description: 'MiningGuard member part: forwards each region\'s security events to the security account; vCPU alarms; the containment role',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs ?? StackSetCaller.DELEGATED_ADMIN,
      capabilities: ['CAPABILITY_NAMED_IAM'],
      ...EVERY_REGION_AT_ONCE,
      templateBody: body,
      parameters: Object.entries({
        [MEMBER_PARAMETERS.homeRegion]: home.region,
        [MEMBER_PARAMETERS.homeAccount]: home.account,
        [MEMBER_PARAMETERS.createDetector]: String(props.createDetectors ?? false),
        [MEMBER_PARAMETERS.organizationId]: props.organizationId,
        [MEMBER_PARAMETERS.evaluatorRoleArn]: evaluator.role.roleArn,
        [MEMBER_PARAMETERS.containmentRoleRegion]: this.containmentRoleRegion,
        ...(this.template.Parameters?.[MEMBER_PARAMETERS.createRecorder]
          ? { [MEMBER_PARAMETERS.createRecorder]: String((props.memberRecorder ?? props.guard.compliance?.recorderMode) === RecorderMode.CREATE) }
          : {}),
      }).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue })),
      stackInstancesGroup: [{
        // The security account runs the guard itself: its own regional part would forward its events twice.
        deploymentTargets: {
          organizationalUnitIds: [...props.targets.organizationalUnitIds],
          accountFilterType: 'DIFFERENCE',
          accounts: [home.account],
        },
        regions: [...regions],
      }],
    });
    // The role must exist before any member's trust policy names it, and the bus accept events before any forwards.
    this.stackSet.node.addDependency(evaluator.role, this.busPolicy);

    if (props.managementAccount) {
      if (props.managementAccount.trailRecords ?? true) this.trailStreamMapping = this.readOrganizationTrail(evaluator, props.managementAccount);
      this.readOrganizationSpend(props.guard, props.managementAccount);
    }
    this.guardDutyAutoEnable = autoEnable ? this.autoEnableGuardDuty(props.guard) : [];
  }

  /** The launch evaluator reads the organization trail's records from the management account's stream. */
  private readOrganizationTrail(evaluator: lambda.Function, management: ManagementAccount): lambda.EventSourceMapping {
    const stack = Stack.of(this);
    const streamArn = organizationTrailStreamArn(stack, management);
    evaluator.addToRolePolicy(new iam.PolicyStatement({
      actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      resources: [streamArn],
    }));
    evaluator.addToRolePolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [`arn:${stack.partition}:kms:${management.region}:${management.account}:key/*`],
      conditions: { StringEquals: { 'kms:ViaService': `kinesis.${management.region}.amazonaws.com` } },
    }));
    Validations.of(evaluator.role!).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${printedPartition(stack)}:kms:${management.region}:${management.account}:key/*]`,
      reason: 'The key of the management account\'s trail stream, created there: it may be used only through Kinesis (kms:ViaService), and the key\'s own policy admits this account.',
    });
    return new lambda.EventSourceMapping(this, 'OrganizationTrail', {
      target: evaluator,
      eventSourceArn: streamArn,
      startingPosition: lambda.StartingPosition.LATEST,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      // A batch the evaluator fails on is halved until the record it fails on is alone; records older than an hour
      // are late for containment and are dropped, never blocking the shard behind them.
      bisectBatchOnError: true,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(1),
      // A batch given up on is named (shard and sequence numbers) in the evaluator's dead-letter queue, whose alarm
      // tells a person: nothing the stream brings is dropped unseen.
      onFailure: evaluator.deadLetterQueue ? new eventsources.SqsDlq(evaluator.deadLetterQueue) : undefined,
    });
  }

  /** The notifier reads the management account's budget and Cost Anomaly Detection notifications. */
  private readOrganizationSpend(guard: MiningGuard, management: ManagementAccount): void {
    const topic = sns.Topic.fromTopicArn(this, 'OrganizationSpendTopic', organizationSpendTopicArn(Stack.of(this), management));
    const notifier = guard.alertChannel.notifier.function;
    topic.addSubscription(new subscriptions.LambdaSubscription(notifier));
    Validations.of(notifier).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
      reason: 'SNS may invoke the notifier only for the management account\'s spend topic, named by its ARN (SourceArn), whose own policy lets only AWS Budgets and Cost Anomaly Detection publish.',
    });
  }

  /** GuardDuty for every member account, from the security account as GuardDuty's delegated administrator. */
  private autoEnableGuardDuty(guard: MiningGuard): cr.AwsCustomResource[] {
    const home = Stack.of(guard).region;
    const others = guard.guardedRegions.filter((r) => r !== home);
    if (others.length > 0 && !guard.regionalStackSet) {
      throw new Error('OrganizationMembers: guardDutyAutoEnable turns GuardDuty on for the members once each region\'s detector exists, but the guard\'s regions are RegionalGuard stacks this stack cannot wait for. '
        + 'Deploy the regions through the guard\'s StackSet (everyRegion.deployment: RegionalDeployment.STACK_SET), or set guardDutyAutoEnable: false and turn auto-enable on in each region\'s GuardDuty console.');
    }
    return autoEnableGuardDuty(this, {
      regions: [{ region: home, detectorId: guard.threatDetection.detectorId }, ...others.map((region) => ({ region }))],
      features: detectorFeatures(guard._regionalSettings.detector),
      after: [guard.threatDetection, ...(guard.regionalStackSet ? [guard.regionalStackSet] : [])],
    });
  }
}

function printedPartition(stack: Stack): string {
  return Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
}

/** The synth errors: each says what to write instead. */
function checkProps(props: OrganizationMembersProps, guardStack: Stack): void {
  if (!ORGANIZATION_ID.test(props.organizationId)) {
    throw new Error(`OrganizationMembers: organizationId ${JSON.stringify(props.organizationId)} is not an organization id. Write the id 'aws organizations describe-organization --query Organization.Id' prints, such as 'o-a1b2c3d4e5'.`);
  }
  const targets = props.targets.organizationalUnitIds;
  if (targets.length === 0) {
    throw new Error('OrganizationMembers: targets names no organizational unit, so no member account would be guarded. Write targets: MemberTargets.organizationalUnits([\'ou-ab12-cdef3456\']), or MemberTargets.organization(\'r-ab12\') for every account.');
  }
  const badTargets = targets.filter((t) => !TARGET_ID.test(t));
  if (badTargets.length > 0) {
    throw new Error(`OrganizationMembers: targets has ${badTargets.map((t) => JSON.stringify(t)).join(', ')}, which ${badTargets.length === 1 ? 'is' : 'are'} neither an organizational unit id nor a root id. Write ids such as 'ou-ab12-cdef3456' or 'r-ab12' (aws organizations list-roots, list-organizational-units-for-parent).`);
  }
  if (Token.isUnresolved(guardStack.account) || Token.isUnresolved(guardStack.region)) {
    throw new Error(`OrganizationMembers: the guard's stack ${guardStack.stackName} is environment-agnostic, but every member account forwards to its account's bus in its region, and the StackSet leaves that account out. Give the stack env: { account: '111122223333', region: 'eu-west-1' }, with the security account and its home region.`);
  }
  const management = props.managementAccount;
  if (management && (!/^\d{12}$/.test(management.account) || !REGION_NAME.test(management.region) || management.account === guardStack.account)) {
    throw new Error(`OrganizationMembers: managementAccount ${JSON.stringify(management)} does not name the management account's OrganizationManagement stack. `
      + 'Write its 12-digit account, which is not the security account, and its region, such as managementAccount: { account: \'999988887777\', region: \'us-east-1\' }.');
  }
  if (props.memberRecorder !== undefined && !props.guard.compliance) {
    throw new Error('OrganizationMembers: memberRecorder says how member accounts get the Config recorder the guard\'s rules need, but the guard has no `compliance`. Remove memberRecorder, or give the guard compliance.');
  }
  if (props.regions) {
    const bad = props.regions.filter((r) => !REGION_NAME.test(r));
    if (bad.length > 0) {
      throw new Error(`OrganizationMembers: regions has ${bad.map((r) => JSON.stringify(r)).join(', ')}, which ${bad.length === 1 ? 'is not a region name' : 'are not region names'}. Write names such as 'us-east-1' or 'ap-southeast-1'.`);
    }
    if (props.regions.length === 0) {
      throw new Error('OrganizationMembers: regions is empty, so no member account would be guarded. Leave it out to guard the guard\'s own regions, or list some, such as [\'us-east-1\'].');
    }
  }
}

function withoutHome<T extends { homeRegion: string; homeAccount?: string }>(settings: T): Omit<T, 'homeRegion' | 'homeAccount'> {
  const { homeRegion: _region, homeAccount: _account, ...rest } = settings;
  return rest;
}
