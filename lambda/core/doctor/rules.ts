/** Judges a guard EventBridge rule: enabled, with a target. */
import { Check, fail, pass } from './check';

/** What EventBridge DescribeRule returns that the doctor reads. */
export interface RuleState {
  readonly State?: string;
}

/** A target as EventBridge ListTargetsByRule returns it. */
export interface RuleTarget {
  readonly Arn?: string;
}

/** The rule's check: ENABLED and with at least one target. */
export function judgeRule(rule: string, state: RuleState, targets: readonly RuleTarget[]): Check {
  const name = `rule ${rule}`;
  if (state.State !== 'ENABLED') {
    return fail(name, `state ${String(state.State)}: the events it routes are dropped`, `aws events enable-rule --name ${rule}, then find who disabled it (DisableRule)`);
  }
  if (targets.length === 0) {
    return fail(name, 'enabled, without a target: the events it matches go nowhere', 'deploy the guard again to restore the rule\'s target');
  }
  return pass(name, `ENABLED, ${targets.length} target${targets.length === 1 ? '' : 's'}`);
}
