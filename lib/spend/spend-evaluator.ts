/** SpendEvaluator: the scheduled function that alerts when spend accelerates, hours before a budget is crossed. */
import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledgeAlarmsWithoutActions } from '../alerts/alarm-routing';
import type { IAlertChannel } from '../alerts/alert-channel';
import { SPEND_EVALUATOR_DEFAULTS, toEnvironment } from '../catalog';
import { GuardFunction } from '../common/guard-function';
import { SpendEvaluatorFunction } from '../functions/spend-evaluator-function';

/** What a `SpendEvaluator` can be told apart from what it reads and where it alerts. */
export interface SpendEvaluatorOptions {
  /**
   * How often the budgets are read. AWS Budgets refreshes its figures up to 3 times a day; reading more often
   * only shortens the wait after a refresh.
   * @default Duration.hours(1)
   */
  readonly interval?: Duration;

  /**
   * How many times faster than the baseline (the month's pace so far, or the previous 3 months' average, whichever
   * is higher) spend must grow to alert.
   * @default 3
   */
  readonly accelerationFactor?: number;

  /**
   * The least growth, in US dollars between two readings, worth judging: below it, nothing alerts.
   * @default 5
   */
  readonly minimumIncreaseUsd?: number;
}

/** Properties of a `SpendEvaluator`. */
export interface SpendEvaluatorProps extends SpendEvaluatorOptions {
  /** The monthly cost budgets to watch, by name. */
  readonly budgetNames: string[];

  /** Where alerts go, the key of the function's logs, and the naming of its failure alarm. */
  readonly alerts: IAlertChannel;

  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Reads each budget's actual and forecast spend and its past months from the AWS Budgets API on a schedule, and
 * alerts when spend grows faster than the month's pace and the past months' average by `accelerationFactor`: with
 * the burn rate, the projected month-end and the hours left before the budget is crossed.
 *
 * Budgets refreshes its figures a few times a day; a reading that did not change is not judged. The last figures
 * seen are kept in an SSM parameter: one small JSON document written at most once a run, which needs no table,
 * capacity or backup and costs nothing on the standard tier.
 */
export class SpendEvaluator extends Construct {
  /** The evaluator function. */
  public readonly function: lambda.IFunction;
  /** The parameter that holds the last figures seen per budget. */
  public readonly state: ssm.IStringParameter;
  /** The rule that runs the function. */
  public readonly schedule: events.Rule;
  /** Alarms when the evaluator has failed for three hours in a row. */
  public readonly failureAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: SpendEvaluatorProps) {
    super(scope, id);

    const interval = props.interval ?? Duration.hours(1);
    const accelerationFactor = props.accelerationFactor ?? SPEND_EVALUATOR_DEFAULTS.accelerationFactor;
    const minimumIncreaseUsd = props.minimumIncreaseUsd ?? SPEND_EVALUATOR_DEFAULTS.minimumIncreaseUsd;
    if (props.budgetNames.length === 0) {
      throw new Error('SpendEvaluator: budgetNames is empty, so there is nothing to evaluate. Write the names of monthly cost budgets, e.g. [\'monthly-cost\'].');
    }
    if (!(accelerationFactor > 1)) {
      throw new Error(`SpendEvaluator: accelerationFactor must be more than 1 (spend growing faster than normal), got ${accelerationFactor}. Write e.g. 3.`);
    }
    if (!(minimumIncreaseUsd >= 0)) {
      throw new Error(`SpendEvaluator: minimumIncreaseUsd must be 0 or more US dollars, got ${minimumIncreaseUsd}. Write e.g. 5.`);
    }
    if (interval.toMinutes() < 5) {
      throw new Error(`SpendEvaluator: interval must be at least 5 minutes (Budgets refreshes a few times a day), got ${interval.toHumanString()}. Write e.g. Duration.hours(1).`);
    }

    const stack = Stack.of(this);
    this.state = new ssm.StringParameter(this, 'State', {
      // A name a person can find under /mining-guard/, unique to this construct in the account and region.
      parameterName: `/mining-guard/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}/spend-state`,
      description: 'MiningGuard spend evaluator: the last budget figures seen (written by the function)',
      stringValue: '{}',
    });

    const evaluator = new GuardFunction(this, 'Function', {
      handler: SpendEvaluatorFunction,
      name: 'spendEvaluator',
      description: 'MiningGuard spend evaluator: alerts when spend accelerates, before a budget is crossed',
      roleDescription: 'MiningGuard spend evaluator: reads budgets, remembers their figures, publishes alerts',
      memorySize: 256,
      timeout: Duration.minutes(2),
      environment: toEnvironment('spendEvaluator', {
        alertTopicArn: props.alerts.topic.topicArn,
        accountId: stack.account,
        budgetNames: props.budgetNames.join(','),
        stateParameterName: this.state.parameterName,
        accelerationFactor: String(accelerationFactor),
        minimumIncreaseUsd: String(minimumIncreaseUsd),
      }),
      alerts: props.alerts,
      outsideVpcReason: 'The evaluator reads no private resource and only calls Budgets, SSM and SNS: a VPC would add NAT or endpoint cost and a failure point, no protection.',
      logRetention: props.logRetention,
    });
    const { role, function: fn } = evaluator;
    role.addToPolicy(new iam.PolicyStatement({
      // DescribeBudget and DescribeBudgetPerformanceHistory both need ViewBudget, on each budget.
      actions: ['budgets:ViewBudget'],
      resources: props.budgetNames.map((name) => stack.formatArn({ service: 'budgets', region: '', resource: 'budget', resourceName: name })),
    }));
    this.state.grantRead(role);
    this.state.grantWrite(role);

    this.function = fn;

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'MiningGuard: runs the spend evaluator',
      schedule: events.Schedule.rate(interval),
      // A missed run is made good by the next one: no dead-letter queue, two retries.
      targets: [evaluator.ruleTarget({ retryAttempts: 2, maxEventAge: Duration.minutes(30) })],
    });

    acknowledgeAlarmsWithoutActions(this);
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmName: props.alerts.alarmName('guard-function-failing-spend-evaluator'),
      alarmDescription: 'MiningGuard\'s spend evaluator has failed every run for three hours: read its logs (throttling, permissions, a deleted budget).',
      metric: fn.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
