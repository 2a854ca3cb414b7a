/** The reader of tamper and credential calls: judges the call, and writes its alert when it is flagged. */
import { EventReader, MalformedEventError } from './event-reader';
import { CloudTrailVerdict, judgeCloudTrail } from './judge-cloudtrail';
import { CloudTrailSignal, CREDENTIAL_DETECTIONS, DetectionOf, EMPTY_GUARD_CONTEXT, GuardContext, JudgedCallId, TAMPER_DETECTIONS } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { callSections } from '../alerts/call-sections';
import { CloudTrailRecord, principalName, readRecord } from '../events/cloudtrail-record';

type JudgedCall = DetectionOf<CloudTrailSignal, JudgedCallId>;

const JUDGED: readonly JudgedCall[] = [...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS];

function selected(event: unknown): { record: CloudTrailRecord; detection: JudgedCall } | undefined {
  const record = readRecord(event);
  if (typeof record === 'string') return undefined;
  const detection = JUDGED.find((d) => d.signal.eventSource === record.eventSource && d.signal.eventNames.includes(record.eventName));
  return detection ? { record, detection } : undefined;
}

function cloudTrailAlert(record: CloudTrailRecord, detection: JudgedCall, verdict: Extract<CloudTrailVerdict, { flagged: true }>): Alert {
  const { who, where, links, refs } = callSections(record);
  const call = verdict.object ? `${record.eventName} ${verdict.object}` : record.eventName;
  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    headline: `${call}${record.errorCode ? ' attempted' : ''} by ${principalName(record.principalArn)} in ${record.region}`,
    what: `${detection.title}: ${verdict.reasons.join('; ')}.${record.errorCode ? `\nThe call failed (${record.errorCode}), which shows intent all the same.` : ''}`,
    who,
    where,
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: verdict.next ?? detection.nextSteps,
    links,
    refs,
  };
}

/** Tamper and credential calls; the guard's context says which resources are its own and who deploys it. */
export const CLOUDTRAIL_READER: EventReader = {
  matches: (event) => selected(event) !== undefined,
  read: (event, context?: GuardContext) => {
    const found = selected(event);
    if (!found) throw new MalformedEventError('CloudTrail record no longer selected');
    const verdict = judgeCloudTrail(found.record, found.detection, context ?? EMPTY_GUARD_CONTEXT);
    return verdict.flagged ? cloudTrailAlert(found.record, found.detection, verdict) : undefined;
  },
  onceKey: (event) => selected(event)?.record.eventId,
};
