/** The alert for tamper and credential calls the launch evaluator could not hand to the notifier: unjudged, never lost. */
import type { NotifierCall } from './notifier-calls';
import { SEVERITIES } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { oneLine } from '../alerts/alert-text';
import { callSections } from '../alerts/call-sections';
import { principalName, readRecord } from '../events/cloudtrail-record';

/** A call that could not be handed over, and why. */
export interface FailedHandOff {
  readonly call: Extract<NotifierCall, { event: unknown }>;
  readonly reason: string;
}

/** How many calls the alert lists one by one; the rest are counted. */
export const LISTED_CALLS = 50;

/** One alert for every call of an invocation that did not reach the notifier, led by the most severe. */
export function handOffFailedAlert(failures: readonly FailedHandOff[]): Alert | undefined {
  if (failures.length === 0) return undefined;
  const rank = (f: FailedHandOff) => SEVERITIES.indexOf(f.call.detection.severity);
  const sorted = [...failures].sort((a, b) => rank(b) - rank(a));
  const lead = sorted[0];
  const record = readRecord(lead.call.event.detail);
  if (typeof record === 'string') throw new Error(`a handed-off call is always a readable record: ${record}`);
  const { who, where, links, refs } = callSections(record);
  const call = `${record.eventName} by ${principalName(record.principalArn)} in ${record.region}`;
  const lines = sorted.slice(0, LISTED_CALLS).map(({ call: c, reason }) => {
    const detail = c.event.detail;
    return `- ${String(detail.eventName)} (${c.detection.title}) in ${c.event.region}, eventID ${c.event.id}: ${reason}`;
  });
  const more = failures.length > LISTED_CALLS ? [`- and ${failures.length - LISTED_CALLS} more.`] : [];
  return {
    severity: lead.call.detection.severity,
    detectionId: lead.call.detection.id,
    title: lead.call.detection.title,
    // The region stays last, where every subject says where.
    headline: failures.length === 1 ? `Unjudged ${call}` : `${failures.length} unjudged calls, first ${call}`,
    what: `MiningGuard read ${failures.length === 1 ? 'this call' : `${failures.length} tamper and credential calls`} from the trail's log group `
      + `and could not hand ${failures.length === 1 ? 'it' : 'them'} to the notifier, which judges whether a call is the guard's own deployment or tampering. `
      + `It is alerted unjudged:\n${[...lines, ...more].map(oneLine).join('\n')}`,
    who,
    where: failures.length === 1 ? where : `${where}, and others listed above`,
    why: lead.call.detection.rationale,
    done: ['Logged the calls and notified this channel; nothing was judged or changed.'],
    next: [
      'Read each call in CloudTrail (eventID above) and judge it by hand: who made it, and was it planned?',
      'Check that the notifier function exists and that the launch evaluator may invoke it (lambda:InvokeFunction); its logs say why the hand-off failed.',
      ...lead.call.detection.nextSteps,
    ],
    links,
    refs,
  };
}
