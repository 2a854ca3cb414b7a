import { adoptedTopicOf, judgeRoleKeyGrant, roleGrantsOf } from '../../../../lambda/core/doctor/adopted-topic';
import { stackValuesOf, TemplateResources } from '../../../../lambda/core/doctor/template-values';

const KNOWN = stackValuesOf('arn:aws:cloudformation:eu-west-1:111122223333:stack/Existing/0a1b');
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:sec-alerts';
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The adopted topic's ARN as the guard's template writes it for `sns.Topic.fromTopicArn(this, 'T', stack.formatArn(...))`. */
const TOPIC_VALUE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:eu-west-1:111122223333:sec-alerts']] };
const KEY_VALUE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab']] };

function alerting(topic: unknown, role: string): TemplateResources[string] {
  return { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': [role, 'Arn'] }, Environment: { Variables: { ALERT_TOPIC_ARN: topic } } } };
}

function policy(role: string, statements: unknown[]): TemplateResources[string] {
  return { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: role }], PolicyDocument: { Statement: statements } } };
}

describe('adoptedTopicOf', () => {
  test('finds the adopted topic in the alerting functions\' environment, with their roles and the services pointed at it', () => {
    // GIVEN the template of a guard with alertTopic, and a rule and a budget of the stack that publish to it
    const template: TemplateResources = {
      Notifier: alerting(TOPIC_VALUE, 'NotifierRole'),
      Evaluator: alerting(TOPIC_VALUE, 'EvaluatorRole'),
      Config: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['ConfigRole', 'Arn'] } } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: TOPIC_VALUE, Id: 't' }] } },
      OtherRule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { 'Fn::GetAtt': ['Notifier', 'Arn'] }, Id: 'n' }] } },
      Budget: { Type: 'AWS::Budgets::Budget', Properties: { NotificationsWithSubscribers: [{ Subscribers: [{ SubscriptionType: 'SNS', Address: TOPIC }] }] } },
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [TOPIC] } },
      Anomaly: { Type: 'AWS::CE::AnomalySubscription', Properties: { Subscribers: [{ Type: 'SNS', Address: 'arn:aws:sns:eu-west-1:111122223333:other' }] } },
    };
    // WHEN
    const adopted = adoptedTopicOf(template, KNOWN);
    // THEN
    expect(adopted).toEqual({
      topicArn: TOPIC,
      roles: [{ functionLogicalId: 'Notifier', roleLogicalId: 'NotifierRole' }, { functionLogicalId: 'Evaluator', roleLogicalId: 'EvaluatorRole' }],
      services: ['events.amazonaws.com', 'budgets.amazonaws.com', 'cloudwatch.amazonaws.com'],
    });
  });

  test('none when the functions alert to a topic of the stack, or none alerts; no ARN when only deployment knows it', () => {
    expect(adoptedTopicOf({ Topic: { Type: 'AWS::SNS::Topic' }, Notifier: alerting({ Ref: 'Topic' }, 'R') }, KNOWN)).toBeUndefined();
    expect(adoptedTopicOf({}, KNOWN)).toBeUndefined();
    expect(adoptedTopicOf({ Notifier: alerting({ 'Fn::ImportValue': 'SecurityTopic' }, 'R') }, KNOWN))
      .toEqual({ topicArn: undefined, roles: [{ functionLogicalId: 'Notifier', roleLogicalId: 'R' }], services: [] });
  });
});

describe('the roles\' grants of the key', () => {
  const template: TemplateResources = {
    Granted: policy('NotifierRole', [
      { Effect: 'Allow', Action: 'sns:Publish', Resource: TOPIC_VALUE },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: KEY_VALUE },
    ]),
    OwnKey: policy('NotifierRole', [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: { 'Fn::GetAtt': ['AlertsKey', 'Arn'] } }]),
    Other: policy('OtherRole', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]),
  };

  test('reads what each role\'s policies allow an action on', () => {
    expect(roleGrantsOf(template, 'NotifierRole', 'kms:GenerateDataKey*', KNOWN)).toEqual([KEY, undefined]);
    expect(roleGrantsOf(template, 'NotifierRole', 'kms:Encrypt', KNOWN)).toEqual([]);
    expect(roleGrantsOf(template, 'OtherRole', 'kms:Decrypt', KNOWN)).toEqual(['*']);
  });

  test('a role granted the topic\'s key passes; one granted another key fails with the alertTopicKey to write; one only deployment knows is skipped', () => {
    const grants = (role: string) => ({
      'kms:GenerateDataKey*': roleGrantsOf(template, role, 'kms:GenerateDataKey*', KNOWN),
      'kms:Decrypt': roleGrantsOf(template, role, 'kms:Decrypt', KNOWN),
    });
    expect(judgeRoleKeyGrant('arn:aws:iam::111122223333:role/notifier', KEY, grants('NotifierRole')).status).toBe('PASS');
    const other = 'arn:aws:kms:eu-west-1:111122223333:key/ffff';
    const failed = judgeRoleKeyGrant('arn:aws:iam::111122223333:role/notifier', other, { 'kms:GenerateDataKey*': [KEY], 'kms:Decrypt': [KEY] });
    expect(failed).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('KMS AccessDenied') });
    expect(failed.fix).toContain(`alertTopicKey: kms.Key.fromKeyArn(this, 'AlertTopicKey', '${other}')`);
    // Deployed without alertTopicKey: nothing granted.
    expect(judgeRoleKeyGrant('r', KEY, {}).status).toBe('FAIL');
    expect(judgeRoleKeyGrant('r', KEY, { 'kms:GenerateDataKey*': [undefined], 'kms:Decrypt': [undefined] }).status).toBe('SKIP');
  });
});
