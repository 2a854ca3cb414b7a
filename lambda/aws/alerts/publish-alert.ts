/** Publishes a rendered alert to the alert topic; the SNS client is created on first use, once per container. */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AlertMessage } from '../../core/alerts/render-alert';

let client: SNSClient | undefined;

async function sns(): Promise<{ client: SNSClient; PublishCommand: typeof import('@aws-sdk/client-sns').PublishCommand }> {
  const { SNSClient: Client, PublishCommand } = await import('@aws-sdk/client-sns');
  client ??= new Client({ retryMode: 'adaptive', maxAttempts: 5 });
  return { client, PublishCommand };
}

/** Publishes the alert and returns the SNS message id. Throws when SNS refuses it after the SDK's retries. */
export async function publishAlert(topicArn: string, message: AlertMessage): Promise<string | undefined> {
  const { client: snsClient, PublishCommand } = await sns();
  const out = await snsClient.send(new PublishCommand({
    TopicArn: topicArn,
    Subject: message.subject,
    MessageStructure: 'json',
    Message: message.message,
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: message.attributes.severity },
      detection: { DataType: 'String', StringValue: message.attributes.detection },
    },
  }));
  return out.MessageId;
}
