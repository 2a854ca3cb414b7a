/**
 * The names the management account's stack gives what the security account's guard reads across accounts: fixed,
 * so that each side can name the other's without a reference between stacks of two accounts.
 */
import { Stack } from 'aws-cdk-lib';
import type { ManagementAccount } from './organization-members';

/** The Kinesis stream the organization trail's log group is subscribed to, in the management account. */
export const ORGANIZATION_TRAIL_STREAM = 'mining-guard-organization-trail';

/** The topic AWS Budgets and Cost Anomaly Detection of the management (payer) account publish to. */
export const ORGANIZATION_SPEND_TOPIC = 'mining-guard-organization-spend';


/** The ARN of the management account's trail stream. */
export function organizationTrailStreamArn(stack: Stack, at: ManagementAccount): string {
  return `arn:${stack.partition}:kinesis:${at.region}:${at.account}:stream/${ORGANIZATION_TRAIL_STREAM}`;
}

/** The ARN of the management account's spend topic. */
export function organizationSpendTopicArn(stack: Stack, at: ManagementAccount): string {
  return `arn:${stack.partition}:sns:${at.region}:${at.account}:${ORGANIZATION_SPEND_TOPIC}`;
}
