import {
  AutoScalingClient, CreateOrUpdateTagsCommand, DescribeAutoScalingGroupsCommand, SuspendProcessesCommand, UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { BatchClient, TagResourceCommand as BatchTagResourceCommand, UpdateComputeEnvironmentCommand } from '@aws-sdk/client-batch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient, StopTaskCommand, TagResourceCommand as EcsTagResourceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { SageMakerClient, StopNotebookInstanceCommand, StopProcessingJobCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import {
  disableBatchComputeEnvironment, scaleEcsServiceToZero, stopAutoScalingGroup, stopEcsTask, stopSageMaker, SUSPENDED_PROCESSES,
} from '../../../../lambda/aws/launch/contain-compute';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';
import { StubbedEc2 } from '../../../harness/stubbed-ec2';

// The emulator has neither Batch UpdateComputeEnvironment nor SageMaker's Stop* calls: these are their only tests.
const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ecs = mockClient(ECSClient);
const batch = mockClient(BatchClient);
const sageMaker = mockClient(SageMakerClient);
const REGION = 'eu-west-1';
const TAGS = { 'mining-guard:detection': 'autoscaling-capacity-change', 'mining-guard:event-id': 'e-1' };
let account: StubbedEc2;

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  ec2.reset();
  for (const mock of [autoScaling, ecs, batch, sageMaker] as unknown as Array<{ reset(): void; onAnyCommand(): { resolves(o: object): void } }>) {
    mock.reset();
    mock.onAnyCommand().resolves({});
  }
  account = new StubbedEc2(ec2);
});

describe('stopAutoScalingGroup', () => {
  test('suspends every process that launches, terminates or replaces, keeps the capacity, and stops every instance', async () => {
    // GIVEN a group of three protected instances
    const ids = account.launch(3);
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [{ AutoScalingGroupName: 'miners', MinSize: 3, MaxSize: 999, DesiredCapacity: 3, Instances: ids.map((InstanceId) => ({ InstanceId })) } as never],
    });

    // WHEN
    const report = await stopAutoScalingGroup(REGION, 'miners', TAGS, 0);

    // THEN
    expect(autoScaling.commandCalls(SuspendProcessesCommand)[0].args[0].input).toEqual({
      AutoScalingGroupName: 'miners',
      ScalingProcesses: ['Launch', 'Terminate', 'HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions'],
    });
    expect(autoScaling.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
    expect(ids.map((id) => account.instances.get(id)).map((i) => [i?.state, i?.disableApiStop])).toEqual([['stopped', false], ['stopped', false], ['stopped', false]]);
    expect(report).toMatchObject({ count: 3, failed: [], notes: [] });
    expect(autoScaling.commandCalls(CreateOrUpdateTagsCommand)[0].args[0].input.Tags).toEqual(Object.entries(TAGS).map(([Key, Value]) => ({
      Key, Value, ResourceId: 'miners', ResourceType: 'auto-scaling-group', PropagateAtLaunch: false,
    })));
    expect(new Set(await Promise.all([...autoScaling.calls(), ...ec2.calls()].map(regionOf)))).toEqual(new Set([REGION]));
  });

  test('suspends before it reads the instances to stop, so that none is replaced meanwhile', async () => {
    // GIVEN
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'miners' } as never] });

    // WHEN
    const report = await stopAutoScalingGroup(REGION, 'miners', TAGS, 0);

    // THEN
    expect(autoScaling.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'DescribeAutoScalingGroupsCommand', 'SuspendProcessesCommand', 'CreateOrUpdateTagsCommand', 'DescribeAutoScalingGroupsCommand',
    ]);
    expect(report.notes).toEqual(['the group has no instances']);
  });

  test('a group Auto Scaling does not know is unknown, and nothing is suspended', async () => {
    // WHEN
    const report = await stopAutoScalingGroup(REGION, 'gone', TAGS, 0);

    // THEN
    expect(report.unknown).toEqual([{ id: 'gone', reason: 'Auto Scaling does not know this group in eu-west-1' }]);
    expect(autoScaling.commandCalls(SuspendProcessesCommand)).toHaveLength(0);
  });

  test('the processes it suspends are exactly those that would launch, terminate or replace', () => {
    expect(SUSPENDED_PROCESSES).not.toContain('AddToLoadBalancer');
    expect(SUSPENDED_PROCESSES).not.toContain('InstanceRefresh');
    expect(SUSPENDED_PROCESSES).toHaveLength(7);
  });
});

describe('ECS', () => {
  test('a service is set to zero tasks, then tagged by the ARN ECS answers with', async () => {
    // GIVEN
    ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/xmr' } });

    // WHEN
    const report = await scaleEcsServiceToZero(REGION, 'xmr', 'prod', TAGS);

    // THEN
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({ service: 'xmr', cluster: 'prod', desiredCount: 0 });
    expect(ecs.commandCalls(EcsTagResourceCommand)[0].args[0].input.resourceArn).toBe('arn:aws:ecs:eu-west-1:123456789012:service/prod/xmr');
    expect(report).toEqual({ count: 1, failed: [], gone: [], unknown: [], notes: [] });
  });

  test('a refused tag is a note', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: 'arn:s' } });
    ecs.on(EcsTagResourceCommand).rejects(awsError('AccessDeniedException', 'denied'));
    expect((await scaleEcsServiceToZero(REGION, 'xmr', undefined, TAGS)).notes).toEqual(['not tagged: ECS service xmr: AccessDeniedException: denied']);
  });

  test('a task is stopped with the detection as the reason', async () => {
    await stopEcsTask(REGION, 'task-1', 'prod', TAGS);
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({ task: 'task-1', cluster: 'prod', reason: 'MiningGuard autoscaling-capacity-change' });
  });
});

describe('Batch', () => {
  test('a compute environment is disabled, then tagged', async () => {
    // GIVEN
    batch.on(UpdateComputeEnvironmentCommand).resolves({ computeEnvironmentArn: 'arn:ce' });

    // WHEN
    await disableBatchComputeEnvironment(REGION, 'gpu-ce', TAGS);

    // THEN
    expect(batch.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateComputeEnvironmentCommand', 'TagResourceCommand']);
    expect(batch.commandCalls(UpdateComputeEnvironmentCommand)[0].args[0].input).toEqual({ computeEnvironment: 'gpu-ce', state: 'DISABLED' });
    expect(batch.commandCalls(BatchTagResourceCommand)[0].args[0].input).toEqual({ resourceArn: 'arn:ce', tags: TAGS });
  });

  test('a refused disable is thrown, for the step to retry and report', async () => {
    batch.on(UpdateComputeEnvironmentCommand).rejects(awsError('AccessDeniedException', 'denied'));
    await expect(disableBatchComputeEnvironment(REGION, 'gpu-ce', TAGS)).rejects.toThrow('denied');
    expect(batch.commandCalls(BatchTagResourceCommand)).toHaveLength(0);
  });
});

describe('SageMaker', () => {
  test.each([
    ['notebook', StopNotebookInstanceCommand, { NotebookInstanceName: 'nb' }],
    ['training-job', StopTrainingJobCommand, { TrainingJobName: 'nb' }],
    ['processing-job', StopProcessingJobCommand, { ProcessingJobName: 'nb' }],
  ] as const)('a %s is stopped in the event\'s region', async (kind, command, input) => {
    // WHEN
    await stopSageMaker(REGION, kind, 'nb');

    // THEN
    const [call] = sageMaker.calls();
    expect(call.args[0]).toBeInstanceOf(command);
    expect(call.args[0].input).toEqual(input);
    expect(await regionOf(call)).toBe(REGION);
  });
});
