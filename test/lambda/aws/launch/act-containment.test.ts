import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { BatchClient, UpdateComputeEnvironmentCommand } from '@aws-sdk/client-batch';
import {
  CancelSpotFleetRequestsCommand, CancelSpotInstanceRequestsCommand, DeleteFleetsCommand, DescribeFleetInstancesCommand, DescribeFleetsCommand,
  DescribeSpotFleetInstancesCommand, DescribeSpotInstanceRequestsCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionOutcome, actContainment, describeOutcomes } from '../../../../lambda/aws/launch/act-containment';
import type { ContainmentAction, ContainmentKind, ContainmentPlan } from '../../../../lambda/core/launch/plan-containment';
import { actionsOf, CONTAINMENT_GRANTS } from '../../../../lib/catalog';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, regionOf } from '../../../harness/mocked-aws';
import { StubbedEc2 } from '../../../harness/stubbed-ec2';

const ec2 = mockClient(EC2Client);
const autoScaling = mockClient(AutoScalingClient);
const ecs = mockClient(ECSClient);
const batch = mockClient(BatchClient);
const sageMaker = mockClient(SageMakerClient);
/** What every service's mock offers here, whatever its commands. */
interface ServiceMock {
  reset(): void;
  onAnyCommand(): { resolves(output: object): unknown };
  calls(): Array<{ thisValue: unknown; args: [object] }>;
}
/** Each mocked client with the IAM service prefix of its calls. */
const SERVICES = ([[ec2, 'ec2'], [autoScaling, 'autoscaling'], [ecs, 'ecs'], [batch, 'batch'], [sageMaker, 'sagemaker']] as Array<[unknown, string]>)
  .map(([mock, prefix]) => [mock as ServiceMock, prefix] as const);

const REGION = 'ap-southeast-2';
const TAGS = { 'mining-guard:detection': 'ec2-instance-launch', 'mining-guard:event-id': 'e-1' };
const FAST = { retryDelayMs: 0 };
let account: StubbedEc2;

const plan = (...actions: ContainmentAction[]): ContainmentPlan => ({ region: REGION, actions, tags: TAGS });

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  for (const [mock] of SERVICES) mock.reset();
  for (const [mock] of SERVICES) mock.onAnyCommand().resolves({});
  account = new StubbedEc2(ec2);
});

/** One step of each kind, with EC2's and Auto Scaling's answers set so that the step takes every path it has. */
const EVERY_PATH: { readonly [K in ContainmentKind]: () => ContainmentAction } = {
  'stop-instances': () => ({ kind: 'stop-instances', instanceIds: account.launch(2) }),
  'quarantine-instances': () => ({ kind: 'quarantine-instances', instanceIds: account.launch(2, { interfaces: 2, profile: true }) }),
  'stop-autoscaling-group': () => {
    const ids = account.launch(2);
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'asg', Instances: ids.map((InstanceId) => ({ InstanceId })) } as never] });
    return { kind: 'stop-autoscaling-group', groupName: 'asg' };
  },
  'cancel-spot-fleet-request': () => {
    ec2.on(DescribeSpotFleetInstancesCommand).resolves({ ActiveInstances: account.launch(1).map((InstanceId) => ({ InstanceId })) });
    ec2.on(CancelSpotFleetRequestsCommand).resolves({ SuccessfulFleetRequests: [{ SpotFleetRequestId: 'sfr-1' }] });
    return { kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' };
  },
  'cancel-spot-instance-requests': () => {
    const [id] = account.launch(1);
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves({ SpotInstanceRequests: [{ SpotInstanceRequestId: 'sir-1', InstanceId: id }] });
    ec2.on(CancelSpotInstanceRequestsCommand).resolves({ CancelledSpotInstanceRequests: [{ SpotInstanceRequestId: 'sir-1', State: 'cancelled' }] });
    return { kind: 'cancel-spot-instance-requests', requestIds: ['sir-1'] };
  },
  'stop-fleet': () => {
    ec2.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: 'fleet-1', Type: 'maintain', FleetState: 'active' }] });
    ec2.on(DescribeFleetInstancesCommand).resolves({ ActiveInstances: account.launch(1).map((InstanceId) => ({ InstanceId })) });
    ec2.on(DeleteFleetsCommand).resolves({ SuccessfulFleetDeletions: [{ FleetId: 'fleet-1' }] });
    return { kind: 'stop-fleet', fleetId: 'fleet-1' };
  },
  'scale-ecs-service-to-zero': () => {
    ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: 'arn:aws:ecs:ap-southeast-2:123456789012:service/prod/xmr' } });
    return { kind: 'scale-ecs-service-to-zero', service: 'xmr', cluster: 'prod' };
  },
  'stop-ecs-task': () => ({ kind: 'stop-ecs-task', task: 'task-1', cluster: 'prod' }),
  'disable-batch-compute-environment': () => {
    batch.on(UpdateComputeEnvironmentCommand).resolves({ computeEnvironmentArn: 'arn:aws:batch:ap-southeast-2:123456789012:compute-environment/ce' });
    return { kind: 'disable-batch-compute-environment', computeEnvironment: 'ce' };
  },
  'stop-sagemaker-notebook': () => ({ kind: 'stop-sagemaker-notebook', name: 'nb' }),
  'stop-sagemaker-training-job': () => ({ kind: 'stop-sagemaker-training-job', name: 'tj' }),
  'stop-sagemaker-processing-job': () => ({ kind: 'stop-sagemaker-processing-job', name: 'pj' }),
};

/** The IAM action of every call sent, e.g. `ec2:StopInstances` for a StopInstancesCommand sent by the EC2 client. */
function actionsSent(): string[] {
  return [...new Set(SERVICES.flatMap(([mock, prefix]) => mock.calls().map((c) => `${prefix}:${c.args[0].constructor.name.replace(/Command$/, '')}`)))].sort();
}

describe('the containment table', () => {
  test.each(Object.keys(CONTAINMENT_GRANTS) as ContainmentKind[])('%s sends only calls its grants allow, and is granted only calls it sends', async (kind) => {
    // GIVEN
    const action = EVERY_PATH[kind]();

    // WHEN
    const [outcome] = await actContainment(plan(action), FAST);

    // THEN
    expect(outcome.outcome).toBe('done');
    expect(actionsSent()).toEqual(actionsOf([kind]));
    const regions = await Promise.all(SERVICES.flatMap(([mock]) => mock.calls()).map(regionOf));
    expect(new Set(regions)).toEqual(new Set([REGION]));
  });
});

describe('actContainment', () => {
  test('three stops out of 500 that keep failing after the retry are each in the outcome, with AWS\'s reason', async () => {
    // GIVEN
    const ids = account.launch(500);
    const failing = [ids[3], ids[111], ids[402]];
    for (const id of failing) account.failingStops.set(id, 100);
    const action: ContainmentAction = { kind: 'stop-instances', instanceIds: ids };

    // WHEN
    const [outcome] = await actContainment(plan(action), FAST);

    // THEN
    expect(outcome).toMatchObject({ action, outcome: 'failed', count: 500 });
    expect(outcome.failed?.map((f) => f.id)).toEqual(failing);
    expect(outcome.detail).toBe(`3 of 500 failed: ${failing.map((id) => `${id} (not stopped: InternalError: An internal error has occurred stopping ${id})`).join(', ')}`);
    expect([...account.instances.values()].filter((i) => i.state === 'stopped')).toHaveLength(497);
  });

  test('a step that fails as a whole is tried once more, and done if the second try works', async () => {
    // GIVEN
    ecs.on(UpdateServiceCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({});

    // WHEN
    const [outcome] = await actContainment(plan({ kind: 'scale-ecs-service-to-zero', service: 'xmr' }), FAST);

    // THEN
    expect(outcome.outcome).toBe('done');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(2);
  });

  test('a step that fails twice is failed with AWS\'s error, and the other steps still run', async () => {
    // GIVEN
    sageMaker.on(StopTrainingJobCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const ids = account.launch(1);

    // WHEN
    const outcomes = await actContainment(plan({ kind: 'stop-sagemaker-training-job', name: 'tj' }, { kind: 'stop-instances', instanceIds: ids }), FAST);

    // THEN
    expect(outcomes.map((o) => [o.outcome, o.detail])).toEqual([['failed', 'AccessDeniedException: not authorized'], ['done', undefined]]);
    expect(sageMaker.commandCalls(StopTrainingJobCommand)).toHaveLength(2);
  });

  test.each([
    ['ValidationException', 'Requested resource not found.', 'not-found'],
    ['ServiceNotFoundException', 'Service not found.', 'not-found'],
    ['ValidationException', 'The request was rejected because the training job is in status Completed.', 'already-done'],
  ])('%s "%s" is %s, without a retry', async (name, message, outcome) => {
    // GIVEN
    sageMaker.on(StopTrainingJobCommand).rejects(awsError(name, message));

    // WHEN
    const [result] = await actContainment(plan({ kind: 'stop-sagemaker-training-job', name: 'tj' }), FAST);

    // THEN
    expect([result.outcome, result.detail]).toEqual([outcome, `${name}: ${message}`]);
    expect(sageMaker.commandCalls(StopTrainingJobCommand)).toHaveLength(1);
  });

  test('instances EC2 does not know are not found, not done; terminated ones are already done', async () => {
    // GIVEN
    const [terminated] = account.launch(1, { state: 'terminated' });

    // WHEN
    const outcomes = await actContainment(plan(
      { kind: 'stop-instances', instanceIds: ['i-0000000000000dead'] },
      { kind: 'stop-instances', instanceIds: [terminated] },
    ), FAST);

    // THEN
    expect(outcomes.map((o) => [o.outcome, o.detail])).toEqual([
      ['not-found', '1 not found: i-0000000000000dead (EC2 does not know it in ap-southeast-2: never launched there, or terminated over an hour ago)'],
      ['already-done', `1 already gone: ${terminated} (already terminated)`],
    ]);
  });

  test('a plan without steps does nothing', async () => {
    expect(await actContainment(plan())).toEqual([]);
    for (const [mock] of SERVICES) expect(mock.calls()).toHaveLength(0);
  });
});

describe('describeOutcomes', () => {
  test('says, for each step, what was done, what was already so, what AWS does not know, and what a person must do by hand', () => {
    // GIVEN
    const ids = Array.from({ length: 12 }, (_, i) => `i-${i}`);
    const outcomes: ActionOutcome[] = [
      { action: { kind: 'stop-instances', instanceIds: ['i-0aaa'] }, outcome: 'done' },
      { action: { kind: 'stop-ecs-task', task: 'task-1' }, outcome: 'done', detail: 'not tagged: ECS service x: AccessDeniedException: denied.' },
      { action: { kind: 'stop-sagemaker-notebook', name: 'nb' }, outcome: 'already-done', detail: 'ValidationException: Status (Stopped) is not in InService.' },
      { action: { kind: 'stop-sagemaker-training-job', name: 'tj' }, outcome: 'not-found', detail: 'ValidationException: Requested resource not found.' },
      {
        action: { kind: 'stop-instances', instanceIds: ids },
        outcome: 'failed',
        count: 12,
        failed: [{ id: 'i-3', reason: 'not stopped: InternalError: boom' }],
        detail: '1 of 12 failed: i-3 (not stopped: InternalError: boom)',
      },
    ];

    // WHEN
    const lines = describeOutcomes(outcomes);

    // THEN AWS's own full stops are not doubled, and long id lists are counted
    expect(lines).toEqual([
      'Done: stop instance i-0aaa (turning off stop/termination protection first).',
      'Done: stop ECS task task-1; not tagged: ECS service x: AccessDeniedException: denied.',
      'Nothing to do: stop SageMaker notebook nb (ValidationException: Status (Stopped) is not in InService).',
      'Not found: stop SageMaker training job tj (ValidationException: Requested resource not found).',
      'FAILED: stop 12 instances: i-0, i-1, i-2, i-3, i-4, i-5, i-6, i-7, i-8, i-9 and 2 more (turning off stop/termination protection first): '
        + '1 of 12 failed: i-3 (not stopped: InternalError: boom). Do it by hand.',
    ]);
  });

  test('200 failures make a line of bounded size: the first ten are listed and the rest counted', async () => {
    // GIVEN
    const ids = account.launch(200);
    for (const id of ids) account.failingStops.set(id, 100);

    // WHEN
    const [line] = describeOutcomes(await actContainment(plan({ kind: 'stop-instances', instanceIds: ids }), FAST));

    // THEN
    expect(line).toMatch(/^FAILED: stop 200 instances: .* and 190 more \(.*\): 200 of 200 failed: .*, and 190 more\. Do it by hand\.$/);
    expect(Buffer.byteLength(line)).toBeLessThan(3000);
  });
});
