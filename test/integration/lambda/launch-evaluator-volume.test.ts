/**
 * The launch evaluator's volume test: ten thousand random, truncated and mutated events through the handler, with
 * mocked clients. It needs no emulator, but it is a whole-handler run that takes seconds, so it runs with the
 * integration tests and keeps the unit task fast.
 */
import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { handler } from '../../../lambda/launch-evaluator.lambda';
import { eventBridgeEvent } from '../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../fixtures/real-events';
import { mockedHandlerEnvironment } from '../../harness/handler-environment';

const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

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
    expect(alerts).toBe(malformed + alerted);
  }), { numRuns: 10_000 });
  expect(runs).toBe(10_000);
});
