import { AutoScalingClient, SuspendProcessesCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { BatchClient, UpdateComputeEnvironmentCommand } from '@aws-sdk/client-batch';
import {
  CancelSpotFleetRequestsCommand, CancelSpotInstanceRequestsCommand, CreateTagsCommand, DeleteFleetsCommand, EC2Client, StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ECSClient, StopTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { SageMakerClient, StopNotebookInstanceCommand, StopProcessingJobCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionOutcome, actContainment, describeOutcomes } from '../../../../lambda/aws/launch/act-containment';
import type { ContainmentAction, ContainmentPlan } from '../../../../lambda/core/launch/plan-containment';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';

const ec2 = mockClient(EC2Client);
const autoScaling = mockClient(AutoScalingClient);
const ecs = mockClient(ECSClient);
const batch = mockClient(BatchClient);
const sageMaker = mockClient(SageMakerClient);
/** What every service's mock offers here, whatever its commands. */
interface ServiceMock {
  reset(): void;
  onAnyCommand(): { resolves(output: object): unknown };
  calls(): Array<{ thisValue: unknown }>;
}
const MOCKS: ServiceMock[] = [ec2, autoScaling, ecs, batch, sageMaker];

const REGION = 'ap-southeast-2';
const TAGS = {
  'mining-guard:detection': 'ec2-instance-launch',
  'mining-guard:contained-at': '2026-11-20T03:12:10.000Z',
  'mining-guard:event-id': 'e-1',
};
const DENIED = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);

const plan = (...actions: ContainmentAction[]): ContainmentPlan => ({ region: REGION, actions, tags: TAGS });
const stop = (instanceId: string): ContainmentAction => ({ kind: 'stop-instance', instanceId, quarantine: false });

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  for (const mock of MOCKS) {
    mock.reset();
    mock.onAnyCommand().resolves({});
  }
});

describe('actContainment', () => {
  test('carries out every kind of step with its service, in the plan\'s region', async () => {
    // GIVEN one step of every kind
    const actions: ContainmentAction[] = [
      stop('i-0aaa'),
      { kind: 'scale-autoscaling-group-to-zero', groupName: 'miners' },
      { kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' },
      { kind: 'cancel-spot-instance-request', requestId: 'sir-1' },
      { kind: 'delete-fleet-keep-instances', fleetId: 'fleet-1' },
      { kind: 'scale-ecs-service-to-zero', service: 'xmr', cluster: 'prod' },
      { kind: 'stop-ecs-task', task: 'task-1', cluster: 'prod' },
      { kind: 'disable-batch-compute-environment', computeEnvironment: 'gpu-ce' },
      { kind: 'stop-sagemaker-notebook', name: 'nb' },
      { kind: 'stop-sagemaker-training-job', name: 'train' },
      { kind: 'stop-sagemaker-processing-job', name: 'proc' },
    ];

    // WHEN
    const outcomes = await actContainment(plan(...actions));

    // THEN
    expect(outcomes).toEqual(actions.map((action) => ({ action, outcome: 'done' })));
    expect(ec2.commandCalls(StopInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-0aaa'] });
    expect(ec2.commandCalls(CancelSpotFleetRequestsCommand)[0].args[0].input).toEqual({ SpotFleetRequestIds: ['sfr-1'], TerminateInstances: false });
    expect(ec2.commandCalls(CancelSpotInstanceRequestsCommand)[0].args[0].input).toEqual({ SpotInstanceRequestIds: ['sir-1'] });
    expect(ec2.commandCalls(DeleteFleetsCommand)[0].args[0].input).toEqual({ FleetIds: ['fleet-1'], TerminateInstances: false });
    expect(autoScaling.commandCalls(SuspendProcessesCommand)[0].args[0].input).toEqual({
      AutoScalingGroupName: 'miners', ScalingProcesses: ['Launch'],
    });
    expect(autoScaling.commandCalls(UpdateAutoScalingGroupCommand)[0].args[0].input).toEqual({
      AutoScalingGroupName: 'miners', MinSize: 0, DesiredCapacity: 0,
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({ service: 'xmr', cluster: 'prod', desiredCount: 0 });
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({
      task: 'task-1', cluster: 'prod', reason: 'MiningGuard ec2-instance-launch',
    });
    expect(batch.commandCalls(UpdateComputeEnvironmentCommand)[0].args[0].input).toEqual({ computeEnvironment: 'gpu-ce', state: 'DISABLED' });
    expect(sageMaker.commandCalls(StopNotebookInstanceCommand)[0].args[0].input).toEqual({ NotebookInstanceName: 'nb' });
    expect(sageMaker.commandCalls(StopTrainingJobCommand)[0].args[0].input).toEqual({ TrainingJobName: 'train' });
    expect(sageMaker.commandCalls(StopProcessingJobCommand)[0].args[0].input).toEqual({ ProcessingJobName: 'proc' });
    const regions = await Promise.all(MOCKS.flatMap((m) => m.calls()).map(regionOf));
    expect(new Set(regions)).toEqual(new Set([REGION]));
  });

  test('a failed step is reported with AWS\'s error, and the next steps still run', async () => {
    // GIVEN
    ec2.on(StopInstancesCommand, { InstanceIds: ['i-0aaa'] }).rejects(DENIED);

    // WHEN
    const outcomes = await actContainment(plan(stop('i-0aaa'), stop('i-0bbb')));

    // THEN
    expect(outcomes).toEqual([
      { action: stop('i-0aaa'), outcome: 'failed', detail: 'UnauthorizedOperation: You are not authorized to perform this operation.' },
      { action: stop('i-0bbb'), outcome: 'done' },
    ]);
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([['i-0aaa'], ['i-0bbb']]);
  });

  test('throttling that outlasts the SDK\'s retries is a failed step, not a thrown error', async () => {
    // GIVEN
    ecs.on(UpdateServiceCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // WHEN
    const [outcome] = await actContainment(plan({ kind: 'scale-ecs-service-to-zero', service: 'xmr' }));

    // THEN
    expect(outcome).toMatchObject({ outcome: 'failed', detail: 'ThrottlingException: Rate exceeded' });
  });

  test.each<[string, ContainmentAction, (error: Error) => unknown, string, string]>([
    ['a stopped instance', stop('i-0aaa'), (e) => ec2.on(StopInstancesCommand).rejects(e),
      'IncorrectInstanceState', 'The instance \'i-0aaa\' is not in a state from which it can be stopped.'],
    ['a cancelled Spot fleet request', { kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' },
      (e) => ec2.on(CancelSpotFleetRequestsCommand).rejects(e),
      'InvalidSpotFleetRequestId.NotFound', 'The spot fleet request ID \'sfr-1\' does not exist'],
    ['a deleted ECS service', { kind: 'scale-ecs-service-to-zero', service: 'xmr' }, (e) => ecs.on(UpdateServiceCommand).rejects(e),
      'ServiceNotFoundException', 'Service not found.'],
    ['a finished training job', { kind: 'stop-sagemaker-training-job', name: 'train' }, (e) => sageMaker.on(StopTrainingJobCommand).rejects(e),
      'ValidationException', 'Requested resource not found.'],
  ])('%s is reported as already done', async (_, action, refuse, name, message) => {
    // GIVEN
    refuse(awsError(name, message));

    // WHEN
    const [outcome] = await actContainment(plan(action));

    // THEN
    expect(outcome).toEqual({ action, outcome: 'already-done', detail: `${name}: ${message}` });
  });

  test('a step whose work is done but whose tag was refused is done, with the tag\'s error as its detail', async () => {
    // GIVEN
    ec2.on(CreateTagsCommand).rejects(DENIED);

    // WHEN
    const [outcome] = await actContainment(plan(stop('i-0aaa')));

    // THEN
    expect(outcome).toEqual({
      action: stop('i-0aaa'), outcome: 'done', detail: 'not tagged: UnauthorizedOperation: You are not authorized to perform this operation.',
    });
  });

  test('a plan without steps does nothing', async () => {
    // WHEN
    const outcomes = await actContainment(plan());

    // THEN
    expect(outcomes).toEqual([]);
    for (const mock of MOCKS) expect(mock.calls()).toHaveLength(0);
  });
});

describe('describeOutcomes', () => {
  test('says, for each step, what was done, what was already so, and what a person must do by hand', () => {
    // GIVEN
    const outcomes: ActionOutcome[] = [
      { action: stop('i-0aaa'), outcome: 'done' },
      {
        action: { kind: 'stop-ecs-task', task: 'task-1' },
        outcome: 'done',
        detail: 'not tagged: AccessDeniedException: not authorized to perform: ecs:TagResource.',
      },
      {
        action: { kind: 'stop-sagemaker-notebook', name: 'nb' },
        outcome: 'already-done',
        detail: 'ValidationException: Requested resource not found.',
      },
      {
        action: { kind: 'cancel-spot-instance-request', requestId: 'sir-1' },
        outcome: 'failed',
        detail: 'UnauthorizedOperation: You are not authorized to perform this operation.',
      },
    ];

    // WHEN
    const lines = describeOutcomes(outcomes);

    // THEN AWS's own full stops are not doubled
    expect(lines).toEqual([
      'Done: stop instance i-0aaa (turning off stop/termination protection first).',
      'Done: stop ECS task task-1; not tagged: AccessDeniedException: not authorized to perform: ecs:TagResource.',
      'Nothing to do: stop SageMaker notebook nb (ValidationException: Requested resource not found).',
      'FAILED: cancel Spot instance request sir-1: UnauthorizedOperation: You are not authorized to perform this operation. Do it by hand.',
    ]);
  });

  test('no steps, no lines', () => {
    expect(describeOutcomes([])).toEqual([]);
  });
});
