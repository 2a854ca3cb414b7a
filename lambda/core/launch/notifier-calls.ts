/**
 * The calls the trail's log group brings the launch evaluator that the notifier judges (tamper, credential and abuse
 * calls, root activity), each wrapped in the event EventBridge itself delivers for it, so the notifier reads them as it
 * reads its rules' events.
 */
import { classifyCloudTrailEvent, eventBridgeDetailType, eventBridgeSource, judgedCallDetections, LAUNCH_DETECTIONS } from '../../../lib/catalog';
import type { CallSignal, DetectionOf, JudgedCallId } from '../../../lib/catalog';
import { fieldAt, isObject } from '../events/event-fields';

/** A CloudTrail call as EventBridge delivers it to a rule's target. */
export interface CloudTrailEvent {
  readonly 'version': '0';
  /** EventBridge's own id of the event; here the call's eventID, which is as unique. */
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account': string;
  readonly 'time': string;
  readonly 'region': string;
  readonly 'resources': readonly string[];
  /** The record, unchanged. */
  readonly 'detail': Record<string, unknown>;
}

/** A call for the notifier, ready to hand over, or why it cannot be: a field of the wrong type. */
export type NotifierCall =
  | { readonly event: CloudTrailEvent; readonly detection: DetectionOf<CallSignal, JudgedCallId> }
  | { readonly unreadable: string };

/** A string field of the record, or why not: absent and of the wrong type are told apart, for the log. */
function text(record: Record<string, unknown>, path: string): string | { readonly problem: string } {
  const v = fieldAt(record, path);
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined || v === '') return { problem: `no ${path}` };
  const kind = Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
  return { problem: `${path} is ${kind}, not a string` };
}

/**
 * The notifier's call in a record, or undefined when the record is not one (a launch, another call, not a record).
 * A launch is the launch evaluator's to judge, whoever made it: a root launch included. As EventBridge does, the event
 * keeps the call's own region and account: the notifier says where it happened.
 */
export function notifierCall(record: unknown): NotifierCall | undefined {
  if (!isObject(record) || typeof record.eventSource !== 'string' || typeof record.eventName !== 'string') return undefined;
  const first = classifyCloudTrailEvent(record.eventSource, record.eventName);
  if (first && (LAUNCH_DETECTIONS as readonly unknown[]).includes(first)) return undefined;
  const identityType = fieldAt(record, 'userIdentity.type');
  const [judged] = judgedCallDetections({
    eventSource: record.eventSource, eventName: record.eventName, identityType: typeof identityType === 'string' ? identityType : undefined,
  });
  if (!judged) return undefined;
  const id = text(record, 'eventID');
  const time = text(record, 'eventTime');
  const region = text(record, 'awsRegion');
  const recipient = text(record, 'recipientAccountId');
  // Records older than recipientAccountId name the account only in the caller's identity.
  const account = typeof recipient !== 'string' && recipient.problem.startsWith('no ') ? text(record, 'userIdentity.accountId') : recipient;
  const problems = [id, time, region, account].filter((f): f is { problem: string } => typeof f !== 'string').map((f) => f.problem);
  if (problems.length > 0) return { unreadable: `${record.eventName} record with ${problems.join(', ')}` };
  return {
    detection: judged,
    event: {
      'version': '0',
      'id': id as string,
      'detail-type': eventBridgeDetailType(record.eventSource),
      'source': eventBridgeSource(record.eventSource),
      'account': account as string,
      'time': time as string,
      'region': region as string,
      'resources': [],
      'detail': record,
    },
  };
}
