/** Judges tamper and credential calls where the pattern alone cannot: whose resource, which user, which policy, MFA or not. */
import { judgeAdminPolicy } from './admin-policy';
import type { LookedUpFacts } from './event-reader';
import { isGuardDeployment, isGuardResource, subscriptionTopicArn } from './guard-context';
import { ABUSE_JUDGES } from './judge-abuse';
import { regionEnabled } from './region-enabled';
import type { CallSignal, DetectionOf, GuardContext, JudgedCallId } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { principalName } from '../events/cloudtrail-record';
import { fieldAt, stringAt } from '../events/event-fields';

/**
 * Why a call is flagged, or why not. A flagged call may name what it acted on, for the subject (`EnableRegion
 * af-south-1`), and the steps for its case, instead of the detection's general ones.
 */
export type CloudTrailVerdict =
  | { readonly flagged: true; readonly reasons: readonly string[]; readonly object?: string; readonly next?: readonly string[] }
  | { readonly flagged: false; readonly reason: string };

const flag = (...reasons: string[]): CloudTrailVerdict => ({ flagged: true, reasons });
const pass = (reason: string): CloudTrailVerdict => ({ flagged: false, reason });

/** The IAM user name of the principal, when it is an IAM user. */
function callerUserName(record: CloudTrailRecord): string | undefined {
  return stringAt(record.raw, 'userIdentity.userName') ?? /:user\/(?:.*\/)?([^/]+)$/.exec(record.principalArn)?.[1];
}

function forAnotherUser(record: CloudTrailRecord, what: string): CloudTrailVerdict {
  const target = stringAt(record.request, 'userName');
  const caller = callerUserName(record);
  if (!target) return pass(`${what} for the caller itself`);
  return target === caller ? pass(`${what} for the caller itself`) : flag(`${what} for user ${target} by ${principalName(record.principalArn)}`);
}

/** The resource a guard-tampering call names: an unsubscribed subscription by its topic. */
function namedResource(record: CloudTrailRecord): string | undefined {
  const subscription = stringAt(record.request, 'subscriptionArn');
  if (subscription !== undefined) return subscriptionTopicArn(subscription);
  for (const path of ['name', 'rule', 'functionName', 'topicArn', 'keyId']) {
    const v = stringAt(record.request, path);
    if (v) return v;
  }
  return undefined;
}

/** The call itself is the detection: flagged as it is, failed attempts included. */
function flagCall(record: CloudTrailRecord): CloudTrailVerdict {
  return flag(record.errorCode ? `${record.eventName} attempted (failed: ${record.errorCode})` : record.eventName);
}

/** A judge of one detection's calls; `facts` holds what the notifier looked up for the call (none in the replay). */
export type CallJudge = (record: CloudTrailRecord, context: GuardContext, facts?: LookedUpFacts) => CloudTrailVerdict;

/** A judge per tamper and credential detection: a detection without one fails to compile. */
export const CALL_JUDGES: Readonly<Record<JudgedCallId, CallJudge>> = {
  ...ABUSE_JUDGES,
  'cloudtrail-tampering': flagCall,
  'config-tampering': flagCall,
  'budget-tampering': flagCall,
  'cost-anomaly-tampering': flagCall,
  'organization-leave': flagCall,
  'flow-logs-deleted': flagCall,
  'dns-logs-deleted': flagCall,
  'role-trust-change': flagCall,
  'region-enabled': (r, c) => {
    const finding = regionEnabled(r, c);
    return { flagged: true, reasons: [finding.reason], object: finding.region, next: finding.next };
  },
  'federation-token': flagCall,
  'trail-bucket-tampering': (r, c) => {
    const bucket = stringAt(r.request, 'bucketName');
    return bucket && c.trailBuckets.includes(bucket) ? flag(`${r.eventName} on trail bucket ${bucket}`) : pass(`bucket ${bucket ?? '?'} holds no trail logs`);
  },
  'guardduty-tampering': (r) => {
    if (r.eventName === 'UpdateDetector') return fieldAt(r.request, 'enable') === false ? flag('detector disabled') : pass('detector left enabled');
    if (r.eventName === 'CreateFilter') return stringAt(r.request, 'action') === 'ARCHIVE' ? flag('filter archives findings automatically') : pass('filter does not archive');
    return flag(r.eventName);
  },
  'guard-rule-tampering': guardResourceJudge,
  'guard-function-tampering': (r, c) => {
    if (r.eventName.startsWith('PutFunctionConcurrency') && fieldAt(r.request, 'reservedConcurrentExecutions') !== 0) return pass('concurrency above 0');
    return guardResourceJudge(r, c);
  },
  'guard-topic-tampering': guardResourceJudge,
  'guard-key-tampering': guardResourceJudge,
  'suspicious-console-login': (r) => {
    const outcome = stringAt(r.response, 'ConsoleLogin');
    if (r.principalType === 'Root') return flag(`root console login (${outcome ?? 'unknown outcome'})`);
    // One mistyped password is not an attack; repeated failures are what the CIS 4.6 metric filter alarms on.
    if (outcome === 'Failure') return pass('a single failed console login');
    const mfa = stringAt(r.raw, 'additionalEventData.MFAUsed');
    if (mfa === 'No' && r.principalType === 'IAMUser') return flag('console login without MFA');
    return pass('console login with MFA or through federation');
  },
  'access-key-for-another-user': (r) => forAnotherUser(r, 'access key'),
  'login-profile-change': (r) => forAnotherUser(r, 'console password'),
  'admin-policy-attached': (r, _c, facts) => {
    const verdict = judgeAdminPolicy(r, facts);
    const grantee = stringAt(r.request, 'userName') ?? stringAt(r.request, 'roleName') ?? stringAt(r.request, 'groupName') ?? 'an identity';
    return verdict.admin ? flag(`administrator access granted to ${grantee}: ${verdict.reason}`) : pass(verdict.reason);
  },
  'public-function-url': (r) => (stringAt(r.request, 'authType') === 'NONE' ? flag(`function URL without authentication on ${stringAt(r.request, 'functionName') ?? 'a function'}`) : pass('function URL requires IAM')),
};

/**
 * A change of one of the guard's own rules, functions, topic (and its subscriptions) or keys is tampering, unless one
 * of the roles that deploy the guard, named exactly, made it: the only exemption any judge grants.
 */
function guardResourceJudge(record: CloudTrailRecord, context: GuardContext): CloudTrailVerdict {
  const resource = namedResource(record);
  if (!isGuardResource(resource, context)) return pass(`${resource ?? 'the resource'} is not MiningGuard's`);
  if (isGuardDeployment(record, context)) return pass(`MiningGuard's ${resource} changed by its deploying role (${principalName(record.principalArn)})`);
  return flag(`${record.eventName} on MiningGuard's ${resource}`);
}

/**
 * The verdict on one selected call. Whoever makes it, CloudFormation included, is judged alike; only changes to the
 * guard's own resources by its exact deploying role are exempt.
 */
export function judgeCloudTrail(
  record: CloudTrailRecord, detection: DetectionOf<CallSignal, JudgedCallId>, context: GuardContext, facts?: LookedUpFacts,
): CloudTrailVerdict {
  return CALL_JUDGES[detection.id](record, context, facts);
}
