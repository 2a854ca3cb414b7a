/** The contract of a reader: one kind of event in, one alert out. The notifier asks each reader in turn. */
import type { GuardContext } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';

/** A managed policy's document as the notifier read it before judging, or why it could not be read. */
export type PolicyLookup = { readonly document: unknown } | { readonly error: string };

/**
 * What the notifier's shell looked up in AWS before judging an event, so the judges stay pure. The offline replay looks
 * nothing up and passes none.
 */
export interface LookedUpFacts {
  /** Customer-managed policies' default-version documents, by policy ARN. */
  readonly policyDocuments?: ReadonlyMap<string, PolicyLookup>;
}

/** An event the reader recognised but could not read: it becomes an unrecognised-event alert with this reason. */
export class MalformedEventError extends Error {}

export interface EventReader {
  /** Whether this reader is the one for the event. Must not throw. */
  matches(event: unknown): boolean;
  /**
   * The alert for a matching event, or undefined when the reader judged it harmless (the guard's own deployment, a
   * login with MFA). Throws `MalformedEventError` when the event lacks what the alert needs. `facts` holds what the
   * notifier looked up for the event; the replay passes none.
   */
  read(event: unknown, context?: GuardContext, facts?: LookedUpFacts): Alert | undefined;
  /**
   * The id every delivery path gives the event, when it has one: a CloudTrail call's eventID, the same whether
   * EventBridge or the trail's log group brings it. The notifier alerts once per id. Findings, alarms and cost
   * events have none, and alert as they come.
   */
  onceKey?(event: unknown): string | undefined;
}
