/** ComplianceRules: AWS Config rules for the doors miners walk through and the compute they leave, and their alerts. */
import { Duration, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';
import { CisMetricFilters } from './cis-metric-filters';
import { ComplianceRule } from './compliance-rule';
import { ConfigEvaluator } from './config-evaluator';
import { ConfigRecorder, RecorderMode } from './config-recorder';
import { complianceChangePattern, customRules, INSTANCE, managedRules, ruleName } from './rule-definitions';
import { validateComplianceProps } from './validate-options';
import type { IAlertChannel } from '../alerts/alert-channel';
import { ComputePolicy } from '../catalog';
import { lookUpSingleton, looksUp, reportLookup } from '../lookups/account-singletons';

/** What a `ComplianceRules` can be told apart from where its alerts go. */
export interface ComplianceRulesOptions {
  /**
   * Create the region's configuration recorder, adopt the existing one, or run without one. Creating fails where a
   * recorder exists (every Control Tower account), and adopting fails where none exists (Config refuses rules
   * without a recorder). `aws configservice describe-configuration-recorders` shows it.
   * @default - looked up when the stack has a concrete account and region (and `mining-guard:lookup` is not false):
   * ADOPT where the region has a recorder, CREATE where it has none. An environment-agnostic stack must say.
   * @see https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
   */
  readonly recorder?: RecorderMode;

  /**
   * Rules not to deploy, e.g. `[ComplianceRule.ROOT_MFA]` where an organization policy already checks it.
   * @default - every rule whose settings are known
   */
  readonly disabledRules?: ComplianceRule[];

  /**
   * The oldest an active access key may be (`access-keys-rotated`). Whole days, at least 1.
   * @default Duration.days(90)
   */
  readonly maxAccessKeyAge?: Duration;

  /**
   * The longest a password or access key may go unused (`iam-user-unused-credentials-check`). Whole days.
   * @default Duration.days(45) - what CIS 1.12 asks
   */
  readonly maxCredentialUnusedAge?: Duration;

  /**
   * The instance types the account runs, e.g. `['t3.micro', 'm7g.large']` (the managed `desired-instance-type` rule;
   * families, regions, running-compute ceilings and exempt principals come from the compute policy).
   * @default - the desired-instance-type rule is not deployed
   */
  readonly allowedInstanceTypes?: string[];

  /**
   * How often running compute is counted.
   * @default config.MaximumExecutionFrequency.ONE_HOUR
   */
  readonly runningComputeFrequency?: config.MaximumExecutionFrequency;

  /**
   * The account that administers GuardDuty for the organization, for `guardduty-enabled-centralized`.
   * @default - GuardDuty must be enabled in this account itself
   */
  readonly guardDutyAdminAccount?: string;

  /**
   * The prefix of every rule's name; the suffix is the rule (`MiningGuard-restricted-ssh`).
   * @default 'MiningGuard-'
   */
  readonly ruleNamePrefix?: string;

  /**
   * How long the created recorder's snapshots and history are kept. Only with `RecorderMode.CREATE`.
   * @default Duration.days(365)
   */
  readonly recorderRetention?: Duration;

  /**
   * Deploy the CIS AWS Foundations section 4 metric filters and alarms on the trail's log group.
   * @default false
   */
  readonly cisMetricFilters?: boolean;
}

/** Properties of a `ComplianceRules`. */
export interface ComplianceRulesProps extends ComplianceRulesOptions {
  /** Where the rules' NON_COMPLIANT results and the CIS alarms alert, and the key of the evaluator's logs. */
  readonly alerts: IAlertChannel;

  /**
   * What compute the account expects: the families, regions, running-compute ceilings and exempt principals the
   * custom rules judge by.
   * @default - the default policy (GPU and accelerator families denied, at most 50 instances and 128 vCPUs per region)
   */
  readonly computePolicy?: ComputePolicy;

  /**
   * The log group a multi-region trail delivers to. Required with `cisMetricFilters`.
   * @default - no CIS metric filters
   */
  readonly trailLogGroup?: logs.ILogGroup;

}

/**
 * AWS Config rules for the doors miners walk through (root without MFA, old or unused keys, IMDSv1, open SSH, an
 * open default security group, a blind trail, GuardDuty off) and for the compute they leave (GPU families,
 * unexpected regions and instance types, too many vCPUs, termination protection), with an alert to people each
 * time one of these rules finds a resource NON_COMPLIANT.
 *
 * The region's configuration recorder is created, adopted or left off (`recorder`). Optionally, the CIS AWS
 * Foundations monitoring metric filters and alarms are added to the trail's log group.
 */
export class ComplianceRules extends Construct {
  /** The recorder and delivery channel, when created here. */
  public readonly recorder?: ConfigRecorder;
  /** What was done with the region's recorder: as `recorder` says, or as the lookup found. */
  public readonly recorderMode: RecorderMode;
  /** The deployed rules, by `ComplianceRule` value. */
  public readonly rules: { [rule: string]: config.IRule } = {};
  /** The function behind the custom rules, when any is deployed. */
  public readonly evaluator?: ConfigEvaluator;
  /** The EventBridge rule that sends NON_COMPLIANT results of these rules to the notifier, when any rule is deployed. */
  public readonly complianceChangeRule?: events.Rule;
  /** The CIS monitoring metric filters and alarms, when `cisMetricFilters` is set. */
  public readonly cisMetricFilters?: CisMetricFilters;

  constructor(scope: Construct, id: string, props: ComplianceRulesProps) {
    super(scope, id);
    validateComplianceProps(props);

    if (props.cisMetricFilters) {
      this.cisMetricFilters = new CisMetricFilters(this, 'CisMetricFilters', { logGroup: props.trailLogGroup!, alerts: props.alerts });
    }
    const recorderMode = this.recorderMode = props.recorder ?? lookedUpRecorderMode(this);
    if (recorderMode === RecorderMode.OFF) return;

    const disabled = new Set(props.disabledRules ?? []);
    const managed = managedRules(props).filter((r) => !disabled.has(r.rule));
    const custom = customRules(props.computePolicy ?? {}).filter((r) => !disabled.has(r.rule));
    if (managed.length + custom.length === 0) {
      throw new Error('ComplianceRules: `disabledRules` turns off every rule. Remove some from it, or use `recorder: RecorderMode.OFF` with `cisMetricFilters: true` for the CIS alarms alone.');
    }
    const name = (rule: ComplianceRule) => ruleName(props, rule);

    let recorderReady: IDependable | undefined;
    if (recorderMode === RecorderMode.CREATE) {
      // Periodic rules call their APIs themselves; only change-triggered rules need recorded items.
      const recorded = new Set(managed.flatMap((r) => (r.recorded ? [r.recorded] : [])));
      if (custom.some((r) => r.onChange) || recorded.size === 0) recorded.add(INSTANCE);
      this.recorder = new ConfigRecorder(this, 'Recorder', { resourceTypes: [...recorded], retention: props.recorderRetention });
      recorderReady = this.recorder.deliveryChannel;
    }
    const afterRecorder = (rule: config.IRule) => {
      // Config refuses rules while no recorder exists, and the recorder starts only with its delivery channel.
      if (recorderReady) rule.node.addDependency(recorderReady);
      return rule;
    };

    for (const { rule, props: ruleProps } of managed) {
      this.rules[rule] = afterRecorder(new config.ManagedRule(this, rule, { ...ruleProps, configRuleName: name(rule) }));
    }
    if (custom.length > 0) {
      this.evaluator = new ConfigEvaluator(this, 'Evaluator', { alerts: props.alerts });
      const instances = config.RuleScope.fromResource(config.ResourceType.EC2_INSTANCE);
      for (const { rule, parameters, onChange } of custom) {
        this.rules[rule] = afterRecorder(new config.CustomRule(this, rule, {
          configRuleName: name(rule),
          lambdaFunction: this.evaluator.function,
          inputParameters: parameters,
          configurationChanges: onChange,
          // Instance checks also sweep the region daily, for changes Config did not deliver.
          periodic: true,
          maximumExecutionFrequency: onChange
            ? config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS
            : props.runningComputeFrequency ?? config.MaximumExecutionFrequency.ONE_HOUR,
          ruleScope: onChange ? instances : undefined,
        }));
      }
    }

    this.complianceChangeRule = new events.Rule(this, 'ComplianceChangeRule', {
      description: 'MiningGuard: its Config rules finding a resource NON_COMPLIANT, to the notifier',
      // The regional parts forward the results of the same rules in other regions, which this rule matches too.
      eventPattern: complianceChangePattern(Object.keys(this.rules).map((rule) => name(rule as ComplianceRule))),
      targets: [props.alerts.notifier.ruleTarget()],
    });
  }
}

/** The recorder mode the region's lookup answers: ADOPT where a recorder exists, CREATE where none does. */
function lookedUpRecorderMode(scope: Construct): RecorderMode {
  if (!looksUp(scope)) {
    throw new Error('ComplianceRules: say what to do with the region\'s configuration recorder: `recorder: RecorderMode.ADOPT` where one exists (`aws configservice describe-configuration-recorders` lists it; every Control Tower account has one), `RecorderMode.CREATE` where none does. A stack with a concrete account and region looks it up instead.');
  }
  const answer = lookUpSingleton(scope, 'recorder');
  const region = Stack.of(scope).region;
  if (answer.state === 'found') {
    reportLookup(scope, `found configuration recorder ${answer.id} in ${region}: it is adopted (never changed or deleted); it must record the resource types the change-triggered rules judge.`);
    return RecorderMode.ADOPT;
  }
  if (answer.state === 'absent') reportLookup(scope, `${region} has no configuration recorder: one is created, with its delivery channel, and kept when the stack is deleted.`);
  return RecorderMode.CREATE;
}
