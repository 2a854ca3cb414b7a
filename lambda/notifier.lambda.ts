/**
 * Notifier handler: reads the event, renders its alert, publishes it. Unreadable events become alerts too. A
 * CloudTrail call alerts once per eventID, whichever path (EventBridge, the trail's log group, a retry) brings it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fromEnvironment, GuardContext, readGuardContext, SERVICE_NAMES } from '../lib/catalog';
import { onceFor, OnceState } from './aws/alerts/once-per-event';
import { publishAlert } from './aws/alerts/publish-alert';
import { toAlertMessage } from './core/alerts/render-alert';
import { alertForEvent } from './core/notifier/alert-for-event';

const logger = new Logger({ serviceName: SERVICE_NAMES.notifier });

/** Read once per container: which resources are the guard's own, and who deploys it. */
let context: GuardContext | undefined;

export const handler = async (event: unknown, lambdaContext?: Context): Promise<{ messageId?: string; detection?: string; duplicate?: true }> => {
  const env = fromEnvironment('notifier', process.env);
  const topicArn = env.alertTopicArn;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set: the notifier has nowhere to publish');
  context ??= readGuardContext(env.guardContext);

  const read = alertForEvent(event, context);
  if (!read.recognised) logger.warn('Unrecognised event', { reason: read.reason, event });
  const alert = read.alert;
  if (!alert) {
    logger.info('Judged harmless', { event });
    return {};
  }

  const message = toAlertMessage(alert);
  let messageId: string | undefined;
  const publish = async (once?: OnceState) => {
    // An idempotency table that cannot be reached never silences an alert: it goes out, saying it may come twice.
    const note = once?.reason ? `Duplicates were not suppressed: the idempotency table could not be reached (${once.reason}); this may be alerted again.` : undefined;
    messageId = await publishAlert(topicArn, note ? toAlertMessage({ ...alert, done: [...alert.done, note] }) : message);
    logger.info('Alert published', { messageId, detection: alert.detectionId, severity: alert.severity, subject: message.subject });
  };
  if (read.onceKey === undefined) {
    await publish();
  } else if (!await onceFor(env.idempotencyTable, SERVICE_NAMES.notifier, read.onceKey, publish, lambdaContext)) {
    logger.info('Already alerted: this call arrived before, through another path or a retry', { eventId: read.onceKey, detection: alert.detectionId });
    return { detection: alert.detectionId, duplicate: true };
  }
  return { messageId, detection: alert.detectionId };
};
