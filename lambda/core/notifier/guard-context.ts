/** Tells the guard's own deployment and resources from everyone else's, by what the construct said of the guard. */
import type { GuardContext } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';

/**
 * Whether the call was made in a session of one of the roles that deploy the guard, named exactly: the session's
 * issuer is one of `deployPrincipals`. Never by `invokedBy` (it says a service acted, not for whom), never by a name
 * pattern: a role named like the CDK's execution role is anyone's to create.
 */
export function isGuardDeployment(record: CloudTrailRecord, context: GuardContext): boolean {
  const issuer = record.sessionIssuerArn;
  return issuer !== undefined && context.deployPrincipals.includes(issuer);
}

/** Whether a name or ARN is one of the guard's own resources. */
export function isGuardResource(nameOrArn: string | undefined, context: GuardContext): boolean {
  if (!nameOrArn) return false;
  const name = nameOrArn.split(/[:/]/).pop() ?? nameOrArn;
  return context.guardArns.some((arn) => arn === nameOrArn || arn.endsWith(`/${nameOrArn}`) || arn.endsWith(`:${nameOrArn}`))
    || context.guardNamePrefixes.some((prefix) => name.startsWith(prefix));
}

/** An SNS subscription ARN: `arn:aws:sns:REGION:ACCOUNT:TOPIC:ID`. */
const SUBSCRIPTION_ARN = /^(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(?:\.fifo)?):[\w-]{1,128}$/;

/** The topic of an SNS subscription: its ARN without the last segment; undefined when it is not a subscription's ARN. */
export function subscriptionTopicArn(subscriptionArn: string | undefined): string | undefined {
  if (subscriptionArn === undefined || subscriptionArn.length > 512) return undefined;
  return SUBSCRIPTION_ARN.exec(subscriptionArn)?.[1];
}
