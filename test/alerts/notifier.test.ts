import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AlertChannel } from '../../lib';

describe('Notifier', () => {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
  const t = Template.fromStack(s);

  test('runs on the newest Node.js LTS, on arm64, publishing to the topic', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertsTopic') } }) },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
    });
  });

  test('may publish to the topic and use its key, and nothing more on SNS or KMS', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('AlertsTopic') } }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });

  test('may read the account\'s managed policies\' documents, and nothing else of IAM', () => {
    // THEN one statement, the two reads, on this account's policies only
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>);
    const iamStatements = statements.filter((st) => JSON.stringify(st.Action).includes('iam:'));
    expect(iamStatements).toEqual([expect.objectContaining({
      Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:policy/*']] },
    })]);
  });

  test('a message in the dead-letter queue alarms, named so the alarm alerts through the notifier itself', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('-guard-dead-letters-notifier$'),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: Match.absent(),
    });
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  test('keeps its logs a year by default, in a log group that survives the stack', () => {
    t.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });
});

describe('Notifier.useIdempotencyTable', () => {
  test('tells the notifier the table and lets it read and write there, with the table\'s key', () => {
    // GIVEN
    const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const alerts = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
    const table = new dynamodb.Table(s, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: alerts.key,
    });

    // WHEN
    alerts.notifier.useIdempotencyTable(table);

    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^Table') }, GUARD_CONTEXT: Match.absent() }) },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('NotifierFunctionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt', 'kms:Encrypt']) }),
        ]),
      },
    });
  });

  test('without it, the notifier has no table and alerts every delivery', () => {
    const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
    const fns = Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function'));
    for (const fn of fns) expect(fn.Properties.Environment?.Variables ?? {}).not.toHaveProperty('IDEMPOTENCY_TABLE');
  });
});
