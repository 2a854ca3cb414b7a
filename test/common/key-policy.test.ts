import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { keyPolicyStatementJson, requireKeyStatement } from '../../lib/common/key-policy';

function statementIn(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowBudgetsToEncrypt',
    principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  });
}

describe('requireKeyStatement', () => {
  test('adds the statement to a key created in the stack, and the synth passes', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key');
    // WHEN
    requireKeyStatement(stack, key, statementIn(stack), 'SpendGuard: Budgets publishes to a topic encrypted with the key');
    // THEN
    expect(() => Template.fromStack(stack)).not.toThrow();
    const [created] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const policy = created.Properties.KeyPolicy;
    expect(policy.Statement).toContainEqual(expect.objectContaining({
      Sid: 'AllowBudgetsToEncrypt', Principal: { Service: 'budgets.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    }));
  });

  test('fails the synth on an imported key, printing the statement to add to its key policy', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    // WHEN
    requireKeyStatement(stack, key, statementIn(stack), 'SpendGuard: Budgets publishes to a topic encrypted with the key');
    // THEN
    const expected = 'SpendGuard: Budgets publishes to a topic encrypted with the key. The key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab '
      + 'is imported, and no stack can change an imported key\'s policy: add this statement to its key policy, '
      + '{"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}},"Effect":"Allow",'
      + '"Principal":{"Service":"budgets.amazonaws.com"},"Resource":"*","Sid":"AllowBudgetsToEncrypt"}, '
      + 'or pass a key created in this stack (new kms.Key(this, \'Key\', { enableKeyRotation: true })), to which the statement is added.';
    expect(() => app.synth()).toThrow(expected);
  });
});

describe('keyPolicyStatementJson', () => {
  test('writes what is known only at deploy as a placeholder, so the statement can be pasted and filled in', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(JSON.parse(keyPolicyStatementJson(stack, statementIn(stack))).Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '<your account id>' } });
  });
});
