/** The detection catalog: the one list of what MiningGuard detects, and lookups over it. No aws-cdk-lib import here. */
import { CONFIG_DETECTIONS } from './config';
import { COST_DETECTIONS } from './cost';
import { CREDENTIAL_DETECTIONS } from './credentials';
import { GUARDDUTY_DETECTIONS, GUARDDUTY_OTHER } from './guardduty';
import { LAUNCH_DETECTIONS } from './launches';
import { matchesPattern } from './patterns';
import { TAMPER_DETECTIONS } from './tamper';
import { Detection } from './types';

export * from './types';
export * from './patterns';
export * from './severity';
export * from './launch-policy';
export { CREDENTIAL_DETECTIONS, GUARDDUTY_OTHER, LAUNCH_DETECTIONS, TAMPER_DETECTIONS };
export { DEFAULT_RUNNING_COMPUTE_LIMITS } from './config';

/** Every detection, in the order the README lists them. */
export const DETECTIONS: readonly Detection[] = [
  ...GUARDDUTY_DETECTIONS, ...LAUNCH_DETECTIONS, ...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS, ...CONFIG_DETECTIONS, ...COST_DETECTIONS,
];

/** The detection with this id, or undefined. */
export function findDetection(id: string): Detection | undefined {
  return DETECTIONS.find((d) => d.id === id);
}

/** The GuardDuty finding-type patterns of every GuardDuty detection, in catalog order. */
export function guardDutyFindingTypePatterns(): string[] {
  return DETECTIONS.flatMap((d) => (d.signal.kind === 'guardduty' ? d.signal.findingTypes : []));
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
export function cloudTrailSelections(detections: readonly Detection[] = DETECTIONS): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  for (const d of detections) {
    if (d.signal.kind !== 'cloudtrail') continue;
    const names = bySource.get(d.signal.eventSource) ?? [];
    names.push(...d.signal.eventNames.filter((n) => !names.includes(n)));
    bySource.set(d.signal.eventSource, names);
  }
  return bySource;
}

/** The catalog detection that selects a CloudTrail call, or undefined. */
export function classifyCloudTrailEvent(eventSource: string, eventName: string): Detection | undefined {
  return DETECTIONS.find((d) => d.signal.kind === 'cloudtrail' && d.signal.eventSource === eventSource && d.signal.eventNames.includes(eventName));
}

/** The first catalog detection whose patterns match a GuardDuty finding type, or the catch-all. */
export function classifyGuardDutyFinding(findingType: string): Detection {
  return DETECTIONS.find((d) => d.signal.kind === 'guardduty' && d.signal.findingTypes.some((p) => matchesPattern(p, findingType)))
    ?? GUARDDUTY_OTHER;
}

/**
 * The Config detection of a deployed rule name: MiningGuard names each rule with a prefix and the catalog's rule
 * suffix (`MiningGuard-restricted-ssh`), so the longest suffix that matches wins.
 */
export function classifyConfigRule(configRuleName: string): Detection | undefined {
  return DETECTIONS
    .filter((d) => d.signal.kind === 'config' && (configRuleName === d.signal.rule || configRuleName.endsWith(`-${d.signal.rule}`)))
    .sort((a, b) => (b.signal.kind === 'config' ? b.signal.rule.length : 0) - (a.signal.kind === 'config' ? a.signal.rule.length : 0))[0];
}
