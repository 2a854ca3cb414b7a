import { classifyAlarmMetric, GUARD_HEALTH_DETECTIONS } from '../../lib/catalog';

describe('the guard-health detections', () => {
  test('a dead-letter queue with messages, and a failing function, each on its AWS metric', () => {
    expect(GUARD_HEALTH_DETECTIONS.map((d) => [d.id, d.signal])).toEqual([
      ['guard-dead-letters', { kind: 'alarm', namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible' }],
      ['guard-function-failing', { kind: 'alarm', namespace: 'AWS/Lambda', metricName: 'Errors' }],
    ]);
  });

  test('an alarm on either metric is recognised as the guard\'s own health', () => {
    expect(classifyAlarmMetric('AWS/SQS', 'ApproximateNumberOfMessagesVisible').id).toBe('guard-dead-letters');
    expect(classifyAlarmMetric('AWS/Lambda', 'Errors').id).toBe('guard-function-failing');
    expect(classifyAlarmMetric('AWS/Lambda', 'Throttles').id).toBe('alarm-other');
  });

  test('each is HIGH, only notifies, and sends people to the function\'s logs', () => {
    for (const d of GUARD_HEALTH_DETECTIONS) {
      expect([d.id, d.severity, d.responses]).toEqual([d.id, 'HIGH', ['NOTIFY']]);
      expect(d.nextSteps.some((step) => step.includes('function\'s logs'))).toBe(true);
    }
  });
});
