import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { guardDutyFindingTypePatterns, toEventFilter } from '../../lib/catalog';
import { MAX_EVENT_PATTERN_LENGTH, patternLength } from '../../lib/common/cloudtrail-rules';
import { DETECTOR_OPTIONS, findingEventPattern, guardDutyDetector, validMinimumSeverity } from '../../lib/threats/detector';

describe('guardDutyDetector', () => {
  test('every detector option configures the created detector', () => {
    const stack = new Stack(new App(), 'Test');
    guardDutyDetector(stack, 'Detector', { runtimeMonitoring: false, findingPublishingFrequency: 'ONE_HOUR' as never });
    const props = Template.fromStack(stack).findResources('AWS::GuardDuty::Detector').Detector.Properties;
    expect(props.FindingPublishingFrequency).toBe('ONE_HOUR');
    expect(props.Features[0]).toEqual(expect.objectContaining({ Name: 'RUNTIME_MONITORING', Status: 'DISABLED' }));
    expect(props.Features.slice(1).map((f: { Status: string }) => f.Status)).toEqual(['ENABLED', 'ENABLED', 'ENABLED']);
    expect(DETECTOR_OPTIONS).toEqual(['findingPublishingFrequency', 'runtimeMonitoring', 'malwareProtection', 's3Protection', 'lambdaProtection', 'aiProtection']);
  });
});

describe('the created detector', () => {
  test('is kept when the stack is deleted or stops creating it: GuardDuty stays on in the region', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test');
    // WHEN
    guardDutyDetector(stack, 'Detector', {});
    // THEN
    Template.fromStack(stack).hasResource('AWS::GuardDuty::Detector', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('findingEventPattern', () => {
  test('by default, GuardDuty findings of the catalog\'s types only, at any severity, from any region', () => {
    const pattern = findingEventPattern();
    expect(pattern.source).toEqual(['aws.guardduty']);
    expect(pattern.region).toBeUndefined();
    expect(pattern.detail).toEqual({ type: guardDutyFindingTypePatterns().map(toEventFilter) });
    expect(pattern.detail?.type).toEqual(expect.arrayContaining([{ prefix: 'CryptoCurrency:' }]));
  });

  test('with a minimum severity, the catalog\'s types at any severity, or any other finding at or above it', () => {
    expect(findingEventPattern(4).detail).toEqual({
      $or: [{ type: guardDutyFindingTypePatterns().map(toEventFilter) }, { severity: [{ numeric: ['>=', 4] }] }],
    });
  });

  test('fits EventBridge\'s pattern length', () => {
    expect(patternLength(findingEventPattern(8.9))).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
  });
});

describe('the AI Protection feature', () => {
  test('is left to GuardDuty\'s default unless set, so a region without it still deploys; set, it is named and cfn-lint told', () => {
    const stack = new Stack(new App(), 'Test');
    guardDutyDetector(stack, 'Unset', {});
    guardDutyDetector(stack, 'On', { aiProtection: true });
    guardDutyDetector(stack, 'Off', { aiProtection: false });
    const detectors = Template.fromStack(stack).findResources('AWS::GuardDuty::Detector');
    expect(detectors.Unset.Properties.Features.map((f: { Name: string }) => f.Name)).not.toContain('AI_PROTECTION');
    expect(detectors.Unset.Metadata?.['cfn-lint']).toBeUndefined();
    expect(detectors.On.Properties.Features).toContainEqual({ Name: 'AI_PROTECTION', Status: 'ENABLED' });
    expect(detectors.Off.Properties.Features).toContainEqual({ Name: 'AI_PROTECTION', Status: 'DISABLED' });
    expect(detectors.On.Metadata['cfn-lint']).toEqual({ config: { ignore_checks: ['E3030'] } });
  });
});

describe('validMinimumSeverity', () => {
  test('none unless given; GuardDuty\'s scale only', () => {
    expect(validMinimumSeverity(undefined)).toBeUndefined();
    expect(validMinimumSeverity(7)).toBe(7);
    for (const bad of [0, 9, Number.NaN]) {
      expect(() => validMinimumSeverity(bad)).toThrow(/minimumSeverity must be between 1 and 8.9 .* Write e.g. 4 for Medium and above/);
    }
  });
});
