/**
 * Containment against the emulated account: what each kind of step leaves behind, read back from EC2 and Auto Scaling.
 * The emulator has neither Batch UpdateComputeEnvironment nor SageMaker's Stop* calls, and cannot inject failures:
 * those are covered with aws-sdk-client-mock in test/lambda/aws/launch/ (contain-compute, contain-instances,
 * act-containment, where three stops failing out of 500 are retried and reported).
 */
import {
  AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  AuthorizeSecurityGroupIngressCommand, CreateFleetCommand, CreateLaunchTemplateCommand, CreateSecurityGroupCommand, CreateSubnetCommand,
  CreateVpcCommand, DescribeFleetInstancesCommand, DescribeFleetsCommand, DescribeInstancesCommand, DescribeSecurityGroupsCommand,
  DescribeSpotFleetInstancesCommand, DescribeSpotFleetRequestsCommand, DescribeSpotInstanceRequestsCommand, EC2Client, FleetType,
  ModifyInstanceAttributeCommand, RequestSpotFleetCommand, RequestSpotInstancesCommand, RunInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { actContainment, describeOutcomes } from '../../../lambda/aws/launch/act-containment';
import { SUSPENDED_PROCESSES } from '../../../lambda/aws/launch/contain-compute';
import type { ContainmentAction, ContainmentPlan } from '../../../lambda/core/launch/plan-containment';
import { ISOLATION_TAG } from '../../../lib/catalog';
import { emulatedHandlerEnvironment } from '../../harness/handler-environment';
import { motoClientConfig, MOTO_REGION, uniqueName } from '../../harness/moto';

const ec2 = () => new EC2Client(motoClientConfig());
const autoScaling = () => new AutoScalingClient(motoClientConfig());
const TAGS = { 'mining-guard:detection': 'ec2-instance-launch', 'mining-guard:event-id': 'e-containment' };
const plan = (action: ContainmentAction): ContainmentPlan => ({ region: MOTO_REGION, actions: [action], tags: TAGS });

beforeAll(() => emulatedHandlerEnvironment({}));

/** Each instance's state, by id. */
async function statesOf(ids: readonly string[]): Promise<Record<string, string | undefined>> {
  const out = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
  return Object.fromEntries(out.Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId!, i.State?.Name]));
}

/** What the attacker does to every instance, so that defenders cannot stop or terminate it. */
async function protect(ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true } }));
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: true } }));
  }
}

async function launchTemplate(): Promise<string> {
  const out = await ec2().send(new CreateLaunchTemplateCommand({
    LaunchTemplateName: uniqueName('lt'), LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 'g4dn.12xlarge' },
  }));
  return out.LaunchTemplate!.LaunchTemplateId!;
}

describe('containment, against the emulated account', () => {
  test('STOP on an Auto Scaling group keeps every instance, stopped, not terminated, with its processes suspended and capacity unchanged', async () => {
    // GIVEN a group of three protected instances
    const name = uniqueName('asg');
    await autoScaling().send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 3,
      MaxSize: 999,
      DesiredCapacity: 3,
      LaunchTemplate: { LaunchTemplateId: await launchTemplate() },
      AvailabilityZones: ['us-east-1a'],
    }));
    const group = async () => (await autoScaling().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
      .AutoScalingGroups![0];
    const ids = (await group()).Instances!.map((i) => i.InstanceId!);
    expect(ids).toHaveLength(3);
    await protect(ids);

    // WHEN
    const outcomes = await actContainment(plan({ kind: 'stop-autoscaling-group', groupName: name }));

    // THEN
    expect(outcomes.map((o) => [o.outcome, o.count])).toEqual([['done', 3]]);
    const after = await group();
    expect(after).toMatchObject({ MinSize: 3, MaxSize: 999, DesiredCapacity: 3 });
    expect(after.Instances!.map((i) => i.InstanceId).sort()).toEqual([...ids].sort());
    expect(after.SuspendedProcesses!.map((p) => p.ProcessName).sort()).toEqual([...SUSPENDED_PROCESSES].sort());
    expect(Object.values(await statesOf(ids))).toEqual(['stopped', 'stopped', 'stopped']);
    expect(after.Tags!.map((t) => t.Key)).toContain('mining-guard:detection');
  });

  test('a Spot fleet request is cancelled and its instances stopped', async () => {
    // GIVEN
    const { SpotFleetRequestId: id } = await ec2().send(new RequestSpotFleetCommand({
      SpotFleetRequestConfig: {
        TargetCapacity: 2,
        IamFleetRole: 'arn:aws:iam::123456789012:role/fleet',
        AllocationStrategy: 'lowestPrice',
        SpotPrice: '5.0',
        LaunchSpecifications: [{ ImageId: 'ami-12c6146b', InstanceType: 'g5.12xlarge' }],
      },
    }));
    const ids = (await ec2().send(new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: id }))).ActiveInstances!.map((i) => i.InstanceId!);
    expect(ids).toHaveLength(2);

    // WHEN
    const outcomes = await actContainment(plan({ kind: 'cancel-spot-fleet-request', requestId: id! }));

    // THEN
    expect(outcomes.map((o) => o.outcome)).toEqual(['done']);
    const { SpotFleetRequestConfigs: [config] = [] } = await ec2().send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id!] }));
    expect(config.SpotFleetRequestState).toMatch(/^cancelled/);
    expect(Object.values(await statesOf(ids))).toEqual(['stopped', 'stopped']);
  });

  test('a Spot instance request is cancelled and its instance stopped', async () => {
    // GIVEN
    const out = await ec2().send(new RequestSpotInstancesCommand({ InstanceCount: 1, LaunchSpecification: { ImageId: 'ami-12c6146b', InstanceType: 'p3.2xlarge' } }));
    const [request] = out.SpotInstanceRequests!;
    expect(request.InstanceId).toBeDefined();
    expect(request.State).toBe('active');

    // WHEN
    const outcomes = await actContainment(plan({ kind: 'cancel-spot-instance-requests', requestIds: [request.SpotInstanceRequestId!] }));

    // THEN
    expect(outcomes.map((o) => o.outcome)).toEqual(['done']);
    // The emulator forgets a cancelled Spot request rather than listing it as 'cancelled', as EC2 does; that the actor
    // reads the 'cancelled' state from CancelSpotInstanceRequests' answer is tested with a mocked EC2 (contain-ec2).
    const filter = [{ Name: 'spot-instance-request-id', Values: [request.SpotInstanceRequestId!] }];
    const after = await ec2().send(new DescribeSpotInstanceRequestsCommand({ Filters: filter }));
    expect((after.SpotInstanceRequests ?? []).filter((r) => r.State === 'open' || r.State === 'active')).toEqual([]);
    expect(await statesOf([request.InstanceId!])).toEqual({ [request.InstanceId!]: 'stopped' });
  });

  test.each<[FleetType, string]>([['maintain', 'deleted_running'], ['instant', 'active']])(
    'the %s fleet\'s instances are stopped, and it is left %s', async (type, state) => {
      // GIVEN
      const fleet = await ec2().send(new CreateFleetCommand({
        Type: type,
        TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: 'on-demand', OnDemandTargetCapacity: 2 },
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: await launchTemplate(), Version: '1' } }],
      }));
      const described = async () => (await ec2().send(new DescribeFleetsCommand({ FleetIds: [fleet.FleetId!] }))).Fleets![0];
      const launched = async () => (await ec2().send(new DescribeFleetInstancesCommand({ FleetId: fleet.FleetId! })))
        .ActiveInstances!.map((i) => i.InstanceId!);
      const ids = type === 'instant' ? fleet.Instances!.flatMap((i) => i.InstanceIds!) : await launched();
      expect(ids).toHaveLength(2);

      // WHEN
      const outcomes = await actContainment(plan({ kind: 'stop-fleet', fleetId: fleet.FleetId! }));

      // THEN
      expect(outcomes.map((o) => [o.outcome, o.count])).toEqual([['done', 2]]);
      expect((await described()).FleetState).toBe(state);
      expect(Object.values(await statesOf(ids))).toEqual(['stopped', 'stopped']);
    });

  test('an instance with two network interfaces is quarantined, both into the guard\'s own group, and stopped; '
    + 'an allow-all group named mining-guard-isolation is never used', async () => {
    // GIVEN a VPC in which the attacker created an allow-all group under the guard's old name, and a protected
    // instance with two network interfaces
    const { Vpc } = await ec2().send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }));
    const { Subnet } = await ec2().send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.42.1.0/24' }));
    const squatted = await ec2().send(new CreateSecurityGroupCommand({ GroupName: 'mining-guard-isolation', Description: 'allow all', VpcId: Vpc!.VpcId }));
    await ec2().send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: squatted.GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }));
    const run = await ec2().send(new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 'p4d.24xlarge',
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: Subnet!.SubnetId }, { DeviceIndex: 1, SubnetId: Subnet!.SubnetId }],
    }));
    const id = run.Instances![0].InstanceId!;
    await protect([id]);

    // WHEN
    const outcomes = await actContainment(plan({ kind: 'quarantine-instances', instanceIds: [id] }));

    // THEN the instance is stopped, both interfaces are in one group, and it is not the squatted one
    const [line] = describeOutcomes(outcomes);
    expect(outcomes.map((o) => o.outcome)).toEqual(['done']);
    expect(line).toContain(`ignored security group ${squatted.GroupId} named "mining-guard-isolation" in ${Vpc!.VpcId}`);
    const after = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0].Instances![0];
    expect(after.State?.Name).toBe('stopped');
    const groups = after.NetworkInterfaces!.map((n) => n.Groups!.map((g) => g.GroupId));
    expect(groups).toHaveLength(2);
    expect(groups[0]).toEqual(groups[1]);
    expect(groups[0]).toHaveLength(1);
    expect(groups[0][0]).not.toBe(squatted.GroupId);
    // AND the group used is the guard's: tagged as its isolation group, with no rules at all
    const [isolation] = (await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [groups[0][0]!] }))).SecurityGroups!;
    expect(isolation).toMatchObject({ VpcId: Vpc!.VpcId, IpPermissions: [], IpPermissionsEgress: [] });
    expect(isolation.Tags).toContainEqual({ Key: ISOLATION_TAG.key, Value: ISOLATION_TAG.value });

    // WHEN a second instance of the same VPC is quarantined
    const second = (await ec2().send(new RunInstancesCommand({
      ImageId: 'ami-12c6146b', InstanceType: 'p4d.24xlarge', MinCount: 1, MaxCount: 1, SubnetId: Subnet!.SubnetId,
    }))).Instances![0].InstanceId!;
    await actContainment(plan({ kind: 'quarantine-instances', instanceIds: [second] }));

    // THEN it joins the same group: the guard finds its own by tag and rules, and creates no other
    const secondGroups = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [second] }))).Reservations![0].Instances![0]
      .NetworkInterfaces!.map((n) => n.Groups!.map((g) => g.GroupId));
    expect(secondGroups).toEqual([[isolation.GroupId]]);
  });

  test('an instance EC2 never launched is not found, and one that is terminated is already done', async () => {
    // GIVEN
    const run = await ec2().send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    const terminated = run.Instances![0].InstanceId!;
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));

    // WHEN
    const outcomes = await actContainment({
      region: MOTO_REGION,
      actions: [{ kind: 'stop-instances', instanceIds: ['i-0000000000000dead'] }, { kind: 'stop-instances', instanceIds: [terminated] }],
      tags: TAGS,
    });

    // THEN
    expect(describeOutcomes(outcomes)).toEqual([
      'Not found: stop instance i-0000000000000dead (turning off stop/termination protection first) (1 not found: i-0000000000000dead '
        + `(EC2 does not know it in ${MOTO_REGION}: never launched there, or terminated over an hour ago)).`,
      `Nothing to do: stop instance ${terminated} (turning off stop/termination protection first) (1 already gone: ${terminated} (already terminated)).`,
    ]);
  });
});
