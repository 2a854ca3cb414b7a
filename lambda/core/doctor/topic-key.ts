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
export const KEY_ACTIONS_TO_PUBLISH = ['kms:GenerateDataKey*', 'kms:Decrypt'];
const NEEDED = KEY_ACTIONS_TO_PUBLISH;

/** Whether a publisher is an IAM role (its ARN) rather than an AWS service (its principal name). */
function isRole(publisher: string): boolean {
  return publisher.startsWith('arn:');
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether a policy action pattern (`kms:*`, `kms:GenerateDataKey*`, `*`) covers the action; case-insensitive, as IAM. */
export function covers(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') return false;
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  if (p === '*' || p === a) return true;
  if (!p.endsWith('*')) return a.replace(/\*$/, '') === p;
  return a.startsWith(p.slice(0, -1));
}

/**
 * Whether a statement names the publisher as a principal: a service by its name; a role by its ARN, or by its
 * account (`arn:aws:iam::<account>:root` or the bare id), which lets the account's IAM policies grant the key's use.
 */
function namesService(principal: unknown, publisher: string): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  const aws = asList(p.AWS);
  if (aws.includes('*')) return true;
  if (!isRole(publisher)) return asList(p.Service).includes(publisher);
  const [, partition, , , account] = publisher.split(':');
  return aws.includes(publisher) || aws.includes(`arn:${partition}:iam::${account}:root`) || aws.includes(account);
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

/** The statement a publisher needs in the key policy. */
function neededStatement(publisher: string): string {
  const principal = isRole(publisher) ? `{"AWS": "${publisher}"}` : `{"Service": "${publisher}"}`;
  return `{"Effect": "Allow", "Principal": ${principal}, "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"}`;
}

/** Whether a key id names the AWS managed key of SNS (`alias/aws/sns`, by alias name or ARN). */
export function isAwsManagedSnsKey(kmsMasterKeyId: string): boolean {
  return /alias\/aws\/sns$/.test(kmsMasterKeyId);
}

/**
 * The key's checks, one per publisher. `kmsMasterKeyId` is the topic's `KmsMasterKeyId` attribute (empty: not
 * encrypted); `keyPolicy` the key's policy document as KMS GetKeyPolicy returns it (a JSON string). A publisher is an
 * AWS service's principal name (`events.amazonaws.com`) or a role's ARN (the guard's functions publish with theirs).
 */
export function judgeTopicKey(topicArn: string, kmsMasterKeyId: string | undefined, keyPolicy: string | undefined,
  publishers: readonly string[] = TOPIC_PUBLISHERS): Check[] {
  const name = 'alert topic key';
  if (!kmsMasterKeyId) return [pass(name, `${topicArn} is not encrypted: every publisher may publish`)];
  if (isAwsManagedSnsKey(kmsMasterKeyId)) {
    const services = publishers.filter((p) => !isRole(p));
    if (services.length === 0) {
      // The AWS managed key lets every principal of the account use it through SNS: the guard's functions may publish.
      return [pass(name, `${topicArn} is encrypted with the AWS managed key aws/sns, which this account's roles may use through SNS; no AWS service publishes to it for the guard`)];
    }
    return services.map((service) => fail(`${name} for ${service}`,
      `${topicArn} is encrypted with the AWS managed key aws/sns, whose policy ${service} may not use (nobody can change it): its publishes are dropped`,
      `encrypt the topic with a customer-managed key whose policy holds ${neededStatement(service)} (aws sns set-topic-attributes --attribute-name KmsMasterKeyId), `
      + 'and give that key to MiningGuard as alertTopicKey'));
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
        `add to the key policy: ${neededStatement(service)}`
        + (isRole(service) ? ' (or the default key policy\'s statement that lets the account\'s IAM policies grant the key\'s use)' : ''));
  });
}
