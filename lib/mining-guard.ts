/** MiningGuard: composes the guard's parts with safe defaults; it holds no logic of its own. */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertChannel, SlackChannelOptions } from './alerts/alert-channel';
import { HANDLER_ENVIRONMENT, type ComputePolicy } from './catalog';
import { DeadLetters } from './common/dead-letters';
import { GuardFunction, RESERVE_CONCURRENCY_CONTEXT } from './common/guard-function';
import { ComplianceRules, ComplianceRulesOptions } from './compliance/compliance-rules';
import { GuardDashboard } from './dashboard/guard-dashboard';
import { LaunchWatch, LaunchWatchOptions } from './launches/launch-watch';
import { LOOKUP_CONTEXT } from './lookups/account-singletons';
import { withLookedUpDetectors } from './lookups/regional-detectors';
import { withLookedUpRecorders } from './lookups/regional-recorders';
import { withLookedUpTrail } from './lookups/trail-lookup';
import { EveryRegionOptions, RegionalDeployment } from './regions/every-region';
import type { RegionalGuard } from './regions/regional-guard';
import { RegionalPlan, regionalPlan, RegionalSettings, regionalSettings } from './regions/regional-settings';
import { RegionalStackSet } from './regions/regional-stack-set';
import { checkRegionSupport } from './regions/resource-availability';
import { SpendGuard, SpendGuardOptions } from './spend/spend-guard';
import { TamperWatch, TamperWatchOptions } from './tamper/tamper-watch';
import { DETECTOR_OPTIONS, validMinimumSeverity } from './threats/detector';
import { ThreatDetection, ThreatDetectionOptions } from './threats/threat-detection';
import { AuditTrail, AuditTrailProps } from './trail/audit-trail';

/**
 * Properties of `MiningGuard`. Every one is optional; without an alert destination the synth warns and the stack
 * outputs the alert topic's ARN, so people can subscribe later.
 */
export interface MiningGuardProps {
  /**
   * Email addresses that receive every alert. Each must confirm the subscription email AWS sends.
   * @default - no email subscriptions
   */
  readonly alertEmails?: string[];

  /**
   * An AWS Chatbot Slack channel that receives every alert.
   * @default - no Slack channel
   */
  readonly alertSlack?: SlackChannelOptions;

  /**
   * HTTPS endpoints that receive every alert as JSON, retried for about 40 minutes, then kept in a dead-letter queue
   * that alarms. A URL carrying a secret (`user:password@`, `?token=`) is refused: pass one held in AWS Secrets Manager
   * as `SecretValue.secretsManager('mining-guard/webhook-url').unsafeUnwrap()` instead (see `AlertChannelProps.webhookUrls`).
   * @default - no webhooks
   */
  readonly alertWebhookUrls?: string[];

  /**
   * An existing topic to alert through instead of creating one; it is never deleted with the stack.
   * @default - a new topic encrypted with a new customer-managed key
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * The customer-managed key `alertTopic` is encrypted with: the guard's functions that publish alerts are granted
   * its use (see `AlertChannelProps.topicKey`). Only with `alertTopic`.
   * @default - the `masterKey` of `alertTopic`, if it has one; otherwise the topic is taken to be unencrypted, and the synth warns
   */
  readonly alertTopicKey?: kms.IKey;

  /**
   * The audit trail: created, or an existing one adopted with `existingTrailArn`.
   * @default - a new multi-region trail
   */
  readonly auditTrail?: AuditTrailProps;

  /**
   * What compute the account expects: regions, instance families, how much one call may start, how much may run in a
   * region, and the principals whose compute is never flagged. LaunchWatch, the Config rules and
   * `mining-guard replay` all judge by it.
   * @default - GPU and accelerator families denied; 64 vCPUs and 10 instances per call; 8 vCPUs per ECS task; 50
   * instances and 128 vCPUs running per region; every region; nobody exempt
   */
  readonly computePolicy?: ComputePolicy;

  /**
   * LaunchWatch: the response per launch detection, and dry run. Notify-only unless `responses` says otherwise.
   * @default - NOTIFY for every detection
   */
  readonly launchWatch?: LaunchWatchOptions;

  /**
   * TamperWatch: which roles deploy the guard, so that their changes to its own resources are not alerted as
   * tampering.
   * @default - the CloudFormation execution role of the stack's synthesizer
   */
  readonly tamperWatch?: TamperWatchOptions;

  /**
   * GuardDuty: a detector created, or an existing one adopted with `existingDetectorId`, and the minimum severity
   * routed to people.
   * @default - a new detector with every protection plan that sees miners
   */
  readonly threatDetection?: ThreatDetectionOptions;

  /**
   * The cost signals: a monthly budget, Cost Anomaly Detection (created, or an existing monitor adopted with
   * `existingAnomalyMonitorArn`), vCPU usage alarms in this region and the spend evaluator; a budget action only
   * when asked for.
   * @default - an auto-adjusting monthly budget, a new SERVICE anomaly monitor, every vCPU alarm and the evaluator
   */
  readonly spendGuard?: SpendGuardOptions;

  /**
   * AWS Config rules for weak credentials, open doors and unexpected compute, with an alert for each
   * NON_COMPLIANT result; optionally the CIS monitoring metric filters on the trail's log group. Not deployed by
   * default, because it needs a decision only you can make: whether this region already has a configuration
   * recorder (`recorder: RecorderMode.ADOPT`, every Control Tower account) or not (`RecorderMode.CREATE`).
   * Guessing wrong fails the deployment either way: a region takes one recorder, and Config refuses rules without one.
   * @default - no Config rules
   */
  readonly compliance?: ComplianceRulesOptions;

  /**
   * The regions beyond this stack's (the home region): each gets the asset-free regional part, which forwards
   * what it sees to the home region within seconds and runs the region's GuardDuty detector, vCPU alarms and
   * regional Config rules. The home stack deploys it as a StackSet, or you deploy a `RegionalGuard` per region.
   * @default - every region AWS enables by default in the home region's partition, through a StackSet
   */
  readonly everyRegion?: EveryRegionOptions;

  /**
   * Whether to create the guard's CloudWatch dashboard (`GuardDashboard`): detections, containment outcomes, running
   * vCPUs of every watched region, month-to-date spend and the guard's own health. Its URL is the stack output
   * `DashboardUrl` and every alert links to it. A dashboard costs $3 a month beyond the account's first three.
   * @default true
   * @see https://aws.amazon.com/cloudwatch/pricing/
   */
  readonly dashboard?: boolean;

  /**
   * Whether the guard's functions reserve their concurrency (`RESERVED_CONCURRENCY`: 27 in all), so that nothing else
   * in the account can throttle them into silence. Lambda keeps 100 of an account's concurrency unreserved, so the
   * deployment fails in an account whose Lambda concurrency quota is below 127 (new accounts may start at 10), saying
   * the reservation "decreases account's UnreservedConcurrentExecution below its minimum value": raise the quota
   * (Service Quotas, AWS Lambda, Concurrent executions), or set this to false until it is raised. Sets the context
   * value `mining-guard:reserveConcurrency`, which a part used on its own reads too.
   * @default true
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly reserveConcurrency?: boolean;

  /**
   * Whether to find the account's singletons at synth instead of creating them blindly: the GuardDuty detector of
   * the home region and of every regional part's region, the Config recorder (with `compliance`), the SERVICE anomaly
   * monitor and a multi-region trail. What exists is adopted (never changed or deleted); what does not is created and
   * kept when the stack is deleted. The CDK CLI answers the lookups with the deployer's credentials (Cloud Control,
   * through the bootstrap's lookup role) and caches them in `cdk.context.json`, which you commit; an info annotation
   * says what each found. Props that create or adopt a part explicitly win over its lookup. Only for a stack with a
   * concrete account and region; an environment-agnostic stack creates, as with `false`. Sets the context value
   * `mining-guard:lookup`, which a part used on its own reads too.
   * @default true
   * @see https://docs.aws.amazon.com/cdk/v2/guide/context.html
   */
  readonly lookup?: boolean;
}

/**
 * The guardrail against crypto-mining abuse, in one line: `new MiningGuard(this)`, or with an alert destination,
 * `new MiningGuard(this, 'MiningGuard', { alertEmails: ['secops@example.com'] })`.
 *
 * In its stack's region, the home region, it deploys the account-wide parts once: the alert channel (encrypted
 * topic, subscribers, notifier), a multi-region audit trail, GuardDuty with the routing of every crypto-mining and
 * stolen-credential finding to people, LaunchWatch, which judges every compute launch against a policy,
 * TamperWatch, which alerts when anyone blinds the defender or plants credentials, and the cost signals
 * (SpendGuard). Into every other region (`everyRegion`) goes the asset-free regional part, as a StackSet of the
 * same deployment: it forwards that region's events to the home region within seconds and runs its GuardDuty
 * detector and vCPU alarms. Where no regional part runs, the trail's log group still brings every catalog call to
 * the home region within minutes.
 *
 * Each part is a public construct that also works alone; account singletons (the detectors, the recorders, the trail,
 * the anomaly monitor) are found by lookup in a stack with a concrete environment, and adopted instead of created. Nothing is contained or deleted by default: MiningGuard notifies.
 */
export class MiningGuard extends Construct {
  /** Where alerts go. */
  public readonly alertChannel: AlertChannel;
  /** The audit trail, created or adopted. */
  public readonly auditTrail: AuditTrail;
  /** GuardDuty and the routing of its findings. */
  public readonly threatDetection: ThreatDetection;
  /** The launch evaluator and its rules. */
  public readonly launchWatch: LaunchWatch;
  /** The rules that catch tampering and planted credentials. */
  public readonly tamperWatch: TamperWatch;
  /** Budgets, Cost Anomaly Detection, vCPU alarms and the spend evaluator. */
  public readonly spendGuard: SpendGuard;

  /** The Config rules, when `compliance` is given. */
  public readonly compliance?: ComplianceRules;
  /** The StackSet that deploys the regional part, when `everyRegion.deployment` is `STACK_SET` and regions are listed. */
  public readonly regionalStackSet?: cloudformation.CfnStackSet;
  /** The regions the guard runs in: the home region (when the stack has one) and every region of `everyRegion.regions`. */
  public readonly guardedRegions: string[];
  /** The dashboard, unless `dashboard` is false. */
  public readonly dashboard?: GuardDashboard;

  /** @internal */
  public readonly _regionalPlan: RegionalPlan;
  /** @internal */
  public readonly _regionalSettings: RegionalSettings;
  private readonly regionalGuards = new Map<string, RegionalGuard>();

  constructor(scope: Construct, id: string = 'MiningGuard', props: MiningGuardProps = {}) {
    super(scope, id);
    // Before any part is added: the guard's functions read it from their scope.
    if (props.reserveConcurrency === false) this.node.setContext(RESERVE_CONCURRENCY_CONTEXT, false);
    if (props.lookup === false) this.node.setContext(LOOKUP_CONTEXT, false);
    const alerts = this.alertChannel = new AlertChannel(this, 'Alerts', {
      emails: props.alertEmails,
      slack: props.alertSlack,
      webhookUrls: props.alertWebhookUrls,
      topic: props.alertTopic,
      topicKey: props.alertTopicKey,
    });
    this.auditTrail = new AuditTrail(this, 'AuditTrail', withLookedUpTrail(this, props.auditTrail));
    this.threatDetection = new ThreatDetection(this, 'ThreatDetection', { ...props.threatDetection, alerts });
    this.launchWatch = new LaunchWatch(this, 'LaunchWatch', {
      ...props.launchWatch,
      alerts,
      computePolicy: props.computePolicy,
      trailLogGroup: this.auditTrail.logGroup,
    });
    let plan = this._regionalPlan = withLookedUpDetectors(this, regionalPlan(this, props.everyRegion), {
      listed: props.everyRegion?.existingDetectorRegions !== undefined,
      detectorOptions: DETECTOR_OPTIONS.filter((o) => props.threatDetection?.[o] !== undefined),
    });
    this.guardedRegions = [...plan.guardedRegions];
    this.tamperWatch = new TamperWatch(this, 'TamperWatch', {
      ...props.tamperWatch,
      alerts,
      trailBuckets: this.auditTrail.bucket ? [this.auditTrail.bucket] : [],
      guardKeys: [alerts.key, ...(this.auditTrail.key ? [this.auditTrail.key] : [])],
      guardedRegions: this.guardedRegions,
      exemptPrincipals: props.computePolicy?.exemptPrincipals,
    });
    this.spendGuard = new SpendGuard(this, 'SpendGuard', { ...props.spendGuard, alerts });
    if (props.compliance) {
      this.compliance = new ComplianceRules(this, 'Compliance', {
        ...props.compliance,
        alerts,
        computePolicy: props.computePolicy,
        trailLogGroup: this.auditTrail.logGroup,
      });
    }

    const spend = props.spendGuard ?? {};
    const { anomalyBandWidth: _homeBandWidth, ...homeVcpuOptions } = spend.vcpuAlarmOptions ?? {};
    const settings = regionalSettings({
      homeRegion: Stack.of(this).region,
      alarmNamePrefix: alerts.notifier.alarmNamePrefix,
      minimumSeverity: validMinimumSeverity(props.threatDetection?.minimumSeverity),
      detector: Object.fromEntries(DETECTOR_OPTIONS.map((o) => [o, props.threatDetection?.[o]])),
      vcpuAlarms: spend.vcpuAlarms ?? true ? props.everyRegion?.vcpuAlarmOptions ?? { ...homeVcpuOptions, anomalyBands: false } : undefined,
      compliance: props.compliance && this.compliance ? { ...props.compliance, recorder: this.compliance.recorderMode } : undefined,
    });
    this._regionalSettings = settings;
    // With the regional Config rules, each region's recorder is looked up too, unless `compliance.recorder` says.
    plan = this._regionalPlan = withLookedUpRecorders(this, this._regionalPlan, {
      lookedUp: settings.compliance !== undefined && props.compliance?.recorder === undefined,
    });
    if (plan.deployment === RegionalDeployment.STACK_SET && plan.regions.length > 0) {
      const { homeRegion: _home, ...anyHome } = settings;
      this.regionalStackSet = new RegionalStackSet(this, 'EveryRegion', { settings: anyHome, plan }).stackSet;
    }
    if (plan.deployment === RegionalDeployment.CDK_STACKS) {
      this.node.addValidation({ validate: () => this.regionsWithoutGuard() });
    }
    if (props.dashboard ?? true) this.dashboard = this.addDashboard(props, settings.vcpuAlarms);
    checkRegionSupport(this, 'MiningGuard\'s home part', {
      advice: `and the regional part guards ${Stack.of(this).region} from there when everyRegion.regions lists it`,
    });
  }

  /** @internal Records the `RegionalGuard` of a region; two in one region would forward every event twice. */
  public _regionDeployed(region: string, guard: RegionalGuard): void {
    const other = this.regionalGuards.get(region);
    if (other) {
      throw new Error(`RegionalGuard: ${other.node.path} already guards ${region} for this MiningGuard. Keep one RegionalGuard per region.`);
    }
    this.regionalGuards.set(region, guard);
  }

  /**
   * The dashboard of every part created above, its URL as a stack output and in the environment of every function
   * that alerts, which links each alert to it.
   */
  private addDashboard(props: MiningGuardProps, regionalVcpuAlarms: RegionalSettings['vcpuAlarms']): GuardDashboard {
    const parts = this.node.findAll();
    const functions = parts.filter((c): c is GuardFunction => c instanceof GuardFunction);
    const spend = props.spendGuard ?? {};
    const dashboard = new GuardDashboard(this, 'Dashboard', {
      regions: [
        { region: Stack.of(this).region, vcpuAlarms: spend.vcpuAlarms ?? true ? spend.vcpuAlarmOptions ?? {} : undefined },
        ...this._regionalPlan.regions.map((region) => ({ region, vcpuAlarms: regionalVcpuAlarms })),
      ],
      monthlyBudgetUsd: spend.monthlyLimitUsd,
      functions: functions.map((f) => f.function),
      deadLetterQueues: parts.filter((c): c is DeadLetters => c instanceof DeadLetters).map((d) => d.queue),
      trailLogGroup: this.auditTrail.logGroup,
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: dashboard.dashboardUrl,
      description: 'The MiningGuard dashboard: detections, containment, running vCPUs, spend and the guard\'s own health.',
    });
    for (const f of functions) {
      const names: Readonly<Record<string, string>> = HANDLER_ENVIRONMENT[f.handlerName];
      if (names.dashboardUrl) f.function.addEnvironment(names.dashboardUrl, dashboard.dashboardUrl);
    }
    return dashboard;
  }

  private regionsWithoutGuard(): string[] {
    const missing = this._regionalPlan.regions.filter((r) => !this.regionalGuards.has(r));
    return missing.map((r) => `everyRegion.regions lists ${r}, but no RegionalGuard of this MiningGuard is in ${r}: its findings, alarms and fast path are missing. `
      + `Add one: new RegionalGuard(new Stack(app, 'MiningGuard-${r}', { env: { region: '${r}' } }), 'MiningGuard', { home: guard }), or remove '${r}' from everyRegion.regions.`);
  }
}
