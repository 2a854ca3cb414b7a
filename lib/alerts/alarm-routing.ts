/** Which alarm state changes reach the notifier, and the naming that marks an alarm as the guard's. */
import { Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type { IConstruct } from 'constructs';
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

/**
 * Tells the validators why the guard's alarms under `scope` have no alarm action: EventBridge brings their state
 * changes to the notifier, which alerts in words; an SNS action would publish CloudWatch's raw JSON beside it.
 */
export function acknowledgeAlarmsWithoutActions(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'cdk-validator-cfnguard::cloudwatch_alarm_action_check',
    reason: 'The alarm is named for the notifier: EventBridge sends its state changes to the notifier, which alerts with what crossed which threshold and what to do. An SNS action would publish raw alarm JSON beside that alert.',
  });
}

/** Alarm names with the notifier's prefix, for parts that have the prefix but not the notifier (another region's). */
export class AlarmNamePrefix implements IAlarmNaming {
  constructor(private readonly prefix: string) {}

  public alarmName(suffix: string): string {
    return `${this.prefix}${suffix}`.slice(0, MAX_ALARM_NAME_LENGTH);
  }
}
