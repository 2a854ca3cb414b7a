import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DETECTOR_OPTIONS, findingEventPattern, guardDutyDetector, validMinimumSeverity } from '../../lib/threats/detector';

describe('guardDutyDetector', () => {
  test('every detector option configures the created detector', () => {
    const stack = new Stack(new App(), 'Test');
    guardDutyDetector(stack, 'Detector', { runtimeMonitoring: false, findingPublishingFrequency: 'ONE_HOUR' as never });
    const props = Template.fromStack(stack).findResources('AWS::GuardDuty::Detector').Detector.Properties;
    expect(props.FindingPublishingFrequency).toBe('ONE_HOUR');
    expect(props.Features[0]).toEqual(expect.objectContaining({ Name: 'RUNTIME_MONITORING', Status: 'DISABLED' }));
    expect(props.Features.slice(1).map((f: { Status: string }) => f.Status)).toEqual(['ENABLED', 'ENABLED', 'ENABLED']);
    expect(DETECTOR_OPTIONS).toEqual(['findingPublishingFrequency', 'runtimeMonitoring', 'malwareProtection', 's3Protection', 'lambdaProtection']);
  });
});

describe('findingEventPattern', () => {
  test('GuardDuty findings of the catalog\'s types at or above the severity, from any region', () => {
    const pattern = findingEventPattern(4);
    expect(pattern.source).toEqual(['aws.guardduty']);
    expect(pattern.detail?.severity).toEqual([{ numeric: ['>=', 4] }]);
    expect(pattern.region).toBeUndefined();
    expect(pattern.detail?.type).toEqual(expect.arrayContaining([{ prefix: 'CryptoCurrency:' }]));
  });
});

describe('validMinimumSeverity', () => {
  test('1 unless given; GuardDuty\'s scale only', () => {
    expect(validMinimumSeverity(undefined)).toBe(1);
    expect(validMinimumSeverity(7)).toBe(7);
    for (const bad of [0, 9, Number.NaN]) {
      expect(() => validMinimumSeverity(bad)).toThrow(/minimumSeverity must be between 1 and 8.9 .* Write e.g. 4 for Medium and above/);
    }
  });
});
