/**
 * Judges a policy granted to a user, role or group: an inline document from the request, a known AWS managed
 * policy by its ARN, or a customer-managed policy by the document the notifier looked up before judging.
 */
import type { LookedUpFacts, PolicyLookup } from './event-reader';
import { judgePolicyDocument } from './policy-document';
import { CloudTrailRecord, readRecord } from '../events/cloudtrail-record';
import { fieldAt, stringAt } from '../events/event-fields';

/**
 * AWS managed policies that grant administrator-equivalent access, by name (their ARN is `arn:PARTITION:iam::aws:policy/NAME`):
 * `AdministratorAccess` allows `*`; `IAMFullAccess` allows `iam:*`, with which a principal grants itself anything;
 * `PowerUserAccess` allows every action but IAM, Organizations and Account management on every resource, which is
 * every GPU and every region. The policy-document judge flags each one's published document alike (tested).
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
 */
export const ADMIN_MANAGED_POLICIES: readonly string[] = ['AdministratorAccess', 'IAMFullAccess', 'PowerUserAccess'];

/** The calls that attach a managed policy by ARN; the others (`Put*Policy`) carry an inline document. */
const ATTACH_CALLS = ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy'];

/** A customer-managed policy ARN: `arn:aws:iam::111122223333:policy/path/Name`. */
const CUSTOMER_POLICY_ARN = /^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,1024}$/;
/** An AWS managed policy ARN, `arn:aws:iam::aws:policy/path/Name`, and its path and name. */
const AWS_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/([\w+=,.@/-]{1,1024})$/;

/** Why a grant is administrator-equivalent, or why not. */
export type AdminPolicyVerdict = { readonly admin: true; readonly reason: string } | { readonly admin: false; readonly reason: string };

/**
 * The customer-managed policies an event attaches, which the notifier looks up before judging: none for any other
 * event. Reads any value without throwing.
 */
export function policiesToLookUp(event: unknown): string[] {
  const record = readRecord(event);
  if (typeof record === 'string' || record.eventSource !== 'iam.amazonaws.com' || !ATTACH_CALLS.includes(record.eventName)) return [];
  const arn = stringAt(record.request, 'policyArn');
  return arn !== undefined && CUSTOMER_POLICY_ARN.test(arn) ? [arn] : [];
}

/**
 * The default-version documents of customer-managed policies that replayed records created, by policy ARN: a
 * `CreatePolicy` (whose document is version v1, the default) or a `CreatePolicyVersion` that set itself as default,
 * later records winning. What the offline replay can pass as facts in place of the IAM lookup it cannot make.
 */
export function policyDocumentsIn(records: Iterable<unknown>): Map<string, PolicyLookup> {
  const documents = new Map<string, PolicyLookup>();
  for (const event of records) {
    const record = readRecord(event);
    if (typeof record === 'string' || record.eventSource !== 'iam.amazonaws.com' || record.errorCode !== undefined) continue;
    const document = fieldAt(record.request, 'policyDocument');
    if (document === undefined) continue;
    const arn = record.eventName === 'CreatePolicy' ? stringAt(record.response, 'policy.arn')
      : record.eventName === 'CreatePolicyVersion' && fieldAt(record.request, 'setAsDefault') === true ? stringAt(record.request, 'policyArn')
        : undefined;
    if (arn !== undefined && CUSTOMER_POLICY_ARN.test(arn)) documents.set(arn, { document });
  }
  return documents;
}

/** Text from a request, quoted and cut short for an alert. */
const quoted = (text: string): string => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);

/**
 * Whether the policy an `Attach*Policy` or `Put*Policy` call grants is administrator-equivalent. A customer-managed
 * policy is judged by the document in `facts`; when the lookup failed, or was expected and is missing, the grant is
 * reported as unjudged, never passed. Without facts at all (the offline replay, which cannot look policies up), a
 * customer-managed policy is passed, saying it was not read.
 */
export function judgeAdminPolicy(record: CloudTrailRecord, facts?: LookedUpFacts): AdminPolicyVerdict {
  if (!ATTACH_CALLS.includes(record.eventName)) {
    const document = fieldAt(record.request, 'policyDocument');
    const verdict = judgePolicyDocument(document);
    const name = stringAt(record.request, 'policyName');
    return { admin: verdict.grantsAdmin, reason: `inline policy${name ? ` ${quoted(name)}` : ''}: ${verdict.reason}` };
  }
  const arn = stringAt(record.request, 'policyArn');
  if (arn === undefined) return { admin: true, reason: 'a policy whose ARN the record does not name' };
  const awsManaged = AWS_POLICY_ARN.exec(arn);
  if (awsManaged) {
    return ADMIN_MANAGED_POLICIES.includes(awsManaged[1])
      ? { admin: true, reason: `AWS managed policy ${awsManaged[1]}` }
      : { admin: false, reason: `AWS managed policy ${quoted(awsManaged[1])} grants less than administrator access` };
  }
  if (!CUSTOMER_POLICY_ARN.test(arn)) return { admin: true, reason: `a policy ARN that is not one: ${quoted(arn)}` };
  if (facts === undefined) return { admin: false, reason: `customer-managed policy ${arn} was not read here: its document is judged when the deployed guard looks it up` };
  const lookup = facts.policyDocuments?.get(arn);
  if (lookup === undefined) return { admin: true, reason: `could not read policy ${arn}: it was not looked up` };
  if ('error' in lookup) return { admin: true, reason: `could not read policy ${arn}: ${lookup.error}` };
  const verdict = judgePolicyDocument(lookup.document);
  return { admin: verdict.grantsAdmin, reason: `customer-managed policy ${arn}: ${verdict.reason}` };
}
