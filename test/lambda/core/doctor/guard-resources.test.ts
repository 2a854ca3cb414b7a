import { DEFAULT_DETECTOR } from '../../../../lambda/core/doctor/detector-checks';
import { accountOfStackId, expectedDetectorOf, guardResourcesOf, ruleNameOf } from '../../../../lambda/core/doctor/guard-resources';

describe('guardResourcesOf', () => {
  test('sorts the stack\'s resources by type, leaving out those not created', () => {
    const parts = guardResourcesOf([
      { LogicalResourceId: 'MiningGuardAlertsTopic1', PhysicalResourceId: 'arn:aws:sns:us-east-1:1:t', ResourceType: 'AWS::SNS::Topic' },
      { LogicalResourceId: 'Rule1', PhysicalResourceId: 'r1', ResourceType: 'AWS::Events::Rule' },
      { LogicalResourceId: 'Rule2', ResourceType: 'AWS::Events::Rule' },
      { LogicalResourceId: 'Role', PhysicalResourceId: 'role', ResourceType: 'AWS::IAM::Role' },
    ]);
    expect(parts.topics).toEqual([{ logicalId: 'MiningGuardAlertsTopic1', physicalId: 'arn:aws:sns:us-east-1:1:t' }]);
    expect(parts.rules.map((r) => r.physicalId)).toEqual(['r1']);
    expect(parts.expectedDetector).toEqual(DEFAULT_DETECTOR);
  });
});

describe('expectedDetectorOf', () => {
  test('reads the detector\'s frequency and enabled features from the template', () => {
    const template = JSON.stringify({
      Resources: {
        D: {
          Type: 'AWS::GuardDuty::Detector',
          Properties: {
            FindingPublishingFrequency: 'ONE_HOUR', Features: [{ Name: 'RUNTIME_MONITORING', Status: 'ENABLED' }, { Name: 'S3_DATA_EVENTS', Status: 'DISABLED' }],
          },
        },
      },
    });
    expect(expectedDetectorOf(template)).toEqual({ findingPublishingFrequency: 'ONE_HOUR', enabledFeatures: ['RUNTIME_MONITORING'] });
    expect(expectedDetectorOf('{')).toEqual(DEFAULT_DETECTOR);
    expect(expectedDetectorOf(JSON.stringify({ Resources: null }))).toEqual(DEFAULT_DETECTOR);
  });
});

describe('ruleNameOf and accountOfStackId', () => {
  test('split a custom bus rule id, and read the account from a stack ARN', () => {
    expect(ruleNameOf('bus|name')).toEqual({ name: 'name', eventBusName: 'bus' });
    expect(ruleNameOf('name')).toEqual({ name: 'name' });
    expect(accountOfStackId('arn:aws:cloudformation:us-east-1:111122223333:stack/S/abc')).toBe('111122223333');
    expect(accountOfStackId(undefined)).toBeUndefined();
  });
});
