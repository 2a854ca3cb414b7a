/** The shape of a detection: plain data that rules, evaluators, alert texts and the README are generated from. */

/** How urgently a person should look. Ordered: LOW < MEDIUM < HIGH < CRITICAL. */
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** Every severity, lowest first. */
export const SEVERITIES: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** What MiningGuard may do about a detection when the user allows it. Notifying is always allowed. */
export type Response = 'NOTIFY' | 'STOP' | 'QUARANTINE';

/** A GuardDuty finding whose type matches one of the patterns (`*` matches any run of characters). */
export interface GuardDutySignal {
  readonly kind: 'guardduty';
  readonly findingTypes: readonly string[];
}

/** CloudTrail management events: calls to one service's APIs, by name, successful or failed. */
export interface CloudTrailSignal {
  readonly kind: 'cloudtrail';
  /** The service's CloudTrail event source, e.g. `ec2.amazonaws.com`. */
  readonly eventSource: string;
  readonly eventNames: readonly string[];
}

/**
 * CloudTrail API calls made by one kind of identity, whatever the service and the call: every call of the root user,
 * say. Console sign-in events are not API calls: the detections that name them judge them.
 */
export interface CloudTrailIdentitySignal {
  readonly kind: 'cloudtrail-identity';
  /** `userIdentity.type` as CloudTrail writes it, e.g. `Root`. */
  readonly identityType: string;
}

/** A signal of CloudTrail calls, selected by name or by who made them. */
export type CallSignal = CloudTrailSignal | CloudTrailIdentitySignal;

/** An AWS Config rule of MiningGuard's turning NON_COMPLIANT. */
export interface ConfigRuleSignal {
  readonly kind: 'config';
  /** The rule's name suffix as MiningGuard deploys it, e.g. `imdsv2-required`. */
  readonly rule: string;
}

/** A cost signal: AWS Budgets, Cost Anomaly Detection or the spend evaluator. */
export interface CostSignal {
  readonly kind: 'cost';
  readonly source: 'budgets' | 'anomaly-detection' | 'spend-evaluator';
}

/** A CloudWatch alarm of the guard's on one metric going into ALARM (and back to OK). */
export interface AlarmSignal {
  readonly kind: 'alarm';
  /** The metric's namespace, e.g. `AWS/Usage`. */
  readonly namespace: string;
  /** The metric's name, e.g. `ResourceCount`. */
  readonly metricName: string;
}

/**
 * A CIS AWS Foundations monitoring control: a metric filter on the trail's log group, and an alarm on its metric.
 * Numbered as in section 4 (Monitoring) of v3.0.0 to v5.0.0; v6.0.0 moved the same controls to section 5.
 */
export interface MetricFilterSignal {
  readonly kind: 'metric-filter';
  /** The control number, e.g. `4.1`. */
  readonly control: string;
  /** The metric the filter counts, and the construct id of the filter and alarm, in PascalCase. */
  readonly metricName: string;
  /** The CloudWatch Logs filter pattern, exactly as the benchmark gives it. */
  readonly pattern: string;
}

/** Many detections of one principal within a window, folded into one summary alert. */
export interface BurstSignal {
  readonly kind: 'burst';
  /** The detections that fold. */
  readonly of: 'launch';
}

/** What reaches the notifier from a signal without a more specific detection: shown, never dropped. */
export interface CatchAllSignal {
  readonly kind: 'catch-all';
  /** Another GuardDuty finding, another Config rule, another alarm of the guard's, or an event nobody can read. */
  readonly of: 'guardduty' | 'config' | 'alarm' | 'unreadable';
}

/** Where the detection comes from. */
export type Signal =
  | GuardDutySignal | CloudTrailSignal | CloudTrailIdentitySignal | ConfigRuleSignal | CostSignal | AlarmSignal | MetricFilterSignal | BurstSignal
  | CatchAllSignal;

/** The kinds of signal. */
export type SignalKind = Signal['kind'];

/** Public references that explain the detection and let people map it to their own controls. */
export interface References {
  /** GuardDuty finding types, as AWS names them. */
  readonly guardDutyTypes?: readonly string[];
  /** CIS AWS Foundations Benchmark controls, e.g. `CIS 4.5`. */
  readonly cisControls?: readonly string[];
  /** Stratus Red Team technique ids, e.g. `aws.defense-evasion.cloudtrail-stop`. */
  readonly stratusTechniques?: readonly string[];
  /** MITRE ATT&CK technique ids, e.g. `T1496`. */
  readonly mitreAttack?: readonly string[];
  /** Documentation pages. */
  readonly urls?: readonly string[];
}

/** One detection of the catalog; `Id` is its id as a literal type, so the catalog's ids form a union. */
export interface Detection<Id extends string = string> {
  /** Stable id, used in alert attributes, tags and props: lower-case words joined by dashes. */
  readonly id: Id;
  /** A short noun phrase for alert subjects and the README table. */
  readonly title: string;
  /** The severity MiningGuard gives it; a finding's own severity can only raise it. */
  readonly severity: Severity;
  readonly signal: Signal;
  /** Why it matters, in one or two sentences a person reads at 3 a.m. */
  readonly rationale: string;
  /** What to do next, most urgent first. */
  readonly nextSteps: readonly string[];
  readonly references: References;
  /** The responses this detection allows. */
  readonly responses: readonly Response[];
  /** The IAM actions each containing response needs, granted only where that response is enabled. */
  readonly containmentPermissions?: Readonly<Partial<Record<Response, readonly string[]>>>;
  /** How long after the event the alert typically arrives, for the README table. */
  readonly latency: string;
}
