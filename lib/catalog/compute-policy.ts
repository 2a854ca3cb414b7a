/**
 * The compute policy: what compute the account expects, set once on MiningGuard and applied alike by LaunchWatch, the
 * Config rules and `mining-guard replay`. Its fields, defaults, validation and matching live here and nowhere else.
 */
import { segmentPattern } from './patterns';

/**
 * The instance families of GPU and accelerator instances, which miners launch first: NVIDIA GPUs (`p`, `g`, and `gr`,
 * the memory-heavy G6 variant), Inferentia (`inf`), Trainium (`trn`), Gaudi (`dl`), FPGAs (`f`) and video
 * transcoders (`vt`). Denied unless the policy allows them.
 */
export const ACCELERATOR_FAMILIES: readonly string[] = ['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt'];

/**
 * What compute the account expects. A launch outside it is flagged by LaunchWatch within seconds, an instance
 * outside it is NON_COMPLIANT for the Config rules, and `mining-guard replay --policy` judges past logs by it.
 *
 * Instance families are written as a series (`g`, covering g4dn, g5, g6...), a generation (`g5`, `p4d`), or `*` for
 * every family; SageMaker's `ml.` types belong to the family of their EC2 type. Where an allowed and a denied entry
 * both cover a type, the more specific one wins: a generation beats a series, which beats `*`. So
 * `allowedInstanceFamilies: ['g5']` allows `g5.*` and keeps every other GPU family denied, and an allow-list is
 * `deniedInstanceFamilies: ['*']` with `allowedInstanceFamilies: ['t', 'm', 'c']`. A type no entry covers is allowed.
 */
export interface ComputePolicy {
  /**
   * Regions where compute is expected, e.g. `['eu-west-1', 'eu-central-1']`. A launch or an instance anywhere else is
   * flagged.
   * @default - every region
   */
  readonly allowedRegions?: string[];

  /**
   * Instance families allowed although a less specific entry denies them, as a series (`g`), a generation (`g5`) or
   * `*`. An entry here also takes the same entry out of the default denied families.
   * @default - none: every family that is not denied is allowed
   */
  readonly allowedInstanceFamilies?: string[];

  /**
   * Instance families denied, as a series (`p` covers p2 to p5, and SageMaker's `ml.p` types), a generation (`p4d`),
   * or `*` for every family the allowed ones do not name (an allow-list).
   * @default - the GPU and accelerator families: p, g, gr, inf, trn, dl, f, vt
   */
  readonly deniedInstanceFamilies?: string[];

  /**
   * The most vCPUs one call may start.
   * @default 64
   */
  readonly maxVcpusPerCall?: number;

  /**
   * The most instances, tasks or Auto Scaling capacity one call may start.
   * @default 10
   */
  readonly maxInstancesPerCall?: number;

  /**
   * The most vCPUs one ECS task definition may ask for (the campaign registers 16-vCPU Fargate tasks).
   * @default 8
   */
  readonly maxVcpusPerTask?: number;

  /**
   * The most instances that may run (pending or running) in one region at once.
   * @default 50
   */
  readonly maxRunningInstances?: number;

  /**
   * The most vCPUs that may run in one region at once.
   * @default 128
   */
  readonly maxRunningVcpus?: number;

  /**
   * Principals whose compute is never flagged and whose instances may be protected from termination, e.g. your CI/CD
   * roles, as IAM ARN patterns. A `*` stands for any characters within one part of the ARN: it never crosses `:` or
   * `/`. A role's ARN also matches that role's sessions, so `arn:aws:iam::111122223333:role/ci-*` exempts
   * `arn:aws:sts::111122223333:assumed-role/ci-deployer/build-42`.
   * @default - none
   */
  readonly exemptPrincipals?: string[];
}

/** A policy with every field set: what the evaluators judge by. */
export type ResolvedComputePolicy = {
  readonly [K in keyof ComputePolicy]-?: NonNullable<ComputePolicy[K]> extends Array<infer E> ? readonly E[] : NonNullable<ComputePolicy[K]>;
};

/** The policy of a guard nobody configured. */
export const DEFAULT_COMPUTE_POLICY: ResolvedComputePolicy = {
  allowedRegions: [],
  allowedInstanceFamilies: [],
  deniedInstanceFamilies: ACCELERATOR_FAMILIES,
  maxVcpusPerCall: 64,
  maxInstancesPerCall: 10,
  maxVcpusPerTask: 8,
  maxRunningInstances: 50,
  maxRunningVcpus: 128,
  exemptPrincipals: [],
};

/** The fields, in the order people read them. */
export const COMPUTE_POLICY_FIELDS = Object.keys(DEFAULT_COMPUTE_POLICY) as ReadonlyArray<keyof ResolvedComputePolicy>;

/** A policy that cannot be meant: the message says what is wrong and what to write instead. */
export class ComputePolicyError extends Error {
  public readonly name = 'ComputePolicyError';
}

/** What a region name looks like: `eu-west-1`, `us-gov-west-1`, `ap-southeast-7`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Whether a string read from a prop or an event is a region name, so that no other text passes for one. */
export function isRegionName(text: string): boolean {
  return REGION.test(text);
}
/** A series or generation in lower case, or `*` for every family. */
const FAMILY = /^([a-z][a-z0-9-]*|\*)$/;
/** The entry that covers every family, less specific than any series. */
const EVERY_FAMILY = '*';
/** `arn:<partition>:iam|sts::<account>:<resource>`: principals are IAM users and roles or STS sessions. */
const PRINCIPAL = /^arn:[^:]+:(iam|sts)::[^:]+:.+$/;

const COUNTS = ['maxVcpusPerCall', 'maxInstancesPerCall', 'maxVcpusPerTask', 'maxRunningInstances', 'maxRunningVcpus'] as const;
const LISTS = ['allowedRegions', 'allowedInstanceFamilies', 'deniedInstanceFamilies', 'exemptPrincipals'] as const;

function fail(message: string): never {
  throw new ComputePolicyError(`computePolicy.${message}`);
}

function stringList(field: string, value: unknown, example: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(`${field} must be a list of strings, got ${JSON.stringify(value)}. Write e.g. ${field}: ${example}.`);
  return value as string[];
}

/**
 * The policy with every field given replaced, checked. The construct, the config evaluator and the replay command all
 * read a policy through this function, so each refuses the same policies with the same message. Unknown fields are
 * an error, so a typo cannot weaken the policy.
 */
export function resolveComputePolicy(given: unknown = {}): ResolvedComputePolicy {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ComputePolicyError('computePolicy must be an object, e.g. {"allowedRegions": ["eu-west-1"], "maxVcpusPerCall": 32}.');
  }
  const fields = given as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => fields[k] !== undefined && !(COMPUTE_POLICY_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) fail(`${unknown.join(', ')}: no such field. Known fields: ${COMPUTE_POLICY_FIELDS.join(', ')}.`);

  for (const field of COUNTS) {
    const value = fields[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
      fail(`${field} must be a whole number above 0, got ${JSON.stringify(value)}. Write e.g. ${field}: ${DEFAULT_COMPUTE_POLICY[field]}.`);
    }
  }
  const lists = Object.fromEntries(LISTS.map((field) => [field, fields[field]]));
  const regions = lists.allowedRegions === undefined ? undefined : stringList('allowedRegions', lists.allowedRegions, "['eu-west-1', 'us-east-1']");
  for (const region of regions ?? []) {
    if (!REGION.test(region)) fail(`allowedRegions: '${region}' is not a region name. Write e.g. ['eu-west-1', 'us-east-1'].`);
  }
  const allowed = lists.allowedInstanceFamilies === undefined ? undefined : stringList('allowedInstanceFamilies', lists.allowedInstanceFamilies, "['g5']");
  const denied = lists.deniedInstanceFamilies === undefined ? undefined : stringList('deniedInstanceFamilies', lists.deniedInstanceFamilies, "['p', 'g']");
  for (const [field, families] of [['allowedInstanceFamilies', allowed], ['deniedInstanceFamilies', denied]] as const) {
    for (const family of families ?? []) {
      if (!FAMILY.test(family)) {
        fail(`${field}: '${family}' is not an instance family. Write a series or a generation in lower case, e.g. 'g' or 'p4d', or '*' for every family (not '${family}').`);
      }
    }
  }
  if (regions?.length === 0) fail('allowedRegions is empty, which would flag every region. Give at least one, e.g. [\'eu-west-1\'], or leave it out for every region.');
  if (allowed?.length === 0) fail('allowedInstanceFamilies is empty, which allows nothing. Give at least one, e.g. [\'g5\'], or leave it out.');
  const both = denied && allowed ? allowed.filter((f) => denied.includes(f)) : [];
  if (both.length > 0) {
    fail(`${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} in both allowedInstanceFamilies and deniedInstanceFamilies. Remove ${both.length === 1 ? 'it' : 'them'} from one list; to allow one generation of a denied series, deny the series ('g') and allow the generation ('g5').`);
  }
  const principals = lists.exemptPrincipals === undefined ? undefined : stringList('exemptPrincipals', lists.exemptPrincipals, "['arn:aws:iam::111122223333:role/ci-deployer']");
  for (const pattern of principals ?? []) {
    if (!PRINCIPAL.test(pattern)) {
      fail(`exemptPrincipals: '${pattern}' is not an IAM ARN pattern. Write e.g. 'arn:aws:iam::111122223333:role/ci-deployer' (a role also matches its sessions) or 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*'.`);
    }
  }

  const count = (field: typeof COUNTS[number]) => (fields[field] as number | undefined) ?? DEFAULT_COMPUTE_POLICY[field];
  return {
    allowedRegions: regions ?? DEFAULT_COMPUTE_POLICY.allowedRegions,
    allowedInstanceFamilies: allowed ?? DEFAULT_COMPUTE_POLICY.allowedInstanceFamilies,
    // An allowed entry takes its twin out of the default list: allowing `g` means allowing it.
    deniedInstanceFamilies: denied ?? ACCELERATOR_FAMILIES.filter((f) => !allowed?.includes(f)),
    maxVcpusPerCall: count('maxVcpusPerCall'),
    maxInstancesPerCall: count('maxInstancesPerCall'),
    maxVcpusPerTask: count('maxVcpusPerTask'),
    maxRunningInstances: count('maxRunningInstances'),
    maxRunningVcpus: count('maxRunningVcpus'),
    exemptPrincipals: principals ?? DEFAULT_COMPUTE_POLICY.exemptPrincipals,
  };
}

/** `p4d.24xlarge` is series `p` and generation `p4d`; `ml.g5.xlarge` is series `g` and generation `g5`. */
export interface InstanceTypeName {
  readonly series: string;
  readonly generation: string;
}

export function instanceTypeName(instanceType: string): InstanceTypeName {
  const generation = instanceType.trim().toLowerCase().replace(/^ml\./, '').split('.')[0];
  return { series: /^[a-z]+/.exec(generation)?.[0] ?? generation, generation };
}

/** Whether an instance type is within the policy's families, and why. */
export interface FamilyVerdict {
  readonly allowed: boolean;
  readonly reason: string;
}

/**
 * Judges an instance type by the most specific entry that covers it: its generation beats its series, which beats
 * `*`. A type no entry covers is allowed.
 */
export function judgeFamily(policy: Pick<ResolvedComputePolicy, 'allowedInstanceFamilies' | 'deniedInstanceFamilies'>, instanceType: string): FamilyVerdict {
  const name = instanceTypeName(instanceType);
  const specificity = (entry: string) => (entry === name.generation ? 3 : entry === name.series ? 2 : entry === EVERY_FAMILY ? 1 : 0);
  const best = (entries: readonly string[]) => entries.reduce<{ entry?: string; rank: number }>(
    (top, entry) => (specificity(entry) > top.rank ? { entry, rank: specificity(entry) } : top), { rank: 0 });
  const allowedBy = best(policy.allowedInstanceFamilies);
  const deniedBy = best(policy.deniedInstanceFamilies);
  if (deniedBy.rank > allowedBy.rank) {
    return deniedBy.entry === EVERY_FAMILY
      ? { allowed: false, reason: `${instanceType} is outside the allowed families ${policy.allowedInstanceFamilies.join(', ') || '(none)'}` }
      : { allowed: false, reason: `${instanceType} is in the denied family ${deniedBy.entry}` };
  }
  if (allowedBy.rank > 0) return { allowed: true, reason: `${instanceType} is in the allowed family ${allowedBy.entry}` };
  return { allowed: true, reason: `${instanceType} is in no denied family` };
}

/** Who made a call: the ARN CloudTrail names, and for a role session the role's own ARN (with its path) when known. */
export interface Principal {
  readonly arn: string;
  /** `userIdentity.sessionContext.sessionIssuer.arn`: the role behind a session, path included. */
  readonly sessionIssuerArn?: string;
}

/** The ARNs a principal answers to: its own, and for a role session the role's. */
function principalArns(principal: Principal): string[] {
  const arns = [principal.arn];
  const session = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/[^/]+$/.exec(principal.arn);
  if (session) arns.push(principal.sessionIssuerArn ?? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`);
  return arns;
}

/** Whether an ARN pattern names this principal: segment by segment, a role's ARN also naming its sessions. */
export function principalMatches(pattern: string, principal: Principal): boolean {
  const regex = segmentPattern(pattern);
  return principalArns(principal).some((arn) => regex.test(arn));
}

/** The first exempt pattern that names the principal, or undefined. */
export function exemptBy(policy: Pick<ResolvedComputePolicy, 'exemptPrincipals'>, principal: Principal): string | undefined {
  return policy.exemptPrincipals.find((pattern) => principalMatches(pattern, principal));
}

/** Whether a region is expected. */
export function regionAllowed(policy: Pick<ResolvedComputePolicy, 'allowedRegions'>, region: string): boolean {
  return policy.allowedRegions.length === 0 || policy.allowedRegions.includes(region);
}
