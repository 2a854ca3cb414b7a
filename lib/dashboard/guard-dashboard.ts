/**
 * GuardDashboard: one CloudWatch dashboard of the guard at work: what it detected and contained, the running vCPUs
 * of each watched region against the alarms' thresholds, the month's spend against the budget, and its own health.
 *
 * Built with aws-cdk-lib's CloudWatch L2s rather than a monitoring construct library (cdklabs'
 * cdk-monitoring-constructs): the widgets here are a dozen graphs of metrics the guard already names, and a
 * library would become a peer dependency of every user of this jsii library, in every language, for that.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import {
  CONTAINMENT_METRIC, CONTAINMENT_OUTCOMES, DETECTIONS_METRIC, METRICS_NAMESPACE, SERVICE_DIMENSION, SERVICE_NAMES, SEVERITIES,
} from '../catalog';
import { DEFAULT_ANOMALY_BAND_WIDTH, vcpuThresholds } from '../spend/vcpu-thresholds';
import type { VcpuUsageAlarmsOptions } from '../spend/vcpu-usage-alarms';

/** A region whose running vCPUs the dashboard shows. */
export interface WatchedRegion {
  /** The region's name, e.g. `eu-west-1`. */
  readonly region: string;

  /**
   * The vCPU alarms of the region: their static thresholds are drawn on its graph and, for each class with a band
   * alarm (`anomalyBands` not false), the anomaly-detection band that alarm fires above, as wide as its `anomalyBandWidth`.
   * @default - the region has no vCPU alarms; only the running vCPUs are drawn
   */
  readonly vcpuAlarms?: VcpuUsageAlarmsOptions;
}

/** Properties of `GuardDashboard`. */
export interface GuardDashboardProps {
  /**
   * The dashboard's name: letters, digits, `-` and `_`, unique in the account and region.
   * @default - `MiningGuard-<stack name>-<region>`
   */
  readonly dashboardName?: string;

  /**
   * The regions whose running vCPUs are drawn, one graph each, in this order.
   * @default - this stack's region, with the default vCPU alarms' thresholds
   */
  readonly regions?: WatchedRegion[];

  /**
   * The monthly budget, in US dollars, drawn on the spend graph.
   * @default - no line: an auto-adjusting budget's amount is known only to AWS Budgets
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * The guard's functions, whose errors and duration are drawn.
   * @default - none
   */
  readonly functions?: lambda.IFunction[];

  /**
   * The dead-letter queues of the guard, whose depth is drawn.
   * @default - none
   */
  readonly deadLetterQueues?: sqs.IQueue[];

  /**
   * The log group the audit trail delivers to, whose incoming events are drawn as the trail's delivery.
   * @default - no trail delivery graph
   */
  readonly trailLogGroup?: logs.ILogGroup;
}

/** The grid's width, in dashboard units. */
const FULL = 24;
/** Graphs two to a row, and the per-region graphs three to a row. */
const HALF = 12;
const THIRD = 8;
const QUARTER = 6;
const HEIGHT = 6;

/** The period the guard's own counts are summed over: detections are rare, so an hour shows each one. */
const COUNT_PERIOD = Duration.hours(1);

/** The metric CloudWatch publishes for the account's estimated charges: month to date, in us-east-1 only. */
const BILLING_REGION = 'us-east-1';

/**
 * The dashboard of the guard at work, in rows from top to bottom: a header; detections by severity and by
 * detection; containment outcomes and month-to-date spend; the running vCPUs of each watched region, three to a
 * row; and the guard's own health (function errors, duration, dead-letter queue depth, trail delivery).
 */
export class GuardDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The dashboard's name. */
  public readonly dashboardName: string;
  /**
   * The dashboard's URL in the console. Built from its name, not from the dashboard resource: the functions whose
   * alerts link to it are drawn on it, and a reference both ways would be a cycle.
   */
  public readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: GuardDashboardProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = props.dashboardName ?? `MiningGuard-${stack.stackName}-${stack.region}`;
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new Error(`GuardDashboard: the dashboard name '${name}' may hold only letters, digits, '-' and '_', up to 255. Write e.g. dashboardName: 'MiningGuard-prod'.`);
    }
    if (props.monthlyBudgetUsd !== undefined && !(props.monthlyBudgetUsd > 0)) {
      throw new Error(`GuardDashboard: monthlyBudgetUsd must be a positive amount of US dollars, got ${props.monthlyBudgetUsd}. Write e.g. monthlyBudgetUsd: 1000.`);
    }
    this.dashboardName = name;
    this.dashboardUrl = `https://${stack.region}.${consoleDomain(stack.partition)}/cloudwatch/home?region=${stack.region}#dashboards/dashboard/${name}`;

    this.dashboard = new cloudwatch.Dashboard(this, 'Default', {
      dashboardName: name,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(header());
    this.dashboard.addWidgets(detectionsBySeverity(), detectionsByDetection());
    this.dashboard.addWidgets(containmentOutcomes(), monthToDateSpend(props.monthlyBudgetUsd));
    const regions = props.regions ?? [{ region: stack.region, vcpuAlarms: {} }];
    this.dashboard.addWidgets(...regions.map((r) => runningVcpus(r, stack.region)));
    this.dashboard.addWidgets(...guardHealth(props));
  }
}

/** The console's domain in a partition; the commercial one when the partition is known only at deployment. */
function consoleDomain(partition: string): string {
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

function header(): cloudwatch.IWidget {
  return new cloudwatch.TextWidget({
    width: FULL,
    height: 2,
    markdown: [
      '# MiningGuard',
      'What the guard detected and contained, the running vCPUs of each watched region against the alarms\' thresholds, the month\'s spend '
        + 'against the budget, and the guard\'s own health. Counts are summed per hour; an empty graph is a quiet hour.',
    ].join('\n'),
  });
}

/** The schema of the `Detections` metric, as SEARCH names it: its namespace and every dimension, the service's too. */
const DETECTIONS_SCHEMA = `{${[METRICS_NAMESPACE, ...[...DETECTIONS_METRIC.dimensions, SERVICE_DIMENSION].sort()].join(',')}}`;

/** Detections per hour, one line per severity: the sum of every detection's series at that severity. */
function detectionsBySeverity(): cloudwatch.IWidget {
  const severity = DETECTIONS_METRIC.dimensions[1];
  return new cloudwatch.GraphWidget({
    title: 'Detections by severity (alerts per hour)',
    width: HALF,
    height: HEIGHT,
    stacked: true,
    left: [...SEVERITIES].reverse().map((level) => new cloudwatch.MathExpression({
      expression: `SUM(SEARCH('${DETECTIONS_SCHEMA} MetricName="${DETECTIONS_METRIC.name}" ${severity}="${level}"', 'Sum', ${COUNT_PERIOD.toSeconds()}))`,
      label: level,
      period: COUNT_PERIOD,
    })),
    leftYAxis: { min: 0, showUnits: false },
  });
}

/** Detections per hour, one line per detection (and severity and handler), found by SEARCH as they appear. */
function detectionsByDetection(): cloudwatch.IWidget {
  const [detection, severity] = DETECTIONS_METRIC.dimensions;
  return new cloudwatch.GraphWidget({
    title: 'Detections by detection (alerts per hour)',
    width: HALF,
    height: HEIGHT,
    left: [new cloudwatch.SearchExpression({
      expression: `SEARCH('${DETECTIONS_SCHEMA} MetricName="${DETECTIONS_METRIC.name}"', 'Sum', ${COUNT_PERIOD.toSeconds()})`,
      label: `\${PROP('Dim.${detection}')} \${PROP('Dim.${severity}')}`,
      period: COUNT_PERIOD,
    })],
    leftYAxis: { min: 0, showUnits: false },
  });
}

/** The launch evaluator's containment steps per hour, by outcome. */
function containmentOutcomes(): cloudwatch.IWidget {
  return new cloudwatch.GraphWidget({
    title: 'Containment steps by outcome (per hour)',
    width: HALF,
    height: HEIGHT,
    stacked: true,
    left: CONTAINMENT_OUTCOMES.map((outcome) => new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: CONTAINMENT_METRIC.name,
      dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAMES.launchEvaluator, [CONTAINMENT_METRIC.dimensions[0]]: outcome },
      statistic: cloudwatch.Stats.SUM,
      period: COUNT_PERIOD,
      label: outcome,
    })),
    leftYAxis: { min: 0, showUnits: false },
  });
}

/**
 * The account's estimated charges this month, against the budget. CloudWatch publishes `EstimatedCharges` in
 * us-east-1 only, a few times a day, once billing alerts are turned on in the Billing console's preferences.
 */
function monthToDateSpend(budgetUsd: number | undefined): cloudwatch.IWidget {
  return new cloudwatch.GraphWidget({
    title: 'Month-to-date spend, USD (AWS/Billing, us-east-1 only)',
    width: HALF,
    height: HEIGHT,
    start: '-P31D',
    left: [new cloudwatch.Metric({
      namespace: 'AWS/Billing',
      metricName: 'EstimatedCharges',
      dimensionsMap: { Currency: 'USD' },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.hours(6),
      region: BILLING_REGION,
      label: 'Estimated charges, month to date',
    })],
    leftAnnotations: budgetUsd === undefined ? [] : [{ value: budgetUsd, label: `Monthly budget: $${budgetUsd}`, color: cloudwatch.Color.RED }],
    leftYAxis: { min: 0, showUnits: false },
  });
}

/**
 * A region's running vCPUs by class, from the `AWS/Usage` metric the vCPU alarms watch, with a line at each static
 * alarm's threshold (classes that share a threshold share its line) and, for each class with a band alarm, the band
 * CloudWatch learned for it: `ANOMALY_DETECTION_BAND` of the metric the alarm watches (its statistic and 5-minute
 * period), as many standard deviations wide as the alarm's, so the line leaving the band is the alarm firing.
 */
function runningVcpus(watched: WatchedRegion, homeRegion: string): cloudwatch.IWidget {
  const thresholds = vcpuThresholds(watched.vcpuAlarms ?? {});
  const byValue = new Map<number, string[]>();
  if (watched.vcpuAlarms) for (const t of thresholds) byValue.set(t.threshold, [...byValue.get(t.threshold) ?? [], t.usageClass]);
  const here = Token.isUnresolved(watched.region) || watched.region === homeRegion;
  const banded = watched.vcpuAlarms !== undefined && watched.vcpuAlarms.anomalyBands !== false;
  const bandWidth = watched.vcpuAlarms?.anomalyBandWidth ?? DEFAULT_ANOMALY_BAND_WIDTH;
  const lines = thresholds.map(({ usageClass }) => new cloudwatch.Metric({
    namespace: 'AWS/Usage',
    metricName: 'ResourceCount',
    dimensionsMap: { Service: 'EC2', Type: 'Resource', Resource: 'vCPU', Class: usageClass },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(5),
    label: usageClass,
    ...(here ? {} : { region: watched.region }),
  }));
  const bands = banded ? lines.map((line, i) => new cloudwatch.MathExpression({
    expression: `ANOMALY_DETECTION_BAND(vcpus${i}, ${bandWidth})`,
    usingMetrics: { [`vcpus${i}`]: line },
    label: `${thresholds[i].usageClass} expected band (${bandWidth} std devs)`,
    period: Duration.minutes(5),
  })) : [];
  return new cloudwatch.GraphWidget({
    title: `Running vCPUs by class: ${Token.isUnresolved(watched.region) ? 'home region' : watched.region}`,
    width: THIRD,
    height: HEIGHT,
    // The band is learned, and its expression evaluated, in the metric's own region.
    ...(here ? {} : { region: watched.region }),
    left: [...lines, ...bands],
    leftAnnotations: [...byValue].map(([value, classes]) => ({
      value,
      label: `Alarm above ${value}: ${classes.length > 3 ? `${classes.length} classes` : classes.join(', ')}`,
      color: cloudwatch.Color.RED,
    })),
    leftYAxis: { min: 0, showUnits: false },
  });
}

/** The ids of the constructs a guard function or queue is wrapped in, which say nothing of what it is. */
const WRAPPER_IDS = new Set(['Default', 'Resource', 'Function', 'Queue', 'DeadLetters']);

/**
 * A resource's name on a graph: the last two ids of its construct path that say what it is (`Alerts Notifier`,
 * `LaunchWatch Evaluator`); its physical name is known only at deployment.
 */
function shortName(construct: IConstruct): string {
  return construct.node.scopes.map((c) => c.node.id).filter((id) => id !== '' && !WRAPPER_IDS.has(id)).slice(-2).join(' ');
}

/** The guard's own health: each function's errors and duration, the dead-letter queues' depth, the trail's delivery. */
function guardHealth(props: GuardDashboardProps): cloudwatch.IWidget[] {
  const functions = props.functions ?? [];
  const widgets: cloudwatch.IWidget[] = [
    new cloudwatch.GraphWidget({
      title: 'Guard function errors (per 5 minutes)',
      width: QUARTER,
      height: HEIGHT,
      left: functions.map((fn) => fn.metricErrors({ statistic: cloudwatch.Stats.SUM, label: shortName(fn) })),
      leftYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'Guard function duration, p99 (ms)',
      width: QUARTER,
      height: HEIGHT,
      left: functions.map((fn) => fn.metricDuration({ statistic: cloudwatch.Stats.p(99), label: shortName(fn) })),
      leftYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'Dead-letter queue depth (alarms at 1)',
      width: QUARTER,
      height: HEIGHT,
      left: (props.deadLetterQueues ?? []).map((queue) => queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
        label: shortName(queue),
      })),
      leftAnnotations: [{ value: 1, label: 'Alarm at 1', color: cloudwatch.Color.RED }],
      leftYAxis: { min: 0, showUnits: false },
    }),
  ];
  if (props.trailLogGroup) {
    // CloudTrail publishes no delivery metric: the events reaching the trail's log group are the nearest sign of it.
    widgets.push(new cloudwatch.GraphWidget({
      title: 'Trail delivery: events into its log group (per 5 minutes)',
      width: QUARTER,
      height: HEIGHT,
      left: [new cloudwatch.Metric({
        namespace: 'AWS/Logs',
        metricName: 'IncomingLogEvents',
        dimensionsMap: { LogGroupName: props.trailLogGroup.logGroupName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
        label: 'Trail events delivered',
      })],
      leftYAxis: { min: 0, showUnits: false },
    }));
  }
  return widgets;
}
