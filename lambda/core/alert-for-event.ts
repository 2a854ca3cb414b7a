/** Chooses how to read an event and returns its alert; never throws, whatever the event. */
import type { Alert } from './alert';
import { guardDutyAlert, isGuardDutyEvent, MalformedFindingError } from './guardduty-alert';
import { unrecognisedAlert } from './unrecognised-alert';

/** The outcome of reading one event: its alert, and whether it was understood. */
export interface ReadEvent {
  readonly alert: Alert;
  readonly recognised: boolean;
  /** Why the event was not understood. */
  readonly reason?: string;
}

/** The alert for any event that reaches the notifier. */
export function alertForEvent(event: unknown): ReadEvent {
  try {
    if (isGuardDutyEvent(event)) return { alert: guardDutyAlert(event), recognised: true };
  } catch (error) {
    if (!(error instanceof MalformedFindingError)) throw error;
    return { alert: unrecognisedAlert(event, error.message), recognised: false, reason: error.message };
  }
  const reason = 'no reader for this kind of event';
  return { alert: unrecognisedAlert(event, reason), recognised: false, reason };
}
