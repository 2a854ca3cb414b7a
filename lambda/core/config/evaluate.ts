/** Judges what the shell gathered for one invocation and returns the evaluations to report, one per resource. */
import type { ConfigInvocation, ConfigurationItem } from './invocation';
import type { RuleSettings } from './rule-parameters';
import { estimateVcpus } from './running-vcpus';
import { ConfigCheck, exemptBy, judgeFamily as familyOf, regionAllowed, ResolvedComputePolicy } from '../../../lib/catalog';

export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** One evaluation, as PutEvaluations takes it. */
export interface Evaluation {
  readonly complianceResourceType: string;
  readonly complianceResourceId: string;
  readonly complianceType: ComplianceType;
  /** At most 256 characters: Config refuses longer annotations. */
  readonly annotation: string;
  readonly orderingTimestamp: string;
}

/** An EC2 instance as the checks see it, from a configuration item or from DescribeInstances. */
export interface InstanceFacts {
  readonly instanceId: string;
  readonly instanceType?: string;
  readonly region: string;
  /** `pending`, `running`, `stopped`, `terminated`, ... */
  readonly state?: string;
  /** Whether `disableApiTermination` is set; undefined when not asked. */
  readonly terminationProtected?: boolean;
  /** The ARN of the principal that launched the instance, when CloudTrail still knows it. */
  readonly launchedBy?: string;
  /** The role behind the launching session, path included, when it was a role session. */
  readonly launchedBySessionIssuer?: string;
  /** Why the launcher is not known, when it is not. */
  readonly launcherUnknownReason?: string;
  /** Whether Config says the resource is gone. */
  readonly deleted?: boolean;
}

/** What the shell gathered. */
export interface ConfigFacts {
  /** The Lambda's region, which periodic checks judge. */
  readonly region: string;
  /** The invocation time, for evaluations that have no time of their own. */
  readonly now: string;
  /** The instance a change is about, or undefined when the change is about another resource type. */
  readonly changedInstance?: InstanceFacts;
  /** The item a change is about. */
  readonly changedItem?: ConfigurationItem;
  /** Every instance of the region, for periodic invocations. */
  readonly regionInstances?: readonly InstanceFacts[];
  /** vCPUs per instance type, from DescribeInstanceTypes; missing types are estimated. */
  readonly vcpusByType?: Readonly<Record<string, number>>;
}

const INSTANCE = 'AWS::EC2::Instance';
const ACCOUNT = 'AWS::::Account';
const MAX_ANNOTATION = 256;
const DELETED_STATUSES = ['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded'];
const GONE_STATES = ['terminated', 'shutting-down'];
const COUNTED_STATES = ['pending', 'running'];

/** The checks this invocation runs, in the order their annotations are written. */
export function checksFor(invocation: ConfigInvocation, settings: RuleSettings): ConfigCheck[] {
  const instanceChecks: ConfigCheck[] = ['instance-family', ...(settings.policy.allowedRegions.length > 0 ? ['instance-region' as const] : []), 'termination-protection'];
  const kind = invocation.message.kind;
  const fitting: ConfigCheck[] = kind === 'scheduled' ? [...instanceChecks, 'running-compute']
    : kind === 'change' || kind === 'oversized' ? instanceChecks
      : [];
  if (!settings.check) return fitting;
  // A rule told to run one check runs it, even the region check without regions (which then finds nothing to deny).
  return kind === 'ignored' || (settings.check === 'running-compute' && kind !== 'scheduled') ? [] : [settings.check];
}

/** Whether the item is a configuration item Config reports as deleted or no longer recorded. */
export function isDeletedItem(item: ConfigurationItem): boolean {
  return DELETED_STATUSES.includes(item.status);
}

/** The instance facts a configuration item of an EC2 instance holds. */
export function instanceFromItem(item: ConfigurationItem, fallbackRegion: string): InstanceFacts {
  const configuration = item.configuration as { instanceType?: unknown; state?: { name?: unknown } } | undefined;
  return {
    instanceId: item.resourceId,
    instanceType: typeof configuration?.instanceType === 'string' ? configuration.instanceType : undefined,
    region: item.awsRegion ?? fallbackRegion,
    state: typeof configuration?.state?.name === 'string' ? configuration.state.name : undefined,
    deleted: isDeletedItem(item),
  };
}

interface Verdict {
  readonly type: ComplianceType;
  readonly reason: string;
}

const notApplicable = (reason: string): Verdict => ({ type: 'NOT_APPLICABLE', reason });

function judgeFamily(instance: InstanceFacts, policy: ResolvedComputePolicy): Verdict {
  const type = instance.instanceType;
  if (!type) return notApplicable('the instance type is not in the configuration item');
  const family = familyOf(policy, type);
  return { type: family.allowed ? 'COMPLIANT' : 'NON_COMPLIANT', reason: family.reason };
}

function judgeRegion(instance: InstanceFacts, policy: ResolvedComputePolicy): Verdict {
  if (policy.allowedRegions.length === 0) return { type: 'COMPLIANT', reason: 'no region is denied' };
  return regionAllowed(policy, instance.region)
    ? { type: 'COMPLIANT', reason: `${instance.region} is an allowed region` }
    : { type: 'NON_COMPLIANT', reason: `${instance.region} is outside the allowed regions ${policy.allowedRegions.join(',')}` };
}

function judgeTerminationProtection(instance: InstanceFacts, policy: ResolvedComputePolicy): Verdict {
  if (instance.terminationProtected === undefined) return notApplicable('termination protection could not be read');
  if (!instance.terminationProtected) return { type: 'COMPLIANT', reason: 'termination protection is off' };
  const launcher = instance.launchedBy;
  if (!launcher) {
    return { type: 'NON_COMPLIANT', reason: `termination protection is on and the launcher is unknown (${instance.launcherUnknownReason ?? 'no RunInstances event found'})` };
  }
  const exemptPattern = exemptBy(policy, { arn: launcher, sessionIssuerArn: instance.launchedBySessionIssuer });
  return exemptPattern
    ? { type: 'COMPLIANT', reason: `termination protection is on; launched by ${launcher}, exempt by ${exemptPattern}` }
    : { type: 'NON_COMPLIANT', reason: `termination protection is on; launched by ${launcher}, not an exempt principal` };
}

const JUDGES: Record<Exclude<ConfigCheck, 'running-compute'>, (i: InstanceFacts, p: ResolvedComputePolicy) => Verdict> = {
  'instance-family': judgeFamily,
  'instance-region': judgeRegion,
  'termination-protection': judgeTerminationProtection,
};

/** Several verdicts on one resource: the worst wins, and the annotation names every reason of that outcome. */
function combine(verdicts: readonly Verdict[]): Verdict {
  for (const type of ['NON_COMPLIANT', 'COMPLIANT', 'NOT_APPLICABLE'] as const) {
    const of = verdicts.filter((v) => v.type === type);
    if (of.length > 0) return { type, reason: of.map((v) => v.reason).join('; ') };
  }
  return notApplicable('no check applies');
}

function annotate(text: string): string {
  return text.length <= MAX_ANNOTATION ? text : `${text.slice(0, MAX_ANNOTATION - 3)}...`;
}

function instanceEvaluation(
  instance: InstanceFacts, checks: readonly ConfigCheck[], policy: ResolvedComputePolicy, at: string, leftScope: boolean,
): Evaluation {
  let verdict: Verdict;
  if (leftScope || instance.deleted) verdict = notApplicable('the instance was deleted or left the rule\'s scope');
  else if (instance.state && GONE_STATES.includes(instance.state)) verdict = notApplicable(`the instance is ${instance.state}`);
  else verdict = combine(checks.filter((c): c is keyof typeof JUDGES => c in JUDGES).map((c) => JUDGES[c](instance, policy)));
  return {
    complianceResourceType: INSTANCE,
    complianceResourceId: instance.instanceId,
    complianceType: verdict.type,
    annotation: annotate(verdict.reason),
    orderingTimestamp: at,
  };
}

/** The running instances and vCPUs of the region against the policy's ceilings. */
export function runningComputeEvaluation(accountId: string, facts: ConfigFacts, policy: ResolvedComputePolicy, at: string): Evaluation {
  const running = (facts.regionInstances ?? []).filter((i) => i.state === undefined || COUNTED_STATES.includes(i.state));
  const vcpus = running.reduce((sum, i) => sum + (i.instanceType ? facts.vcpusByType?.[i.instanceType] ?? estimateVcpus(i.instanceType) : 0), 0);
  const over = [
    running.length > policy.maxRunningInstances ? `${running.length} running instances > ${policy.maxRunningInstances}` : undefined,
    vcpus > policy.maxRunningVcpus ? `${vcpus} running vCPUs > ${policy.maxRunningVcpus}` : undefined,
  ].filter((x): x is string => x !== undefined);
  return {
    complianceResourceType: ACCOUNT,
    complianceResourceId: accountId,
    complianceType: over.length > 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
    annotation: annotate(over.length > 0
      ? `${facts.region}: ${over.join(', ')}`
      : `${facts.region}: ${running.length} running instances, ${vcpus} vCPUs, within ${policy.maxRunningInstances} and ${policy.maxRunningVcpus}`),
    orderingTimestamp: at,
  };
}

/** Every evaluation of one invocation. */
export function evaluateInvocation(invocation: ConfigInvocation, settings: RuleSettings, facts: ConfigFacts): Evaluation[] {
  const { policy } = settings;
  const checks = checksFor(invocation, settings);
  if (checks.length === 0) return [];
  const message = invocation.message;
  if (message.kind === 'scheduled') {
    const at = message.notificationTime ?? facts.now;
    const perInstance = checks.filter((c) => c !== 'running-compute');
    const evaluations = perInstance.length === 0 ? [] : (facts.regionInstances ?? [])
      .filter((i) => !(i.state && GONE_STATES.includes(i.state)))
      .map((i) => instanceEvaluation(i, perInstance, policy, at, false));
    if (checks.includes('running-compute')) evaluations.push(runningComputeEvaluation(invocation.accountId, facts, policy, at));
    return evaluations;
  }
  const item = facts.changedItem;
  if (!item) return [];
  const at = item.captureTime ?? facts.now;
  if (item.resourceType !== INSTANCE) {
    return [{ complianceResourceType: item.resourceType, complianceResourceId: item.resourceId, complianceType: 'NOT_APPLICABLE', annotation: `the rule judges ${INSTANCE} only`, orderingTimestamp: at }];
  }
  const instance = facts.changedInstance ?? instanceFromItem(item, facts.region);
  return [instanceEvaluation(instance, checks, policy, at, invocation.eventLeftScope)];
}
