import * as fc from 'fast-check';
import { jsonMessageOf, snsNotificationOf } from '../../../../lambda/core/events/sns-notification';
import { lambdaSnsEvent, snsEnvelope } from '../../../fixtures/documented-anomalies';
import { readJsonLines } from '../../../fixtures/real-events';

const [BUDGET_NOTIFICATION] = readJsonLines('cost/budgets_sns_notification.jsonl');
const [DOCS_ANOMALY] = readJsonLines('cost/cost_anomaly_sns_example_awsdocs.jsonl');

const READ = {
  subject: 'AWS Budgets: Test Budget has exceeded your alert threshold',
  message: BUDGET_NOTIFICATION.Message as string,
  topicArn: 'arn:aws:sns:ca-central-1:017790921725:test-sre-bot',
  messageId: '0da238f6-da6c-5214-96e1-635d27a9b79b',
  timestamp: '2022-09-26T19:20:37.147Z',
};

describe('snsNotificationOf', () => {
  test('reads the real Budgets notification as an HTTPS or SQS subscriber receives it', () => {
    expect(snsNotificationOf(BUDGET_NOTIFICATION)).toEqual(READ);
  });

  test('reads the same notification as a Lambda SNS trigger delivers it', () => {
    expect(snsNotificationOf(lambdaSnsEvent(BUDGET_NOTIFICATION))).toEqual(READ);
  });

  test('a notification without a subject has none', () => {
    expect(snsNotificationOf(snsEnvelope('{}'))).toEqual({
      subject: undefined,
      message: '{}',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:spend',
      messageId: '5d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      timestamp: '2026-11-25T03:12:45.000Z',
    });
  });

  test('an empty message is still a message', () => {
    expect(snsNotificationOf({ Type: 'Notification', Message: '' })?.message).toBe('');
  });

  test.each([
    ['a bare Cost Anomaly Detection message', DOCS_ANOMALY],
    ['a subscription confirmation', { ...BUDGET_NOTIFICATION, Type: 'SubscriptionConfirmation' }],
    ['an envelope without a message', { Type: 'Notification', Subject: 'x' }],
    ['a message that is not a string', { Type: 'Notification', Message: { a: 1 } }],
    ['a Lambda record from another source', { Records: [{ EventSource: 'aws:sqs', Sns: BUDGET_NOTIFICATION }] }],
    ['a Lambda SNS record whose Sns is not an object', { Records: [{ EventSource: 'aws:sns', Sns: 'x' }] }],
    ['an S3 log file', { Records: [{ eventName: 'StopLogging' }] }],
    ['null', null],
    ['a string', 'Notification'],
  ])('%s is no notification', (_name, event) => {
    expect(snsNotificationOf(event)).toBeUndefined();
  });

  test('any value, and any real envelope with a field replaced, is read or refused without throwing', () => {
    const mutated = fc.record({ field: fc.constantFrom('Type', 'Message', 'Subject', 'TopicArn', 'MessageId', 'Timestamp'), value: fc.jsonValue() })
      .map(({ field, value }) => ({ ...BUDGET_NOTIFICATION, [field]: value }));
    fc.assert(fc.property(fc.oneof(fc.anything(), mutated, mutated.map(lambdaSnsEvent)), (event) => {
      const notification = snsNotificationOf(event);
      if (notification) expect(typeof notification.message).toBe('string');
    }), { numRuns: 1000 });
  });
});

describe('jsonMessageOf', () => {
  test('parses the message of a Cost Anomaly Detection notification', () => {
    expect(jsonMessageOf(snsNotificationOf(snsEnvelope(JSON.stringify(DOCS_ANOMALY)))!)).toEqual(DOCS_ANOMALY);
  });

  test('is undefined for the prose of a Budgets notification', () => {
    expect(jsonMessageOf(READ)).toBeUndefined();
  });

  test('any message gives its JSON or undefined, never an error', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v))), (message) => {
      const parsed = jsonMessageOf({ message });
      let expected: unknown;
      try {
        expected = JSON.parse(message);
      } catch {
        expected = undefined;
      }
      expect(parsed).toEqual(expected);
    }), { numRuns: 1000 });
  });
});
