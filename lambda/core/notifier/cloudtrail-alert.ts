/**
 * The reader of tamper, credential and abuse calls and root activity: asks every detection that selects the call, in
 * catalog order, and writes the alert of the first that flags it.
 */
import { EventReader, LookedUpFacts, MalformedEventError } from './event-reader';
import { CloudTrailVerdict, judgeCloudTrail } from './judge-cloudtrail';
import { CallSignal, DetectionOf, EMPTY_GUARD_CONTEXT, GuardContext, judgedCallDetections, JudgedCallId } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { callSections } from '../alerts/call-sections';
import { CloudTrailRecord, principalName, readRecord } from '../events/cloudtrail-record';

type JudgedCall = DetectionOf<CallSignal, JudgedCallId>;

/** The record, and every detection that selects it (a root `CreateAccessKey`: root's key, another user's key, root activity). */
function selected(event: unknown): { record: CloudTrailRecord; detections: JudgedCall[] } | undefined {
  const record = readRecord(event);
  if (typeof record === 'string') return undefined;
  const detections = judgedCallDetections({ eventSource: record.eventSource, eventName: record.eventName, identityType: record.principalType });
  return detections.length > 0 ? { record, detections } : undefined;
}

function cloudTrailAlert(record: CloudTrailRecord, detection: JudgedCall, verdict: Extract<CloudTrailVerdict, { flagged: true }>): Alert {
  const { who, where, links, refs } = callSections(record);
  const call = verdict.object ? `${record.eventName} ${verdict.object}` : record.eventName;
  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    headline: `${call}${record.errorCode ? ' attempted' : ''} by ${principalName(record.principalArn)} in ${record.region}`,
    what: textLines([`${detection.title}: ${verdict.reasons.join('; ')}.`, record.errorCode && `The call failed (${record.errorCode}), which shows intent all the same.`]),
    who,
    where,
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: verdict.next ?? detection.nextSteps,
    links,
    refs,
  };
}

/** Tamper, credential and abuse calls and root activity; the guard's context says which resources are its own and who deploys it. */
export const CLOUDTRAIL_READER: EventReader = {
  matches: (event) => selected(event) !== undefined,
  read: (event, context?: GuardContext, facts?: LookedUpFacts) => {
    const found = selected(event);
    if (!found) throw new MalformedEventError('CloudTrail record no longer selected');
    for (const detection of found.detections) {
      const verdict = judgeCloudTrail(found.record, detection, context ?? EMPTY_GUARD_CONTEXT, facts);
      if (verdict.flagged) return cloudTrailAlert(found.record, detection, verdict);
    }
    return undefined;
  },
  onceKey: (event) => selected(event)?.record.eventId,
};
