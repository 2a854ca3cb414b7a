/**
 * The launch evaluator's volume tests, with mocked clients: ten thousand random, truncated and mutated events through
 * the handler, and the trail's log group's biggest batches. They need no emulator, but they are whole-handler runs
 * that take seconds, so they run with the integration tests and keep the unit task fast.
 */
import { gzipSync } from 'zlib';
import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { handler } from '../../../lambda/launch-evaluator.lambda';
import { cloudTrailRecord, eventBridgeEvent } from '../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../fixtures/real-events';
import { mockedHandlerEnvironment } from '../../harness/handler-environment';

const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const lambda = mockClient(LambdaClient);

beforeAll(() => {
  mockedHandlerEnvironment();
  process.env.LAUNCH_SETTINGS = JSON.stringify({ responses: { 'ec2-instance-launch': 'STOP' } });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
});

function published(): unknown[] {
  return sns.commandCalls(PublishCommand);
}

test('10,000 random, truncated and mutated events: none throws; each malformed one is alerted once, each real one judged', async () => {
  const real = readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl');
  const truncated = fc.tuple(fc.constantFrom(...real), fc.nat()).map(([r, n]) => {
    const text = JSON.stringify(eventBridgeEvent(r));
    try {
      return JSON.parse(text.slice(0, n % text.length)) as unknown;
    } catch {
      return text.slice(0, n % text.length);
    }
  });
  const mutated = fc.tuple(fc.constantFrom(...real), fc.constantFrom('eventID', 'eventName', 'requestParameters', 'responseElements', 'userIdentity', 'eventTime'), fc.jsonValue())
    .map(([r, key, value]) => eventBridgeEvent({ ...r, [key]: value }));
  let runs = 0;
  await fc.assert(fc.asyncProperty(fc.oneof(fc.anything(), fc.jsonValue(), truncated, mutated, fc.constantFrom(...real)), async (event) => {
    runs++;
    sns.resetHistory();
    const { outcomes } = await handler(event);
    const alerts = published().length;
    const malformed = outcomes.filter((o) => o.result === 'malformed').length;
    const alerted = outcomes.filter((o) => o.result === 'alerted').length;
    // A contained event is alerted twice: before containment, and with its outcome.
    const contained = sns.commandCalls(PublishCommand).filter((c) => /^\[MiningGuard\]\[\w+\] (Contained|\d+ of \d+ steps FAILED): /.test(c.args[0].input.Subject ?? '')).length;
    expect(alerts).toBe(malformed + alerted + contained);
  }), { numRuns: 10_000 });
  expect(runs).toBe(10_000);
});

/** A CloudWatch Logs subscription delivery of the records, gzipped and base64-encoded as Lambda receives it. */
function logsDelivery(records: readonly object[]): object {
  const logEvents = records.map((r, i) => ({ id: String(i), timestamp: 0, message: JSON.stringify(r) }));
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents }))).toString('base64') } };
}

/**
 * The log group's biggest batches, judged well within the evaluator's two-minute timeout. A hand-off stands for
 * Lambda's answer with a 20 ms delay, about what an asynchronous Invoke takes within a region.
 */
describe('the trail\'s log group\'s biggest batches', () => {
  const INVOKE_MS = 20;

  beforeAll(() => {
    process.env.NOTIFIER_FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:Guard-AlertsNotifierFunction-ABC';
  });
  beforeEach(() => {
    sns.resetHistory();
    lambda.reset();
    lambda.on(InvokeCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, INVOKE_MS));
      return { StatusCode: 202 };
    });
  });

  test('10,000 calls no detection selects (quiet services\' writes, as the filter sends them): seconds, nothing alerted or handed over', async () => {
    const names = ['CreateRole', 'TagRole', 'UpdateRoleDescription', 'CreateServiceLinkedRole', 'PutEvaluations', 'StartLogging', 'CompleteLifecycleAction'];
    const sources = ['iam', 'iam', 'iam', 'iam', 'config', 'cloudtrail', 'autoscaling'];
    const records = Array.from({ length: 10_000 }, (_, i) => cloudTrailRecord(`${sources[i % 7]}.amazonaws.com`, names[i % 7], { roleName: `r-${i}` }));
    const started = Date.now();
    const { outcomes } = await handler(logsDelivery(records));
    const ms = Date.now() - started;
    expect(outcomes.filter((o) => o.result !== 'not-selected')).toEqual([]);
    expect(published()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
    expect(ms).toBeLessThan(30_000);
  });

  test('1,000 tamper calls: each handed to the notifier once, a few at a time, in seconds', async () => {
    const records = Array.from({ length: 1_000 }, (_, i) => cloudTrailRecord('cloudtrail.amazonaws.com', 'StopLogging', { name: `trail-${i}` }, null, { eventId: `stop-${i}` }));
    const started = Date.now();
    const { outcomes } = await handler(logsDelivery(records));
    const ms = Date.now() - started;
    expect(outcomes.filter((o) => o.result === 'handed-off')).toHaveLength(1_000);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1_000);
    expect(published()).toHaveLength(0);
    // Eight at a time: 1,000 x 20 ms / 8 is 2.5 s; a call a time would be 20 s.
    expect(ms).toBeLessThan(15_000);
  });
});
