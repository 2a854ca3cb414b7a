import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const ec2 = mockClient(EC2Client);
const load = () => freshModule(() => import('../../../../lambda/aws/config/ec2-instances'));

beforeAll(() => handlerEnvironment({ AWS_REGION: 'eu-central-1' }));
beforeEach(() => ec2.reset());

describe('regionInstances', () => {
  test('lists every instance that is not terminated, in the Lambda\'s region, across every page', async () => {
    // GIVEN two pages; the paginator reuses one input object, so each call's token is noted as it is sent
    const tokens: Array<string | undefined> = [];
    const pages = [
      {
        Reservations: [
          { Instances: [{ InstanceId: 'i-0aaa', InstanceType: 'p3.2xlarge', State: { Name: 'running' as const } }] },
          { Instances: [{ InstanceId: 'i-0bbb', InstanceType: 't3.micro', State: { Name: 'stopped' as const } }, { InstanceType: 't3.micro' }] },
        ],
        NextToken: 'page-2',
      },
      { Reservations: [{ Instances: [{ InstanceId: 'i-0ccc', InstanceType: 'g5.48xlarge', State: { Name: 'pending' as const } }] }, {}] },
    ];
    ec2.on(DescribeInstancesCommand).callsFake((input: { NextToken?: string }) => {
      tokens.push(input.NextToken);
      return pages[tokens.length - 1];
    });
    const { regionInstances } = await load();

    // WHEN
    const instances = await regionInstances('eu-central-1');

    // THEN
    expect(instances).toEqual([
      { instanceId: 'i-0aaa', instanceType: 'p3.2xlarge', state: 'running', region: 'eu-central-1' },
      { instanceId: 'i-0bbb', instanceType: 't3.micro', state: 'stopped', region: 'eu-central-1' },
      { instanceId: 'i-0ccc', instanceType: 'g5.48xlarge', state: 'pending', region: 'eu-central-1' },
    ]);
    expect(tokens).toEqual([undefined, 'page-2']);
    const calls = ec2.commandCalls(DescribeInstancesCommand);
    expect(calls[0].args[0].input.Filters).toEqual([{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }]);
    expect(await regionOf(calls[0])).toBe('eu-central-1');
  });

  test('a region without instances is an empty list', async () => {
    // GIVEN
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const { regionInstances } = await load();

    // WHEN / THEN
    expect(await regionInstances('eu-central-1')).toEqual([]);
  });

  test.each([
    ['UnauthorizedOperation', awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)],
    ['throttling that outlasts the SDK\'s retries', awsError('RequestLimitExceeded', 'Request limit exceeded.', 503)],
  ])('throws on %s, so the sweep fails rather than reports an empty region', async (_, error) => {
    // GIVEN
    ec2.on(DescribeInstancesCommand).rejects(error);
    const { regionInstances } = await load();

    // WHEN / THEN
    await expect(regionInstances('eu-central-1')).rejects.toBe(error);
  });
});

describe('vcpusOf', () => {
  test('asks EC2 once per distinct type and returns each type\'s default vCPUs', async () => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).resolves({
      InstanceTypes: [
        { InstanceType: 'p3.16xlarge', VCpuInfo: { DefaultVCpus: 64 } },
        { InstanceType: 'g5.xlarge', VCpuInfo: { DefaultVCpus: 4 } },
      ],
    });
    const { vcpusOf } = await load();

    // WHEN
    const vcpus = await vcpusOf(['p3.16xlarge', 'g5.xlarge', 'p3.16xlarge']);

    // THEN
    expect(vcpus).toEqual({ 'p3.16xlarge': 64, 'g5.xlarge': 4 });
    const [call] = ec2.commandCalls(DescribeInstanceTypesCommand);
    expect(call.args[0].input).toEqual({ InstanceTypes: ['p3.16xlarge', 'g5.xlarge'] });
    expect(await regionOf(call)).toBe('eu-central-1');
  });

  test('asks for at most 100 types a call', async () => {
    // GIVEN 250 distinct types
    const types = Array.from({ length: 250 }, (_, i) => `x${i}.large`);
    ec2.on(DescribeInstanceTypesCommand).callsFake((input: { InstanceTypes: string[] }) => ({
      InstanceTypes: input.InstanceTypes.map((t) => ({ InstanceType: t, VCpuInfo: { DefaultVCpus: 2 } })),
    }));
    const { vcpusOf } = await load();

    // WHEN
    const vcpus = await vcpusOf(types);

    // THEN
    const calls = ec2.commandCalls(DescribeInstanceTypesCommand).map((c) => c.args[0].input.InstanceTypes);
    expect(calls.map((c) => c!.length)).toEqual([100, 100, 50]);
    expect(calls.flat()).toEqual(types);
    expect(Object.keys(vcpus)).toHaveLength(250);
  });

  test('types EC2 does not describe, or describes without vCPUs, are left out', async () => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [{ InstanceType: 'p3.2xlarge' }, { VCpuInfo: { DefaultVCpus: 8 } }] });
    const { vcpusOf } = await load();

    // WHEN / THEN
    expect(await vcpusOf(['p3.2xlarge', 'q9.huge'])).toEqual({});
  });

  test('no types makes no call', async () => {
    // GIVEN
    const { vcpusOf } = await load();

    // WHEN
    const vcpus = await vcpusOf([]);

    // THEN
    expect(vcpus).toEqual({});
    expect(ec2.calls()).toHaveLength(0);
  });

  test('throws when EC2 refuses', async () => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).rejects(awsError('InvalidInstanceType', 'The following supplied instance types do not exist: [q9.huge]'));
    const { vcpusOf } = await load();

    // WHEN / THEN
    await expect(vcpusOf(['q9.huge'])).rejects.toMatchObject({ name: 'InvalidInstanceType' });
  });
});

describe('terminationProtected', () => {
  test.each([
    [true, true],
    [false, false],
  ])('reads disableApiTermination %s as %s', async (value, expected) => {
    // GIVEN
    ec2.on(DescribeInstanceAttributeCommand).resolves({ InstanceId: 'i-0aaa', DisableApiTermination: { Value: value } });
    const { terminationProtected } = await load();

    // WHEN
    const isProtected = await terminationProtected('i-0aaa');

    // THEN
    expect(isProtected).toBe(expected);
    const [call] = ec2.commandCalls(DescribeInstanceAttributeCommand);
    expect(call.args[0].input).toEqual({ InstanceId: 'i-0aaa', Attribute: 'disableApiTermination' });
  });

  test('an answer without the attribute is not protected', async () => {
    // GIVEN
    ec2.on(DescribeInstanceAttributeCommand).resolves({ InstanceId: 'i-0aaa' });
    const { terminationProtected } = await load();

    // WHEN / THEN
    expect(await terminationProtected('i-0aaa')).toBe(false);
  });

  test.each(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed'])('an instance EC2 does not know (%s) is undefined', async (name) => {
    // GIVEN
    ec2.on(DescribeInstanceAttributeCommand).rejects(awsError(name, 'The instance ID \'i-0gone\' does not exist'));
    const { terminationProtected } = await load();

    // WHEN / THEN
    expect(await terminationProtected('i-0gone')).toBeUndefined();
  });

  test.each([
    ['UnauthorizedOperation', awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)],
    ['throttling that outlasts the SDK\'s retries', awsError('RequestLimitExceeded', 'Request limit exceeded.', 503)],
  ])('throws on %s rather than call the instance unprotected', async (_, error) => {
    // GIVEN
    ec2.on(DescribeInstanceAttributeCommand).rejects(error);
    const { terminationProtected } = await load();

    // WHEN / THEN
    await expect(terminationProtected('i-0aaa')).rejects.toBe(error);
  });

  test('every call of a container goes through one EC2 client with the SDK\'s adaptive retry', async () => {
    // GIVEN
    ec2.on(DescribeInstanceAttributeCommand).resolves({});
    ec2.on(DescribeInstanceTypesCommand).resolves({});
    const { terminationProtected, vcpusOf } = await load();

    // WHEN
    await terminationProtected('i-0aaa');
    await vcpusOf(['p3.2xlarge']);

    // THEN
    const [first, second] = ec2.calls();
    expect(second.thisValue).toBe(first.thisValue);
    expect((first.thisValue as EC2Client).config.retryMode).toBe('adaptive');
    expect(await (first.thisValue as EC2Client).config.maxAttempts()).toBe(5);
  });
});
