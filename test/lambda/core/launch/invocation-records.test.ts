import { gzipSync } from 'zlib';
import * as fc from 'fast-check';
import { unwrapRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { invocationRecords, isLogsDelivery, UnreadableRecord } from '../../../../lambda/core/launch/invocation-records';
import { eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const RECORDS = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');

/**
 * A CloudWatch Logs subscription delivery as Lambda receives it: the payload gzipped and base64-encoded.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#LambdaFunctionExample
 */
function delivery(payload: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

/**
 * A Kinesis batch as Lambda receives it from the stream an organization trail's log group is subscribed to: each
 * record's data is one CloudWatch Logs payload, gzipped, base64-encoded by Lambda.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
function kinesisBatch(...payloads: unknown[]): { Records: unknown[] } {
  return {
    Records: payloads.map((payload, i) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'a1b2c3',
        sequenceNumber: `4959033544444254960587462418710000000000000000000${i}`,
        data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64'),
        approximateArrivalTimestamp: 1722517464.123,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:4959033544444254960587462418710000000000000000000${i}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::111122223333:role/MiningGuard-LaunchEvaluatorRole',
      awsRegion: 'eu-west-1',
      eventSourceARN: 'arn:aws:kinesis:eu-west-1:999988887777:stream/mining-guard-organization-trail',
    })),
  };
}

function dataMessage(messages: string[]): Record<string, unknown> {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '143434273843',
    logGroup: 'aws-cloudtrail-logs-143434273843',
    logStream: '143434273843_CloudTrail_us-east-1',
    subscriptionFilters: ['EveryRegion'],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1722517463000, message })),
  };
}

function records(event: unknown): { records: unknown[]; unreadable: UnreadableRecord[] } {
  const unreadable: UnreadableRecord[] = [];
  return { records: invocationRecords(event, (u) => unreadable.push(u)), unreadable };
}

describe('invocationRecords', () => {
  test('an EventBridge event carries one record: its detail', () => {
    expect(records(eventBridgeEvent(RECORDS[0]))).toEqual({ records: [RECORDS[0]], unreadable: [] });
  });

  test('a CloudWatch Logs delivery carries one record a log event, in order', () => {
    const delivered = delivery(dataMessage(RECORDS.slice(0, 5).map((r) => JSON.stringify(r))));
    expect(records(delivered)).toEqual({ records: RECORDS.slice(0, 5), unreadable: [] });
  });

  test('a Kinesis batch from another account\'s log group carries every record of every delivery, in order', () => {
    const message = (from: number, to: number) => dataMessage(RECORDS.slice(from, to).map((r) => JSON.stringify(r)));
    const batch = kinesisBatch(message(0, 3), message(3, 5));
    expect(records(batch)).toEqual({ records: RECORDS.slice(0, 5), unreadable: [] });
  });

  test('in a Kinesis batch, a record that is not a delivery is reported and the rest go on', () => {
    // GIVEN a batch whose middle record holds no gzip, and one without data at all
    const batch = kinesisBatch(dataMessage([JSON.stringify(RECORDS[0])]), 'not a delivery', dataMessage([JSON.stringify(RECORDS[1])]));
    const broken = batch.Records[1] as { kinesis: { data: string } };
    broken.kinesis.data = Buffer.from('plain text').toString('base64');
    const withoutData = { ...(batch.Records[0] as object), kinesis: {} };
    // WHEN
    const { records: read, unreadable } = records({ Records: [...batch.Records, withoutData] });
    // THEN
    expect(read).toEqual([RECORDS[0], RECORDS[1]]);
    expect(unreadable.map((u) => u.reason)).toEqual([
      expect.stringMatching(/^CloudWatch Logs payload is not gzipped JSON: /),
      'Kinesis record without kinesis.data',
    ]);
    expect(unreadable[0].value).toBe(broken);
  });

  test('a batch of records from other sources is not taken for a stream\'s', () => {
    const mixed = { Records: [{ eventSource: 'aws:sqs', body: '{}' }, ...kinesisBatch(dataMessage([])).Records] };
    expect(records(mixed).records).toEqual([unwrapRecord(mixed)]);
    expect(isLogsDelivery(mixed)).toBe(false);
    expect(isLogsDelivery(kinesisBatch(dataMessage([])))).toBe(true);
  });

  test('a log event that is not JSON is reported with why, and the rest of the batch goes on', () => {
    // GIVEN a batch whose second log event was cut
    const message = dataMessage([JSON.stringify(RECORDS[0]), '{"eventName": "RunInst', JSON.stringify(RECORDS[1])]);
    // WHEN
    const { records: read, unreadable } = records(delivery(message));
    // THEN
    expect(read).toEqual([RECORDS[0], RECORDS[1]]);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0].value).toEqual((message.logEvents as unknown[])[1]);
    expect(unreadable[0].reason).toMatch(/^log event is not a JSON CloudTrail record: /);
  });

  test('a log event without a message is reported', () => {
    const payload = { ...dataMessage([]), logEvents: [{ id: '0', timestamp: 0 }] };
    const { records: read, unreadable } = records(delivery(payload));
    expect(read).toEqual([]);
    expect(unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/^log event is not a JSON CloudTrail record: /)]);
  });

  test('the control message CloudWatch Logs sends to check the destination holds no record and nothing unreadable', () => {
    const control = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [{ id: '', timestamp: 1722517463000, message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.' }],
    };
    expect(records(delivery(control))).toEqual({ records: [], unreadable: [] });
  });

  test('a payload that is not gzipped JSON is reported as a whole', () => {
    const event = { awslogs: { data: Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64') } };
    const { records: read, unreadable } = records(event);
    expect(read).toEqual([]);
    expect(unreadable).toEqual([{ value: event, reason: expect.stringMatching(/^CloudWatch Logs payload is not gzipped JSON: /) }]);
  });

  test('a payload without log events is reported', () => {
    const payload = { messageType: 'DATA_MESSAGE', logEvents: 'none' };
    expect(records(delivery(payload)))
      .toEqual({ records: [], unreadable: [{ value: payload, reason: 'CloudWatch Logs payload without logEvents' }] });
  });

  test('any invocation, including hostile deliveries, gives a list and never throws', () => {
    const payloads = fc.oneof(
      fc.jsonValue(),
      fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom(...RECORDS).map((r) => JSON.stringify(r))), { maxLength: 10 })
        .map(dataMessage),
      fc.record({ messageType: fc.jsonValue(), logEvents: fc.array(fc.record({ message: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 5 }) }),
    );
    const events = fc.oneof(
      fc.anything(),
      payloads.map(delivery),
      fc.string({ unit: 'binary', maxLength: 200 }).map((data) => ({ awslogs: { data } })),
      fc.uint8Array({ maxLength: 200 }).map((b) => ({ awslogs: { data: Buffer.from(b).toString('base64') } })),
      fc.array(payloads, { minLength: 1, maxLength: 3 }).map((p) => kinesisBatch(...p)),
      fc.array(fc.record({ eventSource: fc.constant('aws:kinesis'), kinesis: fc.record({ data: fc.jsonValue() }, { requiredKeys: [] }) }), { maxLength: 3 })
        .map((r) => ({ Records: r })),
    );
    fc.assert(fc.property(events, (event) => {
      const { records: read, unreadable } = records(event);
      expect(Array.isArray(read)).toBe(true);
      for (const u of unreadable) expect(typeof u.reason).toBe('string');
    }), { numRuns: 300 });
  });
});
