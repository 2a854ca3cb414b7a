import * as fc from 'fast-check';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { bundledSpec } from '../../../../lambda/core/launch/bundled-specs';
import { judgeLaunch } from '../../../../lambda/core/launch/judge-launch';
import { describeLaunch, LaunchRequest } from '../../../../lambda/core/launch/launch-request';
import { withNamedTypes } from '../../../../lambda/core/launch/named-types';
import { TemplateMemory } from '../../../../lambda/core/launch/template-memory';
import { resolveLaunchSettings } from '../../../../lib/catalog';
import { cloudTrailRecord } from '../../../fixtures/documented-cloudtrail';
import { createService, minerContainer, registerTaskDefinition, runTask, taskDefinitionArn } from '../../../fixtures/documented-ecs';
import { readJsonLines } from '../../../fixtures/real-events';

const NOT_CREATED = { unknown: 'not created in the replayed logs, and not looked up without an AWS call' };
const NO_GROUP = { unknown: 'not created with a known type in the replayed logs, and not looked up without an AWS call' };

function read(value: unknown): CloudTrailRecord {
  const record = readRecord(value);
  if (typeof record === 'string') throw new Error(record);
  return record;
}

/** What the replay does with a selected record: read it as judged, with what the memory knows, then let it learn. */
function replayInto(memory: TemplateMemory, value: unknown): LaunchRequest {
  const record = read(value);
  const request = withNamedTypes(record.eventName, describeLaunch(record), memory);
  memory.remember(record, request);
  return request;
}

// Documented shapes: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html and
// API_CreateLaunchTemplateVersion.html, as CloudTrail records EC2 requests and responses.
const ID = 'lt-0a1b2c3d4e5f6a7b8';
function created(options = {}): Record<string, unknown> {
  const request = { LaunchTemplateName: 'xmrig', LaunchTemplateData: { ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro' } };
  const response = { launchTemplate: { launchTemplateId: ID, launchTemplateName: 'xmrig', defaultVersionNumber: 1, latestVersionNumber: 1 } };
  return cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplate',
    { CreateLaunchTemplateRequest: request }, { CreateLaunchTemplateResponse: response }, options);
}

function newVersion(instanceType: string | undefined, versionNumber: number, options = {}): Record<string, unknown> {
  const request = { LaunchTemplateId: ID, SourceVersion: '1', LaunchTemplateData: instanceType ? { InstanceType: instanceType } : {} };
  const response = { launchTemplateVersion: { launchTemplateId: ID, launchTemplateName: 'xmrig', versionNumber } };
  return cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplateVersion',
    { CreateLaunchTemplateVersionRequest: request }, { CreateLaunchTemplateVersionResponse: response }, options);
}

describe('TemplateMemory, launch templates', () => {
  test('a new template\'s first version is its latest and its default, by id and by name', () => {
    const memory = new TemplateMemory();
    replayInto(memory, created());
    for (const version of ['1', '$Latest', '$Default', undefined]) {
      expect(memory.ofTemplate({ id: ID, version, count: 1 })).toEqual({ type: 't3.micro' });
      expect(memory.ofTemplate({ name: 'xmrig', version, count: 1 })).toEqual({ type: 't3.micro' });
    }
  });

  test('a new version becomes the latest, not the default', () => {
    // GIVEN
    const memory = new TemplateMemory();
    replayInto(memory, created());
    // WHEN
    replayInto(memory, newVersion('p3.16xlarge', 2));
    // THEN
    expect(memory.ofTemplate({ id: ID, version: '2', count: 4 })).toEqual({ type: 'p3.16xlarge' });
    expect(memory.ofTemplate({ name: 'xmrig', version: '$Latest', count: 4 })).toEqual({ type: 'p3.16xlarge' });
    expect(memory.ofTemplate({ id: ID, count: 4 })).toEqual({ type: 't3.micro' });
    expect(memory.ofTemplate({ id: ID, version: '1', count: 4 })).toEqual({ type: 't3.micro' });
  });

  test('a version the logs did not create, or a template they did not, stays unknown and says why', () => {
    const memory = new TemplateMemory();
    replayInto(memory, created());
    expect(memory.ofTemplate({ id: ID, version: '3', count: 1 })).toEqual(NOT_CREATED);
    expect(memory.ofTemplate({ id: 'lt-0ffffffffffffffff', count: 1 })).toEqual(NOT_CREATED);
    expect(memory.ofTemplate({ count: 1 })).toEqual(NOT_CREATED);
  });

  test('an unknown id falls back to the name the call also gives', () => {
    const memory = new TemplateMemory();
    replayInto(memory, created());
    expect(memory.ofTemplate({ id: 'lt-0ffffffffffffffff', name: 'xmrig', count: 1 })).toEqual({ type: 't3.micro' });
  });

  test('a failed call created nothing to remember', () => {
    const memory = new TemplateMemory();
    replayInto(memory, created({ errorCode: 'Client.UnauthorizedOperation' }));
    replayInto(memory, newVersion('p3.16xlarge', 2, { errorCode: 'Client.UnauthorizedOperation' }));
    expect(memory.ofTemplate({ id: ID, count: 1 })).toEqual(NOT_CREATED);
    expect(memory.ofTemplate({ id: ID, version: '2', count: 1 })).toEqual(NOT_CREATED);
  });

  test('a version that inherits its type from its source version is not guessed', () => {
    const memory = new TemplateMemory();
    replayInto(memory, created());
    replayInto(memory, newVersion(undefined, 2));
    expect(memory.ofTemplate({ id: ID, version: '2', count: 1 })).toEqual(NOT_CREATED);
    // `$Latest` keeps the type learned before; here that is right, as version 2 copies version 1's.
    expect(memory.ofTemplate({ id: ID, version: '$Latest', count: 1 })).toEqual({ type: 't3.micro' });
  });

  test('the instances a call starts are never known offline', () => {
    const memory = new TemplateMemory();
    replayInto(memory, created());
    expect(memory.ofInstance('i-0dbc91f429e48eeed')).toEqual({ unknown: 'not looked up without an AWS call' });
  });
});

describe('TemplateMemory, Auto Scaling groups', () => {
  // Documented shapes: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html and
  // API_UpdateAutoScalingGroup.html, as CloudTrail records Auto Scaling requests.
  const template = cloudTrailRecord('ec2.amazonaws.com', 'CreateLaunchTemplate', {
    CreateLaunchTemplateRequest: {
      LaunchTemplateName: 'render', LaunchTemplateData: { ImageId: 'ami-0abcdef1234567890', InstanceType: 'g4dn.xlarge' },
    },
  }, {
    CreateLaunchTemplateResponse: {
      launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', launchTemplateName: 'render', defaultVersionNumber: 1 },
    },
  });
  const group = (extra: object = {}, options = {}) => cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'render-farm', minSize: 0, maxSize: 2, launchTemplate: { launchTemplateName: 'render' }, ...extra,
  }, null, options);

  test('a group created from a template the logs created launches that template\'s type', () => {
    const memory = new TemplateMemory();
    replayInto(memory, template);
    replayInto(memory, group());
    expect(memory.ofGroup('render-farm')).toEqual({ types: ['g4dn.xlarge'] });
  });

  test('a mixed instances policy\'s overrides are every type the group may launch', () => {
    const memory = new TemplateMemory();
    replayInto(memory, cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
      autoScalingGroupName: 'asg-1',
      minSize: 20,
      maxSize: 999,
      mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 'g4dn.12xlarge' }, { instanceType: 'p3.8xlarge' }] } },
    }));
    expect(memory.ofGroup('asg-1')).toEqual({ types: ['g4dn.12xlarge', 'p3.8xlarge'] });
  });

  test('an update that sets new types replaces what the group launches', () => {
    const memory = new TemplateMemory();
    replayInto(memory, template);
    replayInto(memory, group());
    replayInto(memory, cloudTrailRecord('autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', {
      autoScalingGroupName: 'render-farm', mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 'p4d.24xlarge' }] } },
    }));
    expect(memory.ofGroup('render-farm')).toEqual({ types: ['p4d.24xlarge'] });
  });

  test('a group from an unknown template, a failed creation, or a resize, teaches nothing', () => {
    const memory = new TemplateMemory();
    replayInto(memory, group());
    expect(memory.ofGroup('render-farm')).toEqual(NO_GROUP);
    replayInto(memory, template);
    replayInto(memory, group({}, { errorCode: 'AccessDenied' }));
    expect(memory.ofGroup('render-farm')).toEqual(NO_GROUP);
    const resize = { autoScalingGroupName: 'render-farm', desiredCapacity: 60 };
    replayInto(memory, cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', resize));
    expect(memory.ofGroup('render-farm')).toEqual(NO_GROUP);
  });
});

describe('TemplateMemory, ECS task definitions', () => {
  const NOT_REGISTERED = { unknown: 'not registered in the replayed logs, and not looked up without an AWS call' };
  const settings = resolveLaunchSettings({});

  /** The replay's own loop: judge with what the memory knows, then let it learn from the call as judged. */
  function replayed(memory: TemplateMemory, value: unknown) {
    const j = judgeLaunch(value, settings, bundledSpec, new Date('2026-11-20T03:12:10Z'), memory);
    if (j.outcome !== 'judged') throw new Error(`expected a judged launch, got ${j.outcome}`);
    memory.remember(j.record, j.request);
    return j;
  }

  test('a log that registers a 16-vCPU definition, then runs ten of it, flags the 160 vCPUs, as the deployed guard does', () => {
    // GIVEN
    const memory = new TemplateMemory();
    replayed(memory, registerTaskDefinition('miner', { cpu: '16384', revision: 4 }));
    // WHEN
    const service = replayed(memory, createService('xmr', 'miner:4', 10));
    const task = replayed(memory, runTask('miner', 10));
    // THEN
    for (const j of [service, task]) {
      expect(j.verdict).toMatchObject({ flagged: true, vcpus: 160, units: 10 });
      expect(j.verdict.reasons).toContain('10 tasks x 16 vCPUs = 160 vCPUs in one call, more than the 64 allowed (maxVcpusPerCall)');
    }
  });

  test('a revision is known by ARN, by family:revision, and, as the latest, by its family', () => {
    const memory = new TemplateMemory();
    replayed(memory, registerTaskDefinition('miner', { cpu: '16 vCPU', revision: 4, containerDefinitions: [minerContainer(undefined, 1)] }));
    replayed(memory, registerTaskDefinition('miner', { cpu: '256', revision: 5 }));
    expect(memory.ofTaskDefinition(taskDefinitionArn('miner', 4))).toEqual({ size: { vcpus: 16, gpus: 1 } });
    expect(memory.ofTaskDefinition('miner:4')).toEqual({ size: { vcpus: 16, gpus: 1 } });
    expect(memory.ofTaskDefinition('miner')).toEqual({ size: { vcpus: 0.25, gpus: 0 } });
    expect(memory.ofTaskDefinition('miner:3')).toEqual(NOT_REGISTERED);
  });

  test('a small service from a small definition passes', () => {
    const memory = new TemplateMemory();
    replayed(memory, registerTaskDefinition('web', { cpu: '256' }));
    expect(replayed(memory, createService('web', 'web:1', 2)).verdict).toMatchObject({ flagged: false, vcpus: 0.5 });
  });

  test('a failed registration, or a run before the registration, teaches nothing', () => {
    const memory = new TemplateMemory();
    const early = replayed(memory, createService('xmr', 'miner:1', 10));
    expect(early.verdict.flagged).toBe(true);
    expect(early.request.unknowns).toEqual([`vCPUs of task definition miner:1: ${NOT_REGISTERED.unknown}`]);
    replayed(memory, registerTaskDefinition('miner', { cpu: '16384' }, { errorCode: 'ClientException' }));
    expect(memory.ofTaskDefinition('miner')).toEqual(NOT_REGISTERED);
    expect(memory.ofTaskDefinition('not a name')).toEqual({ unknown: 'not a task definition name ECS accepts' });
  });

  test('any request and response of RegisterTaskDefinition is learned from or ignored, never thrown on', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), fc.option(fc.string()), (request, response, errorCode) => {
      const memory = new TemplateMemory();
      replayInto(memory, cloudTrailRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', request, response, errorCode ? { errorCode } : {}));
      for (const ref of ['miner', 'miner:1']) {
        const answer = memory.ofTaskDefinition(ref);
        if ('size' in answer) expect(Number.isFinite(answer.size.vcpus) && answer.size.vcpus >= 0).toBe(true);
        else expect(answer).toEqual(NOT_REGISTERED);
      }
    }), { numRuns: 300 });
  });
});

describe('TemplateMemory, on real logs', () => {
  test('the real logs create no template or group, so nothing is known after them', () => {
    // GIVEN every selected launch call of the public logs
    const memory = new TemplateMemory();
    const files = ['cloudtrail/attack/invictus_stratus_2023-07-10.jsonl', 'cloudtrail/attack/stratus_detonation_logs.jsonl'];
    const launchNames = ['RunInstances', 'StartInstances', 'ModifyInstanceAttribute'];
    const launches = files.flatMap(readJsonLines).filter((r) => launchNames.includes(r.eventName as string));
    // WHEN
    for (const record of launches) replayInto(memory, record);
    // THEN
    expect(launches.length).toBeGreaterThan(0);
    expect(memory.ofTemplate({ name: 'anything', count: 1 })).toEqual(NOT_CREATED);
  });

  test('any request and response of a template or group call is learned from or ignored, never thrown on', () => {
    const names = fc.constantFrom('CreateLaunchTemplate', 'CreateLaunchTemplateVersion', 'CreateAutoScalingGroup', 'UpdateAutoScalingGroup');
    fc.assert(fc.property(names, fc.jsonValue(), fc.jsonValue(), fc.option(fc.string()), (eventName, request, response, errorCode) => {
      const memory = new TemplateMemory();
      const source = eventName.includes('AutoScaling') ? 'autoscaling.amazonaws.com' : 'ec2.amazonaws.com';
      replayInto(memory, cloudTrailRecord(source, eventName, request, response, errorCode ? { errorCode } : {}));
      const answer = memory.ofTemplate({ name: 'xmrig', count: 1 });
      if ('type' in answer) expect(answer.type.length).toBeGreaterThan(0);
      else expect(answer).toEqual(NOT_CREATED);
      const group = memory.ofGroup('render-farm');
      if ('types' in group) expect(group.types.length).toBeGreaterThan(0);
      else expect(group).toEqual(NO_GROUP);
    }), { numRuns: 300 });
  });
});
