import * as fc from 'fast-check';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { describeLaunch, isLaunchEventName, LAUNCH_REQUEST_READERS, LaunchRequest } from '../../../../lambda/core/launch/launch-request';
import { LAUNCH_DETECTIONS } from '../../../../lib/catalog';
import {
  cloudTrailRecord, createComputeEnvironment, createNotebookInstance, createProcessingJob, createTrainingJob, runInstances, updateComputeEnvironment,
} from '../../../fixtures/documented-cloudtrail';
import { createService, minerContainer, registerTaskDefinition, runTask, taskDefinitionArn } from '../../../fixtures/documented-ecs';
import { readJsonLines } from '../../../fixtures/real-events';

const REAL = [
  ...readJsonLines('cloudtrail/attack/invictus_stratus_2023-07-10.jsonl'),
  ...readJsonLines('cloudtrail/attack/stratus_detonation_logs.jsonl'),
  ...readJsonLines('cloudtrail/benign/awsdocs_cloudtrail_examples.jsonl'),
];

const EMPTY: LaunchRequest = { instanceTypes: [], units: 0, protection: [], unprotection: [], resources: [], launchTemplates: [], unknowns: [] };

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

const described = (value: unknown) => describeLaunch(read(value));
const real = (eventId: string) => described(REAL.find((r) => r.eventID === eventId));

describe('the readers', () => {
  test('there is one for every call a launch detection selects, and none for anything else', () => {
    const selected = [...new Set(LAUNCH_DETECTIONS.flatMap((d) => d.signal.eventNames))].sort();
    expect(Object.keys(LAUNCH_REQUEST_READERS).sort()).toEqual(selected);
  });

  test.each(['StopLogging', 'TerminateInstances', 'constructor', 'toString', '__proto__', ''])('%p is not a launch call', (name) => {
    expect(isLaunchEventName(name)).toBe(false);
  });

  test('a call no detection selects is refused with what to check', () => {
    expect(() => described(REAL.find((r) => r.eventName === 'StopLogging')))
      .toThrow('StopLogging is not a launch call: the catalog selects none by that name');
  });
});

describe('EC2 instances, in the real public logs', () => {
  test('the Stratus role\'s refused launch asked for 10 x p2.xlarge and created nothing', () => {
    expect(real('8e865acb-b1e1-41d1-bdf3-47462f79d24c')).toEqual({ ...EMPTY, instanceTypes: [{ type: 'p2.xlarge', count: 10 }], units: 10 });
  });

  test('Terraform\'s launch created one t3.micro, and names it', () => {
    expect(real('86eac0ac-8521-4126-aa32-a22f2b74d02e')).toEqual({
      ...EMPTY, instanceTypes: [{ type: 't3.micro', count: 1 }], units: 1, resources: [{ kind: 'instance', id: 'i-0dbc91f429e48eeed' }],
    });
  });

  test('StartInstances names the instances it starts, without their type', () => {
    expect(real('55e470c0-611d-4549-ad87-a7c830a75063'))
      .toEqual({ ...EMPTY, units: 1, resources: [{ kind: 'instance', id: 'i-DDd6c7B0e18F0E35f' }] });
  });

  test('the Stratus user-data rewrite is new user data on the instance', () => {
    expect(real('f634894e-d625-4b7b-b1c1-50354cc1100e'))
      .toEqual({ ...EMPTY, protection: ['user-data'], resources: [{ kind: 'instance', id: 'i-DDd6c7B0e18F0E35f' }] });
  });

  test('Terraform turning termination protection off is unprotection, not protection', () => {
    expect(real('104596ab-1765-43cf-8e7e-57dc1f676224')).toEqual({
      ...EMPTY, unprotection: ['termination'], resources: [{ kind: 'instance', id: 'i-05c30218156bcc246' }],
    });
  });
});

describe('EC2 instances, in the documented shapes', () => {
  test('RunInstances with protection turned on at launch', () => {
    expect(described(runInstances('p4d.24xlarge', 2, ['i-0aaa', 'i-0bbb'], { protect: true }))).toEqual({
      ...EMPTY,
      instanceTypes: [{ type: 'p4d.24xlarge', count: 2 }],
      units: 2,
      protection: ['termination', 'stop'],
      resources: [{ kind: 'instance', id: 'i-0aaa' }, { kind: 'instance', id: 'i-0bbb' }],
    });
  });

  test('RunInstances from a launch template, refused, leaves the template to be looked up', () => {
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
      instancesSet: { items: [{ minCount: 1, maxCount: 4 }] }, launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '2' },
    }, null, { errorCode: 'Client.VcpuLimitExceeded' });
    expect(described(record))
      .toEqual({ ...EMPTY, units: 4, launchTemplates: [{ id: 'lt-0a1b2c3d4e5f6a7b8', name: undefined, version: '2', count: 4 }] });
  });

  test.each([
    ['a flag object', { disableApiStop: { value: true } }, { protection: ['stop'], unprotection: [] }],
    ['the attribute and value form', { attribute: 'disableApiTermination', value: 'true' }, { protection: ['termination'], unprotection: [] }],
    ['the attribute and value form, off', { attribute: 'disableApiStop', value: false }, { protection: [], unprotection: ['stop'] }],
    ['the user data attribute', { attribute: 'userData' }, { protection: ['user-data'], unprotection: [] }],
    ['a value that is no boolean', { disableApiTermination: { value: 'maybe' } }, { protection: [], unprotection: [] }],
  ])('ModifyInstanceAttribute with %s', (_name, parameters, expected) => {
    const request = described(cloudTrailRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-0aaa', ...parameters }));
    expect(request).toEqual({ ...EMPTY, ...expected, resources: [{ kind: 'instance', id: 'i-0aaa' }] });
  });

  test('a successful RunInstances from a launch template counts each instance of each type the response names', () => {
    // GIVEN a launch from a template (no type in the request) that started 10 p4d.24xlarge and 2 p5.48xlarge
    const items = [...Array.from({ length: 10 }, (_, i) => ({ instanceId: `i-0p4d${i}`, instanceType: 'p4d.24xlarge' })),
      { instanceId: 'i-0p5a', instanceType: 'p5.48xlarge' }, { instanceId: 'i-0p5b', instanceType: 'p5.48xlarge' }];
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RunInstances',
      { instancesSet: { items: [{ minCount: 12, maxCount: 12 }] }, launchTemplate: { launchTemplateId: 'lt-0abc', version: '3' } },
      { instancesSet: { items } });
    // WHEN
    const request = described(record);
    // THEN
    expect(request.instanceTypes).toEqual([{ type: 'p4d.24xlarge', count: 10 }, { type: 'p5.48xlarge', count: 2 }]);
    expect(request.units).toBe(12);
    expect(request.launchTemplates).toEqual([]);
  });
});

describe('fleets and Spot', () => {
  test('CreateFleet: each override may take the whole target capacity', () => {
    const record = cloudTrailRecord('ec2.amazonaws.com', 'CreateFleet', {
      CreateFleetRequest: {
        TargetCapacitySpecification: { TotalTargetCapacity: 30 },
        LaunchTemplateConfigs: {
          item: { Overrides: { item: [{ InstanceType: 'p3.16xlarge' }, { InstanceType: 'g5.12xlarge' }, { InstanceType: 'p3.16xlarge' }] } },
        },
      },
    }, { CreateFleetResponse: { fleetId: 'fleet-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' } });
    expect(described(record)).toEqual({
      ...EMPTY,
      instanceTypes: [{ type: 'p3.16xlarge', count: 30 }, { type: 'g5.12xlarge', count: 30 }],
      units: 30,
      resources: [{ kind: 'fleet', id: 'fleet-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' }],
    });
  });

  test('RequestSpotFleet: the target capacity, of the launch specifications\' types', () => {
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', {
      spotFleetRequestConfig: { targetCapacity: '50', launchSpecifications: { item: [{ instanceType: 'g5.12xlarge' }] } },
    }, { spotFleetRequestId: 'sfr-123' });
    expect(described(record)).toEqual({
      ...EMPTY, instanceTypes: [{ type: 'g5.12xlarge', count: 50 }], units: 50, resources: [{ kind: 'spot-fleet-request', id: 'sfr-123' }],
    });
  });

  test('RequestSpotInstances: the instance count, and the requests it opened', () => {
    const request = { instanceCount: 20, launchSpecification: { instanceType: 'c5.24xlarge' } };
    const response = { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: 'sir-1' }, { spotInstanceRequestId: 'sir-2' }] } };
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotInstances', request, response);
    expect(described(record)).toEqual({
      ...EMPTY,
      instanceTypes: [{ type: 'c5.24xlarge', count: 20 }],
      units: 20,
      resources: [{ kind: 'spot-instance-request', id: 'sir-1' }, { kind: 'spot-instance-request', id: 'sir-2' }],
    });
  });

  test('a Spot fleet from a launch template names the template, with the capacity it may start', () => {
    const record = cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', {
      spotFleetRequestConfig: {
        targetCapacity: 12,
        launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateName: 'xmrig', version: '$Latest' } }],
      },
    });
    expect(described(record).launchTemplates).toEqual([{ id: undefined, name: 'xmrig', version: '$Latest', count: 12 }]);
  });
});

describe('launch templates and Auto Scaling', () => {
  test('CreateLaunchTemplate and CreateLaunchTemplateVersion state the type of one instance', () => {
    expect(described(cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplate', {
      CreateLaunchTemplateRequest: { LaunchTemplateName: 'x', LaunchTemplateData: { InstanceType: 'p5.48xlarge' } },
    }))).toEqual({ ...EMPTY, instanceTypes: [{ type: 'p5.48xlarge', count: 1 }] });
    expect(described(cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplateVersion', {
      CreateLaunchTemplateVersionRequest: { LaunchTemplateData: {} },
    }))).toEqual(EMPTY);
  });

  test('CreateAutoScalingGroup: the largest of min, desired and max, on each override', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
      autoScalingGroupName: 'asg-1',
      minSize: 20,
      desiredCapacity: 40,
      maxSize: 999,
      mixedInstancesPolicy: {
        launchTemplate: { launchTemplateSpecification: { launchTemplateName: 'base' }, overrides: [{ instanceType: 'g4dn.12xlarge' }] },
      },
    });
    expect(described(record)).toEqual({
      ...EMPTY, instanceTypes: [{ type: 'g4dn.12xlarge', count: 999 }], units: 999, resources: [{ kind: 'autoscaling-group', id: 'asg-1' }],
    });
  });

  test('a group from a mixed instances policy without overrides names the template inside the policy', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
      autoScalingGroupName: 'asg-1',
      minSize: 0,
      maxSize: 6,
      mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: 'lt-0123456789abcdef0', version: '$Default' } } },
    });
    expect(described(record).launchTemplates).toEqual([{ id: 'lt-0123456789abcdef0', name: undefined, version: '$Default', count: 6 }]);
  });

  test('SetDesiredCapacity and UpdateAutoScalingGroup change the capacity of a named group', () => {
    expect(described(cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'asg-1', desiredCapacity: 100 })))
      .toEqual({ ...EMPTY, units: 100, resources: [{ kind: 'autoscaling-group', id: 'asg-1' }] });
    expect(described(cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', { autoScalingGroupName: 'asg-1', maxSize: '500' })))
      .toEqual({ ...EMPTY, units: 500, resources: [{ kind: 'autoscaling-group', id: 'asg-1' }] });
  });
});

describe('ECS', () => {
  test('CreateCluster starts nothing', () => {
    expect(described(cloudTrailRecord('ecs.amazonaws.com', 'CreateCluster', { clusterName: 'c1' }))).toEqual(EMPTY);
  });

  test('RegisterTaskDefinition: the task\'s CPU units in vCPUs, and the definition it registered', () => {
    const request = { family: 'miner', cpu: '16384', memory: '32768', requiresCompatibilities: ['FARGATE'] };
    const response = { taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:sa-east-1:123456789012:task-definition/miner:1' } };
    const record = cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', request, response);
    expect(described(record)).toEqual({
      ...EMPTY, taskVcpus: 16, resources: [{ kind: 'task-definition', id: 'arn:aws:ecs:sa-east-1:123456789012:task-definition/miner:1' }],
    });
  });

  test('a task definition without a task size is the sum of its containers\'', () => {
    const record = cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', {
      family: 'miner', containerDefinitions: [{ name: 'a', cpu: 2048 }, { name: 'b', cpu: '1024' }, { name: 'c' }],
    });
    expect(described(record).taskVcpus).toBe(3);
  });

  test('CreateService and UpdateService: the desired count of the service, in its cluster', () => {
    expect(described(cloudTrailRecord('ecs.amazonaws.com', 'CreateService', { serviceName: 's', cluster: 'c1', desiredCount: 40 }, {
      service: { serviceArn: 'arn:aws:ecs:sa-east-1:123456789012:service/c1/s', clusterArn: 'arn:aws:ecs:sa-east-1:123456789012:cluster/c1' },
    }))).toEqual({
      ...EMPTY,
      units: 40,
      resources: [{
        kind: 'ecs-service', id: 'arn:aws:ecs:sa-east-1:123456789012:service/c1/s', cluster: 'arn:aws:ecs:sa-east-1:123456789012:cluster/c1',
      }],
    });
    expect(described(cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 's', cluster: 'c1', desiredCount: 40 })))
      .toEqual({ ...EMPTY, units: 40, resources: [{ kind: 'ecs-service', id: 's', cluster: 'c1' }] });
  });

  test('RunTask: the count asked for, and each task started', () => {
    const record = cloudTrailRecord('ecs.amazonaws.com', 'RunTask', { taskDefinition: 'miner:1', cluster: 'c1', count: 2, launchType: 'FARGATE' }, {
      tasks: [
        { taskArn: 'arn:aws:ecs:sa-east-1:123456789012:task/c1/aaa', clusterArn: 'arn:aws:ecs:sa-east-1:123456789012:cluster/c1' },
        { taskArn: 'arn:aws:ecs:sa-east-1:123456789012:task/c1/bbb' },
        { lastStatus: 'PROVISIONING' },
      ],
    });
    expect(described(record)).toEqual({
      ...EMPTY,
      units: 2,
      taskDefinition: 'miner:1',
      resources: [
        { kind: 'ecs-task', id: 'arn:aws:ecs:sa-east-1:123456789012:task/c1/aaa', cluster: 'arn:aws:ecs:sa-east-1:123456789012:cluster/c1' },
        { kind: 'ecs-task', id: 'arn:aws:ecs:sa-east-1:123456789012:task/c1/bbb', cluster: 'c1' },
      ],
    });
  });

  test('a service or a task names the definition it runs: the revision ECS answers with, else the one asked for', () => {
    expect(described(createService('xmr', 'miner', 10, { responseDefinition: taskDefinitionArn('miner', 7) })).taskDefinition)
      .toBe(taskDefinitionArn('miner', 7));
    expect(described(createService('xmr', 'miner', 10, { errorCode: 'AccessDeniedException' })).taskDefinition).toBe('miner');
    expect(described(runTask('miner', 2, { startedFrom: taskDefinitionArn('miner', 7) })).taskDefinition).toBe(taskDefinitionArn('miner', 7));
    expect(described(cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 'xmr', taskDefinition: 'miner:8', desiredCount: 10 })).taskDefinition)
      .toBe('miner:8');
    expect(described(cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 'xmr', desiredCount: 10 })).taskDefinition).toBeUndefined();
  });

  test('RunTask may size its tasks itself: a task CPU override and the GPUs container overrides ask for', () => {
    const overrides = { cpu: '16 vCPU', containerOverrides: [{ name: 'xmrig', resourceRequirements: [{ type: 'GPU', value: '2' }] }] };
    expect(described(runTask('small:1', 4, { overrides }))).toMatchObject({ units: 4, taskVcpus: 16, taskGpus: 2, taskDefinition: taskDefinitionArn('small', 1) });
    expect(described(runTask('small:1', 4, { overrides: { cpu: 'abc' } })).taskVcpus).toBeUndefined();
  });

  test('RegisterTaskDefinition: the GPUs its containers ask for, and the larger of the definition asked for and the one registered', () => {
    const record = registerTaskDefinition('gpu-miner', { compatibility: 'EC2', containerDefinitions: [minerContainer(4096, 4)] });
    expect(described(record)).toMatchObject({ taskVcpus: 4, taskGpus: 4, resources: [{ kind: 'task-definition', id: taskDefinitionArn('gpu-miner', 1) }] });
    const trimmed = { ...record, responseElements: { taskDefinition: { taskDefinitionArn: taskDefinitionArn('gpu-miner', 1), cpu: '256' } } };
    expect(described(trimmed)).toMatchObject({ taskVcpus: 4, taskGpus: 4 });
  });

  test.each([
    ['a numeric string', 10, '10'], ['a word', 0, 'ten'], ['a negative count', 0, -5], ['a fraction', 3, 2.5], ['1e9 tasks', 1e9, 1e9],
    ['1e300 tasks', 1e9, 1e300], ['null', 0, null], ['an object', 0, { n: 10 }],
  ])('a desired count of %s is %d tasks', (_, units, desiredCount) => {
    expect(described(createService('xmr', 'miner:1', desiredCount)).units).toBe(units);
  });

  test.each([['a word', 1, 'ten'], ['a negative count', 0, -3], ['a numeric string', 4, '4']])('a RunTask count of %s is %d tasks', (_, units, count) => {
    expect(described(runTask('miner:1', count)).units).toBe(units);
  });

  test.each([[true], [{ arn: 'x' }], [['miner:1']], [null]])('a task definition that is no string (%p) is not named', (taskDefinition) => {
    expect(described(createService('xmr', taskDefinition, 10, { responseDefinition: undefined })).taskDefinition).toBeUndefined();
    expect(described(runTask(taskDefinition, 1)).taskDefinition).toBeUndefined();
  });

  test.each([
    ['16 vCPU', 16], ['0.25 vcpu', 0.25], [' 4 vCPU ', 4], ['16384', 16], [16384, 16],
  ])('a task size written as %p is %d vCPUs, as ECS reads it', (cpu, vcpus) => {
    expect(described(cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'miner', cpu })).taskVcpus).toBe(vcpus);
  });

  test.each(['sixteen', '-1024', '', null])('a task size ECS would refuse (%p) falls back to the containers\' units', (cpu) => {
    const record = cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'miner', cpu, containerDefinitions: [{ cpu: 2048 }] });
    expect(described(record).taskVcpus).toBe(2);
  });
});

describe('Batch and SageMaker', () => {
  test('a Batch environment states its vCPUs; `optimal` is no instance type', () => {
    expect(described(createComputeEnvironment('miners', ['p3', 'optimal', 'g5.48xlarge'], 2000))).toEqual({
      ...EMPTY,
      instanceTypes: [{ type: 'p3', count: 1 }, { type: 'g5.48xlarge', count: 1 }],
      statedVcpus: 2000,
      resources: [{ kind: 'batch-compute-environment', id: 'arn:aws:batch:sa-east-1:123456789012:compute-environment/miners' }],
    });
    expect(described(updateComputeEnvironment('miners', [], 4096))).toMatchObject({ instanceTypes: [], statedVcpus: 4096 });
  });

  test.each<[string, unknown, string[]]>([
    ['a lone string', 'p4d.24xlarge', ['p4d.24xlarge']],
    ['a number', 5, []],
    ['null', null, []],
    ['an object', { instanceTypes: 'p4d.24xlarge' }, []],
    ['a list of anything', [1, ['g5.48xlarge'], null, 'p3'], ['p3']],
  ])('a Batch instanceTypes that is %s is read without throwing, each type named as a string judged', (_name, instanceTypes, types) => {
    const record = createComputeEnvironment('miners', [], 96);
    (record.requestParameters as { computeResources: Record<string, unknown> }).computeResources.instanceTypes = instanceTypes;
    expect(described(record).instanceTypes.map((t) => t.type)).toEqual(types);
  });

  test.each([
    ['a notebook', createNotebookInstance('nb', 'ml.p3.16xlarge'), [{ type: 'ml.p3.16xlarge', count: 1 }], 1,
      { kind: 'sagemaker-notebook', id: 'nb' }],
    ['a training job', createTrainingJob('tj', 'ml.g5.48xlarge', 4), [{ type: 'ml.g5.48xlarge', count: 4 }], 4,
      { kind: 'sagemaker-training-job', id: 'tj' }],
    ['a processing job', createProcessingJob('pj', 'ml.p4d.24xlarge', 2), [{ type: 'ml.p4d.24xlarge', count: 2 }], 2,
      { kind: 'sagemaker-processing-job', id: 'pj' }],
  ])('SageMaker %s: its instances, and its name', (_name, record, instanceTypes, units, resource) => {
    expect(described(record)).toEqual({ ...EMPTY, instanceTypes, units, resources: [resource] });
  });

  test('an endpoint configuration adds up its variants', () => {
    const record = cloudTrailRecord('sagemaker.amazonaws.com', 'CreateEndpointConfig', {
      endpointConfigName: 'ec',
      productionVariants: [
        { instanceType: 'ml.g5.2xlarge', initialInstanceCount: 20 },
        { instanceType: 'ml.p3.2xlarge' },
        { variantName: 'serverless' },
      ],
    });
    expect(described(record))
      .toEqual({ ...EMPTY, instanceTypes: [{ type: 'ml.g5.2xlarge', count: 20 }, { type: 'ml.p3.2xlarge', count: 1 }], units: 21 });
  });
});

describe('quota increases', () => {
  test('name the service, the quota and the value asked for', () => {
    const request = { serviceCode: 'ec2', quotaCode: 'L-417A185B', desiredValue: 1024 };
    const record = cloudTrailRecord('servicequotas.amazonaws.com', 'RequestServiceQuotaIncrease', request);
    expect(described(record)).toEqual({ ...EMPTY, quota: { serviceCode: 'ec2', quotaCode: 'L-417A185B', desiredValue: 1024 } });
  });

  test('a request without a service code is for an unknown service', () => {
    expect(described(cloudTrailRecord('servicequotas.amazonaws.com', 'RequestServiceQuotaIncrease', null)).quota)
      .toEqual({ serviceCode: 'unknown', quotaCode: undefined, desiredValue: undefined });
  });
});

describe('hostile requests', () => {
  /** For each reader, a request in its documented shape and the fields it reads. */
  const SHAPES: Array<[string, string, Record<string, unknown>, string[]]> = [
    ['ec2.amazonaws.com', 'RunInstances', { instancesSet: { items: [{ maxCount: 4 }] }, instanceType: 'p3.2xlarge', disableApiTermination: true },
      ['instancesSet', 'instancesSet.items', 'instanceType', 'disableApiTermination', 'launchTemplate']],
    ['ec2.amazonaws.com', 'StartInstances', { instancesSet: { items: [{ instanceId: 'i-1' }] } }, ['instancesSet', 'instancesSet.items']],
    ['ec2.amazonaws.com', 'ModifyInstanceAttribute', { instanceId: 'i-1', disableApiStop: { value: true } },
      ['instanceId', 'disableApiStop', 'attribute', 'value', 'userData']],
    ['ec2.amazonaws.com', 'CreateFleet', { CreateFleetRequest: { TargetCapacitySpecification: { TotalTargetCapacity: 3 } } },
      ['CreateFleetRequest', 'LaunchTemplateConfigs']],
    ['ec2.amazonaws.com', 'RequestSpotFleet', { spotFleetRequestConfig: { targetCapacity: 3 } }, ['spotFleetRequestConfig', 'launchTemplateConfigs']],
    ['ec2.amazonaws.com', 'RequestSpotInstances', { instanceCount: 3 }, ['instanceCount', 'launchSpecification']],
    ['autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'a', maxSize: 3 },
      ['autoScalingGroupName', 'maxSize', 'mixedInstancesPolicy', 'launchTemplate']],
    ['ecs.amazonaws.com', 'RegisterTaskDefinition', { cpu: '1024', containerDefinitions: [{ cpu: 1024, resourceRequirements: [{ type: 'GPU', value: '1' }] }] },
      ['cpu', 'containerDefinitions', 'family']],
    ['ecs.amazonaws.com', 'RunTask', { count: 3, taskDefinition: 'miner:1', overrides: { cpu: '4096', containerOverrides: [] } },
      ['count', 'cluster', 'taskDefinition', 'overrides', 'overrides.cpu', 'overrides.containerOverrides']],
    ['ecs.amazonaws.com', 'CreateService', { desiredCount: 3, taskDefinition: 'miner:1' }, ['desiredCount', 'service', 'serviceName', 'cluster', 'taskDefinition']],
    ['ecs.amazonaws.com', 'UpdateService', { desiredCount: 3, service: 's' }, ['desiredCount', 'service', 'taskDefinition']],
    ['batch.amazonaws.com', 'CreateComputeEnvironment', { computeResources: { maxvCpus: 3 } },
      ['computeEnvironmentName', 'computeResources.maxvCpus', 'computeResources.instanceTypes']],
    ['sagemaker.amazonaws.com', 'CreateTrainingJob', { resourceConfig: { instanceType: 'ml.p3.2xlarge' } },
      ['resourceConfig', 'resourceConfig.instanceCount', 'trainingJobName']],
    ['sagemaker.amazonaws.com', 'CreateEndpointConfig', { productionVariants: [] }, ['productionVariants']],
    ['servicequotas.amazonaws.com', 'RequestServiceQuotaIncrease', { serviceCode: 'ec2' }, ['serviceCode', 'desiredValue']],
  ];

  function withValueAt(request: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const [head, ...rest] = path.split('.');
    if (rest.length === 0) return { ...request, [head]: value };
    const inner = request[head];
    const within = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? inner as Record<string, unknown> : {};
    return { ...request, [head]: withValueAt(within, rest.join('.'), value) };
  }

  test('any value in any field a reader reads, and any response, gives a request of counts and names, never an error', () => {
    const cases = fc.constantFrom(...SHAPES).chain(([source, name, request, paths]) => fc.record({
      source: fc.constant(source),
      name: fc.constant(name),
      request: fc.constant(request),
      path: fc.constantFrom(...paths),
      value: fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 100 })),
      response: fc.jsonValue(),
    }));
    fc.assert(fc.property(cases, ({ source, name, request, path, value, response }) => {
      const launch = described(cloudTrailRecord(source, name, withValueAt(request, path, value), response));
      for (const { type, count } of launch.instanceTypes) {
        expect(typeof type).toBe('string');
        expect(typeof count).toBe('number');
      }
      expect(typeof launch.units).toBe('number');
      for (const r of launch.resources) expect(typeof r.id).toBe('string');
    }), { numRuns: 500 });
  });

  test('any request and response of any launch call are read without an error', () => {
    const calls = LAUNCH_DETECTIONS.flatMap((d) => d.signal.eventNames.map((n) => [d.signal.eventSource, n] as const));
    fc.assert(fc.property(fc.constantFrom(...calls), fc.jsonValue(), fc.jsonValue(), ([source, name], request, response) => {
      expect(() => described(cloudTrailRecord(source, name, request, response))).not.toThrow();
    }), { numRuns: 500 });
  });
});
