import { judgeAnomalyMonitor } from '../../../../lambda/core/doctor/anomaly';

const MONITOR = 'arn:aws:ce::111122223333:anomalymonitor/0a1b2c3d-1111-2222-3333-444455556666';

describe('judgeAnomalyMonitor', () => {
  test('a monitor with an IMMEDIATE subscription to the topic passes', () => {
    const checks = judgeAnomalyMonitor(MONITOR, [{ MonitorArn: MONITOR }], [
      { MonitorArnList: [MONITOR], Frequency: 'IMMEDIATE', Subscribers: [{ Type: 'SNS', Address: 'arn:aws:sns:us-east-1:1:t', Status: 'CONFIRMED' }] },
    ]);
    expect(checks.map((c) => c.status)).toEqual(['PASS', 'PASS']);
  });

  test('a monitor watched only daily fails; a missing monitor fails', () => {
    const daily = judgeAnomalyMonitor(MONITOR, [{ MonitorArn: MONITOR }], [{ MonitorArnList: [MONITOR], Frequency: 'DAILY', Subscribers: [{ Type: 'EMAIL', Address: 'a@example.com' }] }]);
    expect(daily[1]).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('DAILY only') });
    expect(judgeAnomalyMonitor(MONITOR, [], [])[0].status).toBe('FAIL');
    expect(judgeAnomalyMonitor(MONITOR, [{ MonitorArn: MONITOR }], [])[1].detail).toContain('no subscription');
  });

  test('an IMMEDIATE subscription without subscriber fails', () => {
    expect(judgeAnomalyMonitor(MONITOR, [{ MonitorArn: MONITOR }], [{ MonitorArnList: [MONITOR], Frequency: 'IMMEDIATE', Subscribers: [] }])[1].status).toBe('FAIL');
  });
});
