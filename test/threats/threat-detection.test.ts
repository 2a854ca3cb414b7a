import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { alertForEvent } from '../../lambda/core/notifier/alert-for-event';
import { AlertChannel, FindingPublishingFrequency, ThreatDetection, ThreatDetectionOptions } from '../../lib';
import { detection, guardDutyFindingTypePatterns, toEventFilter } from '../../lib/catalog';
import { documentedFinding, guardDutyEvent } from '../fixtures/documented-findings';
import { matchEvents } from '../harness/event-patterns';

function deploy(options: ThreatDetectionOptions = {}): Template {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  const alerts = new AlertChannel(s, 'Alerts', { emails: ['secops@example.com'] });
  new ThreatDetection(s, 'Threats', { ...options, alerts });
  return Template.fromStack(s);
}

describe('ThreatDetection', () => {
  test('by default: a detector publishing every 15 minutes, protection plans through features only', () => {
    const t = deploy();
    t.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      DataSources: Match.absent(),
      Features: [
        {
          Name: 'RUNTIME_MONITORING',
          Status: 'ENABLED',
          AdditionalConfiguration: [
            { Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' },
            { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' },
            { Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' },
          ],
        },
        { Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' },
        { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
        { Name: 'LAMBDA_NETWORK_LOGS', Status: 'ENABLED' },
      ],
    });
  });

  test('each protection plan and the frequency can be changed', () => {
    const t = deploy({
      findingPublishingFrequency: FindingPublishingFrequency.ONE_HOUR,
      runtimeMonitoring: false,
      malwareProtection: false,
      s3Protection: false,
      lambdaProtection: false,
      aiProtection: false,
    });
    t.hasResourceProperties('AWS::GuardDuty::Detector', {
      FindingPublishingFrequency: 'ONE_HOUR',
      Features: [
        Match.objectLike({ Name: 'RUNTIME_MONITORING', Status: 'DISABLED', AdditionalConfiguration: Match.arrayWith([{ Name: 'EC2_AGENT_MANAGEMENT', Status: 'DISABLED' }]) }),
        { Name: 'EBS_MALWARE_PROTECTION', Status: 'DISABLED' },
        { Name: 'S3_DATA_EVENTS', Status: 'DISABLED' },
        { Name: 'LAMBDA_NETWORK_LOGS', Status: 'DISABLED' },
        { Name: 'AI_PROTECTION', Status: 'DISABLED' },
      ],
    });
  });

  test('the finding rule routes the catalog\'s finding types at any severity, and others at or above the minimum, to the notifier with a dead-letter queue', () => {
    const t = deploy({ minimumSeverity: 4 });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        'detail': {
          $or: [{ type: guardDutyFindingTypePatterns().map(toEventFilter) }, { severity: [{ numeric: ['>=', 4] }] }],
        },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierFunction'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 8 },
      })],
    });
  });

  test('without a minimum severity, only the catalog\'s finding types are routed, at any severity', () => {
    deploy().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': { type: guardDutyFindingTypePatterns().map(toEventFilter) } },
    });
  });

  describe('minimumSeverity 8, with the deployed rule\'s pattern and EventBridge\'s matching as the emulator implements it', () => {
    const rules = Object.values(deploy({ minimumSeverity: 8 }).findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern)
      .filter((p) => p.source?.[0] === 'aws.guardduty');
    const routed = (finding: Record<string, unknown>) => matchEvents(rules, [guardDutyEvent(finding)])[0].some(Boolean);

    test('a catalog finding GuardDuty rated 2 is routed, and alerts at the catalog\'s severity', () => {
      expect(rules).toHaveLength(1);
      const finding = documentedFinding('CryptoCurrency:EC2/BitcoinTool.B!DNS', 2);
      expect(routed(finding)).toBe(true);
      const alert = alertForEvent(guardDutyEvent(finding)).alert!;
      expect([alert.detectionId, alert.severity]).toEqual(['guardduty-cryptocurrency', detection('guardduty-cryptocurrency').severity]);
      for (const type of ['Stealth:IAMUser/CloudTrailLoggingDisabled', 'Policy:IAMUser/RootCredentialUsage', 'Impact:IAMUser/CostHarvesting']) {
        expect([type, routed(documentedFinding(type, 2))]).toEqual([type, true]);
      }
    });

    test('a finding outside the catalog is routed at 8 and above, not at 5', () => {
      expect(routed(documentedFinding('Recon:EC2/Portscan', 5))).toBe(false);
      expect(routed(documentedFinding('Recon:EC2/Portscan', 8))).toBe(true);
      expect(alertForEvent(guardDutyEvent(documentedFinding('Recon:EC2/Portscan', 8))).alert?.detectionId).toBe('guardduty-other');
    });
  });

  test('the created detector is kept when the stack is deleted or adopts a detector instead: GuardDuty stays on', () => {
    deploy({}).hasResource('AWS::GuardDuty::Detector', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('adopting a detector creates none and still routes its findings', () => {
    const t = deploy({ existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0' });
    t.resourceCountIs('AWS::GuardDuty::Detector', 0);
    // and the alert channel's rule for the guard's alarms
    t.resourceCountIs('AWS::Events::Rule', 2);
  });

  describe('refuses', () => {
    test.each([0, 0.5, 9, 10, NaN])('minimum severity %s', (minimumSeverity) => {
      expect(() => deploy({ minimumSeverity })).toThrow(/minimumSeverity must be between 1 and 8.9 .*Write e.g. 4 for Medium/);
    });

    test('adopt and create given together', () => {
      expect(() => deploy({ existingDetectorId: 'abc', runtimeMonitoring: true, findingPublishingFrequency: FindingPublishingFrequency.ONE_HOUR }))
        .toThrow(/`findingPublishingFrequency`, `runtimeMonitoring` configure a new detector, but `existingDetectorId` adopts one/);
    });
  });
});
