/** Checks of ComplianceRules' props that contradict each other: each error says what is wrong and what to write instead. */
import { Duration } from 'aws-cdk-lib';
import { resolveComputePolicy } from '../catalog';
import { ComplianceRule } from './compliance-rule';
import type { ComplianceRulesOptions, ComplianceRulesProps } from './compliance-rules';
import { RecorderMode } from './config-recorder';

/** Which rule each tuning prop belongs to, so tuning a disabled rule is caught. */
const TUNING: ReadonlyArray<[keyof ComplianceRulesOptions, ComplianceRule]> = [
  ['maxAccessKeyAge', ComplianceRule.ACCESS_KEYS_ROTATED],
  ['maxCredentialUnusedAge', ComplianceRule.UNUSED_CREDENTIALS],
  ['allowedInstanceTypes', ComplianceRule.DESIRED_INSTANCE_TYPE],
  ['runningComputeFrequency', ComplianceRule.RUNNING_COMPUTE],
  ['guardDutyAdminAccount', ComplianceRule.GUARDDUTY_ENABLED],
];

/** The days of a duration that Config takes in whole days; throws for a fraction or less than a day. */
export function wholeDays(prop: string, value: Duration | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`ComplianceRules: ${prop} must be a whole number of days, at least 1, got ${value.toHumanString()}. Write e.g. Duration.days(${fallback}).`);
  }
  return days;
}

function nonEmpty(prop: string, list: string[] | undefined, example: string): void {
  if (list !== undefined && list.length === 0) {
    throw new Error(`ComplianceRules: ${prop} is empty, which would deny everything. Give at least one, e.g. ${example}, or leave it out.`);
  }
}

function recorderModeAllows(props: ComplianceRulesProps): void {
  if (props.recorder === RecorderMode.OFF) {
    const given = [...TUNING.map(([p]) => p), 'disabledRules', 'recorderRetention', 'ruleNamePrefix']
      .filter((p) => props[p as keyof ComplianceRulesProps] !== undefined);
    if (given.length > 0) {
      throw new Error(`ComplianceRules: ${given.map((p) => `\`${p}\``).join(', ')} configure Config rules, but \`recorder: RecorderMode.OFF\` deploys none (Config refuses rules without a recorder). Remove them, or choose RecorderMode.CREATE or ADOPT.`);
    }
    if (!props.cisMetricFilters) {
      throw new Error('ComplianceRules: with `recorder: RecorderMode.OFF` and no `cisMetricFilters` nothing would be deployed. Set `cisMetricFilters: true`, or choose RecorderMode.CREATE or ADOPT.');
    }
  }
  if (props.recorder !== undefined && props.recorder !== RecorderMode.CREATE && props.recorderRetention !== undefined) {
    throw new Error('ComplianceRules: `recorderRetention` configures a created recorder\'s bucket, but `recorder` is not RecorderMode.CREATE. Remove it, or create the recorder.');
  }
}

/** Throws at the first prop that contradicts another or cannot be meant. */
export function validateComplianceProps(props: ComplianceRulesProps): void {
  const disabled = new Set(props.disabledRules ?? []);
  const tunedButDisabled = TUNING.filter(([prop, rule]) => props[prop] !== undefined && disabled.has(rule));
  if (tunedButDisabled.length > 0) {
    throw new Error(`ComplianceRules: ${tunedButDisabled.map(([p, r]) => `\`${p}\` tunes ${r}`).join(', ')}, which \`disabledRules\` turns off. Remove the tuning, or the rule from \`disabledRules\`.`);
  }
  recorderModeAllows(props);
  nonEmpty('allowedInstanceTypes', props.allowedInstanceTypes, "['t3.micro']");
  try {
    resolveComputePolicy(props.computePolicy ?? {});
  } catch (error) {
    throw new Error(`ComplianceRules: ${(error as Error).message}`);
  }
  if (props.cisMetricFilters && !props.trailLogGroup) {
    throw new Error('ComplianceRules: `cisMetricFilters` needs the trail\'s log group (`trailLogGroup`). With an adopted trail, pass its `existingLogGroup`.');
  }
}
