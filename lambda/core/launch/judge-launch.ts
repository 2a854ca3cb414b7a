/** The evaluator's pure pipeline for one record: read, select by the catalog, describe, judge, plan. */
import { evaluateLaunch, LaunchVerdict, SpecLookup } from './evaluate-launch';
import { describeLaunch, LaunchRequest } from './launch-request';
import { NamedTypes, OFFLINE_NAMED_TYPES, withNamedTypes } from './named-types';
import { ContainmentPlan, planContainment } from './plan-containment';
import { classifyCloudTrailEvent, Detection, LAUNCH_DETECTIONS, LaunchDetection } from '../../../lib/catalog';
import type { ResolvedLaunchSettings } from '../../../lib/catalog';
import { CloudTrailRecord, readRecord } from '../events/cloudtrail-record';

/** The catalog entries this evaluator judges. */
export function isLaunchDetection(detection: Detection): detection is LaunchDetection {
  return (LAUNCH_DETECTIONS as readonly Detection[]).includes(detection);
}

export type Judgement =
  | { readonly outcome: 'malformed'; readonly reason: string }
  | { readonly outcome: 'not-selected'; readonly record: CloudTrailRecord }
  | { readonly outcome: 'judged'; readonly record: CloudTrailRecord; readonly request: LaunchRequest; readonly verdict: LaunchVerdict; readonly plan: ContainmentPlan };

/**
 * Judges one record. `specs` weighs instance types; `named` gives the types behind the launch templates and
 * instances a call names without stating their type (the shell asks EC2; offline they stay unknown, and say so).
 */
export function judgeLaunch(
  value: unknown, settings: ResolvedLaunchSettings, specs: SpecLookup, now: Date, named: NamedTypes = OFFLINE_NAMED_TYPES,
): Judgement {
  const record = readRecord(value);
  if (typeof record === 'string') return { outcome: 'malformed', reason: record };
  const detection = classifyCloudTrailEvent(record.eventSource, record.eventName);
  if (!detection || !isLaunchDetection(detection)) return { outcome: 'not-selected', record };
  const request = withNamedTypes(record.eventName, describeLaunch(record), named);
  const verdict = evaluateLaunch(record, request, detection, settings, specs);
  const plan = planContainment(record, request, detection.id, verdict.flagged ? verdict.response : 'NOTIFY', now);
  return { outcome: 'judged', record, request, verdict, plan };
}
