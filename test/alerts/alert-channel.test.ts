import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertChannel } from '../../lib';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

// CloudWatch is not among them: the guard's alarms alert through the notifier, never straight to the topic.
const SERVICES = ['events.amazonaws.com', 'budgets.amazonaws.com', 'costalerts.amazonaws.com'];

describe('AlertChannel', () => {
  test('by default: a topic encrypted with a rotating customer-managed key, TLS enforced, services limited to this account', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        })]),
      },
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ...SERVICES.map((service) => Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: service },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          })),
        ]),
      },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: SERVICES },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        })]),
      },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com' });
  });

  test('webhooks subscribe over HTTPS, retried, with a dead-letter queue whose alarm alerts through the notifier', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const channel = new AlertChannel(s, 'Alerts', { webhookUrls: ['https://hooks.example.com/mining-guard'] });
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.com/mining-guard',
      TopicArn: { Ref: Match.stringLikeRegexp('AlertsTopic') },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsWebhooksDeadLetters'), 'Arn'] } },
      DeliveryPolicy: { healthyRetryPolicy: Match.objectLike({ backoffFunction: 'EXPONENTIAL' }) },
    });
    expect(channel.webhookDeadLetterQueue).toBeDefined();
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: channel.alarmName('guard-dead-letters-webhooks'),
      Namespace: 'AWS/SQS',
    });
    // The notifier's rule takes the state changes of every alarm it named, this one's too.
    expect(channel.alarmName('guard-dead-letters-webhooks').startsWith(channel.notifier.alarmNamePrefix)).toBe(true);
  });

  test('a webhook URL held in Secrets Manager is subscribed by reference, never in clear text', () => {
    const s = stack();
    new AlertChannel(s, 'Alerts', { webhookUrls: [SecretValue.secretsManager('mining-guard/webhook-url').unsafeUnwrap()] });
    Template.fromStack(s).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: '{{resolve:secretsmanager:mining-guard/webhook-url:SecretString:::}}',
    });
  });

  test('without webhooks there is no webhook dead-letter queue', () => {
    const s = stack();
    const channel = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
    expect(channel.webhookDeadLetterQueue).toBeUndefined();
    expect(Object.keys(Template.fromStack(s).findResources('AWS::SQS::Queue')).filter((id) => id.includes('Webhooks'))).toEqual([]);
  });

  test('a Slack channel gets a Chatbot configuration on the topic that cannot act on the account', () => {
    const s = stack();
    new AlertChannel(s, 'Alerts', { slack: { workspaceId: 'T0123456', channelId: 'C0123456789', configurationName: 'mining-guard' } });
    Template.fromStack(s).hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: 'mining-guard',
      SlackWorkspaceId: 'T0123456',
      SlackChannelId: 'C0123456789',
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
      GuardrailPolicies: [{ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AWSDenyAll'])] }],
    });
  });

  test('an existing topic is used as it is: no topic or policy is created, and the notifier may use its key', () => {
    // GIVEN
    const s = stack();
    const key = kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const topic = sns.Topic.fromTopicAttributes(s, 'Existing', { topicArn: 'arn:aws:sns:eu-west-1:111122223333:security', keyArn: key.keyArn });
    // WHEN
    const channel = new AlertChannel(s, 'Alerts', { topic, emails: ['secops@example.com'] });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    // Only the notifier's logs key, which lets no alerting service in.
    t.resourceCountIs('AWS::KMS::Key', 1);
    expect(JSON.stringify(t.findResources('AWS::KMS::Key'))).not.toContain('budgets.amazonaws.com');
    t.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: 'arn:aws:sns:eu-west-1:111122223333:security' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:111122223333:security' }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Decrypt']), Resource: key.keyArn }),
        ]),
      },
    });
    expect(channel.topicKey).toBeDefined();
  });

  test('an existing topic alone is a destination', () => {
    const s = stack();
    expect(() => new AlertChannel(s, 'Alerts', { topic: sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:eu-west-1:111122223333:security') })).not.toThrow();
  });

  describe('adopting an encrypted topic', () => {
    const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:security';

    test('a topic imported by ARN takes its key as `topicKey`: the notifier may encrypt with it, and nothing warns', () => {
      // GIVEN
      const s = stack();
      const key = kms.Key.fromKeyArn(s, 'TeamKey', KEY_ARN);
      // WHEN
      const channel = new AlertChannel(s, 'Alerts', { topic: sns.Topic.fromTopicArn(s, 'Existing', TOPIC_ARN), topicKey: key, emails: ['secops@example.com'] });
      // THEN
      expect(channel.topicKey).toBe(key);
      const notifierPolicies = Template.fromStack(s).findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: s.getLogicalId(channel.notifier.function.role!.node.defaultChild as never) }] },
      });
      const statements = Object.values(notifierPolicies).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(expect.objectContaining({ Action: 'sns:Publish', Resource: TOPIC_ARN }));
      expect(statements).toContainEqual(expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: KEY_ARN }));
      Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('unencrypted'));
    });

    test('a topic without a key is taken to be unencrypted, and the synth says so and how to pass the key', () => {
      // GIVEN
      const s = stack();
      // WHEN
      const channel = new AlertChannel(s, 'Alerts', { topic: sns.Topic.fromTopicArn(s, 'Existing', TOPIC_ARN) });
      // THEN
      expect(channel.topicKey).toBeUndefined();
      Annotations.fromStack(s).hasWarning('/Test/Alerts', Match.stringLikeRegexp(
        '^The adopted alert topic is taken to be unencrypted: no key was given for it\\. .*`alertTopicKey: kms\\.Key\\.fromKeyArn\\(this, \'AlertKey\', keyArn\\)`'
        + '.*every alert fails with KMS AccessDenied.*\\[ack: mining-guard:alert-topic-unencrypted\\]$'));
      expect(JSON.stringify(Template.fromStack(s).findResources('AWS::IAM::Policy'))).not.toContain('kms:GenerateDataKey');
    });

    test('a key of another account fails the synth with the statement its key policy must hold', () => {
      // GIVEN
      const app = new App();
      const s = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
      const key = kms.Key.fromKeyArn(s, 'TeamKey', 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      // WHEN
      new AlertChannel(s, 'Alerts', { topic: sns.Topic.fromTopicArn(s, 'Existing', 'arn:aws:sns:eu-west-1:444455556666:security'), topicKey: key });
      // THEN
      expect(() => app.synth()).toThrow('AlertChannel: the alert topic\'s key belongs to account 444455556666, and the guard\'s functions in 111122223333 '
        + 'publish to the topic with it. The key arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab is imported, and no stack can change '
        + 'an imported key\'s policy: add this statement to its key policy, {"Action":["kms:Decrypt","kms:GenerateDataKey*"],'
        + '"Condition":{"StringEquals":{"kms:ViaService":"sns.eu-west-1.amazonaws.com"}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},'
        + '"Resource":"*","Sid":"AllowMiningGuardToPublishAlerts"}');
    });

    test('a key of this account needs nothing of its policy beyond the default: the synth passes', () => {
      const app = new App();
      const s = new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
      new AlertChannel(s, 'Alerts', { topic: sns.Topic.fromTopicArn(s, 'Existing', TOPIC_ARN), topicKey: kms.Key.fromKeyArn(s, 'TeamKey', KEY_ARN) });
      expect(() => app.synth()).not.toThrow();
    });

    test('refuses a key without a topic to adopt, and a key other than the one the topic was imported with', () => {
      const s = stack();
      const key = kms.Key.fromKeyArn(s, 'TeamKey', KEY_ARN);
      expect(() => new AlertChannel(s, 'NoTopic', { topicKey: key })).toThrow(/`topicKey` is the key of an existing `topic`.*Remove `topicKey`, or give the topic it encrypts as `topic`/);
      const topic = sns.Topic.fromTopicAttributes(s, 'Existing', { topicArn: TOPIC_ARN, keyArn: KEY_ARN.replace('1234abcd', 'ffffffff') });
      expect(() => new AlertChannel(s, 'Other', { topic, topicKey: key })).toThrow(/is not the key the topic was imported with.*Give the topic's key once/);
    });
  });

  describe('refuses', () => {
    test.each([
      ['a bad email address', { emails: ['secops.example.com'] }, /'secops.example.com' is not an email address.*\['secops@example.com'\]/],
      ['an email list with a blank', { emails: [''] }, /is not an email address/],
      ['a webhook without TLS', { webhookUrls: ['http://hooks.example.com'] }, /not an HTTPS URL.*'https:\/\//],
      ['a webhook with a password in it', { webhookUrls: ['https://alerts:hunter2@hooks.example.com/in'] }, /carries a secret.*SecretValue\.secretsManager/],
    ])('%s', (_name, props, message) => {
      const s = stack();
      expect(() => new AlertChannel(s, 'Alerts', props)).toThrow(message);
    });

    test('adopting a topic and naming a new one together', () => {
      const s = stack();
      const topic = sns.Topic.fromTopicArn(s, 'T', 'arn:aws:sns:eu-west-1:111122223333:security');
      expect(() => new AlertChannel(s, 'Alerts', { topic, topicName: 'mine' })).toThrow(/either `topic`.*or `topicName`/);
    });
  });

  describe('without a destination', () => {
    test.each([
      ['no props at all', {}],
      ['empty lists', { emails: [], webhookUrls: [] }],
    ])('%s: warns with the props to set, and outputs the topic to subscribe to', (_name, props) => {
      // GIVEN
      const s = stack();
      // WHEN
      const channel = new AlertChannel(s, 'Alerts', props);
      // THEN
      Annotations.fromStack(s).hasWarning('/Test/Alerts', Match.stringLikeRegexp('Alerts reach nobody yet\\. Set `alertEmails:.*subscribe to the topic the stack outputs as AlertTopicArn'));
      const outputs = Object.values(Template.fromStack(s).findOutputs('*'));
      expect(outputs).toEqual([expect.objectContaining({ Value: { Ref: s.getLogicalId(channel.topic.node.defaultChild as never) } })]);
    });
  });

  test('names alarms so the notifier\'s rule sends their state changes to it, and only ALARM and the return to OK', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const channel = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
    // THEN
    expect(channel.alarmName('cis-root-usage')).toBe(`${channel.notifier.alarmNamePrefix}cis-root-usage`);
    expect(channel.notifier.alarmNamePrefix).toMatch(/^Test-Alerts-Notifier-[A-Z0-9]{8}-$/);
    Template.fromStack(s).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        'detail': {
          alarmName: [{ prefix: channel.notifier.alarmNamePrefix }],
          $or: [{ state: { value: ['ALARM'] } }, { state: { value: ['OK'] }, previousState: { value: ['ALARM'] } }],
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsNotifierFunction'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
  });
});
