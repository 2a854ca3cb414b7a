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
}
