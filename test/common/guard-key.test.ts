import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GuardKey } from '../../lib/common/guard-key';

/** The statements of the one key's policy in a stack where `configure` used the key. */
function keyStatements(configure: (key: GuardKey) => void = () => undefined): { template: Template; statements: any[] } {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  configure(new GuardKey(s, 'Key', { description: 'MiningGuard test: what it protects' }));
  const template = Template.fromStack(s);
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return { template, statements: key.Properties.KeyPolicy.Statement };
}

describe('GuardKey', () => {
  test('rotates, is described, and outlives the stack', () => {
    const { template } = keyStatements();
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { EnableKeyRotation: true, Description: 'MiningGuard test: what it protects' },
    });
  });

  test('only AWS services may create grants on it', () => {
    const { statements } = keyStatements();
    expect(statements).toContainEqual({
      Sid: 'DenyGrantsExceptForAwsServices',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  test('allowServices lets the services decrypt and generate data keys for this account only', () => {
    const { statements } = keyStatements((key) => key.allowServices('AllowPublishers', ['events.amazonaws.com', 'budgets.amazonaws.com']));
    expect(statements).toContainEqual({
      Sid: 'AllowPublishers',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'budgets.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
  });

  test('allowServices takes the actions it is given', () => {
    const { statements } = keyStatements((key) => key.allowServices('AllowTrail', ['cloudtrail.amazonaws.com'], ['kms:GenerateDataKey*']));
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'AllowTrail',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
    }));
  });

  test('allowLogs lets this region\'s CloudWatch Logs use it for this account\'s log groups only', () => {
    const { statements } = keyStatements((key) => key.allowLogs());
    expect(statements).toContainEqual({
      Sid: 'AllowCloudWatchLogsToEncryptLogGroups',
      Effect: 'Allow',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111122223333:log-group:*']] },
        },
      },
    });
  });

  test('without allowServices or allowLogs, only the account administers it and no service is let in', () => {
    const { statements } = keyStatements();
    expect(statements.map((st) => [st.Effect, st.Action, st.Principal])).toEqual([
      ['Allow', 'kms:*', { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } }],
      ['Deny', 'kms:CreateGrant', { AWS: '*' }],
    ]);
  });
});
