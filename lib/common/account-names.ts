/** Names for the guard's resources whose names must be unique in the whole account, not only in one region. */
import { createHash } from 'crypto';
import { Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The longest part of a stack's name kept in an account-wide name; longer names are cut and keep a hash of the rest. */
const MAX_STACK_PART = 40;

/**
 * A name no second stack can take, in this region or another: the stack's name and region (CloudFormation keeps a
 * stack's name unique in its account and region), a short hash of the construct's place in the stack (two guards
 * in one stack), and what the resource is. For budgets, the Cost Anomaly Detection monitor and subscription and the
 * AWS Chatbot channel configuration, whose names the account holds once whatever the region.
 *
 * Only letters, digits and `-` are used, which every one of those services accepts.
 *
 * @param suffix what the resource is, e.g. `monthly-cost`
 */
export function accountUniqueName(scope: Construct, suffix: string): string {
  const stack = Stack.of(scope);
  const where = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 6);
  const name = stack.stackName.replace(/[^A-Za-z0-9-]/g, '-');
  // A stack name given as a token is kept whole: it cannot be cut before deployment.
  const stackPart = Token.isUnresolved(stack.stackName) ? stack.stackName : name.length <= MAX_STACK_PART
    ? name
    : `${name.slice(0, MAX_STACK_PART - 9)}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  const region = stack.region;
  return Token.isUnresolved(region) || Token.isUnresolved(stackPart)
    ? Fn.join('-', [stackPart, region, where, suffix])
    : `${stackPart}-${region}-${where}-${suffix}`;
}
