/**
 * How a drill is told from the real thing: each alert it causes is labelled DRILL by the handler that renders it,
 * from a mark no attacker can put on a real event.
 */
import { DRILL_MARK } from '../alerts/subject';
import { fieldAt, stringAt } from '../events/event-fields';

/** The labels the alerts of each drill path start with (the first line of what happened). */
export const DRILL_LABELS = {
  guardDuty: 'DRILL (GuardDuty sample finding)',
  alarm: 'DRILL (alarm state set by mining-guard doctor --drill)',
  launch: 'DRILL (synthetic launch record from mining-guard doctor --drill, judged as a dry run)',
} as const;

/** A drill path: what the drill sends down it, and what label its alert carries. */
export type DrillPath = keyof typeof DRILL_LABELS;

/**
 * The start of a drill launch record's eventID. CloudTrail's event IDs are GUIDs, so no real event carries it, and
 * a record carrying it never shares a real event's once-only mark.
 */
export const DRILL_EVENT_ID_PREFIX = 'mining-guard-drill-';

/** The start of the reason the drill gives SetAlarmState. */
export const DRILL_ALARM_REASON_PREFIX = 'MiningGuard drill';

/** Whether a launch record is the drill's: its eventID starts with the drill prefix, which no CloudTrail ID does. */
export function isDrillRecord(eventId: unknown): boolean {
  return typeof eventId === 'string' && eventId.startsWith(DRILL_EVENT_ID_PREFIX);
}

/** Whether a GuardDuty finding is one of GuardDuty's sample findings (CreateSampleFindings sets `service.additionalInfo.sample`). */
export function isSampleFinding(finding: unknown): boolean {
  return fieldAt(finding, 'service.additionalInfo.sample') === true;
}

/** Whether an alarm state change was made by the drill: its reason starts with the drill's. */
export function isDrillAlarmReason(reason: unknown): boolean {
  return typeof reason === 'string' && reason.startsWith(DRILL_ALARM_REASON_PREFIX);
}

/** The first line of a drill's alert, saying it is one; undefined for any other alert. */
export function drillLine(path: DrillPath, isDrill: boolean): string | undefined {
  return isDrill ? `${DRILL_LABELS[path]}: caused by mining-guard doctor --drill. Nothing happened, and nothing is contained.` : undefined;
}

/**
 * A drill alert's headline, which its subject starts with: DRILL first, so that nobody takes it for the real thing
 * at a glance at the inbox; the rest reads exactly like the real alert it rehearses.
 */
export function drillHeadline(headline: string, isDrill: boolean): string {
  return isDrill ? `${DRILL_MARK}${headline}` : headline;
}

/**
 * The synthetic launch the drill hands the launch evaluator: a CloudTrail RunInstances record of GPU instances, as
 * CloudTrail writes it, whose eventID marks it as the drill's.
 */
export function drillLaunchRecord(id: string, account: string, region: string, now: Date): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROADRILLDRILLDRILLDRI:mining-guard-drill',
      arn: `arn:aws:sts::${account}:assumed-role/mining-guard-drill/mining-guard-drill`,
      accountId: account,
    },
    eventTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: region,
    sourceIPAddress: '192.0.2.1',
    userAgent: 'mining-guard doctor --drill',
    requestParameters: {
      instancesSet: { items: [{ imageId: 'ami-00000000000000000', minCount: 8, maxCount: 8 }] },
      instanceType: 'p3.16xlarge',
    },
    responseElements: null,
    eventID: `${DRILL_EVENT_ID_PREFIX}${id}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
  };
}

/** The drill path an alert delivered to the drill's queue (an SNS envelope) belongs to, from its label. */
export function drillPathOf(queueBody: unknown): DrillPath | undefined {
  let envelope: unknown;
  try {
    envelope = typeof queueBody === 'string' ? JSON.parse(queueBody) : undefined;
  } catch {
    return undefined;
  }
  const text = `${stringAt(envelope, 'Subject') ?? ''}\n${stringAt(envelope, 'Message') ?? ''}`;
  return (Object.keys(DRILL_LABELS) as DrillPath[]).find((path) => text.includes(DRILL_LABELS[path]));
}
