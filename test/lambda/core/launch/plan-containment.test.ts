import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { describeLaunch, LaunchedResource, LaunchRequest } from '../../../../lambda/core/launch/launch-request';
import { CONTAINMENT_TAGS, ContainmentAction, describeAction, IDS_LISTED, listIds, planContainment } from '../../../../lambda/core/launch/plan-containment';
import { LAUNCH_CONTAINMENT, LAUNCH_DETECTIONS, LaunchDetectionId } from '../../../../lib/catalog';
import { cloudTrailRecord, createComputeEnvironment, createTrainingJob, runInstances } from '../../../fixtures/documented-cloudtrail';
import { readJsonLines } from '../../../fixtures/real-events';

const NOW = new Date('2026-11-20T03:12:10Z');

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

/** The kinds of resource each launch detection's calls create. */
const KINDS_OF: Readonly<Partial<Record<LaunchDetectionId, ReadonlyArray<LaunchedResource['kind']>>>> = {
  'ec2-instance-launch': ['instance'],
  'ec2-instance-protection': ['instance'],
  'ec2-fleet-request': ['fleet', 'spot-fleet-request', 'spot-instance-request'],
  'autoscaling-capacity-change': ['autoscaling-group'],
  'ecs-task-launch': ['ecs-service', 'ecs-task'],
  'batch-compute-environment-change': ['batch-compute-environment'],
  'sagemaker-compute-launch': ['sagemaker-notebook', 'sagemaker-training-job', 'sagemaker-processing-job'],
};

const EMPTY: LaunchRequest = { instanceTypes: [], units: 0, protection: [], unprotection: [], resources: [], launchTemplates: [], unknowns: [] };

describe('planContainment', () => {
  const record = read(runInstances('p4d.24xlarge', 2, ['i-0aaa', 'i-0bbb'], { eventId: 'e-run' }));
  const request = describeLaunch(record);

  test('STOP stops every instance the call created, in one step, in the call\'s region, and tags them with the detection, time and event', () => {
    expect(planContainment(record, request, 'ec2-instance-launch', 'STOP', NOW)).toEqual({
      region: 'sa-east-1',
      actions: [{ kind: 'stop-instances', instanceIds: ['i-0aaa', 'i-0bbb'] }],
      tags: {
        'mining-guard:detection': 'ec2-instance-launch',
        'mining-guard:contained-at': '2026-11-20T03:12:10.000Z',
        'mining-guard:event-id': 'e-run',
      },
    });
  });

  test('QUARANTINE stops them too, and isolates them', () => {
    expect(planContainment(record, request, 'ec2-instance-launch', 'QUARANTINE', NOW).actions).toEqual([
      { kind: 'quarantine-instances', instanceIds: ['i-0aaa', 'i-0bbb'] },
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

  test('every kind of resource has its step, instances and Spot requests one step each, without repeats; launch templates and task definitions launch nothing and are left alone', () => {
    // GIVEN one resource of each kind
    const resources: LaunchedResource[] = [
      { kind: 'instance', id: 'i-1' },
      { kind: 'autoscaling-group', id: 'asg' },
      { kind: 'spot-fleet-request', id: 'sfr-1' },
      { kind: 'spot-instance-request', id: 'sir-1' },
      { kind: 'instance', id: 'i-2' },
      { kind: 'instance', id: 'i-1' },
      { kind: 'spot-instance-request', id: 'sir-2' },
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
      { kind: 'stop-instances', instanceIds: ['i-1', 'i-2'] },
      { kind: 'stop-autoscaling-group', groupName: 'asg' },
      { kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' },
      { kind: 'cancel-spot-instance-requests', requestIds: ['sir-1', 'sir-2'] },
      { kind: 'stop-fleet', fleetId: 'fleet-1' },
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
  const LIFTED = '(turning off stop/termination protection first)';
  test.each<[ContainmentAction, string]>([
    [{ kind: 'stop-instances', instanceIds: ['i-1'] }, `stop instance i-1 ${LIFTED}`],
    [{ kind: 'stop-instances', instanceIds: ['i-1', 'i-2'] }, `stop 2 instances: i-1, i-2 ${LIFTED}`],
    [{ kind: 'quarantine-instances', instanceIds: ['i-1'] },
      'quarantine and stop instance i-1 (turning off stop/termination protection first; every network interface into the guard\'s isolation group, instance profile detached)'],
    [{ kind: 'stop-autoscaling-group', groupName: 'asg' }, 'stop Auto Scaling group asg: suspend its launches, terminations and replacements, keep its capacity, stop its instances'],
    [{ kind: 'cancel-spot-fleet-request', requestId: 'sfr-1' }, 'cancel Spot fleet request sfr-1 without terminating its instances, then stop them'],
    [{ kind: 'cancel-spot-instance-requests', requestIds: ['sir-1'] }, 'cancel Spot instance request sir-1, then stop their instances'],
    [{ kind: 'stop-fleet', fleetId: 'fleet-1' },
      'stop EC2 fleet fleet-1: delete it without terminating its instances (an instant fleet is left as it is), then stop them'],
    [{ kind: 'scale-ecs-service-to-zero', service: 'svc', cluster: 'c1' }, 'set ECS service svc to 0 tasks'],
    [{ kind: 'stop-ecs-task', task: 'task' }, 'stop ECS task task'],
    [{ kind: 'disable-batch-compute-environment', computeEnvironment: 'ce' }, 'disable Batch compute environment ce'],
    [{ kind: 'stop-sagemaker-notebook', name: 'nb' }, 'stop SageMaker notebook nb'],
    [{ kind: 'stop-sagemaker-training-job', name: 'tj' }, 'stop SageMaker training job tj'],
    [{ kind: 'stop-sagemaker-processing-job', name: 'pj' }, 'stop SageMaker processing job pj'],
  ])('%j reads "%s"', (action, text) => {
    expect(describeAction(action)).toBe(text);
  });

  test('a step on many resources lists the first ten and counts the rest, so its line stays short', () => {
    // GIVEN
    const ids = Array.from({ length: 10_000 }, (_, i) => `i-${String(i).padStart(17, '0')}`);

    // WHEN
    const text = describeAction({ kind: 'stop-instances', instanceIds: ids });

    // THEN
    expect(text).toBe(`stop 10000 instances: ${ids.slice(0, IDS_LISTED).join(', ')} and 9990 more ${LIFTED}`);
  });
});

describe('listIds', () => {
  test('names one id, lists up to ten, and counts the rest', () => {
    expect(listIds('fleet', ['f-1'])).toBe('fleet f-1');
    expect(listIds('fleet', ['f-1', 'f-2'])).toBe('2 fleets: f-1, f-2');
    expect(listIds('x', Array.from({ length: 11 }, (_, i) => String(i)))).toBe('11 xs: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 1 more');
  });
});

describe('the planned kinds', () => {
  test('each detection plans only the kinds of step the catalog grants it for that response', () => {
    // GIVEN every resource kind at once, planned for every containing response of every launch detection
    const resources: LaunchedResource[] = (['instance', 'autoscaling-group', 'spot-fleet-request', 'spot-instance-request', 'fleet', 'ecs-service',
      'ecs-task', 'batch-compute-environment', 'sagemaker-notebook', 'sagemaker-training-job', 'sagemaker-processing-job'] as const)
      .map((kind) => ({ kind, id: `${kind}-1` }));
    const call = read(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {}));
    for (const d of LAUNCH_DETECTIONS) {
      for (const response of d.responses.filter((r) => r !== 'NOTIFY')) {
        // WHEN the detection's own calls are planned
        const own = resources.filter((r) => KINDS_OF[d.id]?.includes(r.kind));
        const kinds = planContainment(call, { ...EMPTY, resources: own }, d.id, response, NOW).actions.map((a) => a.kind).sort();
        // THEN
        expect([d.id, response, kinds]).toEqual([d.id, response, [...(LAUNCH_CONTAINMENT[d.id]?.[response] ?? [])].sort()]);
      }
    }
  });
});
