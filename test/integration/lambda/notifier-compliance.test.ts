import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler } from '../../../lambda/notifier.lambda';
import { complianceChangeEvent } from '../../fixtures/compliance-change';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { motoClientConfig, receiveAll, subscribeQueueToTopic } from '../../harness/moto';

describe('the notifier, on a Config compliance change, against the emulated topic', () => {
  test('publishes one alert with the rule\'s detection, severity and subject', async () => {
    // GIVEN
    const sns = new SNSClient(motoClientConfig());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'compliance-alerts' }));
    sns.destroy();
    const inbox = await subscribeQueueToTopic(TopicArn!);
    emulatedHandlerEnvironment({ ALERT_TOPIC_ARN: TopicArn! });

    // WHEN
    await handler(complianceChangeEvent('MiningGuard-running-compute', { type: 'AWS::::Account', id: '123456789012' }, 'sa-east-1: 192 running vCPUs > 128'));

    // THEN
    const [alert] = await receiveAll(inbox.queueUrl, { expected: 1 });
    expect(alert.Subject).toBe('[MiningGuard][HIGH] Running compute above the account\'s ceiling: account in sa-east-1');
    expect(alert.MessageAttributes).toEqual({
      severity: { Type: 'String', Value: 'HIGH' },
      detection: { Type: 'String', Value: 'config-running-compute' },
    });
    expect(alert.Message).toContain('Config says: sa-east-1: 192 running vCPUs > 128');
  });
});
