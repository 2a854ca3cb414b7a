/** What the notifier knows of the guard it belongs to, so it can tell the guard's own deployment from tampering. */
import { matchesPattern } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../cloudtrail-record';

export interface GuardContext {
  /** ARN patterns of the principals that deploy the guard (the CloudFormation execution role). */
  readonly deployPrincipals: readonly string[];
  /** Physical-name prefixes of the guard's own rules, functions and topics: its stack's name and a dash. */
  readonly guardNamePrefixes: readonly string[];
  /** ARNs of the guard's own keys and topics. */
  readonly guardArns: readonly string[];
  /** Names of the buckets that hold the trail's log files. */
  readonly trailBuckets: readonly string[];
}

export const EMPTY_GUARD_CONTEXT: GuardContext = { deployPrincipals: [], guardNamePrefixes: [], guardArns: [], trailBuckets: [] };

/** The context the construct hands over as JSON; anything unreadable leaves the guard knowing nothing of itself. */
export function guardContext(json: string | undefined): GuardContext {
  if (!json) return EMPTY_GUARD_CONTEXT;
  const parsed = JSON.parse(json) as Partial<GuardContext>;
  return { ...EMPTY_GUARD_CONTEXT, ...parsed };
}

/** Whether CloudFormation made the call while deploying the guard: its role, or CloudFormation on someone's behalf. */
export function isGuardDeployment(record: CloudTrailRecord, context: GuardContext): boolean {
  return record.invokedBy === 'cloudformation.amazonaws.com'
    || context.deployPrincipals.some((p) => matchesPattern(p, record.principalArn));
}

/** Whether a name or ARN is one of the guard's own resources. */
export function isGuardResource(nameOrArn: string | undefined, context: GuardContext): boolean {
  if (!nameOrArn) return false;
  const name = nameOrArn.split(/[:/]/).pop() ?? nameOrArn;
  return context.guardArns.some((arn) => arn === nameOrArn || arn.endsWith(`/${nameOrArn}`) || arn.endsWith(`:${nameOrArn}`))
    || context.guardNamePrefixes.some((prefix) => name.startsWith(prefix));
}
