/**
 * The quarantine security group of a VPC: created by the guard, tagged as its isolation group, and used only while its
 * actual rules allow no traffic at all. A group found by name alone is never trusted: anyone can name a group.
 */
import { randomBytes } from 'crypto';
import type { EC2Client, IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import { ec2Tags } from './tagging';
import { ISOLATION_TAG } from '../../../lib/catalog';

type Ec2 = typeof import('@aws-sdk/client-ec2');

/** The isolation group to move a VPC's instances into, and what a person should know about the groups passed over. */
export interface IsolationGroup {
  readonly groupId: string;
  readonly notes: readonly string[];
}

const isTagged = (g: SecurityGroup): boolean => (g.Tags ?? []).some((t) => t.Key === ISOLATION_TAG.key && t.Value === ISOLATION_TAG.value);
const isClosed = (g: SecurityGroup): boolean => (g.IpPermissions ?? []).length === 0 && (g.IpPermissionsEgress ?? []).length === 0;
/** A group name as an alert quotes it: attacker-written, so bounded and without control characters. */
const quoted = (name: string | undefined): string => JSON.stringify((name ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 64));

async function groupsOf(sdk: Ec2, client: EC2Client, filters: Array<{ Name: string; Values: string[] }>): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new sdk.DescribeSecurityGroupsCommand({ Filters: filters, NextToken, MaxResults: 1000 }));
    groups.push(...(page.SecurityGroups ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return groups;
}

/** Creates a tagged group under a name nobody holds, and revokes whatever outbound rules EC2 gave it. */
async function createIsolationGroup(sdk: Ec2, client: EC2Client, vpcId: string, tags: Readonly<Record<string, string>>): Promise<string> {
  const create = (name: string) => client.send(new sdk.CreateSecurityGroupCommand({
    GroupName: name,
    Description: 'MiningGuard quarantine: no inbound, no outbound',
    VpcId: vpcId,
    TagSpecifications: [{ ResourceType: 'security-group', Tags: ec2Tags({ ...tags, [ISOLATION_TAG.key]: ISOLATION_TAG.value }) }],
  }));
  // A random suffix, so that no group created in advance under a guessed name can take its place.
  const name = () => `mining-guard-quarantine-${randomBytes(6).toString('hex')}`;
  let created;
  try {
    created = await create(name());
  } catch (error) {
    if ((error as { name?: string } | undefined)?.name !== 'InvalidGroup.Duplicate') throw error;
    created = await create(name());
  }
  const groupId = created.GroupId;
  if (!groupId) throw new Error(`EC2 created no isolation group in ${vpcId}`);
  // A new group allows all outbound traffic (IPv4, and IPv6 in a dual-stack VPC); a quarantine allows none.
  const [group] = await groupsOf(sdk, client, [{ Name: 'group-id', Values: [groupId] }]);
  const egress: IpPermission[] = group?.IpPermissionsEgress ?? [];
  if (egress.length > 0) await client.send(new sdk.RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: egress }));
  return groupId;
}

/**
 * The VPC's isolation group: an existing one that carries the guard's isolation tag and has no rules at all, or a new
 * one. Groups that look like the guard's by name or tag but fail either test are passed over, and the notes say so.
 */
export async function isolationGroup(sdk: Ec2, client: EC2Client, vpcId: string, tags: Readonly<Record<string, string>>): Promise<IsolationGroup> {
  const groups = await groupsOf(sdk, client, [{ Name: 'vpc-id', Values: [vpcId] }]);
  const lookalikes = groups.filter((g) => isTagged(g) || /mining-?guard/i.test(g.GroupName ?? ''));
  const usable = lookalikes.filter((g) => isTagged(g) && isClosed(g)).sort((a, b) => (a.GroupId ?? '').localeCompare(b.GroupId ?? ''));
  const notes = lookalikes.filter((g) => !usable.includes(g)).map((g) => `ignored security group ${g.GroupId} named ${quoted(g.GroupName)} in ${vpcId}: `
    + `${isTagged(g) ? 'it allows traffic' : 'it is not tagged as the guard\'s isolation group'}, so it is not used for quarantine`);
  if (usable[0]?.GroupId) return { groupId: usable[0].GroupId, notes };
  const groupId = await createIsolationGroup(sdk, client, vpcId, tags);
  // Checked as any found group is: by its tag and its actual rules, read back from EC2.
  const [created] = await groupsOf(sdk, client, [{ Name: 'group-id', Values: [groupId] }]);
  if (!created || !isTagged(created) || !isClosed(created)) throw new Error(`the new isolation group ${groupId} in ${vpcId} still allows traffic or lost its tag`);
  return { groupId, notes };
}
