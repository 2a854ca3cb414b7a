/**
 * The instance types a launch names only indirectly, asked of EC2 in the event's region: a launch template version's
 * type (DescribeLaunchTemplateVersions) and the type of each instance StartInstances starts (DescribeInstances).
 */
import { regionalClient } from './regional-client';
import type { LaunchTemplateRef } from '../core/launch/launch-request';
import { NamedTypes, templateKey, TypeAnswer } from '../core/launch/named-types';

/**
 * A numbered template version never changes, so its answer is kept for the container's life; `$Latest` and `$Default`
 * can move, so theirs is kept for a minute: enough for a storm of launches from one template to ask once.
 */
const templateTypes = new Map<string, { readonly answer: TypeAnswer; readonly until: number }>();
const MOVING_VERSION_TTL_MS = 60_000;

async function ec2(region: string) {
  const sdk = await import('@aws-sdk/client-ec2');
  return { sdk, client: regionalClient('ec2', region, (c) => new sdk.EC2Client(c)) };
}

function failure(error: unknown): TypeAnswer {
  const e = error as { name?: string; message?: string };
  return { unknown: `EC2 did not say (${e.name ?? 'Error'}: ${e.message ?? String(error)})` };
}

async function templateType(region: string, ref: LaunchTemplateRef, now: number): Promise<TypeAnswer> {
  const key = `${region}|${templateKey(ref)}`;
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
    answer = data?.InstanceType ? { type: data.InstanceType }
      : { unknown: vcpus ? `chosen by EC2 from ${vcpus.Min ?? 0} to ${vcpus.Max ?? 'any number of'} vCPUs` : 'the template sets no instance type' };
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

/** Looks up every template and instance named; an answer EC2 could not give says why, and is reported in the alert. */
export async function lookUpNamedTypes(
  region: string, templates: readonly LaunchTemplateRef[], instanceIds: readonly string[],
): Promise<{ named: NamedTypes; types: string[] }> {
  const ofTemplates = new Map<string, TypeAnswer>();
  for (const ref of templates) ofTemplates.set(templateKey(ref), await templateType(region, ref, Date.now()));
  const ofInstances = await instanceTypes(region, instanceIds);
  const types = [...ofTemplates.values(), ...ofInstances.values()].flatMap((a) => ('type' in a ? [a.type] : []));
  return {
    named: {
      ofTemplate: (ref) => ofTemplates.get(templateKey(ref)) ?? { unknown: 'not looked up' },
      ofInstance: (id) => ofInstances.get(id) ?? { unknown: 'EC2 does not know this instance' },
    },
    types,
  };
}
