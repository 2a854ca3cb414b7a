/** ComplianceRules as MiningGuard composes it, in a stack of its own, for the tests of its parts. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { testAlerts } from './alert-channel';
import { ComplianceRules, ComplianceRulesOptions, ComputePolicy } from '../../lib';

/** A stack in a fixed account and region, so account ids and regions appear literally in the template. */
export function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

/** ComplianceRules with its own alert channel and trail log group, as MiningGuard composes it. */
export function rules(options: ComplianceRulesOptions, computePolicy?: ComputePolicy): { template: Template; rules: ComplianceRules } {
  const s = stack();
  const built = new ComplianceRules(s, 'Compliance', {
    ...options,
    alerts: testAlerts(s),
    computePolicy,
    trailLogGroup: new logs.LogGroup(s, 'TrailLogs'),
  });
  return { template: Template.fromStack(s), rules: built };
}

/** Building ComplianceRules, for asserting that it throws. */
export function build(options: ComplianceRulesOptions, computePolicy?: ComputePolicy): () => void {
  return () => rules(options, computePolicy);
}

/** A ConfigRule resource as the template holds it. */
export interface ConfigRuleResource {
  readonly Properties: Record<string, any>;
  readonly DependsOn?: string[];
}

/** The ConfigRule resources by name. */
export function configRules(template: Template): Record<string, ConfigRuleResource> {
  return Object.fromEntries(Object.values(template.findResources('AWS::Config::ConfigRule')).map((r) => [r.Properties.ConfigRuleName, r]));
}
