import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createSpendTopic, SPEND_PUBLISHERS } from '../../lib/spend/spend-topic';
import { testAlerts } from '../harness/alert-channel';

describe('createSpendTopic', () => {
  // GIVEN
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
  const alerts = testAlerts(s);
  // WHEN
  const topic = createSpendTopic(s, 'SpendTopic', alerts.key, alerts.notifier);
  const template = Template.fromStack(s);
  const topicRef = { Ref: s.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };

  test('Budgets and Cost Anomaly Detection are the publishers', () => {
    expect(SPEND_PUBLISHERS).toEqual(['budgets.amazonaws.com', 'costalerts.amazonaws.com']);
  });

  test('a topic of its own, encrypted with the alert channel\'s key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'MiningGuard spend notifications (to the notifier)',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
    });
  });

  test('each publisher may publish, on this account\'s behalf only, and only over TLS', () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [topicRef] } }));
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    for (const [sid, service] of [['AllowbudgetsPublish', 'budgets.amazonaws.com'], ['AllowcostalertsPublish', 'costalerts.amazonaws.com']]) {
      expect(statements).toContainEqual({
        Sid: sid,
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sns:Publish',
        Resource: topicRef,
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      });
    }
  });

  test('the key lets the publishers encrypt for this account only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCostServicesToEncryptSpendNotifications',
          Effect: 'Allow',
          Principal: { Service: ['budgets.amazonaws.com', 'costalerts.amazonaws.com'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        }]),
      },
    });
  });

  test('every message goes to the notifier', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: topicRef,
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsNotifier'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: topicRef,
    });
  });

  test('an imported key, whose policy no stack can change, fails the synth with the statement to add to its key policy', () => {
    // GIVEN an alert channel of the user's own, whose key is imported
    const app = new App();
    const stack = new Stack(app, 'Imported', { env: { account: '111122223333', region: 'us-east-1' } });
    const notifier = testAlerts(stack).notifier;
    const imported = kms.Key.fromKeyArn(stack, 'TeamKey', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    // WHEN
    createSpendTopic(stack, 'SpendTopic', imported, notifier);
    // THEN
    expect(() => app.synth()).toThrow(new RegExp(
      'SpendGuard: AWS Budgets and Cost Anomaly Detection publish to the spend topic, encrypted with `alerts.key`, and need its key policy to let them use it\\. '
      + 'The key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is imported.*add this statement to its key policy, '
      + '\\{"Action":\\["kms:Decrypt","kms:GenerateDataKey\\*"\\],"Condition":\\{"StringEquals":\\{"aws:SourceAccount":"111122223333"\\}\\},"Effect":"Allow",'
      + '"Principal":\\{"Service":\\["budgets.amazonaws.com","costalerts.amazonaws.com"\\]\\},"Resource":"\\*","Sid":"AllowCostServicesToEncryptSpendNotifications"\\}, '
      + 'or pass a key created in this stack',
    ));
  });
});
