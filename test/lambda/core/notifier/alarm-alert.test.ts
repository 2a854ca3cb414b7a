import * as fc from 'fast-check';
import { renderText, toAlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { alarmAlert, isAlarmStateChange } from '../../../../lambda/core/notifier/alarm-alert';
import { alertForEvent } from '../../../../lambda/core/notifier/alert-for-event';
import { MalformedEventError } from '../../../../lambda/core/notifier/event-reader';
import { CIS_DETECTIONS } from '../../../../lib/catalog';
import { cisAlarmEvent, deadLetterAlarmEvent, failingFunctionAlarmEvent, vcpuAlarmEvent } from '../../../fixtures/documented-alarms';
import { readJsonLines } from '../../../fixtures/real-events';

const PREFIX = 'MiningGuardBasic-MiningGuard-Alerts-Notifier-1A2B3C4D-';
const DOCUMENTED = readJsonLines('cloudwatch/alarm_state_change_awsdocs.jsonl');

describe('the documented CloudWatch alarm state changes', () => {
  test.each(DOCUMENTED.map((e) => [(e.detail as { alarmName: string }).alarmName, e] as const))('%s is read, and alerted as an alarm nobody catalogued', (_name, event) => {
    // WHEN
    const read = alertForEvent(event);
    // THEN
    expect(read.recognised).toBe(true);
    expect(read.alert).toMatchObject({ detectionId: 'alarm-other', severity: 'MEDIUM' });
    expect(read.alert!.what).toContain(`CloudWatch alarm ${(event.detail as { alarmName: string }).alarmName} went from `);
  });

  test('the single-metric alarm: the value against its threshold, the region, and a link to the alarm', () => {
    // WHEN
    const alert = alarmAlert(DOCUMENTED[0])!;
    // THEN
    expect(alert.headline).toBe('99.5 AWS/EC2 CPUUtilization (threshold 50) in us-east-1');
    expect(alert.what).toContain('went from OK to ALARM at 2019-10-02T17:04:40.989+0000');
    expect(alert.what).toContain('The alarm says: Goes into alarm when server CPU utilization is too high!');
    expect(alert.where).toBe('Account 123456789012, region us-east-1');
    expect(alert.links).toEqual([{
      label: 'CloudWatch alarm',
      url: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/ServerCpuTooHigh',
    }]);
    expect(alert.refs).toEqual({ alarmName: 'ServerCpuTooHigh', eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92' });
  });

  test('the anomaly detection alarm: the value against the top of its band', () => {
    expect(alarmAlert(DOCUMENTED[2])!.headline).toBe('0 AWS/EC2 CPUUtilization (top of usual band 0.3) in us-east-1');
  });
});

describe('the guard\'s own alarms', () => {
  test('a vCPU alarm says which class, how many vCPUs against which threshold, where, and what to do', () => {
    // GIVEN 96 G/OnDemand vCPUs running in sa-east-1, where the alarm fires above 4
    const event = vcpuAlarmEvent(PREFIX, 'G/OnDemand', { value: 96, threshold: 4 });
    // WHEN
    const { alert, recognised } = alertForEvent(event);
    const message = toAlertMessage(alert!);
    // THEN
    expect(recognised).toBe(true);
    expect(message.subject).toBe('[MiningGuard][HIGH] 96 G/OnDemand vCPUs running (threshold 4) in sa-east-1');
    expect(message.attributes).toEqual({ severity: 'HIGH', detection: 'vcpu-usage-surge' });
    const text = renderText(alert!);
    for (const section of ['WHAT HAPPENED', 'WHO', 'WHERE', 'WHY IT MATTERS', 'WHAT MININGGUARD DID', 'WHAT TO DO NEXT', 'LINKS']) expect(text).toContain(section);
    expect(text).toContain('Miners launch as many vCPUs as the quotas allow');
    expect(text).toContain('1. Open EC2 in the alarm\'s region');
  });

  test('a vCPU band alarm compares with the top of the band CloudWatch learned', () => {
    const alert = alarmAlert(vcpuAlarmEvent(PREFIX, 'P/OnDemand', { value: 192, upper: 8.5 }))!;
    expect(alert.headline).toBe('192 P/OnDemand vCPUs running (top of usual band 8.5) in sa-east-1');
  });

  test('a dead-letter alarm names the queue and what was lost', () => {
    const alert = alarmAlert(deadLetterAlarmEvent(PREFIX, 'notifier', 'MiningGuardBasic-NotifierDeadLettersQueue-AbC123'))!;
    expect(alert).toMatchObject({ detectionId: 'guard-dead-letters', severity: 'HIGH' });
    expect(alert.headline).toBe('3 events in dead-letter queue MiningGuardBasic-NotifierDeadLettersQueue-AbC123 (threshold 1) in sa-east-1');
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][HIGH] 3 events in dead-letter queue MiningGuar...ue-AbC123 (threshold 1) in sa-east-1');
    expect(alert.next[0]).toContain('Read the messages in the dead-letter queue');
  });

  test('the spend evaluator\'s failure alarm names the function', () => {
    const alert = alarmAlert(failingFunctionAlarmEvent(PREFIX, 'MiningGuardBasic-SpendEvaluatorFunction-XyZ'))!;
    expect(alert).toMatchObject({ detectionId: 'guard-function-failing', severity: 'HIGH' });
    expect(alert.headline).toContain('failed runs of MiningGuardBasic-SpendEvaluatorFunction-XyZ');
  });

  test.each(CIS_DETECTIONS.map((d) => [d.id, d] as const))('the CIS alarm %s is its control\'s detection', (_id, d) => {
    const alert = alarmAlert(cisAlarmEvent(PREFIX, d.id, d.signal.control, d.signal.metricName))!;
    expect(alert).toMatchObject({ detectionId: d.id, severity: d.severity, title: d.title });
    expect(alert.headline).toBe(`2 events of CIS ${d.signal.control}: ${d.title} (threshold 1) in sa-east-1`);
    expect(toAlertMessage(alert).subject.length).toBeLessThan(100);
    expect(alert.why).toBe(d.rationale);
  });

  test('the return to OK is one short LOW alert of the same detection', () => {
    // GIVEN the alarm falling back to OK after it alarmed
    const event = vcpuAlarmEvent(PREFIX, 'G/OnDemand', { value: 0, threshold: 4, state: 'OK', previousState: 'ALARM' });
    // WHEN
    const alert = alarmAlert(event)!;
    // THEN
    expect(alert).toMatchObject({ detectionId: 'vcpu-usage-surge', severity: 'LOW' });
    expect(toAlertMessage(alert).subject).toBe('[MiningGuard][LOW] Back to OK: 0 G/OnDemand vCPUs running (threshold 4) in sa-east-1');
    expect(alert.next).toHaveLength(1);
    expect(renderText(alert).length).toBeLessThan(renderText(alarmAlert(vcpuAlarmEvent(PREFIX, 'G/OnDemand', { value: 96, threshold: 4 }))!).length);
  });

  test.each<[string, 'OK' | 'INSUFFICIENT_DATA', 'OK' | 'ALARM' | 'INSUFFICIENT_DATA']>([
    ['a new alarm\'s first OK', 'OK', 'INSUFFICIENT_DATA'],
    ['an alarm running out of data', 'INSUFFICIENT_DATA', 'ALARM'],
    ['an OK that was OK', 'OK', 'OK'],
  ])('%s is no news', (_name, state, previousState) => {
    const read = alertForEvent(vcpuAlarmEvent(PREFIX, 'G/OnDemand', { value: 0, threshold: 4, state, previousState }));
    expect(read).toEqual({ recognised: true, alert: undefined });
  });
});

describe('malformed alarm events', () => {
  test('without an alarm name or state, the event is shown as unrecognised, never dropped', () => {
    const event = { ...DOCUMENTED[0], detail: { configuration: {} } };
    expect(() => alarmAlert(event)).toThrow(MalformedEventError);
    expect(alertForEvent(event).alert).toMatchObject({ detectionId: 'unrecognised-event' });
  });

  test('unreadable reason data leaves out the figures, not the alert', () => {
    const event = vcpuAlarmEvent(PREFIX, 'G/OnDemand', { value: 96, threshold: 4 });
    ((event.detail as Record<string, Record<string, unknown>>).state).reasonData = '{not json';
    expect(alarmAlert(event)!.headline).toBe('G/OnDemand vCPUs running in sa-east-1');
  });

  test('whatever the detail holds, an alarm event is read or refused with MalformedEventError, and its subject fits SNS', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (detail, state) => {
      const event = { ...DOCUMENTED[0], detail: { ...(typeof detail === 'object' && detail !== null ? detail : {}), state } };
      const read = alertForEvent(event);
      if (read.alert) expect(toAlertMessage(read.alert).subject.length).toBeLessThan(100);
    }));
  });

  test('is not mistaken for any other event', () => {
    expect(isAlarmStateChange({ 'source': 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm Configuration Change' })).toBe(false);
    expect(isAlarmStateChange({ 'source': 'my.app', 'detail-type': 'CloudWatch Alarm State Change' })).toBe(false);
  });
});

describe('alarm states set by doctor --drill', () => {
  /** The documented vCPU alarm event, its state set by SetAlarmState with this reason. */
  function withReason(reason: string, state: 'ALARM' | 'OK', previous: 'ALARM' | 'OK'): Record<string, unknown> {
    const event = vcpuAlarmEvent(PREFIX, 'Standard/OnDemand', { value: 300, threshold: 128 }) as { detail: { state: object; previousState: object } };
    const detail = {
      ...event.detail, state: { ...event.detail.state, value: state, reason }, previousState: { ...event.detail.previousState, value: previous },
    };
    return { ...event, detail };
  }

  test('an ALARM, and its return to OK, whose reason starts with the drill\'s are labelled DRILL', () => {
    expect(alarmAlert(withReason('MiningGuard drill: set by mining-guard doctor --drill (x)', 'ALARM', 'OK'))?.what).toMatch(/^DRILL \(alarm state set by mining-guard doctor --drill\): /);
    expect(alarmAlert(withReason('MiningGuard drill: set by mining-guard doctor --drill (x)', 'ALARM', 'OK'))?.headline).toMatch(/^DRILL: /);
    const back = alarmAlert(withReason('MiningGuard drill: set back to OK', 'OK', 'ALARM'));
    expect(back?.headline).toMatch(/^DRILL: Back to OK/);
    expect(back?.what).toMatch(/^DRILL \(alarm state set by mining-guard doctor --drill\): /);
  });

  test('a reason that only mentions the drill later is not a drill', () => {
    expect(alarmAlert(withReason('Threshold Crossed: MiningGuard drill', 'ALARM', 'OK'))?.what).not.toMatch(/^DRILL/);
    expect(alarmAlert(withReason('Threshold Crossed: MiningGuard drill', 'ALARM', 'OK'))?.headline).not.toMatch(/DRILL/);
  });
});
