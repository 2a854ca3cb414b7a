/**
 * The launch policy: what a launch may be before the evaluator flags it, and what to do when it is flagged.
 * The construct validates it and hands it to the evaluator as JSON; the replay command reads the same JSON.
 */
import { matchesPattern } from './patterns';
import type { Response } from './types';

/**
 * The instance families of GPU and accelerator instances, which miners launch first: NVIDIA GPUs (`p`, `g`, and `gr`,
 * the memory-heavy G6 variant), Inferentia (`inf`), Trainium (`trn`), Gaudi (`dl`), FPGAs (`f`) and video
 * transcoders (`vt`). Denied unless a policy allows them, by LaunchWatch and by the Config rules alike.
 */
export const ACCELERATOR_FAMILIES: readonly string[] = ['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt'];

export interface LaunchPolicy {
  /** Regions where launches are expected; empty means every region. */
  readonly allowedRegions: readonly string[];
  /** Families allowed; empty means every family that is not denied. A family is a prefix: `g` covers g4dn, g5... */
  readonly allowedInstanceFamilies: readonly string[];
  /** Families denied, as prefixes of the family name (`p` covers p2...p5, `ml.p` is covered through `p`). */
  readonly deniedInstanceFamilies: readonly string[];
  /** The most vCPUs one call may start. */
  readonly maxVcpusPerCall: number;
  /** The most instances (or tasks, or Auto Scaling capacity) one call may start. */
  readonly maxInstancesPerCall: number;
  /** The most vCPUs one ECS task may have. */
  readonly maxVcpusPerTask: number;
  /** Principals never flagged: ARN patterns with `*`, e.g. `arn:aws:iam::*:role/cdk-*-cfn-exec-role-*`. */
  readonly exemptPrincipals: readonly string[];
  /** The response for each detection id; NOTIFY where absent. */
  readonly responses: Readonly<Record<string, Response>>;
  /** Plan containment and report it, but change nothing. */
  readonly dryRun: boolean;
}

export const DEFAULT_LAUNCH_POLICY: LaunchPolicy = {
  allowedRegions: [],
  allowedInstanceFamilies: [],
  deniedInstanceFamilies: ACCELERATOR_FAMILIES,
  maxVcpusPerCall: 64,
  maxInstancesPerCall: 10,
  maxVcpusPerTask: 8,
  exemptPrincipals: [],
  responses: {},
  dryRun: false,
};

/** The default policy with the given fields replaced; unknown fields are an error, so a typo cannot weaken it. */
export function launchPolicy(overrides: unknown = {}): LaunchPolicy {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new Error('A launch policy is a JSON object, e.g. {"allowedRegions": ["eu-west-1"], "maxVcpusPerCall": 32}');
  }
  const known = Object.keys(DEFAULT_LAUNCH_POLICY);
  const unknown = Object.keys(overrides).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`Unknown launch policy field(s): ${unknown.join(', ')}. Known fields: ${known.join(', ')}`);
  return { ...DEFAULT_LAUNCH_POLICY, ...(overrides as Partial<LaunchPolicy>) };
}

/** Whether an instance family is outside the policy: denied, or not among the allowed ones. */
export function familyDenied(policy: LaunchPolicy, family: string): boolean {
  const covers = (prefix: string) => family === prefix || (family.startsWith(prefix) && /^\d/.test(family.slice(prefix.length)));
  if (policy.allowedInstanceFamilies.some(covers)) return false;
  if (policy.deniedInstanceFamilies.some(covers)) return true;
  return policy.allowedInstanceFamilies.length > 0;
}

/** Whether a principal is exempt. */
export function principalExempt(policy: LaunchPolicy, principalArn: string): boolean {
  return policy.exemptPrincipals.some((p) => matchesPattern(p, principalArn));
}
