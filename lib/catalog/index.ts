/** The detection catalog: the one list of what MiningGuard detects, and lookups over it. No aws-cdk-lib import here. */
import { ABUSE_DETECTIONS as ABUSE, ROOT_ACTIVITY } from './abuse';
import { CATCH_ALL_DETECTIONS as CATCH_ALLS } from './catch-all';
import { CIS_DETECTIONS as CIS } from './cis';
import { CONFIG_DETECTIONS as CONFIG } from './config';
import type { ContainmentSteps } from './containment';
import { COST_DETECTIONS as COST } from './cost';
import { CREDENTIAL_DETECTIONS as CREDENTIALS } from './credentials';
import { GUARD_HEALTH_DETECTIONS as GUARD_HEALTH } from './guard-health';
import { GUARDDUTY_DETECTIONS as GUARDDUTY } from './guardduty';
import { LAUNCH_BURST as BURST, LAUNCH_CONTAINMENT as CONTAINMENT_STEPS, LAUNCH_DETECTIONS as LAUNCHES } from './launches';
import { matchesPattern } from './patterns';
import { TAMPER_DETECTIONS as TAMPER } from './tamper';
import {
  AlarmSignal, CallSignal, CloudTrailIdentitySignal, CloudTrailSignal, ConfigRuleSignal, Detection, GuardDutySignal, MetricFilterSignal, Signal,
} from './types';

export * from './types';
export * from './patterns';
export * from './severity';
export * from './compute-policy';
export * from './responses';
export * from './containment';
export * from './handler-contracts';
export * from './metrics';

/** The catalog as written, every id and event name a literal type. */
const CATALOG = [
  ...GUARDDUTY, ...LAUNCHES, BURST, ...TAMPER, ...ABUSE, ...CREDENTIALS, ROOT_ACTIVITY, ...CONFIG, ...CIS, ...COST, ...GUARD_HEALTH, ...CATCH_ALLS,
] as const;

/** Every detection's id: a map keyed by it must name every detection, and a typo in an id fails to compile. */
export type DetectionId = typeof CATALOG[number]['id'];
/** The launch calls the launch evaluator judges and contains. */
export type LaunchDetectionId = typeof LAUNCHES[number]['id'];
/** The calls the notifier judges: tamper, credential and abuse calls, and root activity. */
export type JudgedCallId = typeof TAMPER[number]['id'] | typeof CREDENTIALS[number]['id'] | AbuseCallId;
/** The abuse calls and root activity, judged by the notifier. */
export type AbuseCallId = typeof ABUSE[number]['id'] | typeof ROOT_ACTIVITY['id'];
/** Every CloudTrail event name a launch detection selects. */
export type LaunchEventName = typeof LAUNCHES[number]['signal']['eventNames'][number];

/** A detection whose signal is of one kind. */
export type DetectionOf<S extends Signal, Id extends DetectionId = DetectionId> = Detection<Id> & { readonly signal: S };
/** A launch detection, with its event names typed. */
export type LaunchDetection = DetectionOf<CloudTrailSignal & { readonly eventNames: readonly LaunchEventName[] }, LaunchDetectionId>;

/** Every detection, in the order the detection table lists them. */
export const DETECTIONS: ReadonlyArray<Detection<DetectionId>> = CATALOG;
export const GUARDDUTY_DETECTIONS: ReadonlyArray<DetectionOf<GuardDutySignal>> = GUARDDUTY;
export const LAUNCH_DETECTIONS: readonly LaunchDetection[] = LAUNCHES;
/** The kinds of containment step each containing response of a launch detection plans; the grants follow from them. */
export const LAUNCH_CONTAINMENT: Readonly<Partial<Record<LaunchDetectionId, ContainmentSteps>>> = CONTAINMENT_STEPS;
export const LAUNCH_BURST: Detection<DetectionId> = BURST;
export const TAMPER_DETECTIONS: ReadonlyArray<DetectionOf<CloudTrailSignal, JudgedCallId>> = TAMPER;
export const CREDENTIAL_DETECTIONS: ReadonlyArray<DetectionOf<CloudTrailSignal, JudgedCallId>> = CREDENTIALS;
export const ABUSE_DETECTIONS: ReadonlyArray<DetectionOf<CloudTrailSignal, JudgedCallId>> = ABUSE;
/**
 * Every call the notifier judges, in catalog order: the order in which the detections that select one call are asked
 * about it, the first that flags it raising the alert.
 */
export const JUDGED_CALL_DETECTIONS: ReadonlyArray<DetectionOf<CallSignal, JudgedCallId>> = [...TAMPER, ...ABUSE, ...CREDENTIALS, ROOT_ACTIVITY];
export const CONFIG_DETECTIONS: ReadonlyArray<DetectionOf<ConfigRuleSignal>> = CONFIG;
export const CIS_DETECTIONS: ReadonlyArray<DetectionOf<MetricFilterSignal>> = CIS;
export const COST_DETECTIONS: ReadonlyArray<Detection<DetectionId>> = COST;
export const GUARD_HEALTH_DETECTIONS: ReadonlyArray<Detection<DetectionId>> = GUARD_HEALTH;
export const CATCH_ALL_DETECTIONS: ReadonlyArray<Detection<DetectionId>> = CATCH_ALLS;

/** The detection with this id. */
export function detection(id: DetectionId): Detection<DetectionId> {
  return DETECTIONS.find((d) => d.id === id)!;
}

/** The detection of an id read at run time (a prop, a tag), or undefined when the catalog has none. */
export function findDetection(id: string): Detection<DetectionId> | undefined {
  return DETECTIONS.find((d) => d.id === id);
}

/** Whether a string read at run time is a launch detection's id. */
export function isLaunchDetectionId(id: string): id is LaunchDetectionId {
  return LAUNCH_DETECTIONS.some((d) => d.id === id);
}

/** The detections whose signal is of this kind, in catalog order. */
export function detectionsOf<K extends Signal['kind']>(kind: K): Array<DetectionOf<Extract<Signal, { kind: K }>>> {
  return DETECTIONS.filter((d) => d.signal.kind === kind) as Array<DetectionOf<Extract<Signal, { kind: K }>>>;
}

/** The GuardDuty finding-type patterns of every GuardDuty detection, in catalog order. */
export function guardDutyFindingTypePatterns(): string[] {
  return detectionsOf('guardduty').flatMap((d) => d.signal.findingTypes);
}

/** The EventBridge `source` of a CloudTrail event source: `ec2.amazonaws.com` is `aws.ec2`. */
export function eventBridgeSource(eventSource: string): string {
  return `aws.${eventSource.split('.')[0]}`;
}

/** The EventBridge `detail-type` of a CloudTrail event source's calls: sign-ins have their own. */
export function eventBridgeDetailType(eventSource: string): string {
  return eventSource === 'signin.amazonaws.com' ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail';
}

/** The catalog's CloudTrail detections grouped by event source, each with every event name it selects. */
export function cloudTrailSelections(detections: ReadonlyArray<Detection<string>> = DETECTIONS): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  for (const d of detections) {
    if (d.signal.kind !== 'cloudtrail') continue;
    const names = bySource.get(d.signal.eventSource) ?? [];
    names.push(...d.signal.eventNames.filter((n) => !names.includes(n)));
    bySource.set(d.signal.eventSource, names);
  }
  return bySource;
}

/** What a detection's signal selects a call by: its source and name, and who made it (`userIdentity.type`). */
export interface CallSelector {
  readonly eventSource: string;
  readonly eventName: string;
  readonly identityType?: string;
}

/**
 * Whether a call signal selects a call. An identity signal selects API calls only: the sign-in events of
 * `signin.amazonaws.com` are the login detections' own.
 */
export function selectsCall(signal: CallSignal, call: CallSelector): boolean {
  if (signal.kind === 'cloudtrail') return signal.eventSource === call.eventSource && signal.eventNames.includes(call.eventName);
  return call.identityType === signal.identityType && call.eventSource !== 'signin.amazonaws.com';
}

/** The judged detections that select a call, in catalog order: the notifier asks each in turn. */
export function judgedCallDetections(call: CallSelector): Array<DetectionOf<CallSignal, JudgedCallId>> {
  return JUDGED_CALL_DETECTIONS.filter((d) => selectsCall(d.signal, call));
}

/** The identity signals of the detections, e.g. every root call: EventBridge rules and the trail's subscription select them too. */
export function identitySelections(detections: ReadonlyArray<Detection<string>> = DETECTIONS): CloudTrailIdentitySignal[] {
  return detections.flatMap((d) => (d.signal.kind === 'cloudtrail-identity' ? [d.signal] : []));
}

/** The catalog detection that selects a CloudTrail call, or undefined. */
export function classifyCloudTrailEvent(eventSource: string, eventName: string): DetectionOf<CloudTrailSignal> | undefined {
  return detectionsOf('cloudtrail').find((d) => d.signal.eventSource === eventSource && d.signal.eventNames.includes(eventName));
}

/** The first catalog detection whose patterns match a GuardDuty finding type, or the catch-all. */
export function classifyGuardDutyFinding(findingType: string): Detection<DetectionId> {
  return detectionsOf('guardduty').find((d: DetectionOf<GuardDutySignal>) => d.signal.findingTypes.some((p) => matchesPattern(p, findingType)))
    ?? detection('guardduty-other');
}

/**
 * The Config detection of a deployed rule name, or the catch-all: MiningGuard names each rule with a prefix and the
 * catalog's rule suffix (`MiningGuard-restricted-ssh`), so the longest suffix that matches wins.
 */
export function classifyConfigRule(configRuleName: string): Detection<DetectionId> {
  return detectionsOf('config')
    .filter((d: DetectionOf<ConfigRuleSignal>) => configRuleName === d.signal.rule || configRuleName.endsWith(`-${d.signal.rule}`))
    .sort((a, b) => b.signal.rule.length - a.signal.rule.length)[0] ?? detection('config-rule');
}

/** The detection of an alarm on a metric: a guard alarm's own metric, a CIS filter's metric, or the catch-all. */
export function classifyAlarmMetric(namespace: string | undefined, metricName: string | undefined): Detection<DetectionId> {
  return detectionsOf('alarm').find((d: DetectionOf<AlarmSignal>) => d.signal.namespace === namespace && d.signal.metricName === metricName)
    ?? detectionsOf('metric-filter').find((d: DetectionOf<MetricFilterSignal>) => d.signal.metricName === metricName)
    ?? detection('alarm-other');
}
