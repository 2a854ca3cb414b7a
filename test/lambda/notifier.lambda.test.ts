import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../lambda/notifier.lambda';
import { cloudTrailRecord, eventBridgeEvent } from '../fixtures/documented-cloudtrail';
import { documentedFinding, guardDutyEvent } from '../fixtures/documented-findings';
import { captureLogs } from '../harness/captured-logs';
import { captureMetrics } from '../harness/emitted-metrics';
import { mockedHandlerEnvironment } from '../harness/handler-environment';
import { inMemoryIdempotencyTable } from '../harness/idempotency-table';
import { uniqueName } from '../harness/moto';

// Failures the emulator cannot produce. The notifier must throw, so Lambda retries the event and finally sends it
// to the dead-letter queue, whose alarm tells a person.
const sns = mockClient(SNSClient);

beforeAll(mockedHandlerEnvironment);
beforeEach(() => sns.reset());

const event = guardDutyEvent(documentedFinding('CryptoCurrency:EC2/BitcoinTool.B!DNS'));

test('a publish refused for lack of permission fails the invocation, so the event is retried and dead-lettered', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('User is not authorized to perform SNS:Publish'), { name: 'AuthorizationErrorException' }));
  await expect(handler(event)).rejects.toThrow(/not authorized/);
});

test('throttling that outlasts the SDK\'s retries fails the invocation too', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
  await expect(handler(event)).rejects.toThrow(/Rate exceeded/);
});

test('publishes with the per-protocol JSON message and the filterable attributes', async () => {
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  await expect(handler(event)).resolves.toEqual({ messageId: 'm-1', detection: 'guardduty-cryptocurrency' });
  expect(sns).toHaveReceivedCommandWith(PublishCommand, {
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
    MessageStructure: 'json',
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: 'HIGH' },
      detection: { DataType: 'String', StringValue: 'guardduty-cryptocurrency' },
    },
  });
});

test('without a topic to publish to, the notifier fails loudly instead of dropping the alert', async () => {
  const topic = process.env.ALERT_TOPIC_ARN;
  delete process.env.ALERT_TOPIC_ARN;
  try {
    await expect(handler(event)).rejects.toThrow(/ALERT_TOPIC_ARN is not set/);
  } finally {
    process.env.ALERT_TOPIC_ARN = topic;
  }
});

describe('one alert per CloudTrail call, whichever path brings it', () => {
  const dynamo = mockClient(DynamoDBClient);
  /** The invocation's context, as Lambda passes it: an in-progress record expires with the invocation. */
  const CONTEXT = { getRemainingTimeInMillis: () => 30_000 } as Context;
  let records: ReturnType<typeof inMemoryIdempotencyTable>;

  beforeEach(() => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    dynamo.reset();
    records = inMemoryIdempotencyTable(dynamo);
    // A table of its own per test: the handler keeps one idempotency store per table for the container's life.
    process.env.IDEMPOTENCY_TABLE = uniqueName('idempotency');
  });
  afterEach(() => {
    delete process.env.IDEMPOTENCY_TABLE;
    jest.restoreAllMocks();
  });

  /**
   * StopLogging made in ap-southeast-1, as the home bus receives it from there, and again in an event of its own, as
   * the launch evaluator hands it on from the trail's log group: the same record, another EventBridge id.
   */
  const stopLogging = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail' }, null, { region: 'ap-southeast-1', eventId: 'stop-1' });
  const forwarded = eventBridgeEvent(stopLogging);
  const handedOn = eventBridgeEvent(stopLogging);

  test('forwarded from ap-southeast-1, then handed on from the trail\'s log group: one alert, naming ap-southeast-1; the duplicate is logged', async () => {
    const info = jest.spyOn(Logger.prototype, 'info');

    const first = await handler(forwarded, CONTEXT);
    const again = await handler(handedOn, CONTEXT);

    expect(first).toEqual({ messageId: 'm-1', detection: 'cloudtrail-tampering' });
    expect(again).toEqual({ detection: 'cloudtrail-tampering', duplicate: true });
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    expect(publishes[0].args[0].input.Subject).toBe('[MiningGuard][CRITICAL] StopLogging by user/ci-bot in ap-southeast-1');
    const text = JSON.parse(publishes[0].args[0].input.Message!).default as string;
    expect(text).toContain('https://ap-southeast-1.console.aws.amazon.com/cloudtrail/home?region=ap-southeast-1#/events/stop-1');
    expect(info).toHaveBeenCalledWith('Already alerted: this call arrived before, through another path or a retry', { eventId: 'stop-1', detection: 'cloudtrail-tampering' });
    // Under the notifier's own key, apart from the launch evaluator's.
    expect([...records.keys()].every((k) => k.startsWith('mining-guard-notifier#'))).toBe(true);
  });

  test('the log group first, EventBridge later: still one alert', async () => {
    await handler(handedOn, CONTEXT);
    await handler(forwarded, CONTEXT);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  test('an alert that could not be published is not remembered: the retry alerts', async () => {
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).resolves({ MessageId: 'm-2' });
    await expect(handler(forwarded, CONTEXT)).rejects.toThrow(/Rate exceeded/);
    await expect(handler(forwarded, CONTEXT)).resolves.toEqual({ messageId: 'm-2', detection: 'cloudtrail-tampering' });
  });

  test('a call judged harmless is not alerted, so nothing is remembered of it', async () => {
    // An access key the caller creates for itself.
    const harmless = cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'ci-bot' }, null, { eventId: 'key-1' });
    await expect(handler(eventBridgeEvent(harmless), CONTEXT)).resolves.toEqual({});
    expect(records.size).toBe(0);
  });

  test('findings are not deduplicated this way: each delivery alerts', async () => {
    const finding = guardDutyEvent(documentedFinding('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, 'ap-southeast-1'));
    await handler(finding, CONTEXT);
    await handler(finding, CONTEXT);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(dynamo.calls()).toHaveLength(0);
  });

  test('an idempotency table that cannot be reached never silences the alert: it goes out, saying duplicates were not suppressed', async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    await expect(handler(forwarded, CONTEXT)).resolves.toEqual({ messageId: 'm-1', detection: 'cloudtrail-tampering' });
    const text = JSON.parse(sns.commandCalls(PublishCommand)[0].args[0].input.Message!).default as string;
    expect(text).toContain('Duplicates were not suppressed: the idempotency table could not be reached (ResourceNotFoundException: Requested resource not found)');
  });

  test('without a table, every delivery alerts', async () => {
    delete process.env.IDEMPOTENCY_TABLE;
    await handler(forwarded, CONTEXT);
    await handler(handedOn, CONTEXT);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('quiet logs: names, ids and reasons, never the event', () => {
  const SECRET = 'AKIASECRETLOOKING0001/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  let lines: unknown[][];

  beforeEach(() => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    lines = captureLogs();
  });
  afterEach(() => jest.restoreAllMocks());

  const logged = () => JSON.stringify(lines);

  test('an unrecognised event is logged by its source, detail type, id and the reason, without its content', async () => {
    const unknown = { 'source': 'aws.example', 'detail-type': 'Something New', 'id': 'evt-1', 'detail': { token: SECRET } };
    await handler(unknown);
    expect(logged()).not.toContain(SECRET);
    expect(lines).toContainEqual(['warn', 'Unrecognised event', expect.objectContaining({ source: 'aws.example', detailType: 'Something New', id: 'evt-1', reason: 'no reader for this kind of event' })]);
  });

  test('a call judged harmless is logged by its name and eventID only', async () => {
    const record = { ...cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'ci-bot' }, { accessKey: { secretAccessKey: SECRET } }, { eventId: 'key-1' }), userAgent: SECRET };
    await expect(handler(eventBridgeEvent(record))).resolves.toEqual({});
    expect(logged()).not.toContain(SECRET);
    expect(lines).toContainEqual(['info', 'Judged harmless', expect.objectContaining({ eventName: 'CreateAccessKey', eventId: 'key-1', source: 'aws.iam' })]);
  });

  test('a published alert is logged by its detection, severity and message id', async () => {
    const record = cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: 'org-trail', note: SECRET }, null, { eventId: 'stop-9' });
    await handler(eventBridgeEvent(record));
    expect(logged()).not.toContain(SECRET);
    expect(lines).toContainEqual(['info', 'Alert published', expect.objectContaining({ messageId: 'm-1', detection: 'cloudtrail-tampering', severity: 'CRITICAL' })]);
  });

  test('values of the event are cut short in the logs', async () => {
    await handler({ 'source': `aws.${'x'.repeat(5000)}`, 'detail-type': 'y'.repeat(5000), 'id': 'evt-2' });
    const warning = lines.find((l) => l[1] === 'Unrecognised event')![2] as Record<string, string>;
    expect(warning.source.length).toBeLessThanOrEqual(203);
    expect(warning.detailType.length).toBeLessThanOrEqual(203);
  });
});

describe('a customer-managed policy attached is judged by its document, read before judging', () => {
  const iam = mockClient(IAMClient);
  const POLICY = 'arn:aws:iam::123456789012:policy/ops-everything';
  const attach = eventBridgeEvent(cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'backdoor', policyArn: POLICY }));

  beforeEach(() => {
    iam.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  test('a policy that grants everything alerts', async () => {
    iam.on(GetPolicyCommand, { PolicyArn: POLICY }).resolves({ Policy: { DefaultVersionId: 'v2' } });
    iam.on(GetPolicyVersionCommand, { PolicyArn: POLICY, VersionId: 'v2' })
      .resolves({ PolicyVersion: { Document: encodeURIComponent('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}') } });
    await expect(handler(attach)).resolves.toEqual({ messageId: 'm-1', detection: 'admin-policy-attached' });
  });

  test('a policy that grants less is no alert', async () => {
    iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent('{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}') } });
    await expect(handler(eventBridgeEvent(cloudTrailRecord('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'u', policyArn: 'arn:aws:iam::123456789012:policy/read-reports' })))).resolves.toEqual({});
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('a policy that cannot be read alerts, saying why, never passes silently', async () => {
    iam.on(GetPolicyCommand).rejects(Object.assign(new Error('User is not authorized to perform: iam:GetPolicy'), { name: 'AccessDenied' }));
    await expect(handler(attach)).resolves.toEqual({ messageId: 'm-1', detection: 'admin-policy-attached' });
    const text = JSON.parse(sns.commandCalls(PublishCommand)[0].args[0].input.Message!).default as string;
    expect(text).toContain(`could not read policy ${POLICY}: AccessDenied: User is not authorized to perform: iam:GetPolicy`);
  });
});

describe('the Detections metric', () => {
  let capture: ReturnType<typeof captureMetrics>;
  beforeEach(() => {
    capture = captureMetrics();
  });
  afterEach(() => capture.stop());

  test('counts each alert published by its detection and severity, under the notifier\'s service', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await handler(event);
    await handler(event);
    expect(capture.emitted()).toEqual([1, 2].map(() => ({
      namespace: 'MiningGuard',
      name: 'Detections',
      value: 1,
      dimensions: { service: 'mining-guard-notifier', detection: 'guardduty-cryptocurrency', severity: 'HIGH' },
    })));
  });

  test('counts an unrecognised event alerted too', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await handler({ source: 'forged', detail: 42 });
    expect(capture.emitted()).toEqual([expect.objectContaining({ name: 'Detections', dimensions: expect.objectContaining({ detection: 'unrecognised-event' }) })]);
  });

  test('counts nothing for an alert SNS refused', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('User is not authorized to perform SNS:Publish'), { name: 'AuthorizationErrorException' }));
    await expect(handler(event)).rejects.toThrow(/not authorized/);
    expect(capture.emitted()).toEqual([]);
  });
});

test('links the guard\'s dashboard in every alert it publishes', async () => {
  const url = 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/MiningGuard-Guard-eu-west-1';
  process.env.DASHBOARD_URL = url;
  try {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await handler(event);
    const message = JSON.parse(sns.commandCalls(PublishCommand)[0].args[0].input.Message!) as { default: string; email: string; https: string };
    expect(message.email).toContain(`MiningGuard dashboard: ${url}`);
    expect(message.https).toContain(`<${url}|MiningGuard dashboard>`);
  } finally {
    delete process.env.DASHBOARD_URL;
  }
});
