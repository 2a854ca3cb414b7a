/** Which Config rules ComplianceRules deploys for its props, with each rule's settings and the resource type it needs recorded. */
import * as config from 'aws-cdk-lib/aws-config';
import { ACCELERATOR_FAMILIES, DEFAULT_RUNNING_COMPUTE_LIMITS } from '../catalog';
import { ComplianceRule } from './compliance-rule';
import type { ComplianceRulesOptions } from './compliance-rules';
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
}

/** A custom rule on the config evaluator: its parameters, and whether it also runs on each instance change. */
export interface CustomRuleDefinition {
  readonly rule: ComplianceRule;
  readonly parameters: Record<string, unknown>;
  readonly onChange: boolean;
}

/** A rule AWS runs on a schedule: it calls the APIs it needs itself, so it needs no recorded resource type. */
const periodic = (rule: ComplianceRule, identifier: string, inputParameters?: Record<string, unknown>): ManagedRuleDefinition =>
  ({ rule, props: { identifier, inputParameters, maximumExecutionFrequency: DAILY } });

/** A rule AWS runs on each change of a recorded resource type. */
const onChange = (rule: ComplianceRule, identifier: string, ruleScope: config.RuleScope, recorded: string): ManagedRuleDefinition =>
  ({ rule, props: { identifier, ruleScope }, recorded });

/** The managed rules for the props, before `disabledRules`. */
export function managedRules(props: ComplianceRulesOptions): ManagedRuleDefinition[] {
  const ids = config.ManagedRuleIdentifiers;
  const rules = [
    periodic(ComplianceRule.CLOUDTRAIL_ENABLED, ids.CLOUD_TRAIL_ENABLED),
    periodic(ComplianceRule.CLOUDTRAIL_MULTI_REGION, ids.CLOUDTRAIL_MULTI_REGION_ENABLED),
    periodic(ComplianceRule.CLOUDTRAIL_LOG_FILE_VALIDATION, ids.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED),
    periodic(ComplianceRule.CLOUDTRAIL_CLOUDWATCH_LOGS, ids.CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED),
    periodic(ComplianceRule.GUARDDUTY_ENABLED, ids.GUARDDUTY_ENABLED_CENTRALIZED,
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
    });
  }
  return rules;
}

/** The custom rules for the props, before `disabledRules`. */
export function customRules(props: ComplianceRulesOptions): CustomRuleDefinition[] {
  const denied = props.deniedInstanceFamilies ?? ACCELERATOR_FAMILIES;
  const rules: CustomRuleDefinition[] = [{
    rule: ComplianceRule.INSTANCE_FAMILY,
    parameters: {
      deniedFamilies: denied.join(','),
      ...(props.allowedInstanceFamilies ? { allowedFamilies: props.allowedInstanceFamilies.join(',') } : {}),
    },
    onChange: true,
  }];
  if (props.allowedRegions) {
    rules.push({ rule: ComplianceRule.INSTANCE_REGION, parameters: { allowedRegions: props.allowedRegions.join(',') }, onChange: true });
  }
  rules.push(
    {
      rule: ComplianceRule.RUNNING_COMPUTE,
      parameters: {
        maxRunningInstances: props.maxRunningInstances ?? DEFAULT_RUNNING_COMPUTE_LIMITS.maxRunningInstances,
        maxRunningVcpus: props.maxRunningVcpus ?? DEFAULT_RUNNING_COMPUTE_LIMITS.maxRunningVcpus,
      },
      onChange: false,
    },
    {
      rule: ComplianceRule.TERMINATION_PROTECTION,
      parameters: props.exemptPrincipals ? { exemptPrincipals: props.exemptPrincipals.join(',') } : {},
      onChange: true,
    },
  );
  return rules;
}
