/**
 * A statement the guard needs in the policy of a key it may not own: added when the key is created in the stack, and
 * asked of the user at synth when the key is imported, whose policy no stack can change.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Adds `statement` to the key's policy; when the key is imported (`addToResourcePolicy` does nothing on an imported
 * key), the synth fails on `scope` with the statement to add to the key policy, as JSON, or the advice to pass a key
 * created in the stack.
 *
 * @param what what needs the statement, e.g. `SpendGuard: AWS Budgets and Cost Anomaly Detection publish to a topic encrypted with alerts.key`
 */
export function requireKeyStatement(scope: Construct, key: kms.IKey, statement: iam.PolicyStatement, what: string): void {
  const { statementAdded } = key.addToResourcePolicy(statement, true);
  if (statementAdded) return;
  const json = keyPolicyStatementJson(scope, statement);
  const which = Token.isUnresolved(key.keyArn) ? 'The key' : `The key ${key.keyArn}`;
  scope.node.addValidation({
    validate: () => [`${what}. ${which} is imported, and no stack can change an imported key's policy: add this statement to its key policy, `
      + `${json}, or pass a key created in this stack (new kms.Key(this, 'Key', { enableKeyRotation: true })), to which the statement is added.`],
  });
}

/** The statement as a key policy holds it, with what is known only at deploy (`{"Ref":"AWS::AccountId"}`) written as a placeholder. */
export function keyPolicyStatementJson(scope: Construct, statement: iam.PolicyStatement): string {
  const resolved = JSON.stringify(Stack.of(scope).resolve(statement.toStatementJson()));
  return resolved.replace(/\{"Ref":"AWS::(\w+)"\}/g, (_m, name: string) => `"<${name === 'AccountId' ? 'your account id' : `AWS::${name}`}>"`);
}
