/** The reader of tamper and credential calls: judges the call, and writes its alert when it is flagged. */
import { EventReader, MalformedEventError } from './event-reader';
import { judgeCloudTrail } from './judge-cloudtrail';
import { CloudTrailSignal, CREDENTIAL_DETECTIONS, DetectionOf, EMPTY_GUARD_CONTEXT, GuardContext, JudgedCallId, TAMPER_DETECTIONS } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { cloudTrailEventsUrl, consoleOrigin } from '../alerts/console-links';
import { CloudTrailRecord, principalName, readRecord } from '../events/cloudtrail-record';

type JudgedCall = DetectionOf<CloudTrailSignal, JudgedCallId>;

const JUDGED: readonly JudgedCall[] = [...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS];

function selected(event: unknown): { record: CloudTrailRecord; detection: JudgedCall } | undefined {
  const record = readRecord(event);
  if (typeof record === 'string') return undefined;
  const detection = JUDGED.find((d) => d.signal.eventSource === record.eventSource && d.signal.eventNames.includes(record.eventName));
  return detection ? { record, detection } : undefined;
}

function cloudTrailAlert(record: CloudTrailRecord, detection: JudgedCall, reasons: readonly string[]): Alert {
  const who = principalName(record.principalArn);
  const partition = /^arn:([^:]+):/.exec(record.principalArn)?.[1] ?? 'aws';
  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    headline: `${record.eventName}${record.errorCode ? ' attempted' : ''} by ${who} in ${record.region}`,
    what: `${detection.title}: ${reasons.join('; ')}.${record.errorCode ? `\nThe call failed (${record.errorCode}), which shows intent all the same.` : ''}`,
    who: [
      `Principal: ${record.principalArn} (${record.principalType})`,
      ...(record.sourceIp ? [`Source IP: ${record.sourceIp}`] : []),
      ...(record.userAgent ? [`User agent: ${record.userAgent}`] : []),
    ],
    where: `Account ${record.account}, region ${record.region}`,
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: detection.nextSteps,
    links: [
      { label: 'CloudTrail event', url: `${consoleOrigin(partition, record.region)}/cloudtrail/home?region=${encodeURIComponent(record.region)}#/events/${encodeURIComponent(record.eventId)}` },
      { label: 'Everything this principal did', url: cloudTrailEventsUrl(partition, record.region, 'Username', who.split('/').pop() ?? who) },
    ],
    refs: { eventId: record.eventId, eventName: record.eventName, eventTime: record.eventTime },
  };
}

/** Tamper and credential calls; the guard's context says which resources are its own and who deploys it. */
export const CLOUDTRAIL_READER: EventReader = {
  matches: (event) => selected(event) !== undefined,
  read: (event, context?: GuardContext) => {
    const found = selected(event);
    if (!found) throw new MalformedEventError('CloudTrail record no longer selected');
    const verdict = judgeCloudTrail(found.record, found.detection, context ?? EMPTY_GUARD_CONTEXT);
    return verdict.flagged ? cloudTrailAlert(found.record, found.detection, verdict.reasons) : undefined;
  },
};
