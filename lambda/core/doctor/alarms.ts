/** Judges the guard's alarms: one in ALARM is a problem happening now, one in INSUFFICIENT_DATA may watch nothing. */
import { Check, fail, pass } from './check';

/** An alarm as CloudWatch DescribeAlarms returns it. */
export interface AlarmState {
  readonly AlarmName?: string;
  readonly StateValue?: string;
  readonly StateReason?: string;
  readonly ActionsEnabled?: boolean;
}

/** One check per alarm: OK passes; ALARM, INSUFFICIENT_DATA and disabled actions fail with what to do. */
export function judgeAlarms(alarms: readonly AlarmState[]): Check[] {
  return alarms.map((alarm) => {
    const name = `alarm ${String(alarm.AlarmName)}`;
    const reason = typeof alarm.StateReason === 'string' ? alarm.StateReason.slice(0, 200) : '';
    if (alarm.ActionsEnabled === false) {
      return fail(name, `${String(alarm.StateValue)}, actions disabled: it alerts nobody`, `aws cloudwatch enable-alarm-actions --alarm-names ${String(alarm.AlarmName)}`);
    }
    switch (alarm.StateValue) {
      case 'OK':
        return pass(name, 'OK');
      case 'ALARM':
        return fail(name, `in ALARM: ${reason}`, 'act on the alert it sent (docs/doctor.md says what each alarm means)');
      case 'INSUFFICIENT_DATA':
        return fail(name, `INSUFFICIENT_DATA: ${reason}`,
          'an alarm on a metric nothing has emitted yet stays here until the first data point; if it persists, check the metric\'s source is deployed');
      default:
        return fail(name, `state ${String(alarm.StateValue)}`, 'run the doctor again');
    }
  });
}
