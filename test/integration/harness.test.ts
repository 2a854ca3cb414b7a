/** Proves the test harness against the moto server that the global setup started: lint, asset publishing, deploy rehearsal and SNS read-back. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import JSZip from 'jszip';
import { cfnLint, cfnLintAll } from '../harness/cfn-lint';
import { exampleNames, exampleOutDir } from '../harness/examples';
import { createIdempotencyTable, MOTO_ACCOUNT, motoClientConfig, motoEndpoint, receiveAll, subscribeQueueToTopic, uniqueName } from '../harness/moto';
import { assetBucketName, CfnTemplate, loadStack, prepareTemplate, publishAssets, StackRehearsal } from '../harness/rehearsal';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-test-'));

/** A small stack with one of each resource the rehearsal must handle, including a directory asset to zip. */
function synthProbeApp(outdir: string, queueVisibility: Duration): string {
  const handlerDir = path.join(workDir, 'handler');
  fs.mkdirSync(handlerDir, { recursive: true });
  fs.writeFileSync(path.join(handlerDir, 'index.js'), 'exports.handler = async () => ({ ok: true });\n');

  const app = new App({ outdir });
  const stack = new Stack(app, 'HarnessProbe');
  new sns.Topic(stack, 'Alerts');
  const queue = new sqs.Queue(stack, 'Inbox', { visibilityTimeout: queueVisibility });
  const bucket = new s3.Bucket(stack, 'Evidence', { removalPolicy: RemovalPolicy.DESTROY });
  new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(handlerDir),
  });
  new CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
  new CfnOutput(stack, 'BucketName', { value: bucket.bucketName });
  app.synth();
  return outdir;
}

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('moto endpoint', () => {
  test('motoEndpoint() says how to get a server when MOTO_ENDPOINT is unset', () => {
    // GIVEN
    const saved = process.env.MOTO_ENDPOINT;
    delete process.env.MOTO_ENDPOINT;
    try {
      // THEN
      expect(() => motoEndpoint()).toThrow(/MOTO_ENDPOINT is not set: the jest global setup .* starts moto_server/);
    } finally {
      process.env.MOTO_ENDPOINT = saved;
    }
  });

  test('the global setup pointed MOTO_ENDPOINT at a running server', async () => {
    const response = await fetch(`${motoEndpoint()}/moto-api/`);
    await response.arrayBuffer();
    expect(response.ok).toBe(true);
    expect(motoClientConfig('eu-west-1')).toEqual({
      endpoint: motoEndpoint(),
      region: 'eu-west-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
  });

  test('the global setup synthesized every example app', () => {
    for (const name of exampleNames()) {
      expect(fs.existsSync(path.join(exampleOutDir(name), 'manifest.json'))).toBe(true);
    }
  });
});

describe('DynamoDB transactions (moto with lean rollback)', () => {
  const db = new DynamoDBClient(motoClientConfig());
  const item = async (table: string, id: string) =>
    (await db.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))).Item;

  test('a cancelled transaction leaves every item it touched as it was, and a committed one writes them all', async () => {
    // GIVEN a table with two items, and a transaction that updates one, adds a third, and checks the other
    const table = await createIdempotencyTable();
    await db.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'kept' }, n: { N: '1' } } }));
    await db.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'checked' } } }));
    const writes = (condition: string) => new TransactWriteItemsCommand({
      TransactItems: [
        { Update: { TableName: table, Key: { id: { S: 'kept' } }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
        { Put: { TableName: table, Item: { id: { S: 'added' } } } },
        { ConditionCheck: { TableName: table, Key: { id: { S: 'checked' } }, ConditionExpression: condition } },
      ],
    });

    // WHEN it is cancelled, THEN nothing it wrote stays
    await expect(db.send(writes('attribute_not_exists(id)'))).rejects.toThrow(/Transaction cancelled/);
    expect(await item(table, 'kept')).toEqual({ id: { S: 'kept' }, n: { N: '1' } });
    expect(await item(table, 'added')).toBeUndefined();

    // WHEN the same writes pass their condition, THEN all of them are written
    await db.send(writes('attribute_exists(id)'));
    expect(await item(table, 'kept')).toEqual({ id: { S: 'kept' }, n: { N: '2' } });
    expect(await item(table, 'added')).toEqual({ id: { S: 'added' } });
  });
});

describe('SNS to SQS read-back', () => {
  const topics = new SNSClient(motoClientConfig());
  afterAll(() => topics.destroy());

  test('receiveAll returns each SNS envelope with its subject and message attributes', async () => {
    // GIVEN
    const { TopicArn: topicArn } = await topics.send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
    const inbox = await subscribeQueueToTopic(topicArn!);

    // WHEN
    await topics.send(new PublishCommand({
      TopicArn: topicArn,
      Subject: 'Mining suspected',
      Message: JSON.stringify({ instanceId: 'i-0123456789abcdef0' }),
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' } },
    }));
    await topics.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Contained', Message: 'stopped' }));

    // THEN
    const envelopes = await receiveAll(inbox.queueUrl, { expected: 2 });
    expect(envelopes.map((envelope) => envelope.Subject).sort()).toEqual(['Contained', 'Mining suspected']);
    const alert = envelopes.find((envelope) => envelope.Subject === 'Mining suspected')!;
    expect(alert.TopicArn).toBe(topicArn);
    expect(JSON.parse(alert.Message)).toEqual({ instanceId: 'i-0123456789abcdef0' });
    expect(alert.MessageAttributes).toEqual({ severity: { Type: 'String', Value: 'HIGH' } });
  });

  test('receiveAll names what did arrive when fewer messages come than expected', async () => {
    // GIVEN
    const { TopicArn: topicArn } = await topics.send(new CreateTopicCommand({ Name: uniqueName('quiet') }));
    const inbox = await subscribeQueueToTopic(topicArn!);

    // WHEN
    await topics.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Only one', Message: 'hello' }));

    // THEN
    await expect(receiveAll(inbox.queueUrl, { expected: 2, timeoutMs: 1_500 }))
      .rejects.toThrow(/expected 2 message\(s\) .* got 1: \["Only one"\]/);
  });
});

describe('cfnLint', () => {
  test('sorts findings by level with rule id and template path', () => {
    // GIVEN
    const template = path.join(workDir, 'invalid.template.json');
    fs.writeFileSync(template, JSON.stringify({
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'thirty' } } },
    }));

    // WHEN
    const report = cfnLint(template);

    // THEN
    expect(report.errors).toContainEqual({
      rule: 'E3012',
      message: "'thirty' is not of type 'integer'",
      path: 'Resources/Queue/Properties/VisibilityTimeout',
    });
  });

  test('several templates in one run: each finding goes to its own template, and a clean one gets an empty report', () => {
    // GIVEN one broken and one clean template
    const broken = path.join(workDir, 'broken.template.json');
    const clean = path.join(workDir, 'clean.template.json');
    fs.writeFileSync(broken, JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 'later' } } } }));
    fs.writeFileSync(clean, JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 5 } } } }));

    // WHEN
    const reports = cfnLintAll([clean, broken]);

    // THEN
    expect([...reports.keys()]).toEqual([clean, broken]);
    expect(reports.get(clean)).toEqual({ errors: [], warnings: [], informational: [] });
    expect(reports.get(broken)!.errors.map((f) => f.path)).toEqual(['Resources/Queue/Properties/DelaySeconds']);
  });
});

describe('deploy rehearsal of a synthesized CDK app', () => {
  const rehearsal = new StackRehearsal();
  const sqsClient = new SQSClient(motoClientConfig());
  const s3Client = new S3Client(motoClientConfig());
  const stackName = uniqueName('harness-probe');
  let original: string;
  let changed: string;

  beforeAll(() => {
    original = synthProbeApp(path.join(workDir, 'original.out'), Duration.seconds(30));
    changed = synthProbeApp(path.join(workDir, 'changed.out'), Duration.seconds(45));
  });

  afterAll(async () => {
    // A failed step leaves the stack up; remove it so reruns against an external server start clean.
    await rehearsal.deleteStack(stackName).catch(() => undefined);
    rehearsal.destroy();
    sqsClient.destroy();
    s3Client.destroy();
  });

  async function physicalId(type: string): Promise<string> {
    const resource = (await rehearsal.listStackResources(stackName)).find((candidate) => candidate.type === type);
    if (!resource?.physicalId) throw new Error(`no ${type} in ${stackName}`);
    return resource.physicalId;
  }

  async function visibilityTimeout(): Promise<string | undefined> {
    const { Attributes } = await sqsClient.send(new GetQueueAttributesCommand({
      QueueUrl: await physicalId('AWS::SQS::Queue'),
      AttributeNames: ['VisibilityTimeout'],
    }));
    return Attributes?.VisibilityTimeout;
  }

  test('the synthesized template has no cfn-lint errors', () => {
    const stack = loadStack(original);
    expect(cfnLint(stack.templateFile).errors).toEqual([]);
  });

  test('prepareTemplate drops the bootstrap version check and leaves the input alone', () => {
    // GIVEN
    const { template } = loadStack(original);

    // WHEN
    const prepared = prepareTemplate(template);

    // THEN
    expect(prepared.Rules?.CheckBootstrapVersion).toBeUndefined();
    expect(prepared.Parameters?.BootstrapVersion).toBeUndefined();
    expect(template.Rules?.CheckBootstrapVersion).toBeDefined();
    expect(prepared.Resources).toEqual(template.Resources);
  });

  test('publishAssets zips the function directory into the bootstrap bucket', async () => {
    // WHEN
    const published = await publishAssets(original, loadStack(original), { s3: rehearsal.s3, region: rehearsal.region });

    // THEN
    const code = published.find((asset) => asset.key.endsWith('.zip'));
    expect(code?.bucket).toBe(`cdk-hnb659fds-assets-${MOTO_ACCOUNT}-us-east-1`);
    const object = await s3Client.send(new GetObjectCommand({ Bucket: code!.bucket, Key: code!.key }));
    const zip = await JSZip.loadAsync(await object.Body!.transformToByteArray());
    expect(Object.keys(zip.files)).toEqual(['index.js']);
  });

  test('createStack reaches CREATE_COMPLETE and the resources exist', async () => {
    // WHEN
    const outcome = await rehearsal.createStack(stackName, loadStack(original).template);

    // THEN
    expect(outcome).toMatchObject({ status: 'CREATE_COMPLETE', failures: [] });
    const types = (await rehearsal.listStackResources(stackName)).map((resource) => resource.type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::Lambda::Function',
    ]));
    await expect(s3Client.send(new HeadBucketCommand({ Bucket: await physicalId('AWS::S3::Bucket') }))).resolves.toBeDefined();
    expect(await visibilityTimeout()).toBe('30');
  });

  test('updateStack reaches UPDATE_COMPLETE and applies the changed property', async () => {
    // GIVEN
    const stack = loadStack(changed);
    await rehearsal.publishAssets(changed, stack);

    // WHEN
    const outcome = await rehearsal.updateStack(stackName, stack.template);

    // THEN
    expect(outcome).toMatchObject({ status: 'UPDATE_COMPLETE', failures: [] });
    expect(await visibilityTimeout()).toBe('45');
  });

  test('deleteStack reaches DELETE_COMPLETE and removes the resources', async () => {
    // GIVEN
    const bucket = await physicalId('AWS::S3::Bucket');

    // WHEN
    const outcome = await rehearsal.deleteStack(stackName);

    // THEN
    expect(outcome).toMatchObject({ status: 'DELETE_COMPLETE', failures: [] });
    await expect(s3Client.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
  });

  test('a template over the 51,200-byte body limit is deployed from the asset bucket', async () => {
    // GIVEN
    const name = uniqueName('harness-large');
    const template: CfnTemplate = {
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Metadata: { Padding: 'x'.repeat(60_000) } } },
    };

    // WHEN
    const outcome = await rehearsal.createStack(name, template);

    // THEN
    expect(outcome.status).toBe('CREATE_COMPLETE');
    const { Contents = [] } = await s3Client.send(new ListObjectsV2Command({
      Bucket: assetBucketName(rehearsal.region),
      Prefix: `rehearsal-templates/${name}-`,
    }));
    expect(Contents).toHaveLength(1);
    expect((await rehearsal.deleteStack(name)).status).toBe('DELETE_COMPLETE');
  });

  test('a template moto crashes on is reported with the traceback from its log', async () => {
    // GIVEN a dangling Ref, which AWS rejects with a ValidationError and moto answers with HTTP 500
    const name = uniqueName('harness-crash');
    const template: CfnTemplate = {
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'Missing' } } } },
    };

    try {
      // THEN
      await expect(rehearsal.createStack(name, template))
        .rejects.toThrow(/CloudFormation rejected create harness-crash-\w+: [^\n]*\nmoto crashed on the request \(HTTP 500\): KeyError: 'Missing'/);
    } finally {
      await rehearsal.deleteStack(name).catch(() => undefined);
    }
  });

  test('the waiter names the custom resource that keeps a stack in progress', async () => {
    // GIVEN
    const stuck = new StackRehearsal({ timeoutMs: 1_500 });
    const name = uniqueName('harness-stuck');
    const template: CfnTemplate = {
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
            },
          },
        },
        Provider: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
            Code: { ZipFile: 'exports.handler = async () => ({});' },
          },
        },
        Seed: { Type: 'Custom::Seed', Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } } },
      },
    };

    try {
      // THEN
      await expect(stuck.createStack(name, template))
        .rejects.toThrow(/still CREATE_IN_PROGRESS after 1500 ms; custom resources waiting for their provider: Seed \(Custom::Seed\)/);
    } finally {
      await stuck.deleteStack(name).catch(() => undefined);
      stuck.destroy();
    }
  });
});
