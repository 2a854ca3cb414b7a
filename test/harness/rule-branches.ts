/** The CloudTrail selections of a template's EventBridge rules, read back from their patterns' `$or` branches. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface RuleBranch {
  readonly ruleId: string;
  readonly targetArn: unknown;
  readonly source: string[];
  readonly detailType: string[];
  readonly eventSource: string[];
  readonly eventName: string[];
}

/** Every branch of every event-pattern rule, with the rule it is in and that rule's first target. */
export function ruleBranches(t: Template): RuleBranch[] {
  return Object.entries(t.findResources('AWS::Events::Rule')).flatMap(([ruleId, rule]) => {
    const pattern = rule.Properties.EventPattern;
    if (!pattern?.detail?.eventSource && !pattern?.detail?.userIdentity && !pattern?.$or) return [];
    const branches: Array<Record<string, any>> = pattern.$or ?? [pattern];
    return branches.map((b) => ({
      ruleId,
      targetArn: rule.Properties.Targets?.[0]?.Arn,
      source: b.source,
      detailType: b['detail-type'],
      // Undefined in a branch that selects every call of an identity (the root user).
      eventSource: b.detail.eventSource,
      eventName: b.detail.eventName,
    }));
  });
}
