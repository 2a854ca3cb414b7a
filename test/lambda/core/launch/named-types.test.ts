import { readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch, Judgement } from '../../../../lambda/core/launch/judge-launch';
import { launchAlert } from '../../../../lambda/core/launch/launch-alert';
import { describeLaunch } from '../../../../lambda/core/launch/launch-request';
import { namesToLookUp, NamedTypes, OFFLINE_NAMED_TYPES, withTaskSize } from '../../../../lambda/core/launch/named-types';
import { parseTaskDefinition, taskDefinitionKey, TaskSizeAnswer } from '../../../../lambda/core/launch/task-size';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';
import { createService, runTask, taskDefinitionArn } from '../../../fixtures/documented-ecs';

const NOW = new Date('2026-11-20T03:12:10Z');

/** Launches that name only a launch template, in the request shapes CloudTrail records for each API. */
const TEMPLATE_LAUNCHES = {
  'RunInstances refused for the vCPU limit': cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
    instancesSet: { items: [{ minCount: 1, maxCount: 8 }] },
    launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' },
  }, null, { errorCode: 'Client.VcpuLimitExceeded' }),
  'CreateFleet': cloudTrailRecord('ec2.amazonaws.com', 'CreateFleet', {
    CreateFleetRequest: {
      TargetCapacitySpecification: { TotalTargetCapacity: 8, DefaultTargetCapacityType: 'spot' },
      LaunchTemplateConfigs: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', Version: '3' }, tag: 1 },
      Type: 'instant',
    },
  }, { CreateFleetResponse: { fleetId: 'fleet-0123' } }),
  'RequestSpotFleet': cloudTrailRecord('ec2.amazonaws.com', 'RequestSpotFleet', {
    spotFleetRequestConfig: {
      targetCapacity: 8,
      launchTemplateConfigs: { item: [{ launchTemplateSpecification: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' } }] },
    },
  }, { spotFleetRequestId: 'sfr-0123' }),
  'CreateAutoScalingGroup': cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'workers', minSize: 8, maxSize: 8, launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' },
  }),
  'CreateAutoScalingGroup with a mixed instances policy': cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'workers',
    minSize: 0,
    maxSize: 8,
    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' } } },
  }),
};

/** EC2's answers as the shell would give them: the template sets p3.2xlarge. */
const EC2_KNOWS: NamedTypes = {
  ofTemplate: (ref) => (ref.id === 'lt-0a1b2c3d4e5f6a7b8' && ref.version === '3' ? { type: 'p3.2xlarge' } : { unknown: 'EC2 did not say (InvalidLaunchTemplateId.NotFound)' }),
  ofInstance: (id) => (id === 'i-0stopped' ? { type: 'g5.48xlarge' } : { unknown: 'EC2 did not say (InvalidInstanceID.NotFound)' }),
  ofGroup: (name) => ({ 'gpu-workers': { types: ['g4dn.12xlarge'] }, 'mixed': { types: ['p3.2xlarge', 'g5.xlarge'] } }[name]
    ?? { unknown: 'Auto Scaling does not know this group' }),
  ofTaskDefinition: () => ({ unknown: 'not in this test' }),
};

function judged(value: unknown, named: NamedTypes): Extract<Judgement, { outcome: 'judged' }> {
  const j = judgeLaunch(value, resolveLaunchSettings({}), bundledSpec, NOW, named);
  if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
  return j;
}

describe('launches that name only a launch template', () => {
  test.each(Object.entries(TEMPLATE_LAUNCHES))('%s: the template is read from the request', (_, record) => {
    const rec = readRecord(record);
    if (typeof rec === 'string') throw new Error(rec);
    expect(namesToLookUp(rec.eventName, describeLaunch(rec)).templates).toEqual([{ id: 'lt-0a1b2c3d4e5f6a7b8', version: '3', count: 8 }]);
  });

  test.each(Object.entries(TEMPLATE_LAUNCHES))('%s: judged by the type the template sets', (_, record) => {
    const { request, verdict } = judged(record, EC2_KNOWS);
    expect(request.instanceTypes).toEqual([{ type: 'p3.2xlarge', count: 8 }]);
    expect(verdict).toMatchObject({ flagged: true, vcpus: 64, gpus: 8, usdPerHour: 8 * 3.06 });
    expect(verdict.reasons).toContain('instance type p3.2xlarge is in the denied family p');
  });

  test('a template EC2 cannot read leaves the type unknown, and the alert says which template and why', () => {
    const record = TEMPLATE_LAUNCHES['RunInstances refused for the vCPU limit'];
    const j = judged(record, { ...EC2_KNOWS, ofTemplate: () => ({ unknown: 'EC2 did not say (UnauthorizedOperation: not authorized)' }) });
    expect(j.request.instanceTypes).toEqual([]);
    expect(j.verdict.usdPerHour).toBeUndefined();
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    expect(alert.what).toContain('Not counted, unknown: instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version 3): EC2 did not say (UnauthorizedOperation');
    // The refusal is flagged whatever was asked.
    expect(j.verdict.flagged).toBe(true);
  });

  test('offline (replay), the template is named as not looked up rather than silently ignored', () => {
    const j = judged(TEMPLATE_LAUNCHES.CreateAutoScalingGroup, OFFLINE_NAMED_TYPES);
    expect(j.request.unknowns).toEqual(['instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version 3): not looked up without an AWS call']);
  });

  test('a call that states its types is not looked up, even when it also names a template', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
      autoScalingGroupName: 'workers',
      minSize: 0,
      maxSize: 8,
      mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateName: 'web' }, overrides: [{ instanceType: 'm5.large' }] } },
    });
    expect(judged(record, EC2_KNOWS).request).toMatchObject({ instanceTypes: [{ type: 'm5.large', count: 8 }], launchTemplates: [], unknowns: [] });
  });

  test('a template named without a version is looked up at its default version', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', { autoScalingGroupName: 'web', minSize: 2, maxSize: 6, launchTemplate: { launchTemplateName: 'web' } });
    const j = judged(record, OFFLINE_NAMED_TYPES);
    expect(j.request.launchTemplates).toEqual([{ name: 'web', count: 6 }]);
    expect(j.request.unknowns).toEqual(['instance type of launch template web (default version): not looked up without an AWS call']);
  });
});

describe('StartInstances', () => {
  const start = cloudTrailRecord('ec2.amazonaws.com', 'StartInstances', { instancesSet: { items: [{ instanceId: 'i-0stopped' }, { instanceId: 'i-0gone' }] } });

  test('is judged by the types of the instances it starts', () => {
    const { request, verdict } = judged(start, EC2_KNOWS);
    expect(request.instanceTypes).toEqual([{ type: 'g5.48xlarge', count: 1 }]);
    expect(request.unknowns).toEqual(['instance type of i-0gone: EC2 did not say (InvalidInstanceID.NotFound)']);
    expect(verdict).toMatchObject({ flagged: true, gpus: 8, vcpus: 192 });
  });

  test('asks about each instance it starts', () => {
    const rec = readRecord(start);
    if (typeof rec === 'string') throw new Error(rec);
    expect(namesToLookUp('StartInstances', describeLaunch(rec)).instanceIds).toEqual(['i-0stopped', 'i-0gone']);
  });
});

describe('calls that change an existing Auto Scaling group\'s capacity', () => {
  const resize = {
    SetDesiredCapacity: cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'gpu-workers', desiredCapacity: 50, honorCooldown: false }),
    UpdateAutoScalingGroup: cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', { autoScalingGroupName: 'gpu-workers', minSize: 50, maxSize: 50 }),
  };

  test.each(Object.entries(resize))('%s asks what the group launches', (name, record) => {
    const rec = readRecord(record);
    if (typeof rec === 'string') throw new Error(rec);
    expect(namesToLookUp(name, describeLaunch(rec))).toEqual({ templates: [], instanceIds: [], groups: ['gpu-workers'] });
  });

  test.each(Object.entries(resize))('%s is judged by the group\'s type, for the whole new capacity', (_, record) => {
    const { request, verdict } = judged(record, EC2_KNOWS);
    expect(request.instanceTypes).toEqual([{ type: 'g4dn.12xlarge', count: 50 }]);
    expect(verdict).toMatchObject({ flagged: true, vcpus: 50 * 48, gpus: 50 * 4 });
  });

  test('a group whose mixed instances policy overrides the type counts the capacity on each type, the worst case', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'mixed', desiredCapacity: 4 });
    expect(judged(record, EC2_KNOWS).request.instanceTypes).toEqual([{ type: 'p3.2xlarge', count: 4 }, { type: 'g5.xlarge', count: 4 }]);
  });

  test('a group Auto Scaling cannot describe is named in the alert with why', () => {
    const record = cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'gone', desiredCapacity: 40 });
    const j = judged(record, EC2_KNOWS);
    expect(j.request.instanceTypes).toEqual([]);
    expect(launchAlert(j.record, j.request, j.verdict, []).what).toContain('Not counted, unknown: instance type of Auto Scaling group gone: Auto Scaling does not know this group');
  });

  test('a resize that states its own template or types, or scales to zero, asks about no group', () => {
    const read = (record: object) => {
      const rec = readRecord(record);
      if (typeof rec === 'string') throw new Error(rec);
      return namesToLookUp(rec.eventName, describeLaunch(rec)).groups;
    };
    expect(read(cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', {
      autoScalingGroupName: 'gpu-workers', maxSize: 10, launchTemplate: { launchTemplateName: 'web', version: '2' },
    }))).toEqual([]);
    expect(read(cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', {
      autoScalingGroupName: 'gpu-workers', maxSize: 10, mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 'm5.large' }] } },
    }))).toEqual([]);
    expect(read(cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', { autoScalingGroupName: 'gpu-workers', desiredCapacity: 0 }))).toEqual([]);
  });

  test('offline (replay), the group is named as not looked up', () => {
    expect(judged(resize.SetDesiredCapacity, OFFLINE_NAMED_TYPES).request.unknowns)
      .toEqual(['instance type of Auto Scaling group gpu-workers: not looked up without an AWS call']);
  });
});

function recordOf(value: unknown) {
  const rec = readRecord(value);
  if (typeof rec === 'string') throw new Error(rec);
  return rec;
}

/** ECS's answers as the shell would give them: a 16-vCPU Fargate miner, a quarter-vCPU web task, a 4-GPU EC2 task. */
const ECS_KNOWS: NamedTypes = {
  ...OFFLINE_NAMED_TYPES,
  ofTaskDefinition: (ref) => {
    const name = parseTaskDefinition(ref);
    const sizes: Record<string, TaskSizeAnswer> = {
      'miner:1': { size: { vcpus: 16, gpus: 0 } },
      'web:3': { size: { vcpus: 0.25, gpus: 0 } },
      'gpu-miner:2': { size: { vcpus: 4, gpus: 4 } },
    };
    return (name && sizes[taskDefinitionKey(name)]) || { unknown: 'ECS DescribeTaskDefinition failed: ClientException: Unable to describe task definition.' };
  },
};

describe('ECS services and tasks, judged by the definition they run', () => {
  test('ten 16-vCPU Fargate tasks in one CreateService are flagged with their vCPUs', () => {
    // GIVEN the definition registered earlier, as the service names it
    const record = createService('xmr', 'miner:1', 10);
    // WHEN
    const j = judged(record, ECS_KNOWS);
    // THEN
    expect(j.verdict).toMatchObject({ flagged: true, vcpus: 160, gpus: 0, units: 10 });
    expect(j.verdict.reasons).toContain('10 tasks x 16 vCPUs = 160 vCPUs in one call, more than the 64 allowed (maxVcpusPerCall)');
    expect(j.verdict.reasons).toContain('task of 16 vCPUs, more than the 8 allowed per task');
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    expect(alert.headline).toBe('10 x 16-vCPU ECS tasks launched in sa-east-1 by user/ci-bot');
    expect(alert.what).toContain('160 vCPUs');
  });

  test('two quarter-vCPU tasks pass', () => {
    const j = judged(createService('web', 'web:3', 2), ECS_KNOWS);
    expect(j.verdict).toMatchObject({ flagged: false, vcpus: 0.5, units: 2, reasons: ['within the launch policy'] });
  });

  test.each([
    ['RunTask', runTask('miner:1', 5)],
    ['UpdateService', cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { cluster: 'miners', service: 'xmr', desiredCount: 5 }, {
      service: { serviceArn: 'arn:aws:ecs:sa-east-1:123456789012:service/miners/xmr', taskDefinition: taskDefinitionArn('miner', 1), desiredCount: 5 },
    })],
  ])('%s of five 16-vCPU tasks is 80 vCPUs, flagged', (_, record) => {
    const j = judged(record, ECS_KNOWS);
    expect(j.verdict).toMatchObject({ flagged: true, vcpus: 80, units: 5 });
    expect(j.verdict.reasons).toContain('5 tasks x 16 vCPUs = 80 vCPUs in one call, more than the 64 allowed (maxVcpusPerCall)');
  });

  test('GPU tasks count their GPUs, and raise the severity', () => {
    const j = judged(createService('render', 'gpu-miner:2', 20), ECS_KNOWS);
    expect(j.verdict).toMatchObject({ flagged: true, vcpus: 80, gpus: 80, severity: 'HIGH' });
    expect(j.verdict.reasons).toContain('20 tasks x 4 vCPUs = 80 vCPUs (20 tasks x 4 GPUs = 80 GPUs) in one call, more than the 64 allowed (maxVcpusPerCall)');
    expect(launchAlert(j.record, j.request, j.verdict, []).headline).toMatch(/^20 x 4-vCPU ECS tasks with 4 GPUs each launched/);
  });

  test('one small GPU task is flagged while the policy denies every GPU family, and passes where one is allowed', () => {
    const record = createService('render', 'gpu-miner:2', 1);
    const denied = judged(record, ECS_KNOWS);
    expect(denied.verdict).toMatchObject({ flagged: true, gpus: 4, severity: 'HIGH' });
    expect(denied.verdict.reasons).toEqual([
      '1 task x 4 GPUs = 4 GPUs asked of ECS, and the policy allows no GPU instance family ECS places GPU tasks on',
    ]);
    const allowed = judgeLaunch(record, resolveLaunchSettings({ computePolicy: { allowedInstanceFamilies: ['g5'] } }), bundledSpec, NOW, ECS_KNOWS);
    expect(allowed.outcome === 'judged' && allowed.verdict.flagged).toBe(false);
  });

  test('a definition named by no name ECS accepts is never echoed into the alert', () => {
    const j = judged(createService('xmr', `arn:aws:ecs:${'x'.repeat(5000)}\n<!channel>`, 2), ECS_KNOWS);
    expect(j.verdict.reasons).toEqual([
      '2 tasks of task definition (a name ECS would refuse) whose vCPUs are unknown: ECS DescribeTaskDefinition failed: ClientException: Unable to describe task definition.',
    ]);
  });

  test('a RunTask that overrides the CPU of a small definition is judged by the override', () => {
    const j = judged(runTask('web:3', 5, { overrides: { cpu: '16384' } }), ECS_KNOWS);
    expect(j.verdict).toMatchObject({ flagged: true, vcpus: 80 });
  });

  test('a definition ECS could not describe is flagged as unknown vCPUs, with why: never silently within the policy', () => {
    const j = judged(createService('xmr', 'ghost:9', 2), ECS_KNOWS);
    expect(j.verdict.flagged).toBe(true);
    expect(j.verdict.reasons).toEqual(['2 tasks of task definition ghost:9 whose vCPUs are unknown: '
      + 'ECS DescribeTaskDefinition failed: ClientException: Unable to describe task definition.']);
    const alert = launchAlert(j.record, j.request, j.verdict, []);
    expect(alert.headline).toBe('2 x ECS tasks of unknown size launched in sa-east-1 by user/ci-bot');
    expect(alert.what).toContain('Not counted, unknown: vCPUs of task definition ghost:9: ECS DescribeTaskDefinition failed');
  });

  test('a service set to no tasks is not flagged for a size it does not know', () => {
    const j = judged(createService('idle', 'ghost:9', 0), ECS_KNOWS);
    expect(j.verdict.flagged).toBe(false);
  });

  test('offline, a definition the replayed logs did not register stays unknown, and says so', () => {
    const request = withTaskSize(describeLaunch(recordOf(createService('xmr', 'miner', 10))), OFFLINE_NAMED_TYPES);
    expect(request.taskSizeUnknown).toBe('not looked up without an AWS call');
    expect(request.unknowns).toEqual(['vCPUs of task definition miner: not looked up without an AWS call']);
  });

  test('a call that runs no definition asks about none', () => {
    const asked: string[] = [];
    const named: NamedTypes = { ...OFFLINE_NAMED_TYPES, ofTaskDefinition: (ref) => { asked.push(ref); return { unknown: 'x' }; } };
    const request = describeLaunch(recordOf(cloudTrailRecord('ecs.amazonaws.com', 'UpdateService', { service: 'xmr', desiredCount: 3 })));
    expect(withTaskSize(request, named)).toBe(request);
    expect(asked).toEqual([]);
  });
});
