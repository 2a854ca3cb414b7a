/**
 * Finds, in the home stack's template, the alert topic the guard adopted (`alertTopic`, not a resource of the stack)
 * and who publishes to it for the guard: the roles of the functions that alert, and any AWS service a resource of the
 * stack points at it. Judges whether each role was granted the use of the topic's key.
 */
import { Check, fail, pass, skip } from './check';
import { referencedId, resolveValue, StackValues, TemplateResources } from './template-values';
import { covers, KEY_ACTIONS_TO_PUBLISH } from './topic-key';

/** The environment variable the guard's alerting functions read the alert topic's ARN from (catalog's handler contracts). */
const ALERT_TOPIC_VARIABLE = 'ALERT_TOPIC_ARN';

/** A role that publishes to the adopted topic: the function's role, by its logical id in the stack. */
export interface PublisherRole {
  readonly functionLogicalId: string;
  readonly roleLogicalId: string;
}

/** The adopted alert topic and its publishers, as the template says. */
export interface AdoptedTopic {
  /** The topic's ARN, or undefined when the template names it with what only deployment knows. */
  readonly topicArn?: string;
  readonly roles: readonly PublisherRole[];
  /** The AWS services (principal names) a resource of the stack has publish to the topic. */
  readonly services: readonly string[];
}

/** Where a resource of each type names the topics a service publishes to. */
const SERVICE_TARGETS: Readonly<Record<string, { service: string; addresses: (props: Record<string, any>) => unknown[] }>> = {
  'AWS::Events::Rule': { service: 'events.amazonaws.com', addresses: (p) => (p.Targets ?? []).map((t: any) => t?.Arn) },
  'AWS::CloudWatch::Alarm': {
    service: 'cloudwatch.amazonaws.com',
    addresses: (p) => [...p.AlarmActions ?? [], ...p.OKActions ?? [], ...p.InsufficientDataActions ?? []],
  },
  'AWS::Budgets::Budget': {
    service: 'budgets.amazonaws.com',
    addresses: (p) => (p.NotificationsWithSubscribers ?? []).flatMap((n: any) => (n?.Subscribers ?? []).map((s: any) => s?.Address)),
  },
  'AWS::Budgets::BudgetsAction': { service: 'budgets.amazonaws.com', addresses: (p) => (p.Subscribers ?? []).map((s: any) => s?.Address) },
  'AWS::CE::AnomalySubscription': { service: 'costalerts.amazonaws.com', addresses: (p) => (p.Subscribers ?? []).map((s: any) => s?.Address) },
};

/** The services a resource of the stack has publish to the topic, each once. */
function servicesPublishingTo(resources: TemplateResources, topicArn: string, known: StackValues): string[] {
  const services = new Set<string>();
  for (const r of Object.values(resources)) {
    const target = SERVICE_TARGETS[String(r?.Type)];
    if (!target) continue;
    let addresses: unknown[];
    try {
      addresses = target.addresses((r.Properties ?? {}) as Record<string, any>);
    } catch {
      continue;
    }
    if (addresses.some((a) => resolveValue(a, known) === topicArn)) services.add(target.service);
  }
  return [...services];
}

/**
 * The alert topic the guard adopted, or undefined when its functions alert to a topic of the stack (or none alerts).
 * The functions that alert name the topic in their environment; the adopted one is not a resource of the template.
 */
export function adoptedTopicOf(resources: TemplateResources, known: StackValues): AdoptedTopic | undefined {
  const roles: PublisherRole[] = [];
  let topicArn: string | undefined;
  let found = false;
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r?.Type !== 'AWS::Lambda::Function') continue;
    const value = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[ALERT_TOPIC_VARIABLE];
    if (value === undefined) continue;
    const referenced = referencedId(value);
    if (referenced && resources[referenced]?.Type === 'AWS::SNS::Topic') return undefined;
    found = true;
    topicArn ??= resolveValue(value, known);
    const role = referencedId(r.Properties?.Role);
    if (role) roles.push({ functionLogicalId: logicalId, roleLogicalId: role });
  }
  if (!found) return undefined;
  return { topicArn, roles, services: topicArn ? servicesPublishingTo(resources, topicArn, known) : [] };
}

/**
 * The resources the role's policies in the stack allow `action` on: ARNs, `*`, or undefined for one only deployment
 * knows.
 */
export function roleGrantsOf(resources: TemplateResources, roleLogicalId: string, action: string, known: StackValues): Array<string | undefined> {
  const granted: Array<string | undefined> = [];
  for (const r of Object.values(resources)) {
    if (r?.Type !== 'AWS::IAM::Policy') continue;
    const props = r.Properties ?? {};
    if (!(Array.isArray(props.Roles) && props.Roles.some((role) => referencedId(role) === roleLogicalId))) continue;
    const statements = (props.PolicyDocument as { Statement?: unknown } | undefined)?.Statement;
    for (const st of Array.isArray(statements) ? statements as Array<Record<string, unknown>> : []) {
      if (st?.Effect !== 'Allow' || ![st.Action].flat().some((a) => covers(a, action))) continue;
      for (const resource of [st.Resource].flat()) granted.push(resolveValue(resource, known));
    }
  }
  return granted;
}

/**
 * Whether the role was granted, in the stack, the use of the topic's key for publishing: a role's own policy must
 * allow it for any key policy but one that names the role. Without `alertTopicKey` the guard takes the adopted topic to
 * be unencrypted and grants nothing, and every alert then fails with KMS AccessDenied.
 */
export function judgeRoleKeyGrant(role: string, keyArn: string, grantsByAction: Readonly<Record<string, ReadonlyArray<string | undefined>>>): Check {
  const name = `alert topic key grant to ${role}`;
  const missing = KEY_ACTIONS_TO_PUBLISH.filter((action) => !(grantsByAction[action] ?? []).some((r) => r === '*' || r === keyArn));
  if (missing.length === 0) return pass(name, `its policy allows ${KEY_ACTIONS_TO_PUBLISH.join(' and ')} on ${keyArn}`);
  if (missing.every((action) => (grantsByAction[action] ?? []).includes(undefined))) {
    return skip(name, `its policy names the key it may use with what only deployment knows: the doctor cannot compare it with ${keyArn}`);
  }
  return fail(name, `its policy does not allow ${missing.join(' or ')} on ${keyArn}, the key the topic is encrypted with: every alert it publishes fails with KMS AccessDenied`,
    `give MiningGuard the topic's key: alertTopicKey: kms.Key.fromKeyArn(this, 'AlertTopicKey', '${keyArn}') (or import the topic with its keyArn), and deploy again`);
}
