/** Judges a launch against the policy: how much compute, what it costs, whether it is flagged and why. */
import type { InstanceSpec } from './instance-types';
import type { LaunchRequest } from './launch-request';
import type { LaunchDetection, ResolvedLaunchSettings, Response, Severity } from '../../../lib/catalog';
import { exemptBy, judgeFamily, maxSeverity, regionAllowed } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';

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
}

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
  if (request.taskVcpus !== undefined) vcpus = Math.max(vcpus, request.taskVcpus * Math.max(request.units, 1));
  const units = Math.max(request.units, request.instanceTypes.reduce((s, t) => Math.max(s, t.count), 0));
  const failed = record.errorCode !== undefined;
  const base = { detection, vcpus, gpus, units, usdPerHour, estimated, failed };

  const exemptPattern = exemptBy(policy, { arn: record.principalArn, sessionIssuerArn: record.sessionIssuerArn });
  if (exemptPattern) {
    return { ...base, flagged: false, severity: 'LOW', reasons: [`${record.principalArn} is exempt by ${exemptPattern}`], response: 'NOTIFY' };
  }

  const reasons: string[] = [];
  if (!regionAllowed(policy, record.region)) {
    reasons.push(`region ${record.region} is not an allowed region (${policy.allowedRegions.join(', ')})`);
  }
  reasons.push(...deniedTypes);
  if (vcpus > policy.maxVcpusPerCall) reasons.push(`${vcpus} vCPUs in one call, more than the ${policy.maxVcpusPerCall} allowed`);
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
  return {
    ...base,
    flagged: true,
    severity,
    reasons,
    // A failed call started nothing to contain.
    response: failed || !detection.responses.includes(wanted) ? 'NOTIFY' : wanted,
  };
}
