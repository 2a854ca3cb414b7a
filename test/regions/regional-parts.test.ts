import { App, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RecorderMode } from '../../lib';
import { alarmStateChangePattern } from '../../lib/alerts/alarm-routing';
import { JUDGED_CALL_DETECTIONS, LAUNCH_DETECTIONS } from '../../lib/catalog';
import { cloudTrailPatterns } from '../../lib/common/cloudtrail-rules';
import { RegionalParts } from '../../lib/regions/regional-parts';
import { regionalSettings, RegionalSettings } from '../../lib/regions/regional-settings';
import { findingEventPattern } from '../../lib/threats/detector';

const BASE = { homeRegion: 'eu-west-1', alarmNamePrefix: 'Home-MiningGuard-', minimumSeverity: 4, detector: {} };

function partsIn(settings: RegionalSettings = regionalSettings(BASE), createDetector: boolean | 'condition' = true): { t: Template; parts: RegionalParts } {
  const stack = new Stack(new App(), 'Regional', { env: { account: '111122223333', region: 'sa-east-1' } });
  const condition = new CfnCondition(stack, 'Create', { expression: Fn.conditionEquals('a', 'a') });
  const parts = new RegionalParts(stack, 'Guard', { settings, createDetector: createDetector === 'condition' ? condition : createDetector });
  return { t: Template.fromStack(stack), parts };
}

/** The event pattern of every rule, as CloudFormation receives them. */
function patterns(t: Template): unknown[] {
  return Object.values(t.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
}

describe('RegionalParts', () => {
  test('carries no Lambda function, no asset, and nothing account-wide', () => {
    const { t } = partsIn(regionalSettings({ ...BASE, vcpuAlarms: {}, compliance: { recorder: RecorderMode.CREATE } }));
    const types = new Set(Object.values(t.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type));
    for (const type of types) expect(type).not.toMatch(/^AWS::(Lambda|Budgets|CE|CloudTrail|Chatbot|SNS|KMS|DynamoDB)::/);
    expect(JSON.stringify(t.toJSON())).not.toMatch(/AssetParameters|cdk-hnb659fds-assets|S3Key/);
  });

  test('forwards exactly the catalog\'s CloudTrail calls, the routed findings and the guard\'s alarms, each to the home region\'s default bus', () => {
    const { t } = partsIn();
    const expected = [
      ...cloudTrailPatterns([...LAUNCH_DETECTIONS, ...JUDGED_CALL_DETECTIONS]),
      { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': findingEventPattern(4).detail },
      { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'detail': alarmStateChangePattern('Home-MiningGuard-').detail },
    ];
    expect(patterns(t)).toEqual(expected);
    const rules = Object.values(t.findResources('AWS::Events::Rule'));
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] },
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^GuardForwardingRole/), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^GuardForwardingDeadLettersQueue/), 'Arn'] } },
      })]);
    }
  });

  test('the forwarding role is for EventBridge of this account only, and may put events on the home bus alone', () => {
    const { t } = partsIn();
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }],
      },
    });
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Action: 'events:PutEvents',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] },
    }]);
  });

  test('a forwarding failure lands in a dead-letter queue whose alarm is named as the guard\'s, so it alerts through the home notifier', () => {
    const { t } = partsIn();
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Home-MiningGuard-guard-dead-letters-forwarding', Namespace: 'AWS/SQS' });
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  test('a detector, created or left to a condition, or none', () => {
    expect(partsIn().t.findResources('AWS::GuardDuty::Detector')).not.toEqual({});
    expect(partsIn(undefined, false).t.findResources('AWS::GuardDuty::Detector')).toEqual({});
    partsIn(undefined, 'condition').t.hasResource('AWS::GuardDuty::Detector', { Condition: 'Create' });
    // Kept when the region stops creating it, or the stack is deleted: GuardDuty stays on there.
    partsIn(undefined, 'condition').t.hasResource('AWS::GuardDuty::Detector', { Condition: 'Create', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    partsIn().t.hasResource('AWS::GuardDuty::Detector', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('vCPU alarms named with the home prefix, without band alarms unless asked', () => {
    const { t } = partsIn(regionalSettings({ ...BASE, vcpuAlarms: { anomalyBands: false } }));
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    expect(alarms).toContain('Home-MiningGuard-vcpu-usage-surge-GOnDemand-above-baseline');
    expect(alarms.filter((n) => n.endsWith('-above-band'))).toEqual([]);
    expect(alarms.every((n) => n.startsWith('Home-MiningGuard-'))).toBe(true);
  });

  test('with compliance: a recorder when created, the regional rules after it, and their NON_COMPLIANT results forwarded', () => {
    const { t, parts } = partsIn(regionalSettings({ ...BASE, compliance: { recorder: RecorderMode.CREATE } }));
    expect(parts.recorder).toBeDefined();
    expect(Object.keys(parts.configRules)).toEqual(['MiningGuard-cloudtrail-enabled', 'MiningGuard-guardduty-enabled-centralized',
      'MiningGuard-ec2-imdsv2-check', 'MiningGuard-restricted-ssh', 'MiningGuard-vpc-default-security-group-closed']);
    for (const rule of Object.values(t.findResources('AWS::Config::ConfigRule'))) expect(rule.DependsOn).toEqual([expect.stringMatching(/^GuardRecorderDeliveryChannel/)]);
    expect(patterns(t)).toContainEqual({
      'source': ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      'detail': expect.objectContaining({ configRuleName: Object.keys(parts.configRules) }),
    });
    const adopted = partsIn(regionalSettings({ ...BASE, compliance: { recorder: RecorderMode.ADOPT } }));
    expect(adopted.parts.recorder).toBeUndefined();
    adopted.t.resourceCountIs('AWS::Config::ConfigRule', 5);
  });
});
