import { BudgetsClient, DescribeBudgetsCommand, DescribeNotificationsForBudgetCommand, DescribeSubscribersForNotificationCommand } from '@aws-sdk/client-budgets';
import { CloudTrailClient, GetTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service';
import { CostExplorerClient, GetAnomalyMonitorsCommand, GetAnomalySubscriptionsCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  adoptedTopicChecks, alarmChecks, anomalyChecks, budgetChecks, configChecks, detectorChecks, doctorChecks, healthChecks, ruleChecks, topicChecks,
  trailChecks,
} from '../../../../lambda/aws/doctor/doctor-checks';
import { doctorClients } from '../../../../lambda/aws/doctor/doctor-clients';
import { FoundGuard } from '../../../../lambda/aws/doctor/find-guard';
import { DEFAULT_DETECTOR } from '../../../../lambda/core/doctor/detector-checks';
import { guardResourcesOf } from '../../../../lambda/core/doctor/guard-resources';
import { stackValuesOf } from '../../../../lambda/core/doctor/template-values';
import { awsError } from '../../../harness/mocked-aws';

const sns = mockClient(SNSClient);
const kms = mockClient(KMSClient);
const cloudTrail = mockClient(CloudTrailClient);
const guardDuty = mockClient(GuardDutyClient);
const eventBridge = mockClient(EventBridgeClient);
const cloudWatch = mockClient(CloudWatchClient);
const sqs = mockClient(SQSClient);
const budgets = mockClient(BudgetsClient);
const costExplorer = mockClient(CostExplorerClient);
const config = mockClient(ConfigServiceClient);
const clients = doctorClients('us-east-1');

const ACCOUNT = '111122223333';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:MiningGuard-alerts`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const QUEUE = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/MiningGuard-dead-letters`;

beforeEach(() => [sns, kms, cloudTrail, guardDuty, eventBridge, cloudWatch, sqs, budgets, costExplorer, config].forEach((m) => m.reset()));

describe('topicChecks', () => {
  test('an unconfirmed email subscription fails naming the address; a key without the publishers fails each', async () => {
    // GIVEN
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        { SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'secops@example.com', TopicArn: TOPIC },
      ],
    });
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: TOPIC, KmsMasterKeyId: KEY } });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY } });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }) });
    // WHEN
    const checks = await topicChecks(clients, [TOPIC]);
    // THEN
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['subscription email secops@example.com', 'FAIL'],
      ['alert topic key for events.amazonaws.com', 'FAIL'],
      ['alert topic key for budgets.amazonaws.com', 'FAIL'],
      ['alert topic key for costalerts.amazonaws.com', 'FAIL'],
    ]);
    expect(checks[0].fix).toContain('secops@example.com');
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, { KeyId: KEY, PolicyName: 'default' });
  });

  test('pages through the subscriptions, and a denied call fails naming the permission without stopping the next', async () => {
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC }).resolvesOnce({ Subscriptions: [{ SubscriptionArn: `${TOPIC}:a`, Protocol: 'email', Endpoint: 'a@example.com' }], NextToken: 't' })
      .resolvesOnce({ Subscriptions: [{ SubscriptionArn: `${TOPIC}:b`, Protocol: 'email', Endpoint: 'b@example.com' }] });
    sns.on(GetTopicAttributesCommand).rejects(awsError('AuthorizationError', 'not authorized to perform: SNS:GetTopicAttributes', 403));
    const checks = await topicChecks(clients, [TOPIC]);
    expect(checks.map((c) => c.status)).toEqual(['PASS', 'PASS', 'FAIL']);
    expect(checks[2].detail).toContain('sns:GetTopicAttributes');
    expect(checks[2].fix).toContain('grant');
  });
});

describe('adoptedTopicChecks', () => {
  const ADOPTED = `arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`;
  const ADOPTED_VALUE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:us-east-1:${ACCOUNT}:security-alerts`]] };
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/Existing-NotifierRole-1A2B`;

  /** A guard deployed with alertTopic, its notifier's role granted `grantedKey` (none: deployed without alertTopicKey). */
  function adopting(grantedKey?: string): FoundGuard {
    return {
      stackName: 'Existing',
      account: ACCOUNT,
      outputs: {},
      resources: guardResourcesOf([{ LogicalResourceId: 'NotifierRole', PhysicalResourceId: 'Existing-NotifierRole-1A2B', ResourceType: 'AWS::IAM::Role' }]),
      template: {
        Notifier: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['NotifierRole', 'Arn'] }, Environment: { Variables: { ALERT_TOPIC_ARN: ADOPTED_VALUE } } } },
        NotifierPolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            Roles: [{ Ref: 'NotifierRole' }],
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: 'sns:Publish', Resource: ADOPTED_VALUE },
                ...grantedKey ? [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: grantedKey }] : [],
              ],
            },
          },
        },
      },
      values: stackValuesOf(`arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/Existing/0a1b`),
    };
  }

  test('checks the adopted topic\'s subscriptions and its customer-managed key for the notifier\'s role, granted in the stack and by the key policy', async () => {
    // GIVEN the security team's topic, encrypted with their key, whose default policy lets IAM policies grant its use
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: ADOPTED }).resolves({ Subscriptions: [{ SubscriptionArn: `${ADOPTED}:1`, Protocol: 'email', Endpoint: 'soc@example.com' }] });
    sns.on(GetTopicAttributesCommand, { TopicArn: ADOPTED }).resolves({ Attributes: { TopicArn: ADOPTED, KmsMasterKeyId: 'alias/security-alerts' } });
    kms.on(DescribeKeyCommand, { KeyId: 'alias/security-alerts' }).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY, KeyManager: 'CUSTOMER' } });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }) });
    // WHEN
    const checks = await adoptedTopicChecks(clients, adopting(KEY));
    // THEN
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['subscription email soc@example.com', 'PASS'],
      [`alert topic key for ${ROLE}`, 'PASS'],
      [`alert topic key grant to ${ROLE}`, 'PASS'],
    ]);
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, { KeyId: KEY, PolicyName: 'default' });
  });

  test('deployed without alertTopicKey, the role was granted no key: fails with the alertTopicKey to write', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'soc@example.com' }] });
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: ADOPTED, KmsMasterKeyId: KEY } });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY, KeyManager: 'CUSTOMER' } });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }) });
    const checks = await adoptedTopicChecks(clients, adopting());
    expect(checks.map((c) => c.status)).toEqual(['FAIL', 'PASS', 'FAIL']);
    expect(checks[2].fix).toContain(`alertTopicKey: kms.Key.fromKeyArn(this, 'AlertTopicKey', '${KEY}')`);
  });

  test('the AWS managed key, by alias or by ARN, passes for the roles alone and fails for a service the stack has publish to the topic', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ SubscriptionArn: `${ADOPTED}:1`, Protocol: 'email', Endpoint: 'soc@example.com' }] });
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: ADOPTED, KmsMasterKeyId: 'alias/aws/sns' } });
    expect((await adoptedTopicChecks(clients, adopting())).map((c) => c.status)).toEqual(['PASS', 'PASS']);
    const withAlarm = adopting();
    const template = { ...withAlarm.template, Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [ADOPTED_VALUE] } } };
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: ADOPTED, KmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-managed` } });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'aws-managed', Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/aws-managed`, KeyManager: 'AWS' } });
    const checks = await adoptedTopicChecks(clients, { ...withAlarm, template });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['subscription email soc@example.com', 'PASS'],
      ['alert topic key for cloudwatch.amazonaws.com', 'FAIL'],
    ]);
    expect(checks[1].fix).toContain('customer-managed key');
    expect(kms).not.toHaveReceivedCommand(GetKeyPolicyCommand);
  });

  test('nothing for a guard that created its topic; a SKIP when the template names the adopted topic with what only deployment knows', async () => {
    const created = { ...adopting(), template: { T: { Type: 'AWS::SNS::Topic' }, N: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { ALERT_TOPIC_ARN: { Ref: 'T' } } } } } } };
    expect(await adoptedTopicChecks(clients, created)).toEqual([]);
    const imported = { ...adopting(), template: { N: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { ALERT_TOPIC_ARN: { 'Fn::ImportValue': 'Alerts' } } } } } } };
    expect(await adoptedTopicChecks(clients, imported)).toEqual([expect.objectContaining({ name: 'adopted alert topic', status: 'SKIP' })]);
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('trailChecks', () => {
  test('a trail delivery error fails', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestDeliveryError: 'NoSuchBucket' });
    cloudTrail.on(GetTrailCommand).resolves({ Trail: { Name: 't', IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:1:log-group:g:*' } });
    const checks = await trailChecks(clients, ['t']);
    expect(checks.find((c) => c.name === 'trail t delivery to S3')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('NoSuchBucket') });
  });

  test('throttling that outlasted the retries fails, never throws', async () => {
    cloudTrail.on(GetTrailStatusCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    expect(await trailChecks(clients, ['t'])).toEqual([expect.objectContaining({ status: 'FAIL', fix: expect.stringContaining('run the doctor again') })]);
  });
});

describe('detectorChecks', () => {
  test('a detector without a feature fails that feature', async () => {
    guardDuty.on(GetDetectorCommand).resolves({
      ServiceRole: 'r',
      Status: 'ENABLED',
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: DEFAULT_DETECTOR.enabledFeatures.filter((n) => n !== 'EBS_MALWARE_PROTECTION').map((Name) => ({ Name, Status: 'ENABLED' })) as never,
    });
    const resources = guardResourcesOf([{ LogicalResourceId: 'D', PhysicalResourceId: 'd1', ResourceType: 'AWS::GuardDuty::Detector' }]);
    const failed = (await detectorChecks(clients, resources)).filter((c) => c.status === 'FAIL');
    expect(failed.map((c) => c.name)).toEqual(['GuardDuty detector d1 feature EBS_MALWARE_PROTECTION']);
  });
});

describe('ruleChecks', () => {
  test('a disabled rule fails; a rule on a custom bus is asked for on its bus', async () => {
    eventBridge.on(DescribeRuleCommand, { Name: 'off' }).resolves({ Name: 'off', State: 'DISABLED' });
    eventBridge.on(DescribeRuleCommand, { Name: 'on', EventBusName: 'bus' }).resolves({ Name: 'on', State: 'ENABLED' });
    eventBridge.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: '1', Arn: 'arn:aws:lambda:us-east-1:1:function:n' }] });
    const checks = await ruleChecks(clients, ['off', 'bus|on']);
    expect(checks.map((c) => [c.name, c.status])).toEqual([['rule off', 'FAIL'], ['rule on', 'PASS']]);
  });
});

describe('healthChecks', () => {
  test('a function\'s errors and a non-empty dead-letter queue fail', async () => {
    cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Sum: 2 }, { Sum: 1 }] });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '3' } });
    const now = new Date('2026-11-30T12:00:00Z');
    const checks = await healthChecks(clients, ['notifier'], [QUEUE], now);
    expect(checks.map((c) => [c.name, c.status, c.detail])).toEqual([
      ['function notifier errors', 'FAIL', '3 errors in the last 24 h'],
      [`dead-letter queue ${QUEUE}`, 'FAIL', expect.stringMatching(/^3 messages/)],
    ]);
    expect(cloudWatch).toHaveReceivedCommandWith(GetMetricStatisticsCommand, {
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'notifier' }], StartTime: new Date('2026-11-29T12:00:00Z'), EndTime: now,
    });
  });
});

describe('alarmChecks', () => {
  test('reports ALARM and INSUFFICIENT_DATA, and an alarm CloudWatch no longer has', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'a', StateValue: 'ALARM', StateReason: 'Threshold Crossed' }, { AlarmName: 'b', StateValue: 'INSUFFICIENT_DATA' },
      ],
    });
    const checks = await alarmChecks(clients, ['a', 'b', 'c']);
    expect(checks.map((c) => [c.name, c.status])).toEqual([['alarm a', 'FAIL'], ['alarm b', 'FAIL'], ['alarm c', 'FAIL']]);
  });
});

describe('budgetChecks', () => {
  test('reads each notification\'s subscribers', async () => {
    budgets.on(DescribeBudgetsCommand).resolves({ Budgets: [{ BudgetName: 'b', BudgetType: 'COST', TimeUnit: 'MONTHLY' }] });
    const notification = { NotificationType: 'ACTUAL' as const, ComparisonOperator: 'GREATER_THAN' as const, Threshold: 100 };
    budgets.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [notification] });
    budgets.on(DescribeSubscribersForNotificationCommand).resolves({ Subscribers: [] });
    const checks = await budgetChecks(clients, ACCOUNT, ['b', 'gone']);
    expect(checks.map((c) => [c.name, c.status])).toEqual([['budget b', 'PASS'], ['budget b notification ACTUAL GREATER_THAN 100', 'FAIL'], ['budget gone', 'FAIL']]);
    expect(budgets).toHaveReceivedCommandWith(DescribeSubscribersForNotificationCommand, { AccountId: ACCOUNT, BudgetName: 'b', Notification: notification });
    expect(await budgetChecks(clients, undefined, ['b'])).toEqual([expect.objectContaining({ status: 'SKIP' })]);
  });
});

describe('anomalyChecks and configChecks', () => {
  test('a monitor without its IMMEDIATE subscription fails; a stopped recorder fails only when the guard has Config rules', async () => {
    const arn = `arn:aws:ce::${ACCOUNT}:anomalymonitor/m`;
    costExplorer.on(GetAnomalyMonitorsCommand).resolves({ AnomalyMonitors: [{ MonitorArn: arn, MonitorName: 'm', MonitorType: 'DIMENSIONAL' }] });
    costExplorer.on(GetAnomalySubscriptionsCommand).resolves({ AnomalySubscriptions: [] });
    expect((await anomalyChecks(clients, [arn])).map((c) => c.status)).toEqual(['PASS', 'FAIL']);
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: false }] });
    expect(await configChecks(clients, [])).toEqual([]);
    expect((await configChecks(clients, ['rule']))[0].status).toBe('FAIL');
  });
});

describe('doctorChecks', () => {
  test('every call denied is one failed check per part, and nothing throws', async () => {
    const denied = awsError('AccessDeniedException', 'not authorized', 403);
    for (const m of [sns, kms, cloudTrail, guardDuty, eventBridge, cloudWatch, sqs, budgets, costExplorer, config]) {
      (m as unknown as { onAnyCommand: () => { rejects: (e: Error) => void } }).onAnyCommand().rejects(denied);
    }
    const resources = guardResourcesOf([
      ['AWS::SNS::Topic', TOPIC], ['AWS::CloudTrail::Trail', 't'], ['AWS::GuardDuty::Detector', 'd'], ['AWS::Events::Rule', 'r'],
      ['AWS::Lambda::Function', 'f'], ['AWS::SQS::Queue', QUEUE], ['AWS::CloudWatch::Alarm', 'a'], ['AWS::Budgets::Budget', 'b'],
      ['AWS::CE::AnomalyMonitor', 'm'], ['AWS::Config::ConfigRule', 'c'],
    ].map(([ResourceType, PhysicalResourceId]) => ({ ResourceType, PhysicalResourceId, LogicalResourceId: 'X' })));
    const checks = await doctorChecks(clients, resources, ACCOUNT);
    expect(checks).toHaveLength(11);
    expect(checks.every((c) => c.status === 'FAIL' && c.fix.startsWith('grant the doctor\'s credentials'))).toBe(true);
  });
});
