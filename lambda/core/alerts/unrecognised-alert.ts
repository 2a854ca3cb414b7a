/** The alert for an event the notifier cannot read: never dropped silently, shown with enough of it to investigate. */
import type { Alert } from './alert';
import { oneLine } from './alert-text';
import { detection } from '../../../lib/catalog';
import { stringAt } from '../events/event-fields';

/** How much of the raw event the alert quotes. */
const EXCERPT_LENGTH = 2000;

/** Some text for any value, or a note saying none could be made (a value nested too deep to walk). */
function textOf(write: () => string | undefined): string | undefined {
  try {
    return write();
  } catch {
    return undefined;
  }
}

/** A JSON excerpt of any value, including ones JSON cannot express (cycles, BigInt, undefined, nesting too deep to walk). */
export function excerptOf(event: unknown): string {
  const text = textOf(() => JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
    ?? textOf(() => String(event))
    ?? '(the event is nested too deeply to print)';
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}... (${text.length} characters in all)` : text;
}

/** The alert for an event that could not be understood, and why. */
export function unrecognisedAlert(event: unknown, reason: string): Alert {
  const source = stringAt(event, 'source');
  const detailType = stringAt(event, 'detail-type');
  const origin = [source, detailType].filter(Boolean).join(' / ');
  const unrecognised = detection('unrecognised-event');
  return {
    severity: unrecognised.severity,
    detectionId: unrecognised.id,
    title: unrecognised.title,
    headline: `Unrecognised event${origin ? ` from ${origin}` : ''}`,
    // The reason can quote the event, and the excerpt is the event: neither may start a line of its own.
    what: [`The notifier received an event it could not turn into an alert: ${oneLine(reason)}.`, '', 'Event excerpt:', oneLine(excerptOf(event))].join('\n'),
    who: ['Unknown: the event could not be read.'],
    where: [stringAt(event, 'account') && `Account ${stringAt(event, 'account')}`, stringAt(event, 'region') && `region ${stringAt(event, 'region')}`]
      .filter(Boolean).join(', ') || 'Unknown',
    why: unrecognised.rationale,
    done: ['Logged the event and notified this channel.'],
    next: unrecognised.nextSteps,
    links: [],
    refs: stringAt(event, 'id') ? { eventId: stringAt(event, 'id')! } : {},
  };
}
