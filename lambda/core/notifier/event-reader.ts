/** The contract of a reader: one kind of event in, one alert out. The notifier asks each reader in turn. */
import type { GuardContext } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';

/** An event the reader recognised but could not read: it becomes an unrecognised-event alert with this reason. */
export class MalformedEventError extends Error {}

export interface EventReader {
  /** Whether this reader is the one for the event. Must not throw. */
  matches(event: unknown): boolean;
  /**
   * The alert for a matching event, or undefined when the reader judged it harmless (the guard's own deployment, a
   * login with MFA). Throws `MalformedEventError` when the event lacks what the alert needs.
   */
  read(event: unknown, context?: GuardContext): Alert | undefined;
  /**
   * The id every delivery path gives the event, when it has one: a CloudTrail call's eventID, the same whether
   * EventBridge or the trail's log group brings it. The notifier alerts once per id. Findings, alarms and cost
   * events have none, and alert as they come.
   */
  onceKey?(event: unknown): string | undefined;
}
