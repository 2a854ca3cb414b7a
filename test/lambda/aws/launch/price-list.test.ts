import { DescribeInstanceTypesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, GetProductsCommandInput, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgeEvent, runInstances } from '../../../fixtures/documented-cloudtrail';
import { mockedHandlerEnvironment } from '../../../harness/handler-environment';
import { launchHandlerWith } from '../../../harness/launch-handler';

// The emulator has no Price List API: its answers are mocked, in the product document shape GetProducts returns.
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html
const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);

/** A GetProducts `PriceList` entry for an on-demand Linux instance type. */
function product(instanceType: string, regionCode: string, usdPerHour: string): string {
  return JSON.stringify({
    product: {
      productFamily: 'Compute Instance',
      attributes: { instanceType, regionCode, operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', operation: 'RunInstances' },
      sku: 'JRTCKXETXF6YS6EN',
    },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        'JRTCKXETXF6YS6EN.JRTCKXETXF': {
          offerTermCode: 'JRTCKXETXF',
          priceDimensions: {
            'JRTCKXETXF6YS6EN.JRTCKXETXF.6YS6EN2CT7': {
              unit: 'Hrs',
              beginRange: '0',
              endRange: 'Inf',
              pricePerUnit: { USD: usdPerHour },
              description: `$${usdPerHour} per On Demand Linux ${instanceType} Instance Hour`,
            },
          },
        },
      },
    },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  });
}

function subjects(): string[] {
  return sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject!);
}

function filters(input: GetProductsCommandInput): Record<string, string> {
  return Object.fromEntries((input.Filters ?? []).map((f) => [f.Field!, f.Value!]));
}

beforeAll(mockedHandlerEnvironment);
beforeEach(() => {
  sns.reset();
  ec2.reset();
  pricing.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
});

test('the cost is the Price List\'s on-demand price in the launch\'s own region', async () => {
  pricing.on(GetProductsCommand).resolves({ PriceList: [product('p3.2xlarge', 'eu-west-1', '3.3050000000')] });
  await (await launchHandlerWith())(eventBridgeEvent(runInstances('p3.2xlarge', 2, ['i-0aaa', 'i-0bbb'], { region: 'eu-west-1' })));
  expect(subjects()[0]).toMatch(/2 x p3\.2xlarge launched in eu-west-1 by .* \(~\$6\.61\/h\)$/);
  const [call] = pricing.commandCalls(GetProductsCommand);
  expect(call.args[0].input).toMatchObject({ ServiceCode: 'AmazonEC2', FormatVersion: 'aws_v1' });
  expect(filters(call.args[0].input)).toEqual({
    instanceType: 'p3.2xlarge',
    regionCode: 'eu-west-1',
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    marketoption: 'OnDemand',
  });
  // The Price List API answers from us-east-1 for every region.
  expect(await (call.thisValue as PricingClient).config.region()).toBe('us-east-1');
});

test('each type and region is asked once per container', async () => {
  pricing.on(GetProductsCommand).resolves({ PriceList: [product('p3.2xlarge', 'eu-west-1', '3.3050000000')] });
  const handler = await launchHandlerWith();
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaa'], { region: 'eu-west-1' })));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 3, ['i-0bbb'], { region: 'eu-west-1' })));
  await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0ccc'], { region: 'ap-south-1' })));
  expect(pricing.commandCalls(GetProductsCommand).map((c) => filters(c.args[0].input).regionCode)).toEqual(['eu-west-1', 'ap-south-1']);
});

test('a type the Price List does not hold in the region keeps the bundled us-east-1 price', async () => {
  pricing.on(GetProductsCommand).resolves({ PriceList: [] });
  await (await launchHandlerWith())(eventBridgeEvent(runInstances('p3.2xlarge', 2, ['i-0aaa', 'i-0bbb'], { region: 'eu-west-1' })));
  expect(subjects()[0]).toMatch(/\(~\$6\.12\/h\)$/);
});

test('a Price List that refuses falls back to the bundled price, and is not asked again for every launch of a storm', async () => {
  pricing.on(GetProductsCommand).rejects(Object.assign(new Error('User is not authorized to perform: pricing:GetProducts'), { name: 'AccessDeniedException' }));
  const handler = await launchHandlerWith();
  for (let i = 0; i < 5; i++) await handler(eventBridgeEvent(runInstances('p3.2xlarge', 1, [`i-0${i}`], { region: 'eu-west-1' })));
  expect(subjects()).toHaveLength(5);
  expect(subjects().every((s) => s.endsWith('(~$3.06/h)'))).toBe(true);
  expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(1);
});

test('the Price List prices a type the bundled table holds without a price', async () => {
  pricing.on(GetProductsCommand).resolves({ PriceList: [product('p5e.48xlarge', 'us-east-2', '69.8800000000')] });
  await (await launchHandlerWith())(eventBridgeEvent(runInstances('p5e.48xlarge', 1, ['i-0aaa'], { region: 'us-east-2' })));
  expect(subjects()[0]).toMatch(/\[CRITICAL\] 1 x p5e\.48xlarge launched in us-east-2 by .* \(~\$70\/h\)$/);
});

test('with no price anywhere, the alert says the cost is unknown', async () => {
  pricing.on(GetProductsCommand).resolves({ PriceList: [] });
  await (await launchHandlerWith())(eventBridgeEvent(runInstances('p5e.48xlarge', 1, ['i-0aaa'], { region: 'us-east-2' })));
  expect(subjects()[0]).toMatch(/1 x p5e\.48xlarge launched in us-east-2 by .* \(cost unknown\)$/);
});

test('a product document without an hourly on-demand price is not read as one', async () => {
  const reserved = JSON.parse(product('p3.2xlarge', 'eu-west-1', '3.305'));
  reserved.terms = { Reserved: reserved.terms.OnDemand };
  pricing.on(GetProductsCommand).resolves({ PriceList: [JSON.stringify(reserved), '{"terms":{"OnDemand":{"x":{"priceDimensions":{"y":{"unit":"Quantity","pricePerUnit":{"USD":"9"}}}}}}}'] });
  await (await launchHandlerWith())(eventBridgeEvent(runInstances('p3.2xlarge', 1, ['i-0aaa'], { region: 'eu-west-1' })));
  expect(subjects()[0]).toMatch(/\(~\$3\.06\/h\)$/);
});
