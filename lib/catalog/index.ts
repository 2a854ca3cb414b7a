/** The detection catalog: the one list of what MiningGuard detects, and lookups over it. No aws-cdk-lib import here. */
import { CONFIG_DETECTIONS } from './config';
import { GUARDDUTY_DETECTIONS, GUARDDUTY_OTHER } from './guardduty';
import { matchesPattern } from './patterns';
import { Detection } from './types';

export * from './types';
export * from './patterns';
export * from './severity';
export { GUARDDUTY_OTHER };
export { ACCELERATOR_INSTANCE_FAMILIES, DEFAULT_RUNNING_COMPUTE_LIMITS } from './config';

/** Every detection, in the order the README lists them. */
export const DETECTIONS: readonly Detection[] = [...GUARDDUTY_DETECTIONS, ...CONFIG_DETECTIONS];

/** The detection with this id, or undefined. */
export function findDetection(id: string): Detection | undefined {
  return DETECTIONS.find((d) => d.id === id);
}

/** The GuardDuty finding-type patterns of every GuardDuty detection, in catalog order. */
export function guardDutyFindingTypePatterns(): string[] {
  return DETECTIONS.flatMap((d) => (d.signal.kind === 'guardduty' ? d.signal.findingTypes : []));
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
