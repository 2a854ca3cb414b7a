import { DEFAULT_DETECTOR, judgeDetector } from '../../../../lambda/core/doctor/detector-checks';

const ALL = DEFAULT_DETECTOR.enabledFeatures.map((Name) => ({ Name, Status: 'ENABLED' }));

describe('judgeDetector', () => {
  test('an enabled detector with the deployed frequency and every feature passes', () => {
    const checks = judgeDetector('12abc34d567e8fa901bc2d34e56789f0', { Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES', Features: ALL });
    expect(checks.every((c) => c.status === 'PASS')).toBe(true);
    expect(checks).toHaveLength(2 + DEFAULT_DETECTOR.enabledFeatures.length);
  });

  test('a detector without a feature fails that feature, and a disabled one fails, with the command that fixes each', () => {
    // GIVEN GetDetector's documented shape, Runtime Monitoring turned off and Lambda Protection missing
    const features = ALL.filter((f) => f.Name !== 'LAMBDA_NETWORK_LOGS').map((f) => (f.Name === 'RUNTIME_MONITORING' ? { ...f, Status: 'DISABLED' } : f));
    const checks = judgeDetector('d1', { Status: 'DISABLED', FindingPublishingFrequency: 'SIX_HOURS', Features: features });
    const failed = checks.filter((c) => c.status === 'FAIL');
    expect(failed.map((c) => c.name)).toEqual([
      'GuardDuty detector d1', 'GuardDuty detector d1 publishing frequency',
      'GuardDuty detector d1 feature RUNTIME_MONITORING', 'GuardDuty detector d1 feature LAMBDA_NETWORK_LOGS',
    ]);
    expect(failed[0].fix).toBe('aws guardduty update-detector --detector-id d1 --enable');
    expect(failed[3].detail).toBe('not on the detector');
  });

  test('the expected features are those the template turned on', () => {
    const checks = judgeDetector('d1', { Status: 'ENABLED', FindingPublishingFrequency: 'ONE_HOUR', Features: [] },
      { findingPublishingFrequency: 'ONE_HOUR', enabledFeatures: [] });
    expect(checks.map((c) => c.status)).toEqual(['PASS', 'PASS']);
  });
});
