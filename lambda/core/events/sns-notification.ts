/** Finds the SNS notification in an event: as Lambda's SNS trigger delivers it, or as the bare HTTP/JSON envelope. */
import { fieldAt, isObject, stringAt } from './event-fields';

/** The parts of an SNS notification the readers use. */
export interface SnsNotification {
  readonly subject?: string;
  readonly message: string;
  readonly topicArn?: string;
  readonly messageId?: string;
  readonly timestamp?: string;
}

/**
 * The notification inside `{"Records":[{"EventSource":"aws:sns","Sns":{...}}]}` (a Lambda SNS trigger, which
 * always delivers one record) or the envelope itself (`{"Type":"Notification",...}`, as HTTPS and SQS subscribers
 * receive it). Undefined for anything else.
 */
export function snsNotificationOf(event: unknown): SnsNotification | undefined {
  const record = fieldAt(event, 'Records.0');
  const envelope = isObject(record) && stringAt(record, 'EventSource') === 'aws:sns' ? fieldAt(record, 'Sns') : event;
  if (!isObject(envelope) || stringAt(envelope, 'Type') !== 'Notification') return undefined;
  const message = fieldAt(envelope, 'Message');
  if (typeof message !== 'string') return undefined;
  return {
    subject: stringAt(envelope, 'Subject'),
    message,
    topicArn: stringAt(envelope, 'TopicArn'),
    messageId: stringAt(envelope, 'MessageId'),
    timestamp: stringAt(envelope, 'Timestamp'),
  };
}

/** The message of a notification parsed as JSON, or undefined when it is not JSON. */
export function jsonMessageOf(notification: SnsNotification): unknown {
  try {
    return JSON.parse(notification.message) as unknown;
  } catch {
    return undefined;
  }
}
