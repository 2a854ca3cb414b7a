import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { minerContainer, registerTaskDefinition, taskDefinitionArn } from '../../../fixtures/documented-ecs';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const ecs = mockClient(ECSClient);
const REGION = 'sa-east-1';

/** A fresh container's lookup: its cache starts empty. */
async function fresh() {
  return (await freshModule(() => import('../../../../lambda/aws/launch/task-definition-lookup'))).lookUpTaskSize;
}

/** DescribeTaskDefinition's answer: the definition as RegisterTaskDefinition registered it. */
function described(family: string, shape: Parameters<typeof registerTaskDefinition>[1]) {
  return (registerTaskDefinition(family, shape).responseElements as { taskDefinition: object });
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => ecs.reset());

test('asks ECS, in the event\'s region, by family and revision, and reads the task\'s vCPUs and GPUs', async () => {
  // GIVEN
  ecs.on(DescribeTaskDefinitionCommand).resolves(described('miner', { cpu: '16384', revision: 4, containerDefinitions: [minerContainer(undefined, 2)] }));
  const lookUp = await fresh();
  // WHEN
  const answer = await lookUp(REGION, taskDefinitionArn('miner', 4));
  // THEN
  expect(answer).toEqual({ size: { vcpus: 16, gpus: 2 } });
  const [call] = ecs.commandCalls(DescribeTaskDefinitionCommand);
  expect(call.args[0].input).toEqual({ taskDefinition: 'miner:4' });
  expect(await regionOf(call)).toBe(REGION);
});

test('a revision is asked once per container and region; the latest of a family is asked again after a minute', async () => {
  ecs.on(DescribeTaskDefinitionCommand).resolves(described('miner', { cpu: '4096' }));
  const lookUp = await fresh();
  const start = Date.parse('2026-11-20T03:12:10Z');
  for (const ref of ['miner:1', taskDefinitionArn('miner', 1), 'miner:1']) await lookUp(REGION, ref, start);
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);
  await lookUp('eu-west-1', 'miner:1', start);
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(2);

  await lookUp(REGION, 'miner', start);
  await lookUp(REGION, 'miner', start + 59_000);
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(3);
  await lookUp(REGION, 'miner', start + 61_000);
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(4);
  expect(await lookUp(REGION, 'miner:1', start + 3_600_000_000)).toEqual({ size: { vcpus: 4, gpus: 0 } });
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(4);
});

test('a failure that outlasted the SDK\'s retries says why, and is asked again next time', async () => {
  // GIVEN
  ecs.on(DescribeTaskDefinitionCommand)
    .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
    .resolves(described('miner', { cpu: '16 vCPU' }));
  const lookUp = await fresh();
  // WHEN
  const first = await lookUp(REGION, 'miner:1');
  const second = await lookUp(REGION, 'miner:1');
  // THEN
  expect(first).toEqual({ unknown: 'ECS DescribeTaskDefinition failed: ThrottlingException: Rate exceeded' });
  expect(second).toEqual({ size: { vcpus: 16, gpus: 0 } });
});

test('a definition ECS does not know, or access denied, is unknown with ECS\'s own reason', async () => {
  ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'ghost:9' }).rejects(awsError('ClientException', 'Unable to describe task definition.'))
    .on(DescribeTaskDefinitionCommand, { taskDefinition: 'secret:1' }).rejects(awsError('AccessDeniedException', 'User is not authorized'));
  const lookUp = await fresh();
  expect(await lookUp(REGION, 'ghost:9')).toEqual({ unknown: 'ECS DescribeTaskDefinition failed: ClientException: Unable to describe task definition.' });
  expect(await lookUp(REGION, 'secret:1')).toEqual({ unknown: 'ECS DescribeTaskDefinition failed: AccessDeniedException: User is not authorized' });
});

test('an answer without a definition is unknown; a name ECS would refuse is never sent', async () => {
  ecs.on(DescribeTaskDefinitionCommand).resolves({});
  const lookUp = await fresh();
  expect(await lookUp(REGION, 'empty:1')).toEqual({ unknown: 'ECS answered without the task definition' });
  expect(await lookUp(REGION, '../../etc/passwd')).toEqual({ unknown: 'not a task definition name ECS accepts' });
  expect(ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition)).toEqual(['empty:1']);
});
