/** Chooses how to read an event and returns its alert; never throws, whatever the event. */
import { ALARM_READER } from './alarm-alert';
import { COST_ANOMALY_READER } from './anomaly-alert';
import { BUDGETS_READER } from './budget-alert';
import { CLOUDTRAIL_READER } from './cloudtrail-alert';
import { COMPLIANCE_READER } from './compliance-alert';
import { EventReader, LookedUpFacts, MalformedEventError } from './event-reader';
import { GUARDDUTY_READER } from './guardduty-alert';
import type { GuardContext } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { unrecognisedAlert } from '../alerts/unrecognised-alert';

/**
 * Every kind of event the notifier reads, asked in this order. Each reader claims only its own kind: GuardDuty's own
 * API calls (`DeleteDetector`) come from `aws.guardduty` too, and are tampering calls, not findings.
 */
const READERS: readonly EventReader[] = [CLOUDTRAIL_READER, GUARDDUTY_READER, BUDGETS_READER, COST_ANOMALY_READER, COMPLIANCE_READER, ALARM_READER];

/** The outcome of reading one event: its alert (none when judged harmless), and whether it was understood. */
export interface ReadEvent {
  readonly alert?: Alert;
  readonly recognised: boolean;
  /** Why the event was not understood. */
  readonly reason?: string;
  /** The id that names this event on every path that delivers it, when it has one: alert once per id. */
  readonly onceKey?: string;
}

/**
 * The alert for any event that reaches the notifier. `facts` holds what the notifier looked up for this event (a
 * customer-managed policy's document); the offline replay passes none.
 */
export function alertForEvent(event: unknown, context?: GuardContext, facts?: LookedUpFacts): ReadEvent {
  try {
    const reader = READERS.find((r) => r.matches(event));
    if (!reader) {
      const reason = 'no reader for this kind of event';
      return { alert: unrecognisedAlert(event, reason), recognised: false, reason };
    }
    const alert = reader.read(event, context, facts);
    const onceKey = alert ? reader.onceKey?.(event) : undefined;
    return onceKey ? { alert, recognised: true, onceKey } : { alert, recognised: true };
  } catch (error) {
    // A judge that trips over a field of a shape it did not expect must not lose the event: it alerts as unreadable.
    const reason = error instanceof MalformedEventError ? error.message : `it could not be judged (${error instanceof Error ? error.message : String(error)})`;
    return { alert: unrecognisedAlert(event, reason), recognised: false, reason };
  }
}
