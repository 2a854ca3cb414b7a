import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../lambda/notifier.lambda';
import { documentedFinding, guardDutyEvent } from '../fixtures/documented-findings';
import { mockedHandlerEnvironment } from '../harness/handler-environment';

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
