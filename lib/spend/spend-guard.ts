/** SpendGuard: the cost signals, fastest first: vCPU usage alarms, the spend evaluator, Budgets, Cost Anomaly Detection. */
import { Duration } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { anomalyDetection } from './anomaly-detection';
import { BudgetActionOptions, ComputeLaunchBudgetAction } from './budget-action';
import { BudgetNotifications, costBudget, runningHoursBudget } from './budgets';
import { SpendEvaluator } from './spend-evaluator';
import { createSpendTopic } from './spend-topic';
import { validateNotificationCount, validatePercentages, validatePositiveUsd } from './spend-validation';
import { VcpuUsageAlarms, VcpuUsageAlarmsOptions } from './vcpu-usage-alarms';
import type { IAlertChannel } from '../alerts/alert-channel';
import { accountUniqueName } from '../common/account-names';
import { lookUpSingleton, looksUp, reportLookup } from '../lookups/account-singletons';

/** What a `SpendGuard` can be told apart from where its alerts go. */
export interface SpendGuardOptions {
  /**
   * The monthly cost budget, in US dollars.
   * @default - auto-adjusting: the average of the last `autoAdjustMonths` months (AWS Budgets' HISTORICAL
   * auto-adjustment). A new account without history starts at zero: give a limit there.
   * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-create.html#budgets-auto-adjusting
   */
  readonly monthlyLimitUsd?: number;

  /**
   * How many past months an auto-adjusting budget averages. Only without `monthlyLimitUsd`.
   * @default 6
   */
  readonly autoAdjustMonths?: number;

  /**
   * Thresholds of actual spend, in percent of the budget, that notify. Each budget notifies at these and at
   * `forecastThresholdsPercent`: AWS Budgets takes at most 10 notifications per budget, so at most 10 in both lists.
   * @default [80, 100]
   */
  readonly actualThresholdsPercent?: number[];

  /**
   * Thresholds of AWS Budgets' month-end forecast, in percent of the budget, that notify. At most 10 with
   * `actualThresholdsPercent`.
   * @default [100]
   */
  readonly forecastThresholdsPercent?: number[];

  /**
   * Adds a second monthly budget on EC2 compute alone ("Amazon Elastic Compute Cloud - Compute"), where miners
   * spend: its thresholds are crossed long before the whole bill's.
   * @default false
   */
  readonly computeBudget?: boolean;

  /**
   * The EC2 compute budget, in US dollars. Setting it adds the compute budget.
   * @default - auto-adjusting, like the monthly budget
   */
  readonly computeMonthlyLimitUsd?: number;

  /**
   * Adds a monthly usage budget on EC2 running hours (every instance type), with this many hours as its limit.
   * Hours count the same for a t3.nano and a p5.48xlarge: it catches many small instances, the cost budgets catch big ones.
   * @default - no usage budget
   */
  readonly ec2RunningHoursLimit?: number;

  /**
   * Cost Anomaly Detection: a SERVICE monitor and an immediate subscription to it.
   * @default true
   */
  readonly anomalyDetection?: boolean;

  /**
   * The ARN of the account's existing Cost Anomaly Detection monitor of the SERVICE dimension, to subscribe to it
   * instead of creating one. **An account holds only one SERVICE monitor**, and creating a second fails the
   * deployment with a misleading "AlreadyExists" error: when Cost Anomaly Detection is on (AWS turns on a default
   * monitor in many accounts), adopt its monitor here. The adopted monitor is neither changed nor deleted.
   * Find it with `aws ce get-anomaly-monitors`.
   * @default - looked up when the stack has a concrete account and region (and `mining-guard:lookup` is not false):
   * the account's SERVICE monitor is adopted if it has one, unless `anomalyMonitorName` is set; otherwise a monitor
   * is created, and kept when the stack is deleted
   * @see https://docs.aws.amazon.com/cost-management/latest/userguide/manage-ad.html
   */
  readonly existingAnomalyMonitorArn?: string;

  /**
   * The name of the monitor to create. Not with `existingAnomalyMonitorArn`.
   * @default - the stack's name and region, and `services`
   */
  readonly anomalyMonitorName?: string;

  /**
   * The total impact, in US dollars, an anomaly must reach to alert.
   * @default 100 (when `anomalyThresholdPercent` is not set either)
   */
  readonly anomalyThresholdUsd?: number;

  /**
   * The total impact, in percent above the expected spend, an anomaly must reach to alert. With
   * `anomalyThresholdUsd`, reaching either alerts.
   * @default - no percentage threshold
   */
  readonly anomalyThresholdPercent?: number;

  /**
   * Alarms on the running EC2 vCPUs of this stack's region (see `VcpuUsageAlarms`; other regions need one each).
   * @default true
   */
  readonly vcpuAlarms?: boolean;

  /**
   * The baselines and classes of the vCPU alarms.
   * @default - every class; 16 standard On-Demand vCPUs, no others
   */
  readonly vcpuAlarmOptions?: VcpuUsageAlarmsOptions;

  /**
   * The spend evaluator, which alerts when spend accelerates (see `SpendEvaluator`).
   * @default true
   */
  readonly spendEvaluator?: boolean;

  /**
   * How often the spend evaluator reads the budgets.
   * @default Duration.hours(1)
   */
  readonly evaluationInterval?: Duration;

  /**
   * How many times faster than normal spend must grow for the spend evaluator to alert.
   * @default 3
   */
  readonly accelerationFactor?: number;

  /**
   * **Off by default, and disruptive when on.** A budget action that, once actual spend crosses its threshold,
   * attaches a policy denying every compute launch (EC2, Spot, Auto Scaling, ECS, EKS node groups, Batch,
   * SageMaker, Lambda) to the principals you name, or an SCP to accounts or OUs in the management account. It
   * stops an attacker's next launch and your own scaling alike, until someone reverses it in the Budgets console.
   * A budget with an action is billed (the first 62 action-enabled budget-days a month are free, then $0.10 a day).
   * @default - no action
   */
  readonly budgetAction?: BudgetActionOptions;
}

/** Properties of a `SpendGuard`. */
export interface SpendGuardProps extends SpendGuardOptions {
  /**
   * Where alerts go. Its notifier turns Budgets and Cost Anomaly Detection notifications into alerts; its key
   * encrypts the spend notification topic and the evaluator's logs (SpendGuard lets AWS Budgets and Cost Anomaly
   * Detection use it, for this account only). An imported key's policy cannot be changed from the stack: with one, the
   * synth fails and prints the statement to add to its key policy.
   */
  readonly alerts: IAlertChannel;

  /**
   * How long the spend evaluator's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The money signals, which still show when every other signal misses (new region, new service, a technique nobody
 * catalogued), from fastest to slowest:
 *
 * - vCPU usage alarms: minutes after a launch, in this region;
 * - the spend evaluator: hourly, as soon as AWS Budgets refreshes (up to 3 times a day), when spend accelerates;
 * - AWS Budgets: actual and forecast thresholds of a monthly budget (auto-adjusting unless a limit is given);
 * - Cost Anomaly Detection: within a day, on any service.
 *
 * Budgets and Cost Anomaly Detection publish to a topic of SpendGuard's, which hands them to the notifier; the
 * alarms alert through the notifier too, and the evaluator publishes to the alert topic. Nothing is stopped unless
 * `budgetAction` is given.
 */
export class SpendGuard extends Construct {
  /** The monthly cost budget. */
  public readonly budget: budgets.CfnBudget;
  /** The name of the monthly cost budget. */
  public readonly budgetName: string;
  /** The EC2 compute budget, when asked for. */
  public readonly computeBudget?: budgets.CfnBudget;
  /** The EC2 running-hours budget, when asked for. */
  public readonly runningHoursBudget?: budgets.CfnBudget;
  /** The topic AWS Budgets and Cost Anomaly Detection publish to; the notifier reads it. */
  public readonly spendTopic: sns.ITopic;
  /** The ARN of the anomaly monitor subscribed to, created or adopted, when anomaly detection is on. */
  public readonly anomalyMonitorArn?: string;
  /** The anomaly monitor, when created here. */
  public readonly anomalyMonitor?: ce.CfnAnomalyMonitor;
  /** The anomaly subscription, when anomaly detection is on. */
  public readonly anomalySubscription?: ce.CfnAnomalySubscription;
  /** The vCPU usage alarms of this region, when on. */
  public readonly vcpuAlarms?: VcpuUsageAlarms;
  /** The spend evaluator, when on. */
  public readonly spendEvaluator?: SpendEvaluator;
  /** The budget action, when asked for. */
  public readonly budgetAction?: ComputeLaunchBudgetAction;

  constructor(scope: Construct, id: string, props: SpendGuardProps) {
    super(scope, id);

    validatePositiveUsd('monthlyLimitUsd', props.monthlyLimitUsd, 'monthlyLimitUsd: 1000');
    validatePositiveUsd('computeMonthlyLimitUsd', props.computeMonthlyLimitUsd, 'computeMonthlyLimitUsd: 500');
    validatePositiveUsd('anomalyThresholdUsd', props.anomalyThresholdUsd, 'anomalyThresholdUsd: 100');
    if (props.ec2RunningHoursLimit !== undefined && !(props.ec2RunningHoursLimit > 0)) {
      throw new Error(`SpendGuard: ec2RunningHoursLimit must be a positive number of hours, got ${props.ec2RunningHoursLimit}. Write e.g. ec2RunningHoursLimit: 2000.`);
    }
    const actualPercent = props.actualThresholdsPercent ?? [80, 100];
    const forecastPercent = props.forecastThresholdsPercent ?? [100];
    validatePercentages('actualThresholdsPercent', actualPercent, 'actualThresholdsPercent: [80, 100]');
    validatePercentages('forecastThresholdsPercent', forecastPercent, 'forecastThresholdsPercent: [100]');
    validateNotificationCount(actualPercent, forecastPercent);
    if (props.anomalyThresholdPercent !== undefined) validatePercentages('anomalyThresholdPercent', [props.anomalyThresholdPercent], 'anomalyThresholdPercent: 50');
    const autoAdjustMonths = props.autoAdjustMonths ?? 6;
    if (props.autoAdjustMonths !== undefined && props.monthlyLimitUsd !== undefined) {
      throw new Error('SpendGuard: `autoAdjustMonths` sets an auto-adjusting budget, but `monthlyLimitUsd` fixes the limit. Remove one of them.');
    }
    if (!(Number.isInteger(autoAdjustMonths) && autoAdjustMonths >= 1 && autoAdjustMonths <= 12)) {
      throw new Error(`SpendGuard: autoAdjustMonths must be a whole number of months from 1 to 12, got ${autoAdjustMonths}. Write e.g. autoAdjustMonths: 6.`);
    }
    const anomalyOn = props.anomalyDetection ?? true;
    if (props.existingAnomalyMonitorArn !== undefined && props.anomalyMonitorName !== undefined) {
      throw new Error('SpendGuard: give either `existingAnomalyMonitorArn` (adopt the account\'s SERVICE monitor) or `anomalyMonitorName` (name the monitor to create), not both.');
    }
    const anomalyProps = [props.existingAnomalyMonitorArn, props.anomalyMonitorName, props.anomalyThresholdUsd, props.anomalyThresholdPercent];
    if (!anomalyOn && anomalyProps.some((p) => p !== undefined)) {
      throw new Error('SpendGuard: anomaly detection is off (`anomalyDetection: false`), so the anomaly props do nothing. Remove them, or turn anomaly detection on.');
    }

    this.spendTopic = createSpendTopic(this, 'SpendTopic', props.alerts.key, props.alerts.notifier);

    const notifications: BudgetNotifications = { topic: this.spendTopic, actualPercent, forecastPercent };
    // Budgets and the anomaly monitor and subscription are named once per account, whatever the region.
    const nameOf = (suffix: string) => accountUniqueName(this, suffix);
    this.budgetName = nameOf('monthly-cost');
    this.budget = costBudget(this, 'MonthlyCost', this.budgetName, { limitUsd: props.monthlyLimitUsd, autoAdjustMonths }, notifications);
    const computeBudgetName = props.computeBudget || props.computeMonthlyLimitUsd !== undefined ? nameOf('ec2-compute-cost') : undefined;
    if (computeBudgetName) {
      this.computeBudget = costBudget(this, 'ComputeCost', computeBudgetName, { limitUsd: props.computeMonthlyLimitUsd, autoAdjustMonths }, notifications,
        { Service: ['Amazon Elastic Compute Cloud - Compute'] });
    }
    if (props.ec2RunningHoursLimit !== undefined) {
      this.runningHoursBudget = runningHoursBudget(this, 'RunningHours', nameOf('ec2-running-hours'), props.ec2RunningHoursLimit, notifications);
    }

    if (anomalyOn) {
      const parts = anomalyDetection(this, {
        topic: this.spendTopic,
        existingMonitorArn: props.existingAnomalyMonitorArn ?? (props.anomalyMonitorName === undefined ? this.lookUpMonitor() : undefined),
        monitorName: props.anomalyMonitorName ?? nameOf('services'),
        subscriptionName: nameOf('immediate'),
        thresholdUsd: props.anomalyThresholdUsd ?? (props.anomalyThresholdPercent === undefined ? 100 : undefined),
        thresholdPercent: props.anomalyThresholdPercent,
      });
      this.anomalyMonitorArn = parts.monitorArn;
      this.anomalyMonitor = parts.monitor;
      this.anomalySubscription = parts.subscription;
    }

    if (props.vcpuAlarms ?? true) {
      this.vcpuAlarms = new VcpuUsageAlarms(this, 'VcpuUsage', { ...props.vcpuAlarmOptions, alerts: props.alerts });
    }

    if (props.spendEvaluator ?? true) {
      this.spendEvaluator = new SpendEvaluator(this, 'Evaluator', {
        budgetNames: [this.budgetName, ...(computeBudgetName ? [computeBudgetName] : [])],
        alerts: props.alerts,
        logRetention: props.logRetention,
        interval: props.evaluationInterval,
        accelerationFactor: props.accelerationFactor,
      });
      // Budgets must exist before the evaluator first reads them.
      this.spendEvaluator.node.addDependency(this.budget, ...(this.computeBudget ? [this.computeBudget] : []));
    }

    if (props.budgetAction) {
      this.budgetAction = new ComputeLaunchBudgetAction(this, 'BudgetAction', {
        ...props.budgetAction,
        budgetName: this.budget.ref,
        topic: this.spendTopic,
      });
    }
  }

  /** The account's SERVICE monitor, when the lookup found one: adopted. Said at synth either way. */
  private lookUpMonitor(): string | undefined {
    if (!looksUp(this)) return undefined;
    const answer = lookUpSingleton(this, 'anomalyMonitor');
    if (answer.state === 'found') {
      reportLookup(this, `found the account's AWS services (SERVICE) anomaly monitor ${answer.id}: it is adopted (subscribed to, never changed or deleted).`);
      return answer.id;
    }
    if (answer.state === 'absent') reportLookup(this, 'the account has no AWS services (SERVICE) anomaly monitor: one is created, and kept when the stack is deleted.');
    return undefined;
  }
}
