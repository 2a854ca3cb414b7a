/** Which alarm state changes reach the notifier, and the naming that marks an alarm as the guard's. */
import type * as events from 'aws-cdk-lib/aws-events';
import type { IAlarmNaming } from './alert-channel';

/** CloudWatch's limit on an alarm's name. */
const MAX_ALARM_NAME_LENGTH = 255;

/**
 * The guard's alarms, named with the notifier's prefix, going into ALARM, and back to OK after ALARM, from any
 * region: a new alarm's first OK is no news.
 */
export function alarmStateChangePattern(alarmNamePrefix: string): events.EventPattern {
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    detail: {
      alarmName: [{ prefix: alarmNamePrefix }],
      $or: [
        { state: { value: ['ALARM'] } },
        { state: { value: ['OK'] }, previousState: { value: ['ALARM'] } },
      ],
    },
  };
}

/** Alarm names with the notifier's prefix, for parts that have the prefix but not the notifier (another region's). */
export class AlarmNamePrefix implements IAlarmNaming {
  constructor(private readonly prefix: string) {}

  public alarmName(suffix: string): string {
    return `${this.prefix}${suffix}`.slice(0, MAX_ALARM_NAME_LENGTH);
  }
}
