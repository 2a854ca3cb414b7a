/**
 * The CloudTrail records one evaluator invocation carries: an EventBridge event, a CloudWatch Logs subscription batch
 * (the trail's log group in this account), or a Kinesis batch of such deliveries (an organization trail's log group
 * in the management account, which may subscribe across accounts only through a stream).
 */
import { gunzipSync } from 'zlib';
import { unwrapRecord } from '../events/cloudtrail-record';
import { fieldAt, stringAt } from '../events/event-fields';

/** A piece of the invocation that could not be read, with why; the rest of the batch goes on. */
export interface UnreadableRecord {
  readonly value: unknown;
  readonly reason: string;
}

/** The Kinesis records of an invocation from a stream, or undefined for any other invocation. */
function kinesisRecords(event: unknown): unknown[] | undefined {
  const records = fieldAt(event, 'Records');
  if (!Array.isArray(records) || records.length === 0) return undefined;
  return records.every((r) => stringAt(r, 'eventSource') === 'aws:kinesis') ? records : undefined;
}

/**
 * Whether the invocation brings a trail's log group (a CloudWatch Logs subscription, directly or through a Kinesis
 * stream), not an EventBridge event.
 */
export function isLogsDelivery(event: unknown): boolean {
  return stringAt(event, 'awslogs.data') !== undefined || kinesisRecords(event) !== undefined;
}

/**
 * The records of an invocation. A CloudWatch Logs subscription delivers `{"awslogs": {"data": base64(gzip(...))}}`
 * whose log events each hold one CloudTrail record as JSON; through a Kinesis stream each record's `kinesis.data` is
 * the same gzipped payload, base64-encoded by Lambda; EventBridge delivers one event whose detail is the record.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CrossAccountSubscriptions-Kinesis.html
 */
export function invocationRecords(event: unknown, unreadable: (u: UnreadableRecord) => void): unknown[] {
  const stream = kinesisRecords(event);
  if (stream) {
    const records: unknown[] = [];
    for (const record of stream) {
      const data = stringAt(record, 'kinesis.data');
      if (data === undefined) {
        unreadable({ value: record, reason: 'Kinesis record without kinesis.data' });
        continue;
      }
      records.push(...logsPayloadRecords(record, data, unreadable));
    }
    return records;
  }
  const data = stringAt(event, 'awslogs.data');
  if (data === undefined) return [unwrapRecord(event)];
  return logsPayloadRecords(event, data, unreadable);
}

/** The CloudTrail records of one CloudWatch Logs subscription payload, `data` being base64(gzip(JSON)). */
function logsPayloadRecords(carrier: unknown, data: string, unreadable: (u: UnreadableRecord) => void): unknown[] {
  let payload: unknown;
  try {
    payload = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (error) {
    unreadable({ value: carrier, reason: `CloudWatch Logs payload is not gzipped JSON: ${(error as Error).message}` });
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
