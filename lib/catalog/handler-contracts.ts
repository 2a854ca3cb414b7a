/**
 * The contracts between the constructs and the handlers they deploy: the environment variables each handler reads,
 * the JSON documents in them, and the defaults both sides share. Defined once, imported by both.
 */
import { ComputePolicy, isRegionName, ResolvedComputePolicy, resolveComputePolicy } from './compute-policy';
import { LaunchResponses, resolveResponses } from './responses';

/** The environment variables of each handler, by what they hold. */
export const HANDLER_ENVIRONMENT = {
  notifier: { alertTopicArn: 'ALERT_TOPIC_ARN', guardContext: 'GUARD_CONTEXT', idempotencyTable: 'IDEMPOTENCY_TABLE', dashboardUrl: 'DASHBOARD_URL' },
  launchEvaluator: {
    alertTopicArn: 'ALERT_TOPIC_ARN',
    dashboardUrl: 'DASHBOARD_URL',
    idempotencyTable: 'IDEMPOTENCY_TABLE',
    launchSettings: 'LAUNCH_SETTINGS',
    notifierFunction: 'NOTIFIER_FUNCTION',
    guardRoleArn: 'GUARD_ROLE_ARN',
    containmentRoleName: 'CONTAINMENT_ROLE_NAME',
  },
  spendEvaluator: {
    alertTopicArn: 'ALERT_TOPIC_ARN',
    dashboardUrl: 'DASHBOARD_URL',
    accountId: 'ACCOUNT_ID',
    budgetNames: 'BUDGET_NAMES',
    stateParameterName: 'STATE_PARAMETER_NAME',
    accelerationFactor: 'ACCELERATION_FACTOR',
    minimumIncreaseUsd: 'MINIMUM_INCREASE_USD',
  },
  configEvaluator: {},
} as const;

export type HandlerName = keyof typeof HANDLER_ENVIRONMENT;

/** The Powertools service name each handler logs as. */
export const SERVICE_NAMES: Readonly<Record<HandlerName, string>> = {
  notifier: 'mining-guard-notifier',
  launchEvaluator: 'mining-guard-launch-evaluator',
  spendEvaluator: 'mining-guard-spend-evaluator',
  configEvaluator: 'mining-guard-config-evaluator',
};

/** The values of a handler's variables, as the construct sets them. */
export type HandlerEnvironment<H extends HandlerName> = { readonly [K in keyof typeof HANDLER_ENVIRONMENT[H]]: string };

/** A handler's environment as Lambda's `environment` takes it. */
export function toEnvironment<H extends HandlerName>(handler: H, values: Partial<HandlerEnvironment<H>>): Record<string, string> {
  const names = HANDLER_ENVIRONMENT[handler] as Readonly<Record<string, string>>;
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => [names[k], v as string]));
}

/** A handler's variables read from the process environment; each missing one is undefined. */
export function fromEnvironment<H extends HandlerName>(
  handler: H, env: Readonly<Record<string, string | undefined>>,
): Partial<HandlerEnvironment<H>> {
  const names = HANDLER_ENVIRONMENT[handler] as Readonly<Record<string, string>>;
  return Object.fromEntries(Object.entries(names).map(([k, name]) => [k, env[name] || undefined])) as Partial<HandlerEnvironment<H>>;
}

/** The launch evaluator's settings: the compute policy as the user gave it, and the responses. */
export interface LaunchSettings {
  readonly computePolicy: ComputePolicy;
  readonly responses: LaunchResponses;
  /** Plan containment and report it, but change nothing. */
  readonly dryRun: boolean;
}

/** The settings the launch evaluator judges with: the policy resolved with its defaults. */
export interface ResolvedLaunchSettings {
  readonly policy: ResolvedComputePolicy;
  readonly responses: LaunchResponses;
  readonly dryRun: boolean;
  /**
   * The guard's own roles (the launch evaluator's): their calls are its containment, never a launch to judge. Read
   * from the handler's environment, never from the user's settings.
   */
  readonly guardRoleArns?: readonly string[];
}

/**
 * What the launch evaluator needs to confirm a record that did not come from EventBridge (a line of the trail's log
 * group) with CloudTrail's own copy before containing: granted only when containment is on.
 */
export const CONFIRMATION_ACTIONS: readonly string[] = ['cloudtrail:LookupEvents'];

/** An IAM role's ARN, path included: `arn:aws:iam::111122223333:role/path/Name`. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** The guard's own role from its environment variable, when it is a role's ARN; anything else names no role. */
export function readGuardRoleArns(value: string | undefined): readonly string[] {
  return value !== undefined && ROLE_ARN.test(value) ? [value] : [];
}

/** Reads and checks launch settings: the same checks, with the same messages, as the construct's. */
export function resolveLaunchSettings(given: unknown): ResolvedLaunchSettings {
  const settings = (given ?? {}) as Partial<Record<keyof LaunchSettings, unknown>>;
  if (typeof settings !== 'object' || Array.isArray(settings)) throw new Error('Launch settings must be a JSON object.');
  if (settings.dryRun !== undefined && typeof settings.dryRun !== 'boolean') throw new Error(`dryRun must be true or false, got ${JSON.stringify(settings.dryRun)}.`);
  return {
    policy: resolveComputePolicy(settings.computePolicy ?? {}),
    responses: resolveResponses(settings.responses ?? {}),
    dryRun: settings.dryRun === true,
  };
}

/** The parameters of a custom Config rule on the config evaluator: the check it runs and the policy fields it reads. */
export const CONFIG_RULE_PARAMETERS = { check: 'check', computePolicy: 'computePolicy' } as const;

/** The checks the config evaluator runs; each name is the catalog's rule suffix of its detection. */
export const CONFIG_CHECKS = ['instance-family', 'instance-region', 'running-compute', 'termination-protection'] as const;
export type ConfigCheck = typeof CONFIG_CHECKS[number];

/** The compute policy fields each check reads: a rule is given only these, to stay within Config's parameter length. */
export const CONFIG_CHECK_FIELDS: Readonly<Record<ConfigCheck, ReadonlyArray<keyof ComputePolicy>>> = {
  'instance-family': ['allowedInstanceFamilies', 'deniedInstanceFamilies'],
  'instance-region': ['allowedRegions'],
  'running-compute': ['maxRunningInstances', 'maxRunningVcpus'],
  'termination-protection': ['exemptPrincipals'],
};

/** What the notifier knows of the guard it belongs to, so it can tell the guard's own deployment from tampering. */
export interface GuardContext {
  /**
   * The IAM role ARNs, exact, that deploy the guard (its stack's CloudFormation execution role): only their sessions
   * may change the guard's own resources without an alert.
   */
  readonly deployPrincipals: readonly string[];
  /** Physical-name prefixes of the guard's own rules, functions and topics: its stack's name and a dash. */
  readonly guardNamePrefixes: readonly string[];
  /** ARNs of the guard's own keys and alert topic, created or adopted. */
  readonly guardArns: readonly string[];
  /** Names of the buckets that hold the trail's log files. */
  readonly trailBuckets: readonly string[];
  /** The regions where the guard runs, home included; undefined when the construct was not told. */
  readonly guardedRegions?: readonly string[];
  /**
   * ARN patterns of the principals the compute policy exempts (`exemptPrincipals`): their SSM commands and sessions
   * on instances are expected; anyone else's alert. Absent or empty: every command and session alerts.
   */
  readonly exemptPrincipals?: readonly string[];
}

export const EMPTY_GUARD_CONTEXT: GuardContext = { deployPrincipals: [], guardNamePrefixes: [], guardArns: [], trailBuckets: [] };

/**
 * The context the construct hands over as JSON; a field that is not a list of strings is left empty, a deploy
 * principal that is not a role's ARN and a guarded region that is not a region name are dropped.
 */
export function readGuardContext(json: string | undefined): GuardContext {
  if (!json) return EMPTY_GUARD_CONTEXT;
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const list = (key: keyof GuardContext): string[] => {
    const v = parsed?.[key];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  };
  const context = {
    deployPrincipals: list('deployPrincipals').filter((arn) => ROLE_ARN.test(arn)),
    guardNamePrefixes: list('guardNamePrefixes'),
    guardArns: list('guardArns'),
    trailBuckets: list('trailBuckets'),
    ...(Array.isArray(parsed?.exemptPrincipals) ? { exemptPrincipals: list('exemptPrincipals') } : {}),
  };
  // Absent is "not told", which the region-enabled alert says; an empty list is "no region", which it says otherwise.
  return Array.isArray(parsed?.guardedRegions) ? { ...context, guardedRegions: list('guardedRegions').filter(isRegionName) } : context;
}

/** The spend evaluator's judgement settings when its construct is not told otherwise. */
export const SPEND_EVALUATOR_DEFAULTS = { accelerationFactor: 3, minimumIncreaseUsd: 5 } as const;
