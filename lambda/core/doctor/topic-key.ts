/**
 * Judges the alert topic's KMS key: every AWS service that publishes to the topic must be allowed to use it, or each
 * of its publishes is dropped with no error anyone sees.
 */
import { Check, fail, pass } from './check';

/**
 * The services that publish to the alert topic as the guard deploys it: EventBridge rules, AWS Budgets and Cost Anomaly
 * Detection. CloudWatch alarms reach people through EventBridge and the notifier, not the topic.
 */
export const TOPIC_PUBLISHERS = ['events.amazonaws.com', 'budgets.amazonaws.com', 'costalerts.amazonaws.com'] as const;

/** The key actions a publisher to an encrypted topic needs. */
const NEEDED = ['kms:GenerateDataKey*', 'kms:Decrypt'];

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether a policy action pattern (`kms:*`, `kms:GenerateDataKey*`, `*`) covers the action; case-insensitive, as IAM. */
function covers(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') return false;
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  if (p === '*' || p === a) return true;
  if (!p.endsWith('*')) return a.replace(/\*$/, '') === p;
  return a.startsWith(p.slice(0, -1));
}

/** Whether an Allow statement names the service as a principal. */
function namesService(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  return asList(p.Service).includes(service) || asList(p.AWS).includes('*');
}

/** The needed actions the key policy allows the service, whatever its conditions (the doctor cannot evaluate them). */
function allowed(statements: unknown[], service: string): string[] {
  return NEEDED.filter((action) => statements.some((s) => {
    if (s === null || typeof s !== 'object') return false;
    const st = s as Record<string, unknown>;
    return st.Effect === 'Allow' && namesService(st.Principal, service) && asList(st.Action).some((p) => covers(p, action));
  }) && !statements.some((s) => {
    if (s === null || typeof s !== 'object') return false;
    const st = s as Record<string, unknown>;
    return st.Effect === 'Deny' && st.Condition === undefined && namesService(st.Principal, service) && asList(st.Action).some((p) => covers(p, action));
  }));
}

/**
 * The key's checks, one per publisher. `kmsMasterKeyId` is the topic's `KmsMasterKeyId` attribute (empty: not
 * encrypted); `keyPolicy` the key's policy document as KMS GetKeyPolicy returns it (a JSON string).
 */
export function judgeTopicKey(topicArn: string, kmsMasterKeyId: string | undefined, keyPolicy: string | undefined,
  publishers: readonly string[] = TOPIC_PUBLISHERS): Check[] {
  const name = 'alert topic key';
  if (!kmsMasterKeyId) return [pass(name, `${topicArn} is not encrypted: every publisher may publish`)];
  if (/alias\/aws\/sns$/.test(kmsMasterKeyId)) {
    return [fail(name, `${topicArn} is encrypted with the AWS managed key aws/sns, whose policy no AWS service publisher may use`,
      'encrypt the topic with a customer-managed key whose policy allows events, budgets and costalerts.amazonaws.com kms:GenerateDataKey* and kms:Decrypt')];
  }
  let statements: unknown[];
  try {
    statements = asList((JSON.parse(keyPolicy ?? '') as Record<string, unknown>)?.Statement);
  } catch {
    return [fail(name, `the policy of ${kmsMasterKeyId} could not be read as JSON`, 'run the doctor again with kms:GetKeyPolicy on the key')];
  }
  return publishers.map((service) => {
    const granted = allowed(statements, service);
    const missing = NEEDED.filter((a) => !granted.includes(a));
    return missing.length === 0
      ? pass(`${name} for ${service}`, `${kmsMasterKeyId} allows ${NEEDED.join(' and ')}`)
      : fail(`${name} for ${service}`, `${kmsMasterKeyId} does not allow ${service} ${missing.join(' or ')}: its publishes to ${topicArn} are dropped`,
        `add to the key policy: {"Effect": "Allow", "Principal": {"Service": "${service}"}, "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"}`);
  });
}
