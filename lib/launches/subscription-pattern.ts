/** The trail log group's subscription filter pattern for launch calls, built from the catalog. */
import { cloudTrailSelections, LAUNCH_DETECTIONS } from '../catalog';

/** CloudWatch Logs refuses filter patterns longer than this. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/**
 * `{ $.eventName = "RunInstances" || ... }` over every launch call name. Names are unique across the launch
 * sources, so the event source need not be matched; the evaluator checks it anyway.
 */
export function launchSubscriptionPattern(): string {
  const names = [...new Set([...cloudTrailSelections(LAUNCH_DETECTIONS).values()].flat())];
  const pattern = `{ ${names.map((n) => `$.eventName = "${n}"`).join(' || ')} }`;
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new Error(`The launch filter pattern is ${pattern.length} characters, more than CloudWatch Logs allows (${MAX_FILTER_PATTERN_LENGTH}).`);
  }
  return pattern;
}
