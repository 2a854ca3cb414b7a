/**
 * The notifier's rule for the guard's alarms, matched by the emulator's own EventBridge pattern matcher: the state
 * changes worth an alert reach the notifier, the rest and every other alarm do not.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AlertChannel } from '../../lib';
import { vcpuAlarmEvent } from '../fixtures/documented-alarms';
import { readJsonLines } from '../fixtures/real-events';
import { matchEvents } from '../harness/event-patterns';

const stack = new Stack(new App(), 'Guard');
const channel = new AlertChannel(stack, 'Alerts', { emails: ['secops@example.com'] });
const rule = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))
  .find((r) => r.Properties.EventPattern?.source?.[0] === 'aws.cloudwatch')!;
const prefix = channel.notifier.alarmNamePrefix;

function reaches(event: object): boolean {
  return matchEvents([rule.Properties.EventPattern], [event])[0][0];
}

describe('the notifier\'s rule for the guard\'s alarms', () => {
  test('sends a guard alarm going into ALARM', () => {
    expect(reaches(vcpuAlarmEvent(prefix, 'G/OnDemand', { value: 96, threshold: 4 }))).toBe(true);
  });

  test('sends a guard alarm returning from ALARM to OK', () => {
    expect(reaches(vcpuAlarmEvent(prefix, 'G/OnDemand', { value: 0, threshold: 4, state: 'OK', previousState: 'ALARM' }))).toBe(true);
  });

  test.each<[string, 'OK' | 'INSUFFICIENT_DATA', 'OK' | 'ALARM' | 'INSUFFICIENT_DATA']>([
    ['a new alarm\'s first OK', 'OK', 'INSUFFICIENT_DATA'],
    ['an alarm running out of data', 'INSUFFICIENT_DATA', 'ALARM'],
  ])('does not send %s', (_name, state, previousState) => {
    expect(reaches(vcpuAlarmEvent(prefix, 'G/OnDemand', { value: 0, threshold: 4, state, previousState }))).toBe(false);
  });

  test('does not send the alarms of another guard, or anyone else\'s', () => {
    expect(reaches(vcpuAlarmEvent('OtherStack-Alerts-Notifier-9Z8Y7X6W-', 'G/OnDemand', { value: 96, threshold: 4 }))).toBe(false);
    for (const documented of readJsonLines('cloudwatch/alarm_state_change_awsdocs.jsonl')) expect(reaches(documented)).toBe(false);
  });
});
