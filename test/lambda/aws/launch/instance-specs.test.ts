import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, GetProductsCommandInput, PricingClient } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import { handlerEnvironment } from '../../../harness/handler-environment';
import { awsError, freshModule, regionOf } from '../../../harness/mocked-aws';

const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const REGION = 'eu-west-1';

/** p5.4xlarge is not in the bundled table: its size rule says 16 vCPUs and no GPU. EC2 knows better. */
const P5_4XLARGE = {
  InstanceType: 'p5.4xlarge' as const, VCpuInfo: { DefaultVCpus: 16 }, GpuInfo: { Gpus: [{ Count: 1 }] }, MemoryInfo: { SizeInMiB: 262144 },
};

/** A GetProducts `PriceList` entry with an hourly on-demand price. */
function product(usdPerHour: string): string {
  return JSON.stringify({ terms: { OnDemand: { o: { priceDimensions: { d: { unit: 'Hrs', pricePerUnit: { USD: usdPerHour } } } } } } });
}

function filter(input: GetProductsCommandInput, field: string): string | undefined {
  return input.Filters?.find((f) => f.Field === field)?.Value;
}

/** A fresh container's resolveSpecs, with the failures it reports. */
async function fresh() {
  const { resolveSpecs } = await freshModule(() => import('../../../../lambda/aws/launch/instance-specs'));
  const failures: string[] = [];
  return { resolve: (region: string, types: string[]) => resolveSpecs(region, types, (reason) => failures.push(reason)), failures };
}

beforeAll(() => handlerEnvironment({ AWS_REGION: 'us-east-1' }));
beforeEach(() => {
  ec2.reset();
  pricing.reset();
  pricing.on(GetProductsCommand).resolves({ PriceList: [] });
});

describe('resolveSpecs', () => {
  test('types the bundled table holds are not asked of EC2, and are priced in the launch\'s region', async () => {
    // GIVEN
    pricing.on(GetProductsCommand).resolves({ PriceList: [product('3.3050000000')] });
    const { resolve, failures } = await fresh();

    // WHEN
    const spec = await resolve(REGION, ['p3.2xlarge']);

    // THEN
    expect(spec('p3.2xlarge')).toEqual({ type: 'p3.2xlarge', vcpus: 8, gpus: 1, memoryGiB: 61, usdPerHour: 3.305, estimated: false });
    expect(ec2.calls()).toHaveLength(0);
    const [call] = pricing.commandCalls(GetProductsCommand);
    expect(filter(call.args[0].input, 'instanceType')).toBe('p3.2xlarge');
    expect(filter(call.args[0].input, 'regionCode')).toBe(REGION);
    expect(failures).toEqual([]);
  });

  test('asks EC2, in the launch\'s region, about a type the table only estimates, and uses its answer', async () => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [P5_4XLARGE] });
    const { resolve, failures } = await fresh();

    // WHEN
    const spec = await resolve(REGION, ['p5.4xlarge', 'p3.2xlarge', 'p5.4xlarge']);

    // THEN
    expect(spec('p5.4xlarge')).toEqual({ type: 'p5.4xlarge', vcpus: 16, gpus: 1, memoryGiB: 256, estimated: false });
    const [call] = ec2.commandCalls(DescribeInstanceTypesCommand);
    expect(call.args[0].input).toEqual({ InstanceTypes: ['p5.4xlarge'] });
    expect(await regionOf(call)).toBe(REGION);
    expect(failures).toEqual([]);
  });

  test('asks EC2 about each type once per container', async () => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [P5_4XLARGE] });
    const { resolve } = await fresh();

    // WHEN
    await resolve(REGION, ['p5.4xlarge']);
    const spec = await resolve('us-east-2', ['p5.4xlarge']);

    // THEN
    expect(ec2.commandCalls(DescribeInstanceTypesCommand)).toHaveLength(1);
    expect(spec('p5.4xlarge').gpus).toBe(1);
  });

  test('a SageMaker ml. type is asked of EC2 without its prefix, and not priced at EC2\'s price', async () => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [P5_4XLARGE] });
    const { resolve } = await fresh();

    // WHEN
    const spec = await resolve(REGION, ['ml.p5.4xlarge']);

    // THEN
    expect(ec2.commandCalls(DescribeInstanceTypesCommand)[0].args[0].input).toEqual({ InstanceTypes: ['p5.4xlarge'] });
    expect(pricing.calls()).toHaveLength(0);
    expect(spec('ml.p5.4xlarge')).toMatchObject({ vcpus: 16, gpus: 1, estimated: false });
    expect(spec('ml.p5.4xlarge').usdPerHour).toBeUndefined();
  });

  test.each([
    ['AccessDenied', awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403),
      'UnauthorizedOperation: You are not authorized to perform this operation.'],
    ['throttling that outlasts the SDK\'s retries', awsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
      'RequestLimitExceeded: Request limit exceeded.'],
  ])('on %s the estimate stands, the failure is reported, and the next launch asks again', async (_, error, quoted) => {
    // GIVEN
    ec2.on(DescribeInstanceTypesCommand).rejects(error);
    const { resolve, failures } = await fresh();

    // WHEN
    const spec = await resolve(REGION, ['p5.4xlarge']);
    await resolve(REGION, ['p5.4xlarge']);

    // THEN
    expect(spec('p5.4xlarge')).toEqual({ type: 'p5.4xlarge', vcpus: 16, gpus: 0, memoryGiB: 0, estimated: true });
    expect(failures).toEqual([
      `DescribeInstanceTypes for p5.4xlarge in ${REGION} failed: ${quoted}`,
      `DescribeInstanceTypes for p5.4xlarge in ${REGION} failed: ${quoted}`,
    ]);
    expect(ec2.commandCalls(DescribeInstanceTypesCommand)).toHaveLength(2);
  });

  test('a Price List that refuses leaves the bundled us-east-1 price, and says why', async () => {
    // GIVEN
    pricing.on(GetProductsCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: pricing:GetProducts'));
    const { resolve, failures } = await fresh();

    // WHEN
    const spec = await resolve(REGION, ['p3.2xlarge']);

    // THEN
    expect(spec('p3.2xlarge').usdPerHour).toBe(3.06);
    expect(failures).toEqual([
      `Price List GetProducts for p3.2xlarge in ${REGION} failed: AccessDeniedException: User is not authorized to perform: pricing:GetProducts`,
    ]);
  });

  test('a type asked about after the lookup was made falls back to the bundled table', async () => {
    // GIVEN
    const { resolve } = await fresh();

    // WHEN
    const spec = await resolve(REGION, []);

    // THEN
    expect(spec('g5.xlarge')).toEqual({ type: 'g5.xlarge', vcpus: 4, gpus: 1, memoryGiB: 16, usdPerHour: 1.006, estimated: false });
    expect(ec2.calls()).toHaveLength(0);
    expect(pricing.calls()).toHaveLength(0);
  });
});
