/** The rule parameters a config-evaluator rule is deployed with, read into a policy with the catalog's defaults. */
import { MalformedInvocationError } from './invocation';
import { ACCELERATOR_FAMILIES, DEFAULT_RUNNING_COMPUTE_LIMITS } from '../../../lib/catalog';

/** The checks the evaluator runs; each name is the catalog's rule suffix of its detection. */
export const CONFIG_CHECKS = ['instance-family', 'instance-region', 'running-compute', 'termination-protection'] as const;
export type ConfigCheck = typeof CONFIG_CHECKS[number];

/** What the evaluator judges against. */
export interface ConfigPolicy {
  /** The one check the rule runs; without it every check that fits the invocation runs. */
  readonly check?: ConfigCheck;
  /** Instance families (`p`, `gr`) or generations (`p4d`) that are never allowed. */
  readonly deniedFamilies: readonly string[];
  /** When set, only these families or generations are allowed. */
  readonly allowedFamilies?: readonly string[];
  /** When set, instances anywhere else are non-compliant; without it the region check does not run. */
  readonly allowedRegions?: readonly string[];
  readonly maxRunningInstances: number;
  readonly maxRunningVcpus: number;
  /** ARN patterns (`*` matches any run of characters) of principals allowed to protect instances from termination. */
  readonly exemptPrincipals: readonly string[];
}

const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function count(parameters: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const text = parameters[name];
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new MalformedInvocationError(`rule parameter ${name} must be a whole number of at least 0, got '${text}'`);
  return n;
}

/**
 * The policy of a rule. Parameters this evaluator does not know are ignored, so a rule written for another
 * evaluator still runs with the defaults; a `check` it does not know is an error, because nothing could be judged.
 */
export function readPolicy(parameters: Readonly<Record<string, string>>): ConfigPolicy {
  const check = parameters.check;
  if (check !== undefined && !(CONFIG_CHECKS as readonly string[]).includes(check)) {
    throw new MalformedInvocationError(`rule parameter check is '${check}'; the evaluator runs ${CONFIG_CHECKS.join(', ')}`);
  }
  return {
    check: check as ConfigCheck | undefined,
    deniedFamilies: list(parameters.deniedFamilies) ?? ACCELERATOR_FAMILIES,
    allowedFamilies: list(parameters.allowedFamilies),
    allowedRegions: list(parameters.allowedRegions),
    maxRunningInstances: count(parameters, 'maxRunningInstances', DEFAULT_RUNNING_COMPUTE_LIMITS.maxRunningInstances),
    maxRunningVcpus: count(parameters, 'maxRunningVcpus', DEFAULT_RUNNING_COMPUTE_LIMITS.maxRunningVcpus),
    exemptPrincipals: list(parameters.exemptPrincipals) ?? [],
  };
}
