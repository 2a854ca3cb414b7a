import { gzipSync } from 'zlib';
import { CreateTagsCommand, DescribeInstanceTypesCommand, EC2Client, ModifyInstanceAttributeCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/launch-evaluator.lambda';
import { cloudTrailRecord, eventBridgeEvent, runInstances } from '../fixtures/documented-cloudtrail';
import { mockedHandlerEnvironment } from '../harness/handler-environment';

// Failures the emulator cannot produce. The volume test is with the integration tests (launch-evaluator-volume).
const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

beforeAll(() => {
  mockedHandlerEnvironment();
  // Read by the handler at its first invocation.
  process.env.LAUNCH_SETTINGS = JSON.stringify({ responses: { 'ec2-instance-launch': 'STOP' } });
});
beforeEach(() => {
  sns.reset();
  ec2.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  pricing.reset();
  pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
});

function published(): Array<{ subject: string; message: string }> {
  return sns.commandCalls(PublishCommand).map((c) => ({ subject: c.args[0].input.Subject!, message: JSON.parse(c.args[0].input.Message!).default }));
}

test('AccessDenied on a step is reported in the alert, and the other instances are still stopped', async () => {
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(StopInstancesCommand, { InstanceIds: ['i-0aaa'] }).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
  ec2.on(StopInstancesCommand, { InstanceIds: ['i-0bbb'] }).resolves({});
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 2, ['i-0aaa', 'i-0bbb'])));
  const [alert] = published();
  expect(alert.message).toContain('FAILED: stop instance i-0aaa (turning off stop/termination protection first): UnauthorizedOperation: You are not authorized');
  expect(alert.message).toContain('Done: stop instance i-0bbb');
});

test('a tag refused after the stop is reported with the stop, which stands', async () => {
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(StopInstancesCommand).resolves({});
  ec2.on(CreateTagsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0eee'])));
  expect(published()[0].message).toContain(
    'Done: stop instance i-0eee (turning off stop/termination protection first); not tagged: UnauthorizedOperation: You are not authorized to perform this operation.');
});

test('throttling that outlasts the SDK\'s retries is reported, not swallowed', async () => {
  ec2.on(ModifyInstanceAttributeCommand).rejects(Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } }));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0ccc'])));
  expect(published()[0].message).toContain('FAILED: stop instance i-0ccc (turning off stop/termination protection first): RequestLimitExceeded');
});

test('an alert that cannot be published fails the invocation, so it is retried and dead-lettered', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  ec2.on(ModifyInstanceAttributeCommand).resolves({});
  ec2.on(StopInstancesCommand).resolves({});
  await expect(handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0ddd'])))).rejects.toThrow(/Rate exceeded/);
});

test('a batch from the trail\'s log group with unreadable entries: the rest is judged, each unreadable one alerted once', async () => {
  const launch = runInstances('p3.2xlarge', 1);
  const payload = {
    messageType: 'DATA_MESSAGE',
    logEvents: [
      { id: '1', timestamp: 0, message: JSON.stringify(launch) },
      { id: '2', timestamp: 0, message: '{"eventName": "RunInst' },
      { id: '3', timestamp: 0, message: JSON.stringify(cloudTrailRecord('s3.amazonaws.com', 'GetObject', {})) },
      { id: '4', timestamp: 0, message: JSON.stringify({ eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com' }) },
    ],
  };
  const { outcomes } = await handler({ awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } });
  expect(outcomes.map((o) => o.result).sort()).toEqual(['alerted', 'malformed', 'malformed', 'not-selected']);
  const subjects = published().map((p) => p.subject);
  expect(subjects.filter((s) => s.includes('Unrecognised event'))).toHaveLength(2);
  expect(subjects.filter((s) => s.includes('1 x p3.2xlarge launched'))).toHaveLength(1);
});
