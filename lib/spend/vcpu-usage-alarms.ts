/** VcpuUsageAlarms: alarms on the running EC2 vCPUs of each class in one region, against a baseline and a learned band. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DEFAULT_ANOMALY_BAND_WIDTH, vcpuThresholds } from './vcpu-thresholds';
import { acknowledgeAlarmsWithoutActions } from '../alerts/alarm-routing';
import type { IAlarmNaming } from '../alerts/alert-channel';

/**
 * A class of EC2 vCPUs, as the `Class` dimension of the `AWS/Usage` `ResourceCount` metric and the EC2 vCPU quotas
 * name it.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
export enum VcpuUsageClass {
  /** On-Demand A, C, D, H, I, M, R, T and Z instances. */
  STANDARD_ON_DEMAND = 'Standard/OnDemand',
  /** On-Demand G and VT instances (GPUs): the miners' favourite. */
  G_ON_DEMAND = 'G/OnDemand',
  /** On-Demand P instances (GPUs). */
  P_ON_DEMAND = 'P/OnDemand',
  /** On-Demand Inf instances (Inferentia). */
  INF_ON_DEMAND = 'Inf/OnDemand',
  /** On-Demand Trn instances (Trainium). */
  TRN_ON_DEMAND = 'Trn/OnDemand',
  /** On-Demand F instances (FPGAs). */
  F_ON_DEMAND = 'F/OnDemand',
  /** On-Demand X instances (memory optimized). */
  X_ON_DEMAND = 'X/OnDemand',
  /** On-Demand DL instances (Gaudi accelerators). */
  DL_ON_DEMAND = 'DL/OnDemand',
  /** Spot A, C, D, H, I, M, R, T and Z instances. */
  STANDARD_SPOT = 'Standard/Spot',
  /** Spot G and VT instances. */
  G_SPOT = 'G/Spot',
  /** Spot P instances. */
  P_SPOT = 'P/Spot',
}

/** Every class, in the order the alarms are created. */
const ALL_CLASSES = Object.values(VcpuUsageClass);

/** What a `VcpuUsageAlarms` can be told apart from where its alarms go. */
export interface VcpuUsageAlarmsOptions {
  /**
   * The classes to alarm on.
   * @default - every class of `VcpuUsageClass`
   */
  readonly usageClasses?: VcpuUsageClass[];

  /**
   * The number of vCPUs of a class that normally run in this region, by class (`'Standard/OnDemand'`, `'G/OnDemand'`,
   * ...). The static alarm fires when more than twice the baseline run, and at least 4 more than it (so a baseline of
   * 0 alarms above 4 vCPUs: one `g4dn.2xlarge`). Read yours from the `ResourceCount` metric or the Service Quotas
   * console's utilization.
   * @default - 16 for 'Standard/OnDemand', 0 for every other class
   * @see https://docs.aws.amazon.com/servicequotas/latest/userguide/configure-cloudwatch.html
   */
  readonly baselineVcpus?: { [usageClass: string]: number };

  /**
   * The width of the anomaly-detection band, in standard deviations; the band alarm fires above it. CloudWatch learns
   * the band from two weeks of the metric, so it says little in the first days.
   * @default 3
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Anomaly_Detection.html
   */
  readonly anomalyBandWidth?: number;

  /**
   * Whether each class also gets the anomaly-detection alarm. Each costs three metrics' worth of alarm ($0.30 a
   * month); in a region where nothing runs, the band has nothing to learn and the static alarm already fires on
   * the first few vCPUs.
   * @default true
   */
  readonly anomalyBands?: boolean;
}

/** Properties of `VcpuUsageAlarms`. */
export interface VcpuUsageAlarmsProps extends VcpuUsageAlarmsOptions {
  /** Where the alarms alert: each is named so that its state changes reach the notifier. */
  readonly alerts: IAlarmNaming;
}

/**
 * Alarms on the running EC2 vCPUs of each class, from the 1-minute `AWS/Usage` `ResourceCount` metric: the fastest
 * cost signal there is, minutes after a launch. Each class gets a static alarm (above a baseline) and an
 * anomaly-detection alarm (above the band CloudWatch learns). The metric is regional: MiningGuard's regional part
 * creates the static alarms in every other region.
 */
export class VcpuUsageAlarms extends Construct {
  /** Every alarm: for each class, the static alarm, then the band alarm unless `anomalyBands` is false. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: VcpuUsageAlarmsProps) {
    super(scope, id);

    acknowledgeAlarmsWithoutActions(this);
    const baselines = props.baselineVcpus ?? {};
    for (const [usageClass, baseline] of Object.entries(baselines)) {
      if (!ALL_CLASSES.includes(usageClass as VcpuUsageClass)) {
        throw new Error(`VcpuUsageAlarms: baselineVcpus has an unknown class '${usageClass}'. Write one of ${ALL_CLASSES.map((c) => `'${c}'`).join(', ')}.`);
      }
      if (!(Number.isFinite(baseline) && baseline >= 0)) {
        throw new Error(`VcpuUsageAlarms: the baseline of '${usageClass}' must be a number of vCPUs, 0 or more, got ${baseline}. Write e.g. { '${usageClass}': 64 }.`);
      }
    }
    const bandWidth = props.anomalyBandWidth ?? DEFAULT_ANOMALY_BAND_WIDTH;
    if (props.anomalyBands === false && props.anomalyBandWidth !== undefined) {
      throw new Error('VcpuUsageAlarms: `anomalyBandWidth` sets the band alarms, but `anomalyBands: false` turns them off. Remove one of them.');
    }
    if (!(bandWidth > 0)) {
      throw new Error(`VcpuUsageAlarms: anomalyBandWidth must be more than 0 standard deviations, got ${bandWidth}. Write e.g. 3.`);
    }

    for (const { usageClass, baseline, threshold } of vcpuThresholds(props)) {
      const name = usageClass.replace('/', '');
      const metric = new cloudwatch.Metric({
        namespace: 'AWS/Usage',
        metricName: 'ResourceCount',
        dimensionsMap: { Service: 'EC2', Type: 'Resource', Resource: 'vCPU', Class: usageClass },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      });
      const staticAlarm = new cloudwatch.Alarm(this, `${name}AboveBaseline`, {
        alarmName: props.alerts.alarmName(`vcpu-usage-surge-${name}-above-baseline`),
        alarmDescription: `MiningGuard: more than ${threshold} ${usageClass} vCPUs run in this region (baseline ${baseline}). Find who launched them.`,
        metric,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // Three of five minutes: long enough to ignore a blip, short enough to beat every other cost signal.
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        // The metric only exists while vCPUs of the class run: no data is no usage.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(staticAlarm);
      if (props.anomalyBands === false) continue;
      const bandAlarm = new cloudwatch.AnomalyDetectionAlarm(this, `${name}AboveBand`, {
        alarmName: props.alerts.alarmName(`vcpu-usage-surge-${name}-above-band`),
        alarmDescription: `MiningGuard: the running ${usageClass} vCPUs rose above the band CloudWatch learned for this region.`,
        metric: metric.with({ period: Duration.minutes(5) }),
        stdDevs: bandWidth,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(bandAlarm);
    }
  }
}
