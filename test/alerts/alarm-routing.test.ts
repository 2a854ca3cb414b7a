import { AlarmNamePrefix, alarmStateChangePattern } from '../../lib/alerts/alarm-routing';

describe('alarmStateChangePattern', () => {
  test('the alarms of one prefix, into ALARM, or back to OK after ALARM', () => {
    expect(alarmStateChangePattern('Guard-')).toEqual({
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: {
        alarmName: [{ prefix: 'Guard-' }],
        $or: [
          { state: { value: ['ALARM'] } },
          { state: { value: ['OK'] }, previousState: { value: ['ALARM'] } },
        ],
      },
    });
  });
});

describe('AlarmNamePrefix', () => {
  test('prefixes the suffix, within CloudWatch\'s 255 characters', () => {
    const naming = new AlarmNamePrefix('Guard-');
    expect(naming.alarmName('vcpu-usage-surge-GOnDemand-above-baseline')).toBe('Guard-vcpu-usage-surge-GOnDemand-above-baseline');
    expect(naming.alarmName('x'.repeat(300))).toHaveLength(255);
  });
});
