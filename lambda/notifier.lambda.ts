/**
 * Notifier handler: looks up what a judge needs (the document of an attached customer-managed policy), reads the event,
 * renders its alert, publishes it. Unreadable events become alerts too. A CloudTrail call alerts once per eventID,
 * whichever path (EventBridge, the trail's log group, a retry) brings it. Logs name the event (ids, names, detection,
 * reasons) and never hold it whole: its fields are the attacker's to write.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fromEnvironment, GuardContext, readGuardContext, SERVICE_NAMES } from '../lib/catalog';
import { alertMessage } from './aws/alerts/alert-message';
import { onceFor, OnceState } from './aws/alerts/once-per-event';
import { lookUpPolicies } from './aws/alerts/policy-lookup';
import { publishAlert } from './aws/alerts/publish-alert';
import { GuardMetrics } from './aws/metrics/guard-metrics';
import { unwrapRecord } from './core/events/cloudtrail-record';
import { stringAt } from './core/events/event-fields';
import { policiesToLookUp } from './core/notifier/admin-policy';
import { alertForEvent } from './core/notifier/alert-for-event';
import type { LookedUpFacts } from './core/notifier/event-reader';

const logger = new Logger({ serviceName: SERVICE_NAMES.notifier });
/** One `Detections` count per alert published, emitted at the end of each invocation. */
const metrics = new GuardMetrics(SERVICE_NAMES.notifier);

/** The longest value of an event a log line quotes. */
const LOGGED_LENGTH = 200;

/** A value from the event, cut short for a log line. */
function logged(value: string | undefined): string | undefined {
  return value !== undefined && value.length > LOGGED_LENGTH ? `${value.slice(0, LOGGED_LENGTH)}...` : value;
}

/** What names an event in the logs: its source, detail type and id, and for a CloudTrail call its name and eventID. */
function eventNames(event: unknown): Record<string, string | undefined> {
  const record = unwrapRecord(event);
  return {
    source: logged(stringAt(event, 'source')),
    detailType: logged(stringAt(event, 'detail-type')),
    id: logged(stringAt(event, 'id')),
    eventName: logged(stringAt(record, 'eventName')),
    eventId: logged(stringAt(record, 'eventID')),
  };
}

/** What the judges need looked up for this event; a lookup that fails is carried to the judge, which alerts on it. */
async function factsFor(event: unknown): Promise<LookedUpFacts> {
  const policies = policiesToLookUp(event);
  return policies.length === 0 ? {} : { policyDocuments: await lookUpPolicies(policies) };
}

/** Read once per container: which resources are the guard's own, and who deploys it. */
let context: GuardContext | undefined;

type Notified = { messageId?: string; detection?: string; duplicate?: true };

async function notify(event: unknown, lambdaContext?: Context): Promise<Notified> {
  const env = fromEnvironment('notifier', process.env);
  const topicArn = env.alertTopicArn;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set: the notifier has nowhere to publish');
  context ??= readGuardContext(env.guardContext);

  const read = alertForEvent(event, context, await factsFor(event));
  if (!read.recognised) logger.warn('Unrecognised event', { ...eventNames(event), reason: logged(read.reason) });
  const alert = read.alert;
  if (!alert) {
    logger.info('Judged harmless', eventNames(event));
    return {};
  }

  const message = alertMessage(alert);
  let messageId: string | undefined;
  const publish = async (once?: OnceState) => {
    // An idempotency table that cannot be reached never silences an alert: it goes out, saying it may come twice.
    const note = once?.reason ? `Duplicates were not suppressed: the idempotency table could not be reached (${once.reason}); this may be alerted again.` : undefined;
    messageId = await publishAlert(topicArn, note ? alertMessage({ ...alert, done: [...alert.done, note] }) : message);
    logger.info('Alert published', { messageId, detection: alert.detectionId, severity: alert.severity, subject: message.subject });
    metrics.detection(alert.detectionId, alert.severity);
  };
  if (read.onceKey === undefined) {
    await publish();
  } else if (!await onceFor(env.idempotencyTable, SERVICE_NAMES.notifier, read.onceKey, publish, lambdaContext)) {
    logger.info('Already alerted: this call arrived before, through another path or a retry', { eventId: read.onceKey, detection: alert.detectionId });
    return { detection: alert.detectionId, duplicate: true };
  }
  return { messageId, detection: alert.detectionId };
}

export const handler = async (event: unknown, lambdaContext?: Context): Promise<Notified> => {
  try {
    return await notify(event, lambdaContext);
  } finally {
    // Flushed whatever the outcome: an alert published before a later step failed was still sent.
    metrics.flush();
  }
};
