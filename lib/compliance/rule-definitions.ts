/** Which Config rules ComplianceRules deploys for its props, with each rule's settings and the resource type it needs recorded. */
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import { CONFIG_CHECK_FIELDS, CONFIG_RULE_PARAMETERS, ComputePolicy, ConfigCheck } from '../catalog';
import { ComplianceRule } from './compliance-rule';
import type { ComplianceRulesOptions } from './compliance-rules';
import { RecorderMode } from './config-recorder';
import { wholeDays } from './validate-options';

export const INSTANCE = 'AWS::EC2::Instance';
const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const DAILY = config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS;
const instances = config.RuleScope.fromResource(config.ResourceType.EC2_INSTANCE);
const securityGroups = config.RuleScope.fromResource(config.ResourceType.EC2_SECURITY_GROUP);

/** A managed rule: its props, and the resource type a recorder must record for it, if it runs on changes. */
export interface ManagedRuleDefinition {
  readonly rule: ComplianceRule;
  readonly props: config.ManagedRuleProps;
  readonly recorded?: string;
  /**
   * Whether the rule judges this region's own resources, so every region needs it. The others judge the account
   * (IAM users, the root user, the trail's settings): AWS advises running them in one region, and several regions
   * do not offer the IAM rules.
   */
  readonly regional?: boolean;
}

/** A custom rule on the config evaluator: its parameters, and whether it also runs on each instance change. */
export interface CustomRuleDefinition {
  readonly rule: ComplianceRule;
  readonly parameters: Record<string, string>;
  readonly onChange: boolean;
}

/**
 * Config refuses a rule whose input parameters, as JSON, are longer than this.
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html
 */
export const MAX_INPUT_PARAMETERS_LENGTH = 1024;

/** A rule AWS runs on a schedule: it calls the APIs it needs itself, so it needs no recorded resource type. */
const periodic = (rule: ComplianceRule, identifier: string, inputParameters?: Record<string, unknown>): ManagedRuleDefinition =>
  ({ rule, props: { identifier, inputParameters, maximumExecutionFrequency: DAILY } });

/** A periodic rule on what this region has (its trail coverage, its GuardDuty detector). */
const periodicInRegion = (rule: ComplianceRule, identifier: string, inputParameters?: Record<string, unknown>): ManagedRuleDefinition =>
  ({ ...periodic(rule, identifier, inputParameters), regional: true });

/** A rule AWS runs on each change of a recorded resource type. */
const onChange = (rule: ComplianceRule, identifier: string, ruleScope: config.RuleScope, recorded: string): ManagedRuleDefinition =>
  ({ rule, props: { identifier, ruleScope }, recorded, regional: true });

/** The managed rules for the props, before `disabledRules`. */
export function managedRules(props: ComplianceRulesOptions): ManagedRuleDefinition[] {
  const ids = config.ManagedRuleIdentifiers;
  const rules = [
    periodicInRegion(ComplianceRule.CLOUDTRAIL_ENABLED, ids.CLOUD_TRAIL_ENABLED),
    periodic(ComplianceRule.CLOUDTRAIL_MULTI_REGION, ids.CLOUDTRAIL_MULTI_REGION_ENABLED),
    periodic(ComplianceRule.CLOUDTRAIL_LOG_FILE_VALIDATION, ids.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED),
    periodic(ComplianceRule.CLOUDTRAIL_CLOUDWATCH_LOGS, ids.CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED),
    periodicInRegion(ComplianceRule.GUARDDUTY_ENABLED, ids.GUARDDUTY_ENABLED_CENTRALIZED,
      props.guardDutyAdminAccount ? { CentralMonitoringAccount: props.guardDutyAdminAccount } : undefined),
    periodic(ComplianceRule.ROOT_MFA, ids.ROOT_ACCOUNT_MFA_ENABLED),
    periodic(ComplianceRule.ROOT_ACCESS_KEY, ids.IAM_ROOT_ACCESS_KEY_CHECK),
    periodic(ComplianceRule.CONSOLE_MFA, ids.MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS),
    periodic(ComplianceRule.UNUSED_CREDENTIALS, ids.IAM_USER_UNUSED_CREDENTIALS_CHECK,
      { maxCredentialUsageAge: wholeDays('maxCredentialUnusedAge', props.maxCredentialUnusedAge, 45) }),
    periodic(ComplianceRule.ACCESS_KEYS_ROTATED, ids.ACCESS_KEYS_ROTATED,
      { maxAccessKeyAge: wholeDays('maxAccessKeyAge', props.maxAccessKeyAge, 90) }),
    onChange(ComplianceRule.IMDSV2_REQUIRED, ids.EC2_IMDSV2_CHECK, instances, INSTANCE),
    onChange(ComplianceRule.RESTRICTED_SSH, ids.EC2_SECURITY_GROUPS_INCOMING_SSH_DISABLED, securityGroups, SECURITY_GROUP),
    onChange(ComplianceRule.DEFAULT_SECURITY_GROUP_CLOSED, ids.VPC_DEFAULT_SECURITY_GROUP_CLOSED, securityGroups, SECURITY_GROUP),
  ];
  if (props.allowedInstanceTypes) {
    rules.push({
      rule: ComplianceRule.DESIRED_INSTANCE_TYPE,
      props: { identifier: ids.EC2_DESIRED_INSTANCE_TYPE, ruleScope: instances, inputParameters: { instanceType: props.allowedInstanceTypes.join(',') } },
      recorded: INSTANCE,
      regional: true,
    });
  }
  return rules;
}

/** The managed rules that every region with the guard's regional part runs, after `disabledRules`. */
export function regionalManagedRules(props: ComplianceRulesOptions): ManagedRuleDefinition[] {
  const disabled = new Set(props.disabledRules ?? []);
  return props.recorder === RecorderMode.OFF ? [] : managedRules(props).filter((r) => r.regional && !disabled.has(r.rule));
}

/** The name a rule is deployed under, in every region: the prefix, then the rule. */
export function ruleName(props: ComplianceRulesOptions, rule: ComplianceRule): string {
  return `${props.ruleNamePrefix ?? 'MiningGuard-'}${rule}`;
}

/** The events of these rules finding a resource NON_COMPLIANT, from any region. */
export function complianceChangePattern(ruleNames: readonly string[]): events.EventPattern {
  return {
    source: ['aws.config'],
    detailType: ['Config Rules Compliance Change'],
    detail: {
      messageType: ['ComplianceChangeNotification'],
      configRuleName: [...ruleNames],
      newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
    },
  };
}

/**
 * A custom rule's parameters: its check, and the compute policy fields that check reads, as one JSON parameter the
 * evaluator checks exactly as the construct does. Throws when Config would refuse their length.
 */
function checkParameters(check: ConfigCheck, policy: ComputePolicy): Record<string, string> {
  const fields = Object.fromEntries(CONFIG_CHECK_FIELDS[check].flatMap((f) => (policy[f] === undefined ? [] : [[f, policy[f]]])));
  const parameters = { [CONFIG_RULE_PARAMETERS.check]: check, [CONFIG_RULE_PARAMETERS.computePolicy]: JSON.stringify(fields) };
  const length = JSON.stringify(parameters).length;
  if (length > MAX_INPUT_PARAMETERS_LENGTH) {
    const named = CONFIG_CHECK_FIELDS[check].map((f) => `computePolicy.${f}`).join(' and ');
    const hint = check === 'termination-protection' ? ': one pattern such as \'arn:aws:iam::111122223333:role/ci-*\' covers many roles' : '';
    throw new Error(`ComplianceRules: the ${check} rule's parameters would be ${length} characters, more than Config allows (${MAX_INPUT_PARAMETERS_LENGTH}). Shorten ${named}${hint}.`);
  }
  return parameters;
}

/** The custom rules of the compute policy, before `disabledRules`: the region rule only when regions are given. */
export function customRules(policy: ComputePolicy): CustomRuleDefinition[] {
  // Each custom rule's name suffix is the check it runs.
  const rule = (check: ConfigCheck, runsOnChange: boolean): CustomRuleDefinition =>
    ({ rule: check as ComplianceRule, parameters: checkParameters(check, policy), onChange: runsOnChange });
  return [
    rule('instance-family', true),
    ...(policy.allowedRegions ? [rule('instance-region', true)] : []),
    rule('running-compute', false),
    rule('termination-protection', true),
  ];
}
