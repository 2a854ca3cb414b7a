/** ComplianceRules: AWS Config rules for the doors miners walk through and the compute they leave, and their alerts. */
import { Duration, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IDependable } from 'constructs';
import { Notifier } from '../alerts/notifier';
import { ACCELERATOR_INSTANCE_FAMILIES, DEFAULT_RUNNING_COMPUTE_LIMITS } from '../catalog';
import { CisMetricFilters } from './cis-metric-filters';
import { ComplianceRule } from './compliance-rule';
import { ConfigEvaluator } from './config-evaluator';
import { ConfigRecorder, RecorderMode } from './config-recorder';

/** What a `ComplianceRules` can be told apart from where its alerts go. */
export interface ComplianceRulesOptions {
  /**
   * Create the region's configuration recorder, adopt the existing one, or run without one. There is no default:
   * creating fails where a recorder exists (every Control Tower account), and adopting fails where none exists
   * (Config refuses rules without a recorder), so only you can tell.
   * `aws configservice describe-configuration-recorders` shows it.
   * @see https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
   */
  readonly recorder: RecorderMode;

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
   * The instance types the account runs, e.g. `['t3.micro', 'm7g.large']` (`desired-instance-type`).
   * @default - the desired-instance-type rule is not deployed
   */
  readonly allowedInstanceTypes?: string[];

  /**
   * Instance families (`p`, `gr`) or generations (`p4d`) that no instance may belong to.
   * @default - the GPU and accelerator families: p, g, gr, inf, trn, dl, f, vt
   */
  readonly deniedInstanceFamilies?: string[];

  /**
   * When given, instances of any other family or generation are non-compliant too.
   * @default - every family that is not denied
   */
  readonly allowedInstanceFamilies?: string[];

  /**
   * The regions instances may run in, e.g. `['eu-west-1', 'eu-central-1']` (the `instance-region` rule).
   * Deploy MiningGuard in the other regions too: each region's rule judges that region's instances.
   * @default - the instance-region rule is not deployed
   */
  readonly allowedRegions?: string[];

  /**
   * The most instances that may run (pending or running) in the region at once.
   * @default 50
   */
  readonly maxRunningInstances?: number;

  /**
   * The most vCPUs that may run in the region at once.
   * @default 128
   */
  readonly maxRunningVcpus?: number;

  /**
   * How often running compute is counted.
   * @default config.MaximumExecutionFrequency.ONE_HOUR
   */
  readonly runningComputeFrequency?: config.MaximumExecutionFrequency;

  /**
   * ARN patterns (`*` matches any run of characters) of principals whose instances may be protected from
   * termination, e.g. `['arn:aws:iam::*:role/Deployer', 'arn:aws:sts::*:assumed-role/Deployer/*']`.
   * A role's ARN matches the sessions of that role.
   * @default - no principal is exempt
   */
  readonly exemptPrincipals?: string[];

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
  /** The notifier that turns compliance changes into alerts. */
  readonly notifier: Notifier;

  /**
   * The topic the CIS alarms publish to. Required with `cisMetricFilters`.
   * @default - no CIS alarms
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * The log group a multi-region trail delivers to. Required with `cisMetricFilters`.
   * @default - no CIS metric filters
   */
  readonly trailLogGroup?: logs.ILogGroup;

  /**
   * The key the evaluator's logs are encrypted with.
   * @default - CloudWatch Logs' own key
   */
  readonly logsKey?: kms.IKey;
}

const INSTANCE = 'AWS::EC2::Instance';
const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';

/** Which rule each tuning prop belongs to, so tuning a disabled rule is caught. */
const TUNING: ReadonlyArray<[keyof ComplianceRulesOptions, ComplianceRule]> = [
  ['maxAccessKeyAge', ComplianceRule.ACCESS_KEYS_ROTATED],
  ['maxCredentialUnusedAge', ComplianceRule.UNUSED_CREDENTIALS],
  ['allowedInstanceTypes', ComplianceRule.DESIRED_INSTANCE_TYPE],
  ['deniedInstanceFamilies', ComplianceRule.INSTANCE_FAMILY],
  ['allowedInstanceFamilies', ComplianceRule.INSTANCE_FAMILY],
  ['allowedRegions', ComplianceRule.INSTANCE_REGION],
  ['maxRunningInstances', ComplianceRule.RUNNING_COMPUTE],
  ['maxRunningVcpus', ComplianceRule.RUNNING_COMPUTE],
  ['runningComputeFrequency', ComplianceRule.RUNNING_COMPUTE],
  ['exemptPrincipals', ComplianceRule.TERMINATION_PROTECTION],
  ['guardDutyAdminAccount', ComplianceRule.GUARDDUTY_ENABLED],
];

function wholeDays(prop: string, value: Duration | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`ComplianceRules: ${prop} must be a whole number of days, at least 1, got ${value.toHumanString()}. Write e.g. Duration.days(${fallback}).`);
  }
  return days;
}

function nonEmpty(prop: string, list: string[] | undefined, example: string): void {
  if (list !== undefined && list.length === 0) {
    throw new Error(`ComplianceRules: ${prop} is empty, which would deny everything. Give at least one, e.g. ${example}, or leave it out.`);
  }
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

    const disabled = new Set(props.disabledRules ?? []);
    const tunedButDisabled = TUNING.filter(([prop, rule]) => props[prop] !== undefined && disabled.has(rule));
    if (tunedButDisabled.length > 0) {
      throw new Error(`ComplianceRules: ${tunedButDisabled.map(([p, r]) => `\`${p}\` tunes ${r}`).join(', ')}, which \`disabledRules\` turns off. Remove the tuning, or the rule from \`disabledRules\`.`);
    }
    if (props.recorder === RecorderMode.OFF) {
      const given = [...TUNING.map(([p]) => p), 'disabledRules', 'recorderRetention', 'ruleNamePrefix'].filter((p) => props[p as keyof ComplianceRulesProps] !== undefined);
      if (given.length > 0) {
        throw new Error(`ComplianceRules: ${given.map((p) => `\`${p}\``).join(', ')} configure Config rules, but \`recorder: RecorderMode.OFF\` deploys none (Config refuses rules without a recorder). Remove them, or choose RecorderMode.CREATE or ADOPT.`);
      }
      if (!props.cisMetricFilters) {
        throw new Error('ComplianceRules: with `recorder: RecorderMode.OFF` and no `cisMetricFilters` nothing would be deployed. Set `cisMetricFilters: true`, or choose RecorderMode.CREATE or ADOPT.');
      }
    }
    if (props.recorder !== RecorderMode.CREATE && props.recorderRetention !== undefined) {
      throw new Error('ComplianceRules: `recorderRetention` configures a created recorder\'s bucket, but `recorder` is not RecorderMode.CREATE. Remove it, or create the recorder.');
    }
    nonEmpty('allowedInstanceTypes', props.allowedInstanceTypes, "['t3.micro']");
    nonEmpty('allowedRegions', props.allowedRegions, "['eu-west-1']");
    nonEmpty('allowedInstanceFamilies', props.allowedInstanceFamilies, "['t', 'm', 'c']");
    const denied = props.deniedInstanceFamilies ?? ACCELERATOR_INSTANCE_FAMILIES;
    const both = (props.allowedInstanceFamilies ?? []).filter((f) => denied.includes(f));
    if (both.length > 0) {
      throw new Error(`ComplianceRules: ${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} both allowed and denied${props.deniedInstanceFamilies ? '' : ' (denied by default: GPU and accelerator families)'}. Set \`deniedInstanceFamilies\` without ${both.join(', ')} to allow ${both.length === 1 ? 'it' : 'them'}.`);
    }
    for (const [prop, value] of [['maxRunningInstances', props.maxRunningInstances], ['maxRunningVcpus', props.maxRunningVcpus]] as const) {
      if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 0)) {
        throw new Error(`ComplianceRules: ${prop} must be a whole number of at least 0, got ${value}.`);
      }
    }
    if (props.cisMetricFilters && (!props.trailLogGroup || !props.alertTopic)) {
      throw new Error('ComplianceRules: `cisMetricFilters` needs the trail\'s log group (`trailLogGroup`) and the topic the alarms publish to (`alertTopic`). With an adopted trail, pass its `existingLogGroup`.');
    }

    if (props.cisMetricFilters) {
      this.cisMetricFilters = new CisMetricFilters(this, 'CisMetricFilters', { logGroup: props.trailLogGroup!, topic: props.alertTopic! });
    }
    if (props.recorder === RecorderMode.OFF) return;

    const prefix = props.ruleNamePrefix ?? 'MiningGuard-';
    const enabled = (rule: ComplianceRule) => !disabled.has(rule);
    const name = (rule: ComplianceRule) => `${prefix}${rule}`;
    const daily = config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS;
    const instances = config.RuleScope.fromResource(config.ResourceType.EC2_INSTANCE);
    const securityGroups = config.RuleScope.fromResource(config.ResourceType.EC2_SECURITY_GROUP);

    const ids = config.ManagedRuleIdentifiers;
    /** A rule AWS runs on a schedule: it calls the APIs it needs itself, so it needs no recorded resource type. */
    const periodic = (identifier: string, inputParameters?: Record<string, unknown>): config.ManagedRuleProps =>
      ({ identifier, inputParameters, maximumExecutionFrequency: daily });
    /** A rule AWS runs on each change of a recorded resource type. */
    const onChange = (identifier: string, ruleScope: config.RuleScope): config.ManagedRuleProps => ({ identifier, ruleScope });
    const managed: Array<[ComplianceRule, config.ManagedRuleProps, string?]> = [
      [ComplianceRule.CLOUDTRAIL_ENABLED, periodic(ids.CLOUD_TRAIL_ENABLED)],
      [ComplianceRule.CLOUDTRAIL_MULTI_REGION, periodic(ids.CLOUDTRAIL_MULTI_REGION_ENABLED)],
      [ComplianceRule.CLOUDTRAIL_LOG_FILE_VALIDATION, periodic(ids.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED)],
      [ComplianceRule.CLOUDTRAIL_CLOUDWATCH_LOGS, periodic(ids.CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED)],
      [ComplianceRule.GUARDDUTY_ENABLED, periodic(ids.GUARDDUTY_ENABLED_CENTRALIZED,
        props.guardDutyAdminAccount ? { CentralMonitoringAccount: props.guardDutyAdminAccount } : undefined)],
      [ComplianceRule.ROOT_MFA, periodic(ids.ROOT_ACCOUNT_MFA_ENABLED)],
      [ComplianceRule.ROOT_ACCESS_KEY, periodic(ids.IAM_ROOT_ACCESS_KEY_CHECK)],
      [ComplianceRule.CONSOLE_MFA, periodic(ids.MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS)],
      [ComplianceRule.UNUSED_CREDENTIALS, periodic(ids.IAM_USER_UNUSED_CREDENTIALS_CHECK,
        { maxCredentialUsageAge: wholeDays('maxCredentialUnusedAge', props.maxCredentialUnusedAge, 45) })],
      [ComplianceRule.ACCESS_KEYS_ROTATED, periodic(ids.ACCESS_KEYS_ROTATED,
        { maxAccessKeyAge: wholeDays('maxAccessKeyAge', props.maxAccessKeyAge, 90) })],
      [ComplianceRule.IMDSV2_REQUIRED, onChange(ids.EC2_IMDSV2_CHECK, instances), INSTANCE],
      [ComplianceRule.RESTRICTED_SSH, onChange(ids.EC2_SECURITY_GROUPS_INCOMING_SSH_DISABLED, securityGroups), SECURITY_GROUP],
      [ComplianceRule.DEFAULT_SECURITY_GROUP_CLOSED, onChange(ids.VPC_DEFAULT_SECURITY_GROUP_CLOSED, securityGroups), SECURITY_GROUP],
    ];
    if (props.allowedInstanceTypes) {
      managed.push([ComplianceRule.DESIRED_INSTANCE_TYPE, {
        identifier: ids.EC2_DESIRED_INSTANCE_TYPE,
        ruleScope: instances,
        inputParameters: { instanceType: props.allowedInstanceTypes.join(',') },
      }, INSTANCE]);
    }

    const checkParameters: Record<string, unknown> = {
      deniedFamilies: denied.join(','),
      ...(props.allowedInstanceFamilies ? { allowedFamilies: props.allowedInstanceFamilies.join(',') } : {}),
    };
    const custom: Array<[ComplianceRule, Record<string, unknown>, boolean]> = [
      [ComplianceRule.INSTANCE_FAMILY, checkParameters, true],
      ...(props.allowedRegions ? [[ComplianceRule.INSTANCE_REGION, { allowedRegions: props.allowedRegions.join(',') }, true] as [ComplianceRule, Record<string, unknown>, boolean]] : []),
      [ComplianceRule.RUNNING_COMPUTE, {
        maxRunningInstances: props.maxRunningInstances ?? DEFAULT_RUNNING_COMPUTE_LIMITS.maxRunningInstances,
        maxRunningVcpus: props.maxRunningVcpus ?? DEFAULT_RUNNING_COMPUTE_LIMITS.maxRunningVcpus,
      }, false],
      [ComplianceRule.TERMINATION_PROTECTION, props.exemptPrincipals ? { exemptPrincipals: props.exemptPrincipals.join(',') } : {}, true],
    ];

    const deployedManaged = managed.filter(([rule]) => enabled(rule));
    const deployedCustom = custom.filter(([rule]) => enabled(rule));
    if (deployedManaged.length + deployedCustom.length === 0) {
      throw new Error('ComplianceRules: `disabledRules` turns off every rule. Remove some from it, or use `recorder: RecorderMode.OFF` with `cisMetricFilters: true` for the CIS alarms alone.');
    }

    let recorderReady: IDependable | undefined;
    if (props.recorder === RecorderMode.CREATE) {
      const recorded = new Set(deployedManaged.flatMap(([, , type]) => (type ? [type] : [])));
      if (deployedCustom.some(([, , changeTriggered]) => changeTriggered)) recorded.add(INSTANCE);
      this.recorder = new ConfigRecorder(this, 'Recorder', {
        // Periodic rules call their APIs themselves; only change-triggered rules need recorded items.
        resourceTypes: recorded.size > 0 ? [...recorded] : [INSTANCE],
        retention: props.recorderRetention,
      });
      recorderReady = this.recorder.deliveryChannel;
    }
    const afterRecorder = (rule: config.IRule) => {
      // Config refuses rules while no recorder exists, and the recorder starts only with its delivery channel.
      if (recorderReady) rule.node.addDependency(recorderReady);
      return rule;
    };

    for (const [rule, ruleProps] of deployedManaged) {
      this.rules[rule] = afterRecorder(new config.ManagedRule(this, rule, { ...ruleProps, configRuleName: name(rule) }));
    }
    if (deployedCustom.length > 0) {
      this.evaluator = new ConfigEvaluator(this, 'Evaluator', { logsKey: props.logsKey });
      for (const [rule, parameters, changeTriggered] of deployedCustom) {
        this.rules[rule] = afterRecorder(new config.CustomRule(this, rule, {
          configRuleName: name(rule),
          lambdaFunction: this.evaluator.function,
          inputParameters: { check: rule, ...parameters },
          configurationChanges: changeTriggered,
          // Instance checks also sweep the region daily, for changes Config did not deliver.
          periodic: true,
          maximumExecutionFrequency: changeTriggered ? daily : props.runningComputeFrequency ?? config.MaximumExecutionFrequency.ONE_HOUR,
          ruleScope: changeTriggered ? instances : undefined,
        }));
      }
    }

    this.complianceChangeRule = new events.Rule(this, 'ComplianceChangeRule', {
      description: 'MiningGuard: its Config rules finding a resource NON_COMPLIANT, to the notifier',
      eventPattern: {
        source: ['aws.config'],
        detailType: ['Config Rules Compliance Change'],
        detail: {
          messageType: ['ComplianceChangeNotification'],
          configRuleName: Object.keys(this.rules).map((rule) => name(rule as ComplianceRule)),
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      targets: [props.notifier.ruleTarget()],
    });
  }
}
