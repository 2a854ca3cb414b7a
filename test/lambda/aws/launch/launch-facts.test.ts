import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstancesCommand, DescribeInstanceTypesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailRecord, readRecord } from '../../../../lambda/core/events/cloudtrail-record';
import { cloudTrailRecord, runInstances } from '../../../fixtures/documented-cloudtrail';
import { createService, registerTaskDefinition, runTask, taskDefinitionArn } from '../../../fixtures/documented-ecs';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const autoScaling = mockClient(AutoScalingClient);
const ecs = mockClient(ECSClient);
const REGION = 'eu-west-1';

function record(raw: Record<string, unknown>): CloudTrailRecord {
  const read = readRecord(raw);
  if (typeof read === 'string') throw new Error(read);
  return read;
}

/** RunInstances of 4 instances that names only a launch template version. */
const fromTemplate = () => record(cloudTrailRecord('ec2.amazonaws.com', 'RunInstances', {
  instancesSet: { items: [{ minCount: 4, maxCount: 4 }] },
  launchTemplate: { launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '7' },
}, null, { region: REGION }));

/** A fresh container's learnLaunchFacts, with the failures it reports and the offline figures of the same container. */
async function fresh() {
  const { learnLaunchFacts, bundledSpec, OFFLINE_NAMED_TYPES } = await freshModule(async () => ({
    ...await import('../../../../lambda/aws/launch/launch-facts'),
    ...await import('../../../../lambda/core/launch/bundled-specs'),
    ...await import('../../../../lambda/core/launch/named-types'),
  }));
  const failures: string[] = [];
  return { learn: (r: CloudTrailRecord) => learnLaunchFacts(r, (reason) => failures.push(reason)), failures, bundledSpec, OFFLINE_NAMED_TYPES };
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  for (const mock of [ec2, pricing, autoScaling, ecs]) mock.reset();
  pricing.on(GetProductsCommand).resolves({ PriceList: [] });
  ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
});

describe('learnLaunchFacts', () => {
  test.each([
    ['a call no detection selects', cloudTrailRecord('s3.amazonaws.com', 'GetObject', { bucketName: 'b', key: 'k' })],
    ['a detection that is not a launch', cloudTrailRecord('iam.amazonaws.com', 'CreateAccessKey', { userName: 'someone-else' })],
  ])('asks AWS nothing about %s, and answers with the bundled figures', async (_, raw) => {
    // GIVEN
    const { learn, bundledSpec, OFFLINE_NAMED_TYPES } = await fresh();

    // WHEN
    const facts = await learn(record(raw));

    // THEN
    expect(facts).toEqual({ specs: bundledSpec, named: OFFLINE_NAMED_TYPES });
    for (const mock of [ec2, pricing, autoScaling]) expect(mock.calls()).toHaveLength(0);
  });

  test('a launch that names its type is priced in its own region, without looking anything up', async () => {
    // GIVEN
    const { learn, OFFLINE_NAMED_TYPES } = await fresh();

    // WHEN
    const facts = await learn(record(runInstances('p3.2xlarge', 2, ['i-0aaa', 'i-0bbb'], { region: REGION })));

    // THEN
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)).toHaveLength(0);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
    const [price] = pricing.commandCalls(GetProductsCommand);
    expect(price.args[0].input.Filters).toContainEqual({ Type: 'TERM_MATCH', Field: 'regionCode', Value: REGION });
    expect(price.args[0].input.Filters).toContainEqual({ Type: 'TERM_MATCH', Field: 'instanceType', Value: 'p3.2xlarge' });
    expect(facts.named).toBe(OFFLINE_NAMED_TYPES);
    expect(facts.specs('p3.2xlarge')).toMatchObject({ vcpus: 8, gpus: 1, usdPerHour: 3.06 });
  });

  test('a launch from a template learns the template\'s type in the launch\'s region, and prices that type', async () => {
    // GIVEN
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [{ VersionNumber: 7, LaunchTemplateData: { InstanceType: 'g5.12xlarge' } }],
    });
    const { learn } = await fresh();
    const launch = fromTemplate();

    // WHEN
    const facts = await learn(launch);

    // THEN
    const [lookup] = ec2.commandCalls(DescribeLaunchTemplateVersionsCommand);
    expect(lookup.args[0].input).toEqual({ LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', Versions: ['7'] });
    expect(await regionOf(lookup)).toBe(REGION);
    expect(facts.named.ofTemplate({ id: 'lt-0a1b2c3d4e5f6a7b8', version: '7', count: 4 })).toEqual({ type: 'g5.12xlarge' });
    const priced = pricing.commandCalls(GetProductsCommand).map((c) => c.args[0].input.Filters?.find((f) => f.Field === 'instanceType')?.Value);
    expect(priced).toEqual(['g5.12xlarge']);
    expect(facts.specs('g5.12xlarge').gpus).toBe(4);
  });

  test('StartInstances learns the types of the instances it starts', async () => {
    // GIVEN
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaa', InstanceType: 'p4d.24xlarge' }] }] });
    const { learn } = await fresh();
    const start = record(cloudTrailRecord('ec2.amazonaws.com', 'StartInstances', {
      instancesSet: { items: [{ instanceId: 'i-0aaa' }] },
    }, null, { region: REGION }));

    // WHEN
    const facts = await learn(start);

    // THEN
    const [describe] = ec2.commandCalls(DescribeInstancesCommand);
    expect(describe.args[0].input.Filters).toEqual([{ Name: 'instance-id', Values: ['i-0aaa'] }]);
    expect(await regionOf(describe)).toBe(REGION);
    expect(facts.named.ofInstance('i-0aaa')).toEqual({ type: 'p4d.24xlarge' });
    expect(facts.specs('p4d.24xlarge').gpus).toBe(8);
  });

  test('a resize of an Auto Scaling group learns what the group launches', async () => {
    // GIVEN
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [{
        AutoScalingGroupName: 'render',
        MinSize: 0,
        MaxSize: 100,
        DesiredCapacity: 40,
        DefaultCooldown: 300,
        AvailabilityZones: [REGION + 'a'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date('2026-11-01T00:00:00Z'),
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateName: 'render' }, Overrides: [{ InstanceType: 'p3.8xlarge' }] },
        },
      }],
    });
    const { learn } = await fresh();
    const resize = record(cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', {
      autoScalingGroupName: 'render', desiredCapacity: 40,
    }, null, { region: REGION }));

    // WHEN
    const facts = await learn(resize);

    // THEN
    expect(await regionOf(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0])).toBe(REGION);
    expect(facts.named.ofGroup('render')).toEqual({ types: ['p3.8xlarge'] });
    expect(facts.specs('p3.8xlarge').gpus).toBe(4);
  });

  test('a template EC2 will not describe leaves the type unknown with EC2\'s reason, and nothing to price', async () => {
    // GIVEN
    const denied = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
    ec2.on(DescribeLaunchTemplateVersionsCommand).rejects(denied);
    const { learn, bundledSpec } = await fresh();

    // WHEN
    const facts = await learn(fromTemplate());

    // THEN
    expect(facts.named.ofTemplate({ id: 'lt-0a1b2c3d4e5f6a7b8', version: '7', count: 4 })).toEqual({
      unknown: 'EC2 did not say (UnauthorizedOperation: You are not authorized to perform this operation.)',
    });
    expect(facts.specs).toBe(bundledSpec);
    expect(pricing.calls()).toHaveLength(0);
  });

  test('a Price List failure is passed to onFailure, and the bundled price stands', async () => {
    // GIVEN
    pricing.on(GetProductsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { learn, failures } = await fresh();

    // WHEN
    const facts = await learn(record(runInstances('p3.2xlarge', 1, ['i-0aaa'], { region: REGION })));

    // THEN
    expect(failures).toEqual([`Price List GetProducts for p3.2xlarge in ${REGION} failed: ThrottlingException: Rate exceeded`]);
    expect(facts.specs('p3.2xlarge').usdPerHour).toBe(3.06);
  });

  test('an ECS service is sized by the task definition it runs, asked of ECS in the service\'s region', async () => {
    // GIVEN
    ecs.on(DescribeTaskDefinitionCommand).resolves(registerTaskDefinition('miner', { cpu: '16384' }).responseElements as object);
    const { learn, failures } = await fresh();

    // WHEN
    const facts = await learn(record(createService('xmr', 'miner:1', 10, { region: REGION })));

    // THEN
    expect(facts.named.ofTaskDefinition(taskDefinitionArn('miner', 1, { region: REGION }))).toEqual({ size: { vcpus: 16, gpus: 0 } });
    expect(facts.named.ofTaskDefinition('other:1')).toEqual({ unknown: 'not looked up without an AWS call' });
    expect(await regionOf(ecs.commandCalls(DescribeTaskDefinitionCommand)[0])).toBe(REGION);
    expect(failures).toEqual([]);
    for (const mock of [ec2, pricing, autoScaling]) expect(mock.calls()).toHaveLength(0);
  });

  test('a task definition ECS cannot describe is passed to onFailure, and its answer says why', async () => {
    ecs.on(DescribeTaskDefinitionCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeTaskDefinition'));
    const { learn, failures } = await fresh();
    const facts = await learn(record(runTask('miner:2', 3, { region: REGION })));
    const why = 'ECS DescribeTaskDefinition failed: AccessDeniedException: not authorized to perform: ecs:DescribeTaskDefinition';
    expect(facts.named.ofTaskDefinition(taskDefinitionArn('miner', 2, { region: REGION }))).toEqual({ unknown: why });
    expect(failures).toEqual([`task definition miner:2 in ${REGION}: ${why}`]);
  });
});
