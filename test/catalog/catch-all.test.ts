import { CATCH_ALL_DETECTIONS, classifyAlarmMetric, classifyConfigRule, classifyGuardDutyFinding } from '../../lib/catalog';

describe('the catch-all detections', () => {
  test('one per kind of signal without a more specific detection, in this order', () => {
    expect(CATCH_ALL_DETECTIONS.map((d) => [d.id, d.signal])).toEqual([
      ['guardduty-other', { kind: 'catch-all', of: 'guardduty' }],
      ['config-rule', { kind: 'catch-all', of: 'config' }],
      ['alarm-other', { kind: 'catch-all', of: 'alarm' }],
      ['unrecognised-event', { kind: 'catch-all', of: 'unreadable' }],
    ]);
  });

  test('each only notifies, and is never quieter than LOW', () => {
    for (const d of CATCH_ALL_DETECTIONS) expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
    expect(CATCH_ALL_DETECTIONS.map((d) => d.severity)).toEqual(['LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM']);
  });

  test('what no other detection reads falls to them', () => {
    expect(classifyGuardDutyFinding('Recon:EC2/PortProbeUnprotectedPort').id).toBe('guardduty-other');
    expect(classifyConfigRule('securityhub-s3-bucket-public-read-prohibited').id).toBe('config-rule');
    expect(classifyAlarmMetric('AWS/EC2', 'CPUUtilization').id).toBe('alarm-other');
    expect(classifyAlarmMetric(undefined, undefined).id).toBe('alarm-other');
  });

  test('the unreadable event says how to report its shape', () => {
    const unreadable = CATCH_ALL_DETECTIONS.find((d) => d.id === 'unrecognised-event')!;
    expect(unreadable.nextSteps).toEqual([
      'Check which rule sent it (source and detail-type) and whether the event shape changed.',
      'If it is a real detection, report the event shape so the notifier learns it.',
    ]);
  });
});
