/** The trail log group's subscription filter pattern: every catalog CloudTrail call, built from the catalog. */
import { cloudTrailSelections, identitySelections, JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS } from '../catalog';

/** CloudWatch Logs refuses filter patterns longer than this. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** CloudWatch Logs allows this many regular expressions in one JSON filter pattern: the pattern uses both. */
export const MAX_REGEX_PER_PATTERN = 2;

/**
 * Event sources whose write calls people and deployments make, not running workloads: the trail, GuardDuty, Config,
 * Budgets, Cost Explorer, IAM, Organizations, Account Management, sign-in, Route 53 Resolver, Service Quotas, STS
 * Auto Scaling, IAM Roles Anywhere and Bedrock (whose model invocations are reads). Every write call of theirs is selected, tens to hundreds a day in a busy account, each dropped
 * by the evaluator in microseconds when it is no catalog call. None of them records data events, which can be
 * millions a day. Read calls are left out: security tools poll these services all day (`GetFindings`,
 * `DescribeTrails`, `GetRole`), and STS's `AssumeRole` is a read (`"readOnly": true`) in the records AWS writes.
 */
export const WRITES_SELECTED_SOURCES: readonly string[] = [
  'cloudtrail.amazonaws.com', 'guardduty.amazonaws.com', 'config.amazonaws.com', 'budgets.amazonaws.com', 'ce.amazonaws.com',
  'iam.amazonaws.com', 'organizations.amazonaws.com', 'account.amazonaws.com', 'signin.amazonaws.com',
  'route53resolver.amazonaws.com', 'servicequotas.amazonaws.com', 'sts.amazonaws.com', 'autoscaling.amazonaws.com',
  'rolesanywhere.amazonaws.com', 'bedrock.amazonaws.com',
];

/** Lambda puts its API version in event names (`UpdateFunctionCode20150331v2`): the stem with any version matches. */
const API_VERSION = /20\d{6}(v\d+)?$/;

/** What may stand in a CloudWatch Logs regular expression as a literal: letters, digits and `-`. */
const LITERAL = /^[A-Za-z0-9-]+$/;

function literal(text: string): string {
  if (!LITERAL.test(text)) throw new Error(`'${text}' cannot be written in a CloudWatch Logs regular expression: only letters, digits and '-' can.`);
  return text;
}

/** The first two words of a CamelCase name: `UpdateFunction` of `UpdateFunctionCode`. */
function firstTwoWords(name: string): string {
  return /^[A-Z][a-z0-9]*[A-Z][a-z0-9]*/.exec(name)?.[0] ?? name;
}

/**
 * The event names as one alternation: a name, or its stem followed by `.*` when it carries an API version or starts
 * another selected name (`CreateLaunchTemplate.*` is also `CreateLaunchTemplateVersion`). Names that share their first
 * two words are one alternative, those words and `.*` (`UpdateFunction.*` for `UpdateFunctionCode` and
 * `UpdateFunctionConfiguration`): it selects a few more calls of the same kind, and keeps the pattern short.
 */
function nameAlternatives(names: readonly string[]): string[] {
  const versioned = [...new Set(names.map((n) => n.replace(API_VERSION, '')))];
  const shared = new Set(versioned.map(firstTwoWords).filter((w, i, all) => all.indexOf(w) !== i));
  const stems = [...new Set(versioned.map((n) => (shared.has(firstTwoWords(n)) ? firstTwoWords(n) : n)))];
  const open = new Set([...names.filter((n) => API_VERSION.test(n)).map((n) => n.replace(API_VERSION, '')), ...shared]);
  for (const a of stems) for (const b of stems) if (a !== b && b.startsWith(a)) open.add(a);
  const covered = (s: string) => [...open].some((a) => a !== s && s.startsWith(a));
  return stems.filter((s) => !covered(s)).map((s) => (open.has(s) ? `${literal(s)}.*` : literal(s)));
}

/**
 * The subscription filter pattern that selects every CloudTrail call of the catalog's launch, tamper, credential and
 * abuse detections, in one filter, so the log group's other subscription slot stays the user's:
 *
 * `{ $.eventName = %RunInstances|...% || (($.readOnly IS FALSE || $.readOnly NOT EXISTS) && $.eventSource = %^iam\..*|...%) || $.userIdentity.type = "Root" }`
 *
 * - Calls of busy sources (EC2, ECS, Batch, SageMaker, S3, EventBridge, Lambda, SNS, KMS) are selected by name: running
 *   workloads call them all day (`CreateTags` and network interfaces, ECS agents' state changes, `SubmitJob`,
 *   `PutEvents`, KMS grants) and S3, Lambda, SNS and SageMaker log data events (`PutObject`, `Invoke`, `Publish`,
 *   `InvokeEndpoint`) as writes.
 * - Write calls of the quiet sources in {@link WRITES_SELECTED_SOURCES} are selected by source, whatever their name.
 *   Records without `readOnly` (the oldest record format, still in AWS's examples) are selected too.
 * - Every call of an identity the catalog watches whole (the root user) is selected, reads included: EventBridge
 *   never delivers read-only calls, so this is the only path that sees them.
 *
 * The ~80 names do not fit in 1,024 characters as `$.eventName = "X"` terms, so each list is one regular expression,
 * the two CloudWatch Logs allows per pattern. Whether CloudWatch Logs matches a regular expression against the whole
 * value or searches the value for it, every catalog call is selected: a name either is the value or is in it, and a
 * source is anchored at the value's start (`^iam\..*`). Searched, a name also selects the rare calls whose names
 * contain it (`CreateClusterSnapshot`, `DeleteRuleGroup`). The evaluator checks the event source and name of every
 * record it is given.
 *
 * Regular expressions count against a quota of five filter patterns with regular expressions per log group: this uses one.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function catalogSubscriptionPattern(): string {
  const detections = [...LAUNCH_DETECTIONS, ...JUDGED_CALL_DETECTIONS];
  const selections = cloudTrailSelections(detections);
  const names: string[] = [];
  const sources: string[] = [];
  for (const [source, eventNames] of selections) {
    if (WRITES_SELECTED_SOURCES.includes(source)) sources.push(`^${literal(source.replace(/\.amazonaws\.com$/, ''))}\\..*`);
    else names.push(...eventNames);
  }
  const byName = `$.eventName = %${nameAlternatives(names).join('|')}%`;
  const bySource = sources.length > 0 ? ` || (($.readOnly IS FALSE || $.readOnly NOT EXISTS) && $.eventSource = %${sources.join('|')}%)` : '';
  const byIdentity = identitySelections(detections).map((s) => ` || $.userIdentity.type = "${literal(s.identityType)}"`).join('');
  const pattern = `{ ${byName}${bySource}${byIdentity} }`;
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new Error(`The trail's subscription filter pattern is ${pattern.length} characters, more than CloudWatch Logs allows (${MAX_FILTER_PATTERN_LENGTH}). `
      + 'Select more quiet event sources by their write calls (WRITES_SELECTED_SOURCES), or fewer calls by name.');
  }
  return pattern;
}
