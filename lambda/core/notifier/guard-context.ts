/** Tells the guard's own deployment and resources from everyone else's, by what the construct said of the guard. */
import { GuardContext, principalMatches } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';

/** Whether CloudFormation made the call while deploying the guard: its role, or CloudFormation on someone's behalf. */
export function isGuardDeployment(record: CloudTrailRecord, context: GuardContext): boolean {
  const principal = { arn: record.principalArn, sessionIssuerArn: record.sessionIssuerArn };
  return record.invokedBy === 'cloudformation.amazonaws.com'
    || context.deployPrincipals.some((p) => principalMatches(p, principal));
}

/** Whether a name or ARN is one of the guard's own resources. */
export function isGuardResource(nameOrArn: string | undefined, context: GuardContext): boolean {
  if (!nameOrArn) return false;
  const name = nameOrArn.split(/[:/]/).pop() ?? nameOrArn;
  return context.guardArns.some((arn) => arn === nameOrArn || arn.endsWith(`/${nameOrArn}`) || arn.endsWith(`:${nameOrArn}`))
    || context.guardNamePrefixes.some((prefix) => name.startsWith(prefix));
}
