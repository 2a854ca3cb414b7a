/** CisMetricFilters: the CIS AWS Foundations section 4 metric filters on the trail's log group, each with an alarm to the alert topic. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CIS_MONITORING_CONTROLS } from './cis-monitoring-patterns';

/** Properties of `CisMetricFilters`. */
export interface CisMetricFiltersProps {
  /** The log group a multi-region trail delivers to. */
  readonly logGroup: logs.ILogGroup;
  /** Where the alarms publish. */
  readonly topic: sns.ITopic;
  /**
   * The CloudWatch namespace of the metrics.
   * @default 'MiningGuard/CIS'
   */
  readonly metricNamespace?: string;
}

/**
 * One metric filter and one alarm per CIS AWS Foundations Benchmark monitoring control (section 4): unauthorized
 * API calls, sign-in without MFA, root usage, IAM, CloudTrail, KMS, S3, Config, network and Organizations changes.
 * Each alarm fires on the first match in five minutes and publishes to the topic.
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 */
export class CisMetricFilters extends Construct {
  /** The alarms, by CIS control number (`4.1`). */
  public readonly alarms: { [control: string]: cloudwatch.IAlarm } = {};

  constructor(scope: Construct, id: string, props: CisMetricFiltersProps) {
    super(scope, id);
    const namespace = props.metricNamespace ?? 'MiningGuard/CIS';
    for (const control of CIS_MONITORING_CONTROLS) {
      const filter = new logs.MetricFilter(this, `${control.name}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(control.pattern),
        metricNamespace: namespace,
        metricName: control.name,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${control.name}Alarm`, {
        alarmDescription: `MiningGuard CIS ${control.control}: ${control.description} in CloudTrail. Search the trail's log group for the matching events.`,
        metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No matching event means no data point, which is the good case.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cw_actions.SnsAction(props.topic));
      this.alarms[control.control] = alarm;
    }
  }
}
