import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertChannel, FindingPublishingFrequency, ThreatDetection, ThreatDetectionOptions } from '../../lib';
import { guardDutyFindingTypePatterns, toEventFilter } from '../../lib/catalog';

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
    });
    t.hasResourceProperties('AWS::GuardDuty::Detector', {
      FindingPublishingFrequency: 'ONE_HOUR',
      Features: [
        Match.objectLike({ Name: 'RUNTIME_MONITORING', Status: 'DISABLED', AdditionalConfiguration: Match.arrayWith([{ Name: 'EC2_AGENT_MANAGEMENT', Status: 'DISABLED' }]) }),
        { Name: 'EBS_MALWARE_PROTECTION', Status: 'DISABLED' },
        { Name: 'S3_DATA_EVENTS', Status: 'DISABLED' },
        { Name: 'LAMBDA_NETWORK_LOGS', Status: 'DISABLED' },
      ],
    });
  });

  test('the finding rule routes exactly the catalog\'s finding types, at or above the minimum severity, to the notifier with a dead-letter queue', () => {
    const t = deploy({ minimumSeverity: 4 });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        'detail': {
          type: guardDutyFindingTypePatterns().map(toEventFilter),
          severity: [{ numeric: ['>=', 4] }],
        },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierFunction'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 8 },
      })],
    });
  });

  test('the minimum severity defaults to 1: every catalog finding reaches people', () => {
    deploy().hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: { severity: [{ numeric: ['>=', 1] }] } } });
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
