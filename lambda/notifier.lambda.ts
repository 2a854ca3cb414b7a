/** Notifier handler: reads the event, renders its alert, publishes it. Unreadable events become alerts too. */
import { Logger } from '@aws-lambda-powertools/logger';
import { fromEnvironment, GuardContext, readGuardContext, SERVICE_NAMES } from '../lib/catalog';
import { publishAlert } from './aws/alerts/publish-alert';
import { toAlertMessage } from './core/alerts/render-alert';
import { alertForEvent } from './core/notifier/alert-for-event';

const logger = new Logger({ serviceName: SERVICE_NAMES.notifier });

/** Read once per container: which resources are the guard's own, and who deploys it. */
let context: GuardContext | undefined;

export const handler = async (event: unknown): Promise<{ messageId?: string; detection?: string }> => {
  const env = fromEnvironment('notifier', process.env);
  const topicArn = env.alertTopicArn;
  if (!topicArn) throw new Error('ALERT_TOPIC_ARN is not set: the notifier has nowhere to publish');
  context ??= readGuardContext(env.guardContext);

  const read = alertForEvent(event, context);
  if (!read.recognised) logger.warn('Unrecognised event', { reason: read.reason, event });
  if (!read.alert) {
    logger.info('Judged harmless', { event });
    return {};
  }

  const message = toAlertMessage(read.alert);
  const messageId = await publishAlert(topicArn, message);
  logger.info('Alert published', { messageId, detection: read.alert.detectionId, severity: read.alert.severity, subject: message.subject });
  return { messageId, detection: read.alert.detectionId };
};
