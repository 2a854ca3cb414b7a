/** The audit trail's props with an existing multi-region trail adopted, when the lookup found one and nobody said. */
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { lookUpSingleton, looksUp, reportLookup } from './account-singletons';
import type { AuditTrailProps } from '../trail/audit-trail';

/** The props that ask for a trail to be created, or name the one to adopt: with any of them, the props decide. */
const DECIDING_PROPS: readonly (keyof AuditTrailProps)[] = [
  'existingTrailArn', 'existingLogGroup', 'trailName', 'organizationTrail', 'organizationId', 'logFileRetention', 'cloudWatchLogsRetention',
];

/**
 * `props` with `existingTrailArn` set to the multi-region trail the lookup found in the stack's region, when no prop
 * decides: the account's events are then recorded once, not in a second, paid copy. The guard's own trail (named by
 * CloudFormation after the stack) is never taken for an existing one.
 */
export function withLookedUpTrail(scope: Construct, props: AuditTrailProps = {}): AuditTrailProps {
  if (DECIDING_PROPS.some((p) => props[p] !== undefined) || !looksUp(scope)) return props;
  const stack = Stack.of(scope);
  const answer = lookUpSingleton(scope, 'trail', { exclude: (match) => String(match.Identifier).startsWith(`${stack.stackName}-`) });
  if (answer.state === 'absent') {
    reportLookup(scope, `no multi-region trail records ${stack.region}'s management events: the guard creates its own, delivered to S3 and CloudWatch Logs.`);
  }
  if (answer.state !== 'found') return props;
  const trailArn = answer.id.startsWith('arn:') ? answer.id : stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: answer.id });
  reportLookup(scope, `found multi-region trail ${answer.id}: it is adopted (never changed or deleted), so no second, paid copy of every management event is recorded. `
    + 'Give `auditTrail: { existingTrailArn, existingLogGroup }` if it delivers to CloudWatch Logs in this account, so the log-group path judges every region too.');
  return { ...props, existingTrailArn: trailArn };
}
