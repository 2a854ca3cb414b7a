import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { describeLaunch, LaunchedResource, LaunchRequest } from '../../../../lambda/core/launch/launch-request';
import { CONTAINMENT_TAGS, ContainmentAction, describeAction, planContainment } from '../../../../lambda/core/launch/plan-containment';
import { cloudTrailRecord, createComputeEnvironment, createTrainingJob, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const NOW = new Date('2026-11-20T03:12:10Z');

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

const EMPTY: LaunchRequest = { instanceTypes: [], units: 0, protection: [], unprotection: [], resources: [], launchTemplates: [], unknowns: [] };

describe('planContainment', () => {
  const record = read(runInstances('p4d.24xlarge', 2, ['i-0aaa', 'i-0bbb'], { eventId: 'e-run' }));
  const request = describeLaunch(record);

  test('STOP stops every instance the call created, in the call\'s region, and tags them with the detection, time and event', () => {
    expect(planContainment(record, request, 'ec2-instance-launch', 'STOP', NOW)).toEqual({
      region: 'sa-east-1',
      actions: [
        { kind: 'stop-instance', instanceId: 'i-0aaa', quarantine: false },
        { kind: 'stop-instance', instanceId: 'i-0bbb', quarantine: false },
      ],
      tags: {
        'mining-guard:detection': 'ec2-instance-launch',
        'mining-guard:contained-at': '2026-11-20T03:12:10.000Z',
        'mining-guard:event-id': 'e-run',
      },
    });
  });

  test('QUARANTINE stops them too, and isolates them', () => {
    expect(planContainment(record, request, 'ec2-instance-launch', 'QUARANTINE', NOW).actions).toEqual([
      { kind: 'stop-instance', instanceId: 'i-0aaa', quarantine: true },
      { kind: 'stop-instance', instanceId: 'i-0bbb', quarantine: true },
    ]);
  });

  test('NOTIFY plans nothing, but still names the tags', () => {
    const plan = planContainment(record, request, 'ec2-instance-launch', 'NOTIFY', NOW);
    expect(plan.actions).toEqual([]);
    expect(plan.tags[CONTAINMENT_TAGS.event]).toBe('e-run');
  });

  test('a real refused launch created nothing, so there is nothing to stop', () => {
    const invictus = readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl');
    const refused = read(invictus.find((r) => r.eventID === '8e865acb-b1e1-41d1-bdf3-47462f79d24c'));
    expect(planContainment(refused, describeLaunch(refused), 'ec2-instance-launch', 'STOP', NOW)).toEqual({
      region: 'us-east-1',
      actions: [],
      tags: {
        'mining-guard:detection': 'ec2-instance-launch',
        'mining-guard:contained-at': '2026-11-20T03:12:10.000Z',
        'mining-guard:event-id': '8e865acb-b1e1-41d1-bdf3-47462f79d24c',
      },
    });
  });

  test('a Batch environment is disabled and a training job stopped, by the names their calls gave', () => {
    const batch = read(createComputeEnvironment('miners', ['p3'], 2000));
    expect(planContainment(batch, describeLaunch(batch), 'batch-compute-environment-change', 'STOP', NOW).actions).toEqual([
      { kind: 'disable-batch-compute-environment', computeEnvironment: 'arn:aws:batch:sa-east-1:123456789012:compute-environment/miners' },
    ]);
    const training = read(createTrainingJob('tj', 'ml.p4d.24xlarge', 4));
    expect(planContainment(training, describeLaunch(training), 'sagemaker-compute-launch', 'STOP', NOW).actions).toEqual([
      { kind: 'stop-sagemaker-training-job', name: 'tj' },
    ]);
  });

  test('every kind of resource has its step; launch templates and task definitions launch nothing and are left alone', () => {
    // GIVEN one resource of each kind
    const resources: LaunchedResource[] = [
      { kind: 'instance', id: 'i-1' },
      { kind: 'autoscaling-group', id: 'asg' },
      { kind: 'spot-fleet-request', id: 'sfr-1' },
      { kind: 'spot-instance-request', id: 'sir-1' },
      { kind: 'fleet', id: 'fleet-1' },
      { kind: 'ecs-service', id: 'svc', cluster: 'c1' },
      { kind: 'ecs-task', id: 'task', cluster: 'c1' },
      { kind: 'batch-compute-environment', id: 'ce' },
      { kind: 'sagemaker-notebook', id: 'nb' },
      { kind: 'sagemaker-training-job', id: 'tj' },
      { kind: 'sagemaker-processing-job', id: 'pj' },
      { kind: 'launch-template', id: 'lt-1' },
      { kind: 'task-definition', id: 'arn:aws:ecs:sa-east-1:123456789012:task-definition/miner:1' },
    ];
    const call = read(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {}));
    // WHEN
    const plan = planContainment(call, { ...EMPTY, resources }, 'ec2-instance-launch', 'STOP', NOW);
    // THEN
    expect(plan.actions).toEqual([
      { kind: 'stop-instance', instanceId: 'i-1', quarantine: false },
      { kind: 'scale-autoscaling-group-to-zero', groupName: 'asg' },
      { kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' },
      { kind: 'cancel-spot-instance-request', requestId: 'sir-1' },
      { kind: 'delete-fleet-keep-instances', fleetId: 'fleet-1' },
      { kind: 'scale-ecs-service-to-zero', service: 'svc', cluster: 'c1' },
      { kind: 'stop-ecs-task', task: 'task', cluster: 'c1' },
      { kind: 'disable-batch-compute-environment', computeEnvironment: 'ce' },
      { kind: 'stop-sagemaker-notebook', name: 'nb' },
      { kind: 'stop-sagemaker-training-job', name: 'tj' },
      { kind: 'stop-sagemaker-processing-job', name: 'pj' },
    ]);
  });
});

describe('describeAction', () => {
  test.each<[ContainmentAction, string]>([
    [{ kind: 'stop-instance', instanceId: 'i-1', quarantine: false }, 'stop instance i-1 (turning off stop/termination protection first)'],
    [{ kind: 'stop-instance', instanceId: 'i-1', quarantine: true },
      'quarantine and stop instance i-1 (turning off stop/termination protection first)'],
    [{ kind: 'scale-autoscaling-group-to-zero', groupName: 'asg' }, 'scale Auto Scaling group asg to 0 and suspend Launch'],
    [{ kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' }, 'cancel Spot fleet request sfr-1 without terminating its instances'],
    [{ kind: 'cancel-spot-instance-request', requestId: 'sir-1' }, 'cancel Spot instance request sir-1'],
    [{ kind: 'delete-fleet-keep-instances', fleetId: 'fleet-1' }, 'delete EC2 fleet fleet-1 without terminating its instances'],
    [{ kind: 'scale-ecs-service-to-zero', service: 'svc', cluster: 'c1' }, 'set ECS service svc to 0 tasks'],
    [{ kind: 'stop-ecs-task', task: 'task' }, 'stop ECS task task'],
    [{ kind: 'disable-batch-compute-environment', computeEnvironment: 'ce' }, 'disable Batch compute environment ce'],
    [{ kind: 'stop-sagemaker-notebook', name: 'nb' }, 'stop SageMaker notebook nb'],
    [{ kind: 'stop-sagemaker-training-job', name: 'tj' }, 'stop SageMaker training job tj'],
    [{ kind: 'stop-sagemaker-processing-job', name: 'pj' }, 'stop SageMaker processing job pj'],
  ])('%j reads "%s"', (action, text) => {
    expect(describeAction(action)).toBe(text);
  });
});
