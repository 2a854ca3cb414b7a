import { GUARDDUTY_SEVERITY_RANGE, guardDutySeverityLabel, maxSeverity, SEVERITIES, Severity } from '../../lib/catalog';

describe('guardDutySeverityLabel', () => {
  // GuardDuty: Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0.
  test.each([
    [1, 'LOW'], [3.9, 'LOW'],
    [4, 'MEDIUM'], [6.9, 'MEDIUM'],
    [7, 'HIGH'], [8.9, 'HIGH'],
    [9, 'CRITICAL'], [10, 'CRITICAL'],
  ])('%d is %s', (severity, label) => {
    expect(guardDutySeverityLabel(severity)).toBe(label);
  });

  test('the range a rule accepts runs from GuardDuty\'s lowest to its highest single-finding severity', () => {
    expect(GUARDDUTY_SEVERITY_RANGE).toEqual({ min: 1, max: 8.9 });
    expect(guardDutySeverityLabel(GUARDDUTY_SEVERITY_RANGE.min)).toBe('LOW');
    expect(guardDutySeverityLabel(GUARDDUTY_SEVERITY_RANGE.max)).toBe('HIGH');
  });
});

describe('maxSeverity', () => {
  test('is the more urgent of the two, whatever their order', () => {
    for (const [i, a] of SEVERITIES.entries()) {
      for (const [j, b] of SEVERITIES.entries()) expect([a, b, maxSeverity(a, b)]).toEqual([a, b, SEVERITIES[Math.max(i, j)]]);
    }
  });

  test('SEVERITIES run from LOW to CRITICAL', () => {
    expect(SEVERITIES).toEqual<Severity[]>(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
  });
});
