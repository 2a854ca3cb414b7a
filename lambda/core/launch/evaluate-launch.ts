/** Judges a launch against the policy: how much compute, what it costs, whether it is flagged and why. */
import type { InstanceSpec } from './instance-types';
import type { LaunchRequest } from './launch-request';
import { taskDefinitionLabel, tasksTimes } from './task-size';
import type { LaunchDetection, ResolvedLaunchSettings, Response, Severity } from '../../../lib/catalog';
import { exemptBy, judgeFamily, maxSeverity, principalMatches, regionAllowed } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { fieldAt, stringAt } from '../events/event-fields';

/** Error codes of failed launches that are probes: the attacker learning what the account allows. */
export const PROBE_ERROR_CODES: readonly string[] = [
  'Client.DryRunOperation', 'DryRunOperation',
  'Client.UnauthorizedOperation', 'UnauthorizedOperation',
];

/** Error codes that mean the account's quota or the region's capacity stopped a launch: flagged whatever was asked. */
export const LIMIT_ERROR_CODES: readonly string[] = [
  'Client.VcpuLimitExceeded', 'VcpuLimitExceeded',
  'Server.InsufficientInstanceCapacity', 'InsufficientInstanceCapacity',
];

/** Service codes whose quota increases buy compute. */
const COMPUTE_QUOTA_SERVICES = ['ec2', 'ecs', 'fargate', 'batch', 'sagemaker', 'autoscaling', 'lambda', 'eks'];

/** Looks up an instance type's vCPUs, GPUs and price: the bundled table offline, EC2 and the Price List in Lambda. */
export type SpecLookup = (type: string) => InstanceSpec & { readonly estimated: boolean };

/** The evaluator's judgement of one call. */
export interface LaunchVerdict {
  readonly detection: LaunchDetection;
  readonly flagged: boolean;
  readonly severity: Severity;
  /** Why it was flagged, or why not (exempt principal, within policy). */
  readonly reasons: readonly string[];
  readonly vcpus: number;
  readonly gpus: number;
  /** Instances, tasks or capacity units the call starts. */
  readonly units: number;
  /** Estimated on-demand cost per hour, undefined when a price is unknown. */
  readonly usdPerHour?: number;
  /** Whether a figure comes from the size rule rather than the table or EC2. */
  readonly estimated: boolean;
  /** The response the policy asks for; NOTIFY for calls that are not flagged. */
  readonly response: Response;
  /** Whether the call failed, and so started nothing. */
  readonly failed: boolean;
  /** Why the call is no grounds for containment whatever the response (it only undoes): the response is then NOTIFY. */
  readonly withheld?: string;
}

/** The calls that set a size: what they size, and the fields that hold it. */
const SIZED: Readonly<Record<string, { readonly what: string; readonly fields: readonly string[] }>> = {
  UpdateAutoScalingGroup: { what: 'an Auto Scaling group', fields: ['minSize', 'maxSize', 'desiredCapacity'] },
  SetDesiredCapacity: { what: 'an Auto Scaling group', fields: ['desiredCapacity'] },
  UpdateService: { what: 'an ECS service', fields: ['desiredCount'] },
  UpdateComputeEnvironment: { what: 'a Batch compute environment', fields: ['computeResources.minvCpus', 'computeResources.maxvCpus', 'computeResources.desiredvCpus'] },
};

/**
 * Why a call only undoes, and so is never grounds for containment, or undefined: stop or termination protection
 * turned off (and nothing turned on); an Auto Scaling group, ECS service or Batch compute environment set to zero, or
 * the compute environment disabled, with no size above zero and no instance type. A record states only the new size,
 * never the old one, so a smaller size other than zero cannot be told from a larger one: it is judged like any other.
 */
export function onlyUndoes(record: CloudTrailRecord, request: LaunchRequest): string | undefined {
  if (record.eventName === 'ModifyInstanceAttribute') {
    if (request.protection.length > 0 || request.unprotection.length === 0) return undefined;
    return `it only turns ${request.unprotection.join(' and ')} protection off`;
  }
  const sized = SIZED[record.eventName];
  if (!sized) return undefined;
  const sizes = sized.fields.map((f) => fieldAt(record.request, f)).filter((v) => v !== undefined && v !== null);
  if (sizes.some((v) => v !== 0 && v !== '0') || request.instanceTypes.length > 0) return undefined;
  if (record.eventName === 'UpdateComputeEnvironment' && stringAt(record.request, 'state') === 'DISABLED') return `it only disables ${sized.what}`;
  return sizes.length > 0 ? `it only sets ${sized.what} to zero` : undefined;
}

/** `10 tasks x 16 vCPUs = 160 vCPUs (10 tasks x 1 GPU = 10 GPUs)` for a call that runs tasks of a known size. */
function ranTasks(request: LaunchRequest, tasks: number): string | undefined {
  if (request.taskDefinition === undefined || request.taskVcpus === undefined) return undefined;
  const gpus = request.taskGpus ?? 0;
  return `${tasksTimes(tasks, request.taskVcpus, 'vCPU')}${gpus > 0 ? ` (${tasksTimes(tasks, gpus, 'GPU')})` : ''}`;
}

/**
 * Instance types ECS runs GPU tasks on, one of each GPU family it supports: a task that asks for GPUs is outside a
 * policy that denies them all, however it reaches them (its own container instances, or instances already running).
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-gpu.html
 */
const ECS_GPU_TYPES: readonly string[] = ['p3.2xlarge', 'p4d.24xlarge', 'p5.48xlarge', 'g4dn.xlarge', 'g5.xlarge', 'g6.xlarge'];

/** Cost per hour above which a flagged launch is CRITICAL. */
const CRITICAL_USD_PER_HOUR = 50;

export function evaluateLaunch(
  record: CloudTrailRecord, request: LaunchRequest, detection: LaunchDetection, settings: ResolvedLaunchSettings, specs: SpecLookup,
): LaunchVerdict {
  const { policy } = settings;
  let vcpus = request.statedVcpus ?? 0;
  let gpus = 0;
  let usdPerHour: number | undefined = 0;
  let estimated = false;
  const deniedTypes: string[] = [];
  for (const { type, count } of request.instanceTypes) {
    const spec = specs(type);
    if (request.statedVcpus === undefined) vcpus += spec.vcpus * count;
    gpus += spec.gpus * count;
    usdPerHour = usdPerHour !== undefined && spec.usdPerHour !== undefined && !type.startsWith('ml.') ? usdPerHour + spec.usdPerHour * count : undefined;
    estimated ||= spec.estimated;
    const family = judgeFamily(policy, type);
    if (!family.allowed) deniedTypes.push(`instance type ${family.reason}`);
  }
  if (request.instanceTypes.length === 0) usdPerHour = undefined;
  // A call that runs tasks starts as many as it asks for, none included; one that registers a definition sizes one.
  const tasks = request.taskDefinition !== undefined ? request.units : Math.max(request.units, 1);
  if (request.taskVcpus !== undefined) vcpus = Math.max(vcpus, request.taskVcpus * tasks);
  gpus += (request.taskGpus ?? 0) * tasks;
  const units = Math.max(request.units, request.instanceTypes.reduce((s, t) => Math.max(s, t.count), 0));
  const failed = record.errorCode !== undefined;
  const base = { detection, vcpus, gpus, units, usdPerHour, estimated, failed };

  const principal = { arn: record.principalArn, sessionIssuerArn: record.sessionIssuerArn };
  // The guard's own containment calls (lifting protection, scaling, disabling) are CloudTrail events too: judged, they
  // would be contained again, each step begetting more. A forged record naming the role only keeps itself from acting.
  const guardRole = settings.guardRoleArns?.find((arn) => principalMatches(arn, principal));
  if (guardRole) {
    return { ...base, flagged: false, severity: 'LOW', reasons: [`the guard's own call, by its role ${guardRole}`], response: 'NOTIFY' };
  }
  const exemptPattern = exemptBy(policy, principal);
  if (exemptPattern) {
    return { ...base, flagged: false, severity: 'LOW', reasons: [`${record.principalArn} is exempt by ${exemptPattern}`], response: 'NOTIFY' };
  }

  const reasons: string[] = [];
  if (!regionAllowed(policy, record.region)) {
    reasons.push(`region ${record.region} is not an allowed region (${policy.allowedRegions.join(', ')})`);
  }
  reasons.push(...deniedTypes);
  if (vcpus > policy.maxVcpusPerCall) reasons.push(`${ranTasks(request, tasks) ?? `${vcpus} vCPUs`} in one call, more than the ${policy.maxVcpusPerCall} allowed (maxVcpusPerCall)`);
  if (request.taskSizeUnknown !== undefined && tasks > 0) {
    reasons.push(`${tasks} task${tasks === 1 ? '' : 's'} of task definition ${taskDefinitionLabel(request.taskDefinition ?? '')} whose vCPUs are unknown: ${request.taskSizeUnknown}`);
  }
  const taskGpus = request.taskGpus ?? 0;
  if (taskGpus > 0 && ECS_GPU_TYPES.every((type) => !judgeFamily(policy, type).allowed)) {
    reasons.push(`${tasksTimes(tasks, taskGpus, 'GPU')} asked of ECS, and the policy allows no GPU instance family ECS places GPU tasks on`);
  }
  if (units > policy.maxInstancesPerCall) reasons.push(`${units} instances or tasks in one call, more than the ${policy.maxInstancesPerCall} allowed`);
  if (request.taskVcpus !== undefined && request.taskVcpus > policy.maxVcpusPerTask) {
    reasons.push(`task of ${request.taskVcpus} vCPUs, more than the ${policy.maxVcpusPerTask} allowed per task`);
  }
  for (const p of request.protection) {
    reasons.push(p === 'user-data' ? 'instance user data replaced' : `${p} protection turned on`);
  }
  if (request.quota && COMPUTE_QUOTA_SERVICES.includes(request.quota.serviceCode)) {
    reasons.push(`quota increase requested for ${request.quota.serviceCode}${request.quota.quotaCode ? ` ${request.quota.quotaCode}` : ''}${request.quota.desiredValue !== undefined ? ` to ${request.quota.desiredValue}` : ''}`);
  }
  if (record.errorCode && LIMIT_ERROR_CODES.includes(record.errorCode)) {
    reasons.push(`launch refused with ${record.errorCode}: the account's limit was reached`);
  } else if (record.errorCode && PROBE_ERROR_CODES.includes(record.errorCode) && reasons.length > 0) {
    reasons.push(`failed with ${record.errorCode}: a probe of what the account allows`);
  }

  if (reasons.length === 0) {
    return { ...base, flagged: false, severity: 'LOW', reasons: ['within the launch policy'], response: 'NOTIFY' };
  }
  let severity: Severity = failed || request.quota ? 'MEDIUM' : detection.severity;
  if (gpus > 0 || (record.errorCode !== undefined && LIMIT_ERROR_CODES.includes(record.errorCode))) severity = maxSeverity(severity, 'HIGH');
  if (!failed && usdPerHour !== undefined && usdPerHour >= CRITICAL_USD_PER_HOUR) severity = 'CRITICAL';
  const wanted = settings.responses[detection.id] ?? 'NOTIFY';
  const withheld = onlyUndoes(record, request);
  return {
    ...base,
    flagged: true,
    severity,
    reasons,
    // A failed call started nothing to contain; a call that only undoes is alerted, never contained.
    response: failed || withheld !== undefined || !detection.responses.includes(wanted) ? 'NOTIFY' : wanted,
    ...(withheld !== undefined && wanted !== 'NOTIFY' ? { withheld } : {}),
  };
}
