import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { AlertMessage } from '../../../../lambda/core/alerts/render-alert';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:mining-guard-alerts';
const MESSAGE: AlertMessage = {
  subject: '[MiningGuard][CRITICAL] 8 x p4d.24xlarge launched in eu-west-1 by ci-bot (~$262/h)',
  message: JSON.stringify({ default: 'text', email: 'text', https: '{"version":"1.0"}' }),
  attributes: { severity: 'CRITICAL', detection: 'ec2-instance-launch' },
};

const load = () => freshModule(() => import('../../../../lambda/aws/alerts/publish-alert'));

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-west-1' }));
beforeEach(() => sns.reset());

describe('publishAlert', () => {
  test('publishes the rendered alert as per-protocol JSON, with filterable attributes, and returns the message id', async () => {
    // GIVEN
    sns.on(PublishCommand).resolves({ MessageId: 'b7a1c2d3-0000-4e5f-8a9b-0123456789ab' });
    const { publishAlert } = await load();

    // WHEN
    const messageId = await publishAlert(TOPIC, MESSAGE);

    // THEN
    expect(messageId).toBe('b7a1c2d3-0000-4e5f-8a9b-0123456789ab');
    const [call] = sns.commandCalls(PublishCommand);
    expect(call.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: MESSAGE.subject,
      MessageStructure: 'json',
      Message: MESSAGE.message,
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'CRITICAL' },
        detection: { DataType: 'String', StringValue: 'ec2-instance-launch' },
      },
    });
    expect(await regionOf(call)).toBe('eu-west-1');
  });

  test('creates one SNS client per container, with the SDK\'s adaptive retry', async () => {
    // GIVEN
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const { publishAlert } = await load();

    // WHEN
    await publishAlert(TOPIC, MESSAGE);
    await publishAlert(TOPIC, MESSAGE);

    // THEN
    const [first, second] = sns.commandCalls(PublishCommand);
    expect(second.thisValue).toBe(first.thisValue);
    const client = first.thisValue as SNSClient;
    expect(client.config.retryMode).toBe('adaptive');
    expect(await client.config.maxAttempts()).toBe(5);
  });

  test('throws when SNS refuses the alert, so the invocation fails and is retried', async () => {
    // GIVEN
    sns.on(PublishCommand).rejects(awsError('AuthorizationErrorException', `User is not authorized to perform: SNS:Publish on ${TOPIC}`, 403));
    const { publishAlert } = await load();

    // WHEN / THEN
    await expect(publishAlert(TOPIC, MESSAGE)).rejects.toMatchObject({ name: 'AuthorizationErrorException' });
  });

  test('throws when throttling outlasts the SDK\'s retries', async () => {
    // GIVEN
    sns.on(PublishCommand).rejects(awsError('Throttled', 'Rate exceeded'));
    const { publishAlert } = await load();

    // WHEN / THEN
    await expect(publishAlert(TOPIC, MESSAGE)).rejects.toThrow('Rate exceeded');
  });

  test('an answer without a message id is returned as undefined', async () => {
    // GIVEN
    sns.on(PublishCommand).resolves({});
    const { publishAlert } = await load();

    // WHEN / THEN
    expect(await publishAlert(TOPIC, MESSAGE)).toBeUndefined();
  });
});
