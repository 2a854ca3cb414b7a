/**
 * Confirms a record that did not come from EventBridge with CloudTrail's own copy of the event (LookupEvents by event
 * ID, in the region the record names), asking again while CloudTrail has not listed it and the invocation has time.
 */
import type { CloudTrailRecord } from '../../core/events/cloudtrail-record';
import { compareWithCloudTrail, Confirmation, containmentGate, LookupAnswer, nextLookupDelay, unaskable, unconfirmedLine } from '../../core/launch/confirm-record';
import type { LaunchVerdict } from '../../core/launch/evaluate-launch';
import type { ContainmentPlan } from '../../core/launch/plan-containment';
import { errorText } from '../clients/error-text';
import { eventClient } from '../clients/regional-client';

/** LookupEvents allows two calls a second per account and region: this container keeps to that pace. */
const LOOKUP_INTERVAL_MS = 500;
const nextCallAt = new Map<string, number>();

/** Time and waiting, replaceable so that tests need not wait. */
export interface Clock {
  readonly now: () => number;
  readonly wait: (ms: number) => Promise<void>;
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** CloudTrail's event of this ID in this region (of the event's account), or why there is none. Throttling beyond the SDK's retries is a failure. */
export async function lookUpEvent(region: string, eventId: string, clock: Clock = REAL_CLOCK): Promise<LookupAnswer> {
  const at = Math.max(clock.now(), nextCallAt.get(region) ?? 0);
  nextCallAt.set(region, at + LOOKUP_INTERVAL_MS);
  if (at > clock.now()) await clock.wait(at - clock.now());
  try {
    // The config evaluator's named exports of the client: the bundle leaves the rest of it out.
    const sdk = await import('../config/sdk/cloudtrail-client');
    const client = eventClient('cloudtrail', region, (c) => new sdk.CloudTrailClient(c));
    const out = await client.send(new sdk.LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: eventId }], MaxResults: 1 }));
    const event = out.Events?.find((e) => e.EventId === eventId);
    return event
      ? { kind: 'found', eventName: event.EventName, eventSource: event.EventSource, cloudTrailEvent: event.CloudTrailEvent }
      : { kind: 'not-found' };
  } catch (error) {
    return { kind: 'failed', reason: errorText(error) };
  }
}

/**
 * Asks CloudTrail about the record until it confirms or refutes it, or until `deadline` (epoch milliseconds) leaves no
 * time to ask again. An event not listed yet, or a failed call, is asked about again after 5, 10, 20 and 40 seconds.
 */
export async function confirmWithCloudTrail(record: CloudTrailRecord, deadline: number, clock: Clock = REAL_CLOCK): Promise<Confirmation> {
  const refused = unaskable(record);
  if (refused) return { confirmed: false, reason: refused, retry: false };
  const started = clock.now();
  for (let attempt = 0; ; attempt++) {
    const confirmation = compareWithCloudTrail(record, await lookUpEvent(record.region, record.eventId, clock));
    if (confirmation.confirmed || !confirmation.retry) return confirmation;
    const delay = nextLookupDelay(attempt, clock.now(), deadline);
    if (delay === undefined) {
      const seconds = Math.round((clock.now() - started) / 1000);
      return { ...confirmation, reason: `${confirmation.reason}; asked ${attempt + 1} time${attempt === 0 ? '' : 's'} over ${seconds} s` };
    }
    await clock.wait(delay);
  }
}

/** Whether containment may act; when not, the alert's lines that say why, and whether the record went unconfirmed. */
export type Permission =
  | { readonly contain: true }
  | { readonly contain: false; readonly done: readonly string[]; readonly unconfirmed: boolean };

/** What the invocation keeps, after confirming, for containment and the alert. */
const RESERVED_MS = 45_000;

/**
 * The step before containment: an unforgeable event, a dry run or an empty plan may go on; a call that only undoes
 * may not; any other record is confirmed with CloudTrail first, for as long as `remainingMs` of the invocation allows.
 */
export async function permitContainment(
  judged: { readonly record: CloudTrailRecord; readonly verdict: LaunchVerdict; readonly plan: ContainmentPlan },
  options: { readonly unforgeable: boolean; readonly dryRun: boolean; readonly remainingMs?: number },
  clock: Clock = REAL_CLOCK,
): Promise<Permission> {
  const gate = containmentGate(options.unforgeable, judged.verdict, judged.plan, options.dryRun);
  if (gate.kind === 'contain') return { contain: true };
  if (gate.kind === 'hold') return { contain: false, done: gate.done, unconfirmed: false };
  // In a long batch, the records left when time runs short are not asked about: containment and alerts need it.
  if (options.remainingMs !== undefined && options.remainingMs < RESERVED_MS) {
    return { contain: false, done: [unconfirmedLine('the invocation had no time left to ask CloudTrail about this event')], unconfirmed: true };
  }
  const deadline = clock.now() + Math.max(0, (options.remainingMs ?? 0) - RESERVED_MS);
  const confirmation = await confirmWithCloudTrail(judged.record, deadline, clock);
  return confirmation.confirmed ? { contain: true } : { contain: false, done: [unconfirmedLine(confirmation.reason)], unconfirmed: true };
}

/**
 * Thrown by the work that alerted an unconfirmed record, after alerting it, so that the event's once-only mark is
 * given back: the real event, if it comes later through EventBridge, is then still contained.
 */
export class Unconfirmed extends Error {
  public readonly name = 'Unconfirmed';
}
