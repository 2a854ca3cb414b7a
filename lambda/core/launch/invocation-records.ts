/** The CloudTrail records one evaluator invocation carries: an EventBridge event, or a CloudWatch Logs subscription batch. */
import { gunzipSync } from 'zlib';
import { unwrapRecord } from '../events/cloudtrail-record';
import { fieldAt, stringAt } from '../events/event-fields';

/** A piece of the invocation that could not be read, with why; the rest of the batch goes on. */
export interface UnreadableRecord {
  readonly value: unknown;
  readonly reason: string;
}

/** Whether the invocation is a CloudWatch Logs subscription delivery (the trail's log group), not an EventBridge event. */
export function isLogsDelivery(event: unknown): boolean {
  return stringAt(event, 'awslogs.data') !== undefined;
}

/**
 * The records of an invocation. A CloudWatch Logs subscription delivers `{"awslogs": {"data": base64(gzip(...))}}`
 * whose log events each hold one CloudTrail record as JSON; EventBridge delivers one event whose detail is the record.
 */
export function invocationRecords(event: unknown, unreadable: (u: UnreadableRecord) => void): unknown[] {
  const data = stringAt(event, 'awslogs.data');
  if (data === undefined) return [unwrapRecord(event)];
  let payload: unknown;
  try {
    payload = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (error) {
    unreadable({ value: event, reason: `CloudWatch Logs payload is not gzipped JSON: ${(error as Error).message}` });
    return [];
  }
  if (stringAt(payload, 'messageType') === 'CONTROL_MESSAGE') return [];
  const logEvents = fieldAt(payload, 'logEvents');
  if (!Array.isArray(logEvents)) {
    unreadable({ value: payload, reason: 'CloudWatch Logs payload without logEvents' });
    return [];
  }
  const records: unknown[] = [];
  for (const logEvent of logEvents) {
    try {
      records.push(JSON.parse(stringAt(logEvent, 'message') ?? ''));
    } catch (error) {
      unreadable({ value: logEvent, reason: `log event is not a JSON CloudTrail record: ${(error as Error).message}` });
    }
  }
  return records;
}
