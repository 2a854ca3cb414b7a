import * as fc from 'fast-check';
import {
  containerGpus, cpuUnits, parseTaskDefinition, taskDefinitionKey, taskDefinitionLabel, taskSizeOf, tasksTimes,
} from '../../../../lambda/core/launch/task-size';
import { minerContainer, registerTaskDefinition, taskDefinitionArn } from '../../../fixtures/documented-ecs';

describe('the size of a task', () => {
  test.each([
    // Every Fargate size ECS documents, from 0.25 to 16 vCPUs, in units and in vCPUs.
    ['256', 0.25], ['512', 0.5], ['1024', 1], ['2048', 2], ['4096', 4], ['8192', 8], ['16384', 16],
    ['0.25 vCPU', 0.25], ['16 vCPU', 16], ['16 vcpu', 16], [16384, 16],
  ])('a task CPU of %p is %d vCPUs', (cpu, vcpus) => {
    expect(taskSizeOf({ cpu })).toEqual({ vcpus, gpus: 0 });
  });

  test('a registered definition, as ECS answers with it: 16 vCPUs and no GPU', () => {
    const response = registerTaskDefinition('miner', { cpu: '16384' }).responseElements as { taskDefinition: unknown };
    expect(taskSizeOf(response.taskDefinition)).toEqual({ vcpus: 16, gpus: 0 });
  });

  test('without a task CPU (the EC2 launch type), the containers\' CPUs add up, and their GPUs', () => {
    const definition = { containerDefinitions: [minerContainer(4096, 2), minerContainer('2048', 1), minerContainer()] };
    expect(taskSizeOf(definition)).toEqual({ vcpus: 6, gpus: 3 });
  });

  test('a definition that states no CPU reserves none', () => {
    expect(taskSizeOf({ containerDefinitions: [minerContainer()] })).toEqual({ vcpus: 0, gpus: 0 });
  });

  test.each([
    ['abc'], ['-1024'], [''], [null], [true], [{ units: 16384 }], [[16384]], [Number.NaN], ['1e400'],
  ])('a task CPU of %p is unreadable: the containers\' count instead', (cpu) => {
    expect(cpuUnits(cpu)).toBeUndefined();
    expect(taskSizeOf({ cpu, containerDefinitions: [minerContainer(2048)] })).toEqual({ vcpus: 2, gpus: 0 });
  });

  test.each([
    [[{ type: 'GPU', value: '4' }], 4],
    [[{ type: 'gpu', value: 2 }, { type: 'InferenceAccelerator', value: 'device_1' }], 2],
    [[{ type: 'GPU', value: 'abc' }, { type: 'GPU', value: -3 }, { type: 'GPU' }], 0],
    ['GPU', 0],
    [{ type: 'GPU', value: '1' }, 0],
  ])('GPU requirements %j are %d GPUs', (resourceRequirements, gpus) => {
    expect(containerGpus({ resourceRequirements })).toBe(gpus);
  });

  test('forged figures that add up past any number stay finite', () => {
    const size = taskSizeOf({ containerDefinitions: [minerContainer(1e308, 1e308), minerContainer(1e308, 1e308)] });
    expect(size).toEqual({ vcpus: Number.MAX_SAFE_INTEGER, gpus: Number.MAX_SAFE_INTEGER });
  });

  test.each([undefined, null, 'miner', 42, []])('%p is no definition', (definition) => {
    expect(taskSizeOf(definition)).toBeUndefined();
  });

  test('never throws, and every size is finite and not negative, whatever the definition', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (cpu, containers) => {
      const size = taskSizeOf({ cpu, containerDefinitions: containers });
      return size !== undefined && Number.isFinite(size.vcpus) && size.vcpus >= 0 && Number.isFinite(size.gpus) && size.gpus >= 0;
    }), { numRuns: 2000 });
  });
});

describe('how a call names a task definition', () => {
  test.each([
    [taskDefinitionArn('miner', 3), { family: 'miner', revision: '3' }, 'miner:3'],
    ['miner:3', { family: 'miner', revision: '3' }, 'miner:3'],
    ['arn:aws:ecs:sa-east-1:123456789012:task-definition/miner', { family: 'miner' }, 'miner'],
    ['miner', { family: 'miner' }, 'miner'],
  ])('%s is %j', (ref, name, key) => {
    expect(parseTaskDefinition(ref)).toEqual(name);
    expect(taskDefinitionKey(parseTaskDefinition(ref)!)).toBe(key);
  });

  test.each(['', 'miner:latest', 'miner:3:4', 'mi ner', 'a'.repeat(256), 'arn:aws:ecs:sa-east-1:1:service/c/s'])('%p is no name ECS accepts', (ref) => {
    expect(parseTaskDefinition(ref)).toBeUndefined();
  });
});

test('an alert names a definition by family and revision, and never echoes a name ECS would refuse', () => {
  expect(taskDefinitionLabel(taskDefinitionArn('miner', 3))).toBe('miner:3');
  expect(taskDefinitionLabel('miner')).toBe('miner');
  expect(taskDefinitionLabel('<!channel>\nWHAT MININGGUARD DID')).toBe('(a name ECS would refuse)');
});

test('how tasks add up, as the verdict says it', () => {
  expect(tasksTimes(10, 16, 'vCPU')).toBe('10 tasks x 16 vCPUs = 160 vCPUs');
  expect(tasksTimes(1, 1, 'GPU')).toBe('1 task x 1 GPU = 1 GPU');
  expect(tasksTimes(2, 0.25, 'vCPU')).toBe('2 tasks x 0.25 vCPUs = 0.5 vCPUs');
});
