import { AutoScalingClient, AutoScalingGroup, DescribeAutoScalingGroupsCommand, DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceTypesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudTrailRecord, eventBridgeEvent } from '../../../fixtures/documented-cloudtrail';
import { mockedHandlerEnvironment } from '../../../harness/handler-environment';
import { launchHandlerWith } from '../../../harness/launch-handler';

// What the emulator cannot show: how often EC2 is asked, and the answers it gives for templates it cannot hold.
const sns = mockClient(SNSClient);
const ec2 = mockClient(EC2Client);
const pricing = mockClient(PricingClient);
const autoScaling = mockClient(AutoScalingClient);

/** An Auto Scaling group of 20 that names only a launch template, in eu-west-1. */
function groupFromTemplate(launchTemplate: object): Record<string, unknown> {
  return cloudTrailRecord('autoscaling.amazonaws.com', 'CreateAutoScalingGroup', {
    autoScalingGroupName: 'workers', minSize: 20, maxSize: 20, launchTemplate,
  }, null, { region: 'eu-west-1' });
}

function messages(): string[] {
  return sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!).default);
}

beforeAll(mockedHandlerEnvironment);
beforeEach(() => {
  for (const mock of [sns, ec2, pricing, autoScaling]) mock.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ec2.on(DescribeInstanceTypesCommand).rejects(new Error('not in this test'));
  pricing.on(GetProductsCommand).resolves({ PriceList: [] });
});

test('a numbered template version is asked once per container, in the launch\'s region', async () => {
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: [{ VersionNumber: 3, LaunchTemplateData: { InstanceType: 'g5.12xlarge' } }] });
  const handler = await launchHandlerWith();
  for (let i = 0; i < 3; i++) await handler(eventBridgeEvent(groupFromTemplate({ launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' })));
  const calls = ec2.commandCalls(DescribeLaunchTemplateVersionsCommand);
  expect(calls.map((c) => c.args[0].input)).toEqual([{ LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', Versions: ['3'] }]);
  expect(await (calls[0].thisValue as EC2Client).config.region()).toBe('eu-west-1');
  expect(messages()[0]).toContain('20 x g5.12xlarge');
});

test('a template named without a version is read at its default version, and a storm of launches asks once', async () => {
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: [{ VersionNumber: 1, LaunchTemplateData: { InstanceType: 'p3.2xlarge' } }] });
  const handler = await launchHandlerWith();
  for (let i = 0; i < 3; i++) await handler(eventBridgeEvent(groupFromTemplate({ launchTemplateName: 'workers' })));
  expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand).map((c) => c.args[0].input)).toEqual([{ LaunchTemplateName: 'workers', Versions: ['$Default'] }]);
});

test('a template that lets EC2 choose by vCPUs says so in the alert', async () => {
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [{ LaunchTemplateData: { InstanceRequirements: { VCpuCount: { Min: 32, Max: 96 }, MemoryMiB: { Min: 0 } } } }],
  });
  await (await launchHandlerWith())(eventBridgeEvent(groupFromTemplate({ launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '$Latest' })));
  expect(messages()[0]).toContain('Not counted, unknown: instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version $Latest): chosen by EC2 from 32 to 96 vCPUs.');
});

test('a template EC2 will not describe is reported with its error, and the launch is still judged on its count', async () => {
  ec2.on(DescribeLaunchTemplateVersionsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
  const handler = await launchHandlerWith();
  await handler(eventBridgeEvent(groupFromTemplate({ launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' })));
  await handler(eventBridgeEvent(groupFromTemplate({ launchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', version: '3' })));
  expect(messages()[0]).toContain('Not counted, unknown: instance type of launch template lt-0a1b2c3d4e5f6a7b8 (version 3): '
    + 'EC2 did not say (UnauthorizedOperation: You are not authorized to perform this operation.).');
  expect(messages()[0]).toContain('20 instances or tasks in one call, more than the 10 allowed');
  // A refusal is not remembered: the next launch asks again.
  expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)).toHaveLength(2);
});

describe('a resize of an existing Auto Scaling group', () => {
  /** A group as DescribeAutoScalingGroups returns it, launching what `launches` says. */
  const group = (name: string, launches: Partial<AutoScalingGroup>): AutoScalingGroup => ({
    AutoScalingGroupName: name,
    MinSize: 0,
    MaxSize: 100,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: ['eu-west-1a'],
    HealthCheckType: 'EC2',
    CreatedTime: new Date('2026-11-01T00:00:00Z'),
    ...launches,
  });
  const setDesired = (groupName: string, desiredCapacity: number) => cloudTrailRecord('autoscaling.amazonaws.com', 'SetDesiredCapacity', {
    autoScalingGroupName: groupName, desiredCapacity,
  }, null, { region: 'eu-west-1' });

  test('is judged by the group\'s launch template, and a storm of resizes asks Auto Scaling once', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [group('render', { LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', Version: '$Latest' } })],
    });
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: [{ LaunchTemplateData: { InstanceType: 'g5.12xlarge' } }] });
    const handler = await launchHandlerWith();
    for (let i = 0; i < 3; i++) await handler(eventBridgeEvent(setDesired('render', 40)));
    const calls = autoScaling.commandCalls(DescribeAutoScalingGroupsCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([{ AutoScalingGroupNames: ['render'] }]);
    expect(await (calls[0].thisValue as AutoScalingClient).config.region()).toBe('eu-west-1');
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand).map((c) => c.args[0].input)).toEqual([{ LaunchTemplateId: 'lt-0a1b2c3d4e5f6a7b8', Versions: ['$Latest'] }]);
    expect(messages()[0]).toContain('40 x g5.12xlarge');
  });

  test('a group with a launch configuration is judged by its instance type', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group('legacy', { LaunchConfigurationName: 'legacy-lc' })] });
    autoScaling.on(DescribeLaunchConfigurationsCommand).resolves({
      LaunchConfigurations: [{ LaunchConfigurationName: 'legacy-lc', ImageId: 'ami-0abcdef1234567890', InstanceType: 'p3.8xlarge', CreatedTime: new Date('2026-11-01T00:00:00Z') }],
    });
    await (await launchHandlerWith())(eventBridgeEvent(setDesired('legacy', 6)));
    expect(autoScaling.commandCalls(DescribeLaunchConfigurationsCommand).map((c) => c.args[0].input)).toEqual([{ LaunchConfigurationNames: ['legacy-lc'] }]);
    expect(messages()[0]).toContain('6 x p3.8xlarge');
  });

  test('a group Auto Scaling will not describe is reported with its error, asked again next time, and judged on its capacity', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(Object.assign(new Error('User is not authorized to perform: autoscaling:DescribeAutoScalingGroups'), { name: 'AccessDenied' }));
    const handler = await launchHandlerWith();
    await handler(eventBridgeEvent(setDesired('render', 40)));
    await handler(eventBridgeEvent(setDesired('render', 40)));
    expect(messages()[0]).toContain('Not counted, unknown: instance type of Auto Scaling group render: '
      + 'Auto Scaling did not say (AccessDenied: User is not authorized to perform: autoscaling:DescribeAutoScalingGroups).');
    expect(messages()[0]).toContain('40 instances or tasks in one call, more than the 10 allowed');
    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)).toHaveLength(2);
  });

  test('a group whose instance requirements let EC2 choose says so, rather than counting its template\'s type', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [group('flex', {
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: { LaunchTemplateName: 'flex' },
            Overrides: [{ InstanceRequirements: { VCpuCount: { Min: 16, Max: 64 }, MemoryMiB: { Min: 0 } } }],
          },
        },
      })],
    });
    await (await launchHandlerWith())(eventBridgeEvent(setDesired('flex', 12)));
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)).toHaveLength(0);
    expect(messages()[0]).toContain('Not counted, unknown: instance type of Auto Scaling group flex: chosen by EC2 from 16 to 64 vCPUs.');
  });

  test('a group that no longer exists says so', async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await (await launchHandlerWith())(eventBridgeEvent(setDesired('deleted', 40)));
    expect(messages()[0]).toContain('Not counted, unknown: instance type of Auto Scaling group deleted: Auto Scaling does not know this group.');
  });
});
