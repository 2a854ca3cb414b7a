/** EC2 containment: lift the attacker's protection, optionally isolate, then stop (never terminate); cancel Spot and fleets. */
import type { Tag } from '@aws-sdk/client-ec2';
import { reportUntagged, tagOrNote } from './tagging';
import { regionalClient } from '../clients/regional-client';

async function ec2(region: string) {
  const sdk = await import('@aws-sdk/client-ec2');
  return { sdk, client: regionalClient('ec2', region, (c) => new sdk.EC2Client(c)) };
}

const toTags = (tags: Readonly<Record<string, string>>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** The security group, in the instance's VPC, that allows no traffic at all; created the first time it is needed. */
async function isolationGroup(region: string, vpcId: string, tags: Readonly<Record<string, string>>): Promise<string> {
  const { sdk, client } = await ec2(region);
  const name = 'mining-guard-isolation';
  const found = await client.send(new sdk.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: [name] }] }));
  const existing = found.SecurityGroups?.[0]?.GroupId;
  if (existing) return existing;
  const created = await client.send(new sdk.CreateSecurityGroupCommand({
    GroupName: name,
    Description: 'MiningGuard quarantine: no inbound, no outbound',
    VpcId: vpcId,
    TagSpecifications: [{ ResourceType: 'security-group', Tags: toTags(tags) }],
  }));
  // A new group allows all outbound traffic by default; a quarantine allows none.
  await client.send(new sdk.RevokeSecurityGroupEgressCommand({ GroupId: created.GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  return created.GroupId!;
}

/** Turns off stop and termination protection, quarantines if asked, stops, and tags the instance. */
export async function stopInstance(region: string, instanceId: string, quarantine: boolean, tags: Readonly<Record<string, string>>): Promise<void> {
  const { sdk, client } = await ec2(region);
  // Stop fails while disableApiStop is set, and the attacker sets it precisely so that it does.
  await client.send(new sdk.ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiStop: { Value: false } }));
  await client.send(new sdk.ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiTermination: { Value: false } }));
  if (quarantine) {
    const described = await client.send(new sdk.DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = described.Reservations?.[0]?.Instances?.[0];
    if (instance?.VpcId) {
      const group = await isolationGroup(region, instance.VpcId, tags);
      await client.send(new sdk.ModifyInstanceAttributeCommand({ InstanceId: instanceId, Groups: [group] }));
    }
    const associations = await client.send(new sdk.DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }));
    for (const a of associations.IamInstanceProfileAssociations ?? []) {
      if (a.State === 'associated' && a.AssociationId) {
        await client.send(new sdk.DisassociateIamInstanceProfileCommand({ AssociationId: a.AssociationId }));
      }
    }
  }
  await client.send(new sdk.StopInstancesCommand({ InstanceIds: [instanceId] }));
  reportUntagged(await tagOrNote(() => client.send(new sdk.CreateTagsCommand({ Resources: [instanceId], Tags: toTags(tags) }))));
}

/** Cancels a Spot fleet request; its instances keep running until stopped, so nothing is lost. */
export async function cancelSpotFleetRequest(region: string, requestId: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const { sdk, client } = await ec2(region);
  await client.send(new sdk.CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [requestId], TerminateInstances: false }));
  reportUntagged(await tagOrNote(() => client.send(new sdk.CreateTagsCommand({ Resources: [requestId], Tags: toTags(tags) }))));
}

/** Cancels a Spot instance request (cancelling never terminates the instance it launched). */
export async function cancelSpotInstanceRequest(region: string, requestId: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const { sdk, client } = await ec2(region);
  await client.send(new sdk.CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [requestId] }));
  reportUntagged(await tagOrNote(() => client.send(new sdk.CreateTagsCommand({ Resources: [requestId], Tags: toTags(tags) }))));
}

/** Deletes an EC2 fleet without terminating its instances, so it stops replacing them. */
export async function deleteFleetKeepInstances(region: string, fleetId: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const { sdk, client } = await ec2(region);
  // Tagged first: a deleted fleet can no longer be tagged.
  const untagged = await tagOrNote(() => client.send(new sdk.CreateTagsCommand({ Resources: [fleetId], Tags: toTags(tags) })));
  await client.send(new sdk.DeleteFleetsCommand({ FleetIds: [fleetId], TerminateInstances: false }));
  reportUntagged(untagged);
}
