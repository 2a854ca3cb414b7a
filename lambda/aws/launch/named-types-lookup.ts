/**
 * The instance types a launch names only indirectly, asked in the event's region: a launch template version's type
 * (EC2 DescribeLaunchTemplateVersions), the type of each instance StartInstances starts (EC2 DescribeInstances), and
 * what an Auto Scaling group launches when a call only changes its capacity (DescribeAutoScalingGroups, then its
 * template or launch configuration).
 */
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { LaunchTemplateRef } from '../../core/launch/launch-request';
import { GroupAnswer, NamedTypes, NamesToLookUp, templateKey, TypeAnswer } from '../../core/launch/named-types';
import { errorText } from '../clients/error-text';
import { accountCacheKey } from '../clients/event-account';
import { eventClient } from '../clients/regional-client';

/**
 * A numbered template version never changes, so its answer is kept for the container's life; `$Latest` and `$Default`
 * can move, so theirs is kept for a minute: enough for a storm of launches from one template to ask once.
 */
const templateTypes = new Map<string, { readonly answer: TypeAnswer; readonly until: number }>();
const MOVING_VERSION_TTL_MS = 60_000;
/** A group's template can be changed at any time: its answer is kept for a minute, like a moving template version's. */
const groupTypes = new Map<string, { readonly answer: GroupAnswer; readonly until: number }>();

async function ec2(region: string) {
  const sdk = await import('@aws-sdk/client-ec2');
  return { sdk, client: eventClient('ec2', region, (c) => new sdk.EC2Client(c)) };
}

/** Why an attribute-based launch has no type to count: EC2 picks one at launch within the vCPU range. */
function chosenByEc2(vcpus: { Min?: number; Max?: number }): { unknown: string } {
  return { unknown: `chosen by EC2 from ${vcpus.Min ?? 0} to ${vcpus.Max ?? 'any number of'} vCPUs` };
}

function failure(error: unknown, service = 'EC2'): { unknown: string } {
  return { unknown: `${service} did not say (${errorText(error)})` };
}

async function templateType(region: string, ref: LaunchTemplateRef, now: number): Promise<TypeAnswer> {
  const key = `${accountCacheKey()}${region}|${templateKey(ref)}`;
  const cached = templateTypes.get(key);
  if (cached && cached.until > now) return cached.answer;
  let answer: TypeAnswer;
  try {
    const { sdk, client } = await ec2(region);
    const out = await client.send(new sdk.DescribeLaunchTemplateVersionsCommand({
      ...(ref.id ? { LaunchTemplateId: ref.id } : { LaunchTemplateName: ref.name }),
      Versions: [ref.version ?? '$Default'],
    }));
    const data = out.LaunchTemplateVersions?.[0]?.LaunchTemplateData;
    const vcpus = data?.InstanceRequirements?.VCpuCount;
    answer = data?.InstanceType ? { type: data.InstanceType } : vcpus ? chosenByEc2(vcpus) : { unknown: 'the template sets no instance type' };
  } catch (error) {
    return failure(error);
  }
  templateTypes.set(key, { answer, until: ref.version && /^\d+$/.test(ref.version) ? Infinity : now + MOVING_VERSION_TTL_MS });
  return answer;
}

async function instanceTypes(region: string, instanceIds: readonly string[]): Promise<Map<string, TypeAnswer>> {
  const answers = new Map<string, TypeAnswer>();
  if (instanceIds.length === 0) return answers;
  try {
    const { sdk, client } = await ec2(region);
    // A filter, unlike InstanceIds, answers for the instances that exist when some in the list do not.
    for await (const page of sdk.paginateDescribeInstances({ client }, { Filters: [{ Name: 'instance-id', Values: [...instanceIds] }] })) {
      for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        if (instance.InstanceId && instance.InstanceType) answers.set(instance.InstanceId, { type: instance.InstanceType });
      }
    }
  } catch (error) {
    for (const id of instanceIds) answers.set(id, failure(error));
  }
  return answers;
}

async function autoScaling(region: string) {
  const sdk = await import('@aws-sdk/client-auto-scaling');
  return { sdk, client: eventClient('autoscaling', region, (c) => new sdk.AutoScalingClient(c)) };
}

/** What one group launches: its mixed instances policy's override types, else its launch template's or launch configuration's type. */
async function groupAnswer(region: string, group: AutoScalingGroup, now: number): Promise<GroupAnswer> {
  const mixed = group.MixedInstancesPolicy?.LaunchTemplate;
  const overrides = (mixed?.Overrides ?? []).flatMap((o) => (o.InstanceType ? [o.InstanceType] : []));
  if (overrides.length > 0) return { types: [...new Set(overrides)] };
  const vcpus = mixed?.Overrides?.find((o) => o.InstanceRequirements)?.InstanceRequirements?.VCpuCount;
  if (vcpus) return chosenByEc2(vcpus);
  const spec = mixed?.LaunchTemplateSpecification ?? group.LaunchTemplate;
  if (spec?.LaunchTemplateId || spec?.LaunchTemplateName) {
    const answer = await templateType(region, { id: spec.LaunchTemplateId, name: spec.LaunchTemplateName, version: spec.Version, count: 0 }, now);
    return 'type' in answer ? { types: [answer.type] } : { unknown: `its launch template: ${answer.unknown}` };
  }
  if (group.LaunchConfigurationName) {
    try {
      const { sdk, client } = await autoScaling(region);
      const out = await client.send(new sdk.DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [group.LaunchConfigurationName] }));
      const type = out.LaunchConfigurations?.[0]?.InstanceType;
      return type ? { types: [type] } : { unknown: `Auto Scaling does not know its launch configuration ${group.LaunchConfigurationName}` };
    } catch (error) {
      return failure(error, 'Auto Scaling');
    }
  }
  return { unknown: 'the group names no launch template or launch configuration' };
}

async function groupsTypes(region: string, names: readonly string[], now: number): Promise<Map<string, GroupAnswer>> {
  const answers = new Map<string, GroupAnswer>();
  const toAsk = names.filter((name) => {
    const cached = groupTypes.get(`${accountCacheKey()}${region}|${name}`);
    if (cached && cached.until > now) answers.set(name, cached.answer);
    return !answers.has(name);
  });
  if (toAsk.length === 0) return answers;
  try {
    const { sdk, client } = await autoScaling(region);
    for await (const page of sdk.paginateDescribeAutoScalingGroups({ client }, { AutoScalingGroupNames: toAsk })) {
      for (const group of page.AutoScalingGroups ?? []) {
        if (!group.AutoScalingGroupName) continue;
        const answer = await groupAnswer(region, group, now);
        answers.set(group.AutoScalingGroupName, answer);
        if ('types' in answer) groupTypes.set(`${accountCacheKey()}${region}|${group.AutoScalingGroupName}`, { answer, until: now + MOVING_VERSION_TTL_MS });
      }
    }
  } catch (error) {
    for (const name of toAsk) answers.set(name, failure(error, 'Auto Scaling'));
  }
  return answers;
}

/** Looks up every template, instance and group named; an answer AWS could not give says why, and is reported in the alert. */
export async function lookUpNamedTypes(region: string, names: NamesToLookUp): Promise<{ named: NamedTypes; types: string[] }> {
  const ofTemplates = new Map<string, TypeAnswer>();
  for (const ref of names.templates) ofTemplates.set(templateKey(ref), await templateType(region, ref, Date.now()));
  const ofInstances = await instanceTypes(region, names.instanceIds);
  const ofGroups = await groupsTypes(region, names.groups, Date.now());
  const types = [
    ...[...ofTemplates.values(), ...ofInstances.values()].flatMap((a) => ('type' in a ? [a.type] : [])),
    ...[...ofGroups.values()].flatMap((a) => ('types' in a ? a.types : [])),
  ];
  return {
    named: {
      ofTemplate: (ref) => ofTemplates.get(templateKey(ref)) ?? { unknown: 'not looked up' },
      ofInstance: (id) => ofInstances.get(id) ?? { unknown: 'EC2 does not know this instance' },
      ofGroup: (name) => ofGroups.get(name) ?? { unknown: 'Auto Scaling does not know this group' },
      // Task definitions are ECS's: the launch facts ask it for the one a call runs.
      ofTaskDefinition: () => ({ unknown: 'not looked up' }),
    },
    types,
  };
}
