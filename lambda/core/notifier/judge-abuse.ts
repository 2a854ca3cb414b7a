/**
 * Judges the abuse calls and root activity: who created the key, which policy was attached, who ran the command, to
 * whom a function was opened. Every field read here comes from the event, so each is checked for its type.
 */
import type { CloudTrailVerdict } from './judge-cloudtrail';
import { AbuseCallId, GuardContext, principalMatches } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { principalName } from '../events/cloudtrail-record';
import { fieldAt, stringAt } from '../events/event-fields';

const flag = (reason: string, object?: string): CloudTrailVerdict => ({ flagged: true, reasons: [reason], ...(object ? { object } : {}) });
const pass = (reason: string): CloudTrailVerdict => ({ flagged: false, reason });

/** The managed policies AWS attaches to a key it found exposed: the first version, V2 and V3. */
const QUARANTINE_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine(V2|V3)?$/;

/** The request fields of `lambda:AddPermission` that narrow a statement to one account, resource or organization. */
const NARROWING_FIELDS = ['sourceArn', 'sourceAccount', 'principalOrgID'];

function attempted(record: CloudTrailRecord, what: string): string {
  return record.errorCode ? `${what} attempted (failed: ${record.errorCode})` : what;
}

function rootAccessKey(record: CloudTrailRecord): CloudTrailVerdict {
  if (record.principalType !== 'Root') return pass('access key created by an IAM identity, not the root user');
  const user = stringAt(record.request, 'userName');
  return flag(attempted(record, user ? `the root user created an access key for user ${user}` : 'the root user created an access key for itself'));
}

function quarantinePolicy(record: CloudTrailRecord): CloudTrailVerdict {
  const arn = stringAt(record.request, 'policyArn');
  if (arn === undefined || !QUARANTINE_POLICY.test(arn)) return pass('not AWS\'s compromised-key quarantine policy');
  const policy = arn.split('/').pop();
  const target = stringAt(record.request, 'userName') ?? stringAt(record.request, 'roleName') ?? stringAt(record.request, 'groupName');
  return flag(attempted(record, `${policy} attached${target ? ` to ${target}` : ''}: AWS found this identity's key exposed`), target);
}

function commandOutsidePolicy(record: CloudTrailRecord, context: GuardContext): CloudTrailVerdict {
  if (record.principalType === 'AWSService') return pass(`${record.eventName} by an AWS service on its own behalf`);
  const principal = { arn: record.principalArn, sessionIssuerArn: record.sessionIssuerArn };
  const exempt = (context.exemptPrincipals ?? []).find((pattern) => principalMatches(pattern, principal));
  if (exempt) return pass(`${principalName(record.principalArn)} is exempt by ${exempt}`);
  const targets = record.eventName === 'StartSession' ? [stringAt(record.request, 'target')] : instanceIds(record.request);
  const named = targets.filter((t): t is string => t !== undefined);
  const on = named.length === 0 ? '' : ` on ${named.slice(0, 3).join(', ')}${named.length > 3 ? ` and ${named.length - 3} more` : ''}`;
  const what = record.eventName === 'StartSession' ? 'shell session started' : `command ${stringAt(record.request, 'documentName') ?? 'sent'}`;
  return flag(attempted(record, `${what}${on} by ${principalName(record.principalArn)}, which the compute policy does not exempt`), named[0]);
}

function instanceIds(request: unknown): Array<string | undefined> {
  const ids = fieldAt(request, 'instanceIds');
  return Array.isArray(ids) ? ids.map((id) => (typeof id === 'string' ? id : undefined)) : [];
}

function publicPermission(record: CloudTrailRecord): CloudTrailVerdict {
  const principal = stringAt(record.request, 'principal');
  if (principal !== '*') return pass(`permission for ${principal ?? 'a named principal'}, not everyone`);
  const narrowedBy = NARROWING_FIELDS.filter((f) => stringAt(record.request, f) !== undefined);
  if (narrowedBy.length > 0) return pass(`permission for everyone, narrowed by ${narrowedBy.join(', ')}`);
  const fn = stringAt(record.request, 'functionName');
  return flag(attempted(record, `${stringAt(record.request, 'action') ?? 'invocation'} allowed to everyone on ${fn ?? 'a function'}`), fn);
}

function rolesAnywhere(record: CloudTrailRecord): CloudTrailVerdict {
  const name = stringAt(record.request, 'name') ?? stringAt(record.request, 'trustAnchorId') ?? stringAt(record.request, 'profileId');
  const roles = fieldAt(record.request, 'roleArns');
  const named = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  return flag(attempted(record, `${record.eventName}${name ? ` ${name}` : ''}${named.length > 0 ? `, for ${named.slice(0, 3).join(', ')}` : ''}`));
}

function serialConsoleEnabled(record: CloudTrailRecord): CloudTrailVerdict {
  return flag(attempted(record, `serial console access enabled in ${record.region}`));
}

function serialConsoleKey(record: CloudTrailRecord): CloudTrailVerdict {
  const instance = stringAt(record.request, 'instanceId');
  return flag(attempted(record, `SSH key sent to the serial console of ${instance ?? 'an instance'}`), instance);
}

function modelAccess(record: CloudTrailRecord): CloudTrailVerdict {
  const model = stringAt(record.request, 'modelId');
  return flag(attempted(record, record.eventName === 'PutUseCaseForModelAccess'
    ? 'use case for model access submitted' : `access to ${model ?? 'a model'} switched on (${record.eventName})`), model);
}

function loggingDeleted(record: CloudTrailRecord): CloudTrailVerdict {
  return flag(attempted(record, `model invocation logging deleted in ${record.region}`));
}

/**
 * Root calls, reads included. A read in a root console session is left to the login's alert (one per session, not one
 * per page the console loads); a read with root access keys, which should not exist, is not.
 */
function rootActivity(record: CloudTrailRecord): CloudTrailVerdict {
  if (record.principalType !== 'Root') return pass('not the root user');
  if (fieldAt(record.raw, 'readOnly') === true && stringAt(record.raw, 'sessionCredentialFromConsole') === 'true') {
    return pass(`${record.eventName} read in a root console session, which the login's alert covers`);
  }
  return flag(attempted(record, `the root user called ${record.eventName}`));
}

/** A judge per abuse detection and root activity: a detection without one fails to compile. */
export const ABUSE_JUDGES: Readonly<Record<AbuseCallId, (record: CloudTrailRecord, context: GuardContext) => CloudTrailVerdict>> = {
  'root-access-key': rootAccessKey,
  'compromised-key-quarantine': quarantinePolicy,
  'ssm-command-outside-policy': commandOutsidePolicy,
  'public-lambda-permission': publicPermission,
  'roles-anywhere-trust': rolesAnywhere,
  'serial-console-enabled': serialConsoleEnabled,
  'serial-console-key-sent': serialConsoleKey,
  'bedrock-model-access': modelAccess,
  'bedrock-logging-deleted': loggingDeleted,
  'root-activity': rootActivity,
};
