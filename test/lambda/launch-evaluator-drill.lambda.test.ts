import { DescribeInstancesCommand, DescribeInstanceTypesCommand, EC2Client, ModifyInstanceAttributeCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { drillLaunchRecord } from '../../lambda/core/doctor/drill-labels';
import { eventBridgeEvent } from '../fixtures/documented-cloudtrail';
import { mockedHandlerEnvironment } from '../harness/handler-environment';
import { launchHandlerWith } from '../harness/launch-handler';

const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

beforeAll(() => mockedHandlerEnvironment());
beforeEach(() => {
  sns.reset();
  ec2.reset();
  pricing.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaa', State: { Name: 'running' } }] }] });
  pricing.on(GetProductsCommand).rejects(new Error('not in this test'));
});

describe('the launch evaluator and the drill\'s record', () => {
  test('never contains a drill record, even under a STOP policy and delivered as an AWS service event; its alert says DRILL and dry run', async () => {
    // GIVEN a policy that stops GPU launches, and the drill's record wrapped as EventBridge delivers AWS's own events
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' }, dryRun: false });
    // (with an instance in its response, so that there would be something to stop)
    const record = {
      ...drillLaunchRecord('0b5a3c4e-1111-2222-3333-444455556666', '123456789012', 'us-east-1', new Date()),
      responseElements: { instancesSet: { items: [{ instanceId: 'i-0aaa', instanceType: 'p3.16xlarge' }] } },
    };
    // WHEN
    await handler(eventBridgeEvent(record));
    // THEN nothing is contained, and the one alert says what it is
    expect(ec2.commandCalls(StopInstancesCommand)).toEqual([]);
    expect(ec2.commandCalls(TerminateInstancesCommand)).toEqual([]);
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)).toEqual([]);
    const messages = sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!).default as string);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('DRILL (synthetic launch record from mining-guard doctor --drill, judged as a dry run)');
    expect(messages[0]).toMatch(/Dry run, not done: stop/);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toMatch(/^\[MiningGuard\]\[\w+\] DRILL: \d+ x p3\.16xlarge launched in us-east-1 by /);
  });

  test('the same record with a CloudTrail event ID is contained: only the drill\'s mark holds containment back', async () => {
    const handler = await launchHandlerWith({ responses: { 'ec2-instance-launch': 'STOP' }, dryRun: false });
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    ec2.on(StopInstancesCommand).resolves({ StoppingInstances: [{ InstanceId: 'i-0aaa', CurrentState: { Name: 'stopping' } }] });
    const record = {
      ...drillLaunchRecord('0b5a3c4e-1111-2222-3333-444455556666', '123456789012', 'us-east-1', new Date()),
      eventID: '0b5a3c4e-1111-2222-3333-444455556666',
      responseElements: { instancesSet: { items: [{ instanceId: 'i-0aaa', instanceType: 'p3.16xlarge' }] } },
    };
    await handler(eventBridgeEvent(record));
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([['i-0aaa']]);
  });
});
