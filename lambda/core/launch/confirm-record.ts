/**
 * Whether containment may act on a record: events EventBridge delivers from AWS services are unforgeable; any other
 * record (a line of the trail's log group, which anyone with `logs:PutLogEvents` can write) only once CloudTrail's own
 * copy of the event, asked for by its ID, says the same.
 */
import type { LaunchVerdict } from './evaluate-launch';
import { describeLaunch, isLaunchEventName } from './launch-request';
import type { ContainmentPlan } from './plan-containment';
import { isRegionName } from '../../../lib/catalog';
import { CloudTrailRecord, readRecord } from '../events/cloudtrail-record';
import { fieldAt, isObject, stringAt } from '../events/event-fields';

/** Whether an invocation is an EventBridge event from an AWS service: PutEvents refuses `aws.` sources, so no account writes one. */
export function isAwsServiceEvent(event: unknown): boolean {
  const source = stringAt(event, 'source');
  return source !== undefined && source.startsWith('aws.') && stringAt(event, 'detail-type') !== undefined && isObject(fieldAt(event, 'detail'));
}

/** What containment may do about a flagged record, before it does anything. */
export type Gate =
  /** Act: an unforgeable event, or a confirmed one. */
  | { readonly kind: 'contain' }
  /** Ask CloudTrail first: the record came some other way. */
  | { readonly kind: 'confirm' }
  /** Do nothing, and say why in the alert. */
  | { readonly kind: 'hold'; readonly done: readonly string[] };

/**
 * The gate before containment. A dry run and a plan with no step act on nothing, so they need no confirmation; a call
 * that only undoes is never contained, whatever the response.
 */
export function containmentGate(unforgeable: boolean, verdict: LaunchVerdict, plan: ContainmentPlan, dryRun: boolean): Gate {
  if (verdict.withheld) return { kind: 'hold', done: [`Not contained: ${verdict.withheld}, which is no ground for containment.`] };
  if (unforgeable || dryRun || plan.actions.length === 0) return { kind: 'contain' };
  return { kind: 'confirm' };
}

/** CloudTrail's answer to LookupEvents by event ID, or why there is none. */
export type LookupAnswer =
  | { readonly kind: 'found'; readonly eventName?: string; readonly eventSource?: string; readonly cloudTrailEvent?: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'failed'; readonly reason: string };

/** Whether CloudTrail confirmed the record; if not, why, and whether asking again may help. */
export type Confirmation =
  | { readonly confirmed: true }
  | { readonly confirmed: false; readonly reason: string; readonly retry: boolean };

/** CloudTrail's event IDs are GUIDs: anything else is not worth a call, and is not sent in one. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An attacker-written value as a reason quotes it: JSON, at most 40 characters of it. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** Why a record cannot even be looked up (its region or event ID is not one CloudTrail writes), or undefined. */
export function unaskable(record: CloudTrailRecord): string | undefined {
  if (!isRegionName(record.region)) return `the log line names no AWS region (${quoted(record.region)}), so CloudTrail cannot be asked; it may be forged`;
  if (!EVENT_ID.test(record.eventId)) return `the log line's eventID ${quoted(record.eventId)} is not a CloudTrail event ID; it may be forged`;
  return undefined;
}

/** The fields the judgement reads, read from a record: the same in CloudTrail's copy as in the log line, or it was forged. */
function judgedFields(record: CloudTrailRecord): Record<string, unknown> {
  return {
    eventID: record.eventId,
    eventTime: record.eventTime,
    eventSource: record.eventSource,
    eventName: record.eventName,
    awsRegion: record.region,
    recipientAccountId: record.account,
    errorCode: record.errorCode,
    userIdentity: record.principalArn,
    sessionIssuer: record.sessionIssuerArn,
    // What the call asks for and what it created: what containment would act on.
    ...(isLaunchEventName(record.eventName) ? { requestParameters: JSON.stringify(describeLaunch(record)) } : {}),
  };
}

/**
 * Compares a record with CloudTrail's copy of the event of the same ID. Confirmed only when every field the judgement
 * reads is the same: who, where, when, the call, its error, and what it asked for and created; the resources that
 * containment acts on among them.
 */
export function compareWithCloudTrail(record: CloudTrailRecord, answer: LookupAnswer): Confirmation {
  const where = record.region;
  if (answer.kind === 'failed') return { confirmed: false, reason: `CloudTrail could not be asked in ${where} (${answer.reason})`, retry: true };
  if (answer.kind === 'not-found') {
    return {
      confirmed: false,
      reason: `CloudTrail has no event with this ID in ${where}: the log line may be forged, or CloudTrail has not listed the event yet (it can take 15 minutes)`,
      retry: true,
    };
  }
  let copy: unknown;
  try {
    copy = JSON.parse(answer.cloudTrailEvent ?? '');
  } catch {
    return { confirmed: false, reason: `CloudTrail's event with this ID in ${where} came without a readable record`, retry: false };
  }
  const genuine = readRecord(copy);
  if (typeof genuine === 'string') return { confirmed: false, reason: `CloudTrail's event with this ID in ${where} is ${genuine}`, retry: false };
  const mine = judgedFields(record);
  const theirs = judgedFields(genuine);
  const differ = Object.keys({ ...mine, ...theirs }).filter((k) => mine[k] !== theirs[k]);
  if (answer.eventName !== record.eventName && !differ.includes('eventName')) differ.push('eventName');
  if (answer.eventSource !== record.eventSource && !differ.includes('eventSource')) differ.push('eventSource');
  if (differ.length > 0) {
    return { confirmed: false, reason: `CloudTrail's event with this ID in ${where} differs from the log line in ${differ.join(', ')}: the log line is forged`, retry: false };
  }
  return { confirmed: true };
}

/** The alert's line for a record that was not contained because it could not be confirmed. */
export function unconfirmedLine(reason: string): string {
  return `Not contained, unconfirmed: ${reason}. Check the event in the CloudTrail console and contain by hand if it is real.`;
}

/**
 * When to ask CloudTrail again about an event it has not listed: log lines arrive about five minutes after the call,
 * and LookupEvents lists events five to fifteen minutes after it, so asking again within the invocation often helps.
 */
export const LOOKUP_RETRY_DELAYS_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000];

/** How long to wait before asking again, or undefined when no further attempt fits before the deadline. */
export function nextLookupDelay(attempt: number, now: number, deadline: number): number | undefined {
  const delay = LOOKUP_RETRY_DELAYS_MS[attempt];
  return delay !== undefined && now + delay < deadline ? delay : undefined;
}
