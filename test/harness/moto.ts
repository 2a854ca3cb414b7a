/** Connects AWS SDK v3 clients to the local moto server and reads back what the code under test publishes to SNS. */
import { randomBytes } from 'crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** The account moto serves by default; ARNs built by the code under test contain it. */
export const MOTO_ACCOUNT = '123456789012';
export const MOTO_REGION = 'us-east-1';

export interface MotoClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** S3 needs path-style addressing: a loopback IP has no virtual-host bucket subdomains. Other clients ignore it. */
  readonly forcePathStyle: true;
  /**
   * moto never throttles, so a retry only repeats a request moto crashed on: the repeat then fails
   * differently (a half-created stack "already exists") or succeeds on half-applied state, hiding the real error.
   */
  readonly maxAttempts: 1;
}

export function motoEndpoint(): string {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) {
    throw new Error('MOTO_ENDPOINT is not set: the jest global setup (test/harness/global-setup.ts) starts moto_server and sets it; run the tests through jest, or start `moto_server -H 127.0.0.1 -p PORT` and export MOTO_ENDPOINT=http://127.0.0.1:PORT');
  }
  return endpoint;
}

/** Configuration for any SDK v3 client, e.g. `new S3Client(motoClientConfig())`. */
export function motoClientConfig(region: string = MOTO_REGION): MotoClientConfig {
  return {
    endpoint: motoEndpoint(),
    region,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    forcePathStyle: true,
    maxAttempts: 1,
  };
}

/** An SDK client that talks to the emulator's account `account` (moto keeps each account's resources apart). */
export function inMotoAccount<T extends { middlewareStack: { add: (...args: any[]) => void } }>(client: T, account: string): T {
  client.middlewareStack.add((next: (args: any) => Promise<unknown>) => async (args: { request: { headers: Record<string, string> } }) => {
    args.request.headers['x-moto-account-id'] = account;
    return next(args);
  }, { step: 'build', name: 'motoAccount' });
  return client;
}

/**
 * A name no other test uses: all jest workers share one moto server, so fixed names would collide
 * and a global reset would wipe another worker's resources.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface TopicInbox {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly subscriptionArn: string;
}

/**
 * Creates a fresh SQS queue and subscribes it to `topicArn`.
 *
 * Raw message delivery stays off so that each SQS message body is the SNS envelope, which carries
 * the Subject and MessageAttributes that a raw delivery would drop or move.
 */
export async function subscribeQueueToTopic(topicArn: string, region: string = MOTO_REGION): Promise<TopicInbox> {
  const sqs = new SQSClient(motoClientConfig(region));
  const sns = new SNSClient(motoClientConfig(region));
  try {
    const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('inbox') }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = Attributes?.QueueArn;
    if (!queueUrl || !queueArn) throw new Error('moto created a queue without a URL or ARN');
    const { SubscriptionArn: subscriptionArn } = await sns.send(new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { RawMessageDelivery: 'false' },
      ReturnSubscriptionArn: true,
    }));
    if (!subscriptionArn) throw new Error(`moto did not subscribe ${queueArn} to ${topicArn}`);
    return { queueUrl, queueArn, subscriptionArn };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}

/** The JSON body SNS puts in each SQS message when raw delivery is off. */
export interface SnsEnvelope {
  readonly Type: string;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly MessageAttributes?: Record<string, { readonly Type: string; readonly Value: string }>;
}

export interface ReceiveAllOptions {
  /** Stop as soon as this many messages arrived. With 0, listen for the whole timeout and return whatever came. */
  readonly expected: number;
  /** @default 10_000 */
  readonly timeoutMs?: number;
  readonly region?: string;
}

/**
 * Polls the queue until `expected` messages arrived and returns their SNS envelopes, oldest first as received.
 * Messages are deleted once read so a later call does not see them again. Throws, naming what did arrive,
 * when fewer than `expected` came within the timeout.
 */
export async function receiveAll(queueUrl: string, options: ReceiveAllOptions): Promise<SnsEnvelope[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const sqs = new SQSClient(motoClientConfig(options.region));
  const envelopes: SnsEnvelope[] = [];
  try {
    while (options.expected === 0 || envelopes.length < options.expected) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) break;
      const waitSeconds = Math.min(1, Math.floor(remainingMs / 1000));
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
      }));
      if (Messages.length === 0) {
        // A short poll returns at once; pause so the last sub-second does not spin.
        if (waitSeconds === 0) await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      envelopes.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}') as SnsEnvelope));
      await sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }));
    }
  } finally {
    sqs.destroy();
  }
  if (envelopes.length < options.expected) {
    const seen = envelopes.map((envelope) => envelope.Subject ?? envelope.Message.slice(0, 80));
    throw new Error(`expected ${options.expected} message(s) on ${queueUrl} within ${timeoutMs} ms, got ${envelopes.length}: ${JSON.stringify(seen)}`);
  }
  return envelopes;
}

/** A fresh alert topic under a name no other test uses, with a queue subscribed to read back what is published. */
export async function createAlertTopic(region: string = MOTO_REGION): Promise<{ readonly topicArn: string; readonly inbox: TopicInbox }> {
  const { TopicArn: topicArn } = await new SNSClient(motoClientConfig(region)).send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
  if (!topicArn) throw new Error('moto created a topic without an ARN');
  return { topicArn, inbox: await subscribeQueueToTopic(topicArn, region) };
}

/** An idempotency and storm table keyed as the guard deploys it (`id`), under a name no other test uses; returns its name. */
export async function createIdempotencyTable(region: string = MOTO_REGION): Promise<string> {
  const table = uniqueName('idempotency');
  await new DynamoDBClient(motoClientConfig(region)).send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
  return table;
}
