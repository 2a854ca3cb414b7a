/** Reads a config-evaluator rule's parameters: the check it runs, and the compute policy it judges by. */
import { MalformedInvocationError } from './invocation';
import { CONFIG_CHECKS, CONFIG_RULE_PARAMETERS, ConfigCheck, ResolvedComputePolicy, resolveComputePolicy } from '../../../lib/catalog';

/** What one rule judges by. */
export interface RuleSettings {
  /** The one check the rule runs; without it every check that fits the invocation runs. */
  readonly check?: ConfigCheck;
  /** The compute policy, read and checked like the construct's. */
  readonly policy: ResolvedComputePolicy;
}

/**
 * The settings of a rule. Parameters this evaluator does not know are ignored; a `check` it does not know, or a policy
 * the construct would refuse, is an error, because nothing could be judged by it.
 */
export function readRuleSettings(parameters: Readonly<Record<string, string>>): RuleSettings {
  const check = parameters[CONFIG_RULE_PARAMETERS.check];
  if (check !== undefined && !(CONFIG_CHECKS as readonly string[]).includes(check)) {
    throw new MalformedInvocationError(`rule parameter check is '${check}'; the evaluator runs ${CONFIG_CHECKS.join(', ')}`);
  }
  const text = parameters[CONFIG_RULE_PARAMETERS.computePolicy];
  let given: unknown = {};
  if (text !== undefined) {
    try {
      given = JSON.parse(text);
    } catch {
      throw new MalformedInvocationError(`rule parameter ${CONFIG_RULE_PARAMETERS.computePolicy} is not JSON: '${text.slice(0, 200)}'`);
    }
  }
  try {
    return { check: check as ConfigCheck | undefined, policy: resolveComputePolicy(given) };
  } catch (error) {
    throw new MalformedInvocationError(`rule parameter ${CONFIG_RULE_PARAMETERS.computePolicy}: ${(error as Error).message}`);
  }
}
