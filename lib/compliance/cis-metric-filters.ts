/** CisMetricFilters: the CIS AWS Foundations monitoring metric filters on the trail's log group, each with an alarm that alerts. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeAlarmsWithoutActions } from '../alerts/alarm-routing';
import type { IAlertChannel } from '../alerts/alert-channel';
import { CIS_DETECTIONS } from '../catalog';

/** Properties of `CisMetricFilters`. */
export interface CisMetricFiltersProps {
  /** The log group a multi-region trail delivers to. */
  readonly logGroup: logs.ILogGroup;
  /** Where the alarms alert: each is named so that its state changes reach the notifier. */
  readonly alerts: IAlertChannel;
  /**
   * The CloudWatch namespace of the metrics.
   * @default 'MiningGuard/CIS'
   */
  readonly metricNamespace?: string;
}

/**
 * One metric filter and one alarm per CIS AWS Foundations Benchmark monitoring control (section 4): unauthorized
 * API calls, sign-in without MFA, root usage, IAM, CloudTrail, KMS, S3, Config, network and Organizations changes.
 * Each alarm fires on the first match in five minutes, and the notifier alerts with the control's detection.
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 */
export class CisMetricFilters extends Construct {
  /** The alarms, by CIS control number (`4.1`). */
  public readonly alarms: { [control: string]: cloudwatch.IAlarm } = {};

  constructor(scope: Construct, id: string, props: CisMetricFiltersProps) {
    super(scope, id);
    acknowledgeAlarmsWithoutActions(this);
    const namespace = props.metricNamespace ?? 'MiningGuard/CIS';
    for (const detection of CIS_DETECTIONS) {
      const { control, metricName, pattern } = detection.signal;
      const filter = new logs.MetricFilter(this, `${metricName}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: namespace,
        metricName,
        metricValue: '1',
      });
      this.alarms[control] = new cloudwatch.Alarm(this, `${metricName}Alarm`, {
        alarmName: props.alerts.alarmName(detection.id),
        alarmDescription: `MiningGuard CIS ${control}: ${detection.title} in CloudTrail. Search the trail's log group for the matching events.`,
        metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No matching event means no data point, which is the good case.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
