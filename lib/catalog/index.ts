/** The detection catalog: the one list of what MiningGuard detects, and lookups over it. No aws-cdk-lib import here. */
import { COST_DETECTIONS } from './cost';
import { GUARDDUTY_DETECTIONS, GUARDDUTY_OTHER } from './guardduty';
import { matchesPattern } from './patterns';
import { Detection } from './types';

export * from './types';
export * from './patterns';
export * from './severity';
export { GUARDDUTY_OTHER };

/** Every detection, in the order the README lists them. */
export const DETECTIONS: readonly Detection[] = [...GUARDDUTY_DETECTIONS, ...COST_DETECTIONS];

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
