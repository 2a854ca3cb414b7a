import { judgeAlarms } from '../../../../lambda/core/doctor/alarms';

describe('judgeAlarms', () => {
  test('OK passes; ALARM, INSUFFICIENT_DATA, disabled actions and an unknown state fail', () => {
    const checks = judgeAlarms([
      { AlarmName: 'a', StateValue: 'OK', ActionsEnabled: true },
      { AlarmName: 'b', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [12.0] was greater than 8.0', ActionsEnabled: true },
      { AlarmName: 'c', StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' },
      { AlarmName: 'd', StateValue: 'OK', ActionsEnabled: false },
      { AlarmName: 'e', StateValue: 'MISSING' },
    ]);
    expect(checks.map((c) => c.status)).toEqual(['PASS', 'FAIL', 'FAIL', 'FAIL', 'FAIL']);
    expect(checks[1].detail).toContain('Threshold Crossed');
    expect(checks[2].detail).toMatch(/^INSUFFICIENT_DATA/);
    expect(checks[3].fix).toBe('aws cloudwatch enable-alarm-actions --alarm-names d');
  });
});
