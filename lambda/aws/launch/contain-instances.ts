/**
 * Stopping EC2 instances, never terminating them: read their state, lift the attacker's stop and termination
 * protection, isolate them if asked, stop them in batches, retry each failure once, tag them. Calls run in parallel,
 * a bounded number at a time, so that a thousand instances are stopped well within the function's timeout.
 */
import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { batches, inParallel } from './in-parallel';
import { isolationGroup, IsolationGroup } from './isolation-group';
import type { ItemResult, StepReport } from './step-report';
import { ec2Tags, tagOrNote } from './tagging';
import { errorText } from '../clients/error-text';
import { eventClient } from '../clients/regional-client';

type Ec2 = typeof import('@aws-sdk/client-ec2');

/** Ids per Describe, StopInstances and CreateTags call: each takes many, and a smaller batch fails less at once. */
export const IDS_PER_CALL = 100;

/** How instances are contained. */
export interface InstanceContainment {
  /** Move every network interface into the VPC's isolation group and detach the instance profile, before stopping. */
  readonly quarantine: boolean;
  /** How long to wait before the one retry of what failed (a pending instance cannot be stopped yet). */
  readonly retryDelayMs?: number;
}

/** The client and the module of EC2, for a region of the event's account. */
export async function ec2In(region: string): Promise<{ sdk: Ec2; client: EC2Client }> {
  const sdk = await import('@aws-sdk/client-ec2');
  return { sdk, client: eventClient('ec2', region, (c) => new sdk.EC2Client(c)) };
}

/** The instances EC2 knows among the ids, by id; filtering by id, unlike naming ids, does not fail on one unknown id. */
async function describe(sdk: Ec2, client: EC2Client, ids: readonly string[]): Promise<Map<string, Instance>> {
  const found = new Map<string, Instance>();
  await inParallel(batches(ids, IDS_PER_CALL), async (batch) => {
    let NextToken: string | undefined;
    do {
      const page = await client.send(new sdk.DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: batch }], NextToken }));
      for (const i of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) if (i.InstanceId) found.set(i.InstanceId, i);
      NextToken = page.NextToken;
    } while (NextToken);
  });
  return found;
}

/** Records the first failure of each id, prefixed with what failed. */
class Failures {
  public readonly byId = new Map<string, string>();
  public add(id: string, what: string, error: unknown): void {
    this.say(id, `${what}: ${errorText(error)}`);
  }
  public say(id: string, reason: string): void {
    if (!this.byId.has(id)) this.byId.set(id, reason);
  }
  public async guard(id: string, what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.add(id, what, error);
    }
  }
}

/** Moves every interface of each instance into its VPC's isolation group and detaches its instance profile. */
async function isolate(
  sdk: Ec2, client: EC2Client, instances: readonly Instance[], groups: (vpcId: string) => Promise<IsolationGroup>, failures: Failures,
): Promise<void> {
  const moves = instances.flatMap((i) => (i.NetworkInterfaces ?? [])
    .map((n) => ({ id: i.InstanceId!, vpcId: i.VpcId ?? n.VpcId, eni: n.NetworkInterfaceId })));
  for (const i of instances) if (!i.VpcId || (i.NetworkInterfaces ?? []).length === 0) failures.say(i.InstanceId!, 'not isolated: EC2 reports no VPC network interface');
  // One call per interface: an instance with several interfaces refuses ModifyInstanceAttribute(Groups).
  await inParallel(moves, ({ id, vpcId, eni }) => failures.guard(id, 'not isolated', async () => {
    const { groupId } = await groups(vpcId!);
    await client.send(new sdk.ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Groups: [groupId] }));
  }));
  const ids = instances.map((i) => i.InstanceId!);
  const associations = (await inParallel(batches(ids, IDS_PER_CALL), async (batch) => {
    try {
      const out = await client.send(new sdk.DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: batch }] }));
      return out.IamInstanceProfileAssociations ?? [];
    } catch (error) {
      for (const id of batch) failures.add(id, 'instance profile not detached', error);
      return [];
    }
  })).flat().filter((a) => a.State === 'associated' && a.AssociationId && a.InstanceId);
  await inParallel(associations, (a) => failures.guard(a.InstanceId!, 'instance profile not detached',
    () => client.send(new sdk.DisassociateIamInstanceProfileCommand({ AssociationId: a.AssociationId }))));
}

/** Stops the instances in batches; a batch EC2 refuses is stopped one by one, so that each refusal names its instance. */
async function stop(sdk: Ec2, client: EC2Client, ids: readonly string[], failures: Failures): Promise<void> {
  const stopping = async (batch: readonly string[]) => {
    const out = await client.send(new sdk.StopInstancesCommand({ InstanceIds: [...batch] }));
    const answered = new Map((out.StoppingInstances ?? []).map((s) => [s.InstanceId, s.CurrentState?.Name]));
    for (const id of batch) {
      const state = answered.get(id);
      if (state !== 'stopping' && state !== 'stopped') failures.say(id, `not stopped: ${state ? `EC2 says it is ${state}` : 'missing from StopInstances\' answer'}`);
    }
  };
  await inParallel(batches(ids, IDS_PER_CALL), async (batch) => {
    try {
      await stopping(batch);
    } catch (error) {
      if (batch.length === 1) return failures.add(batch[0], 'not stopped', error);
      await inParallel(batch, (id) => stopping([id]).catch((e) => failures.add(id, 'not stopped', e)));
    }
  });
}

/** One pass over the instances: lift protection, isolate, stop. Returns what failed, by id. */
async function pass(
  sdk: Ec2, client: EC2Client, instances: readonly Instance[], how: InstanceContainment, groups: (vpcId: string) => Promise<IsolationGroup>,
): Promise<Map<string, string>> {
  const failures = new Failures();
  const ids = instances.map((i) => i.InstanceId!);
  // Stop fails while disableApiStop is set, and the attacker sets it precisely so that it does; termination protection
  // is lifted too, so that a person can terminate once the instance has been examined.
  const lifts = ids.flatMap((id) => [
    { id, attribute: { DisableApiStop: { Value: false } } },
    { id, attribute: { DisableApiTermination: { Value: false } } },
  ]);
  const lifted = new Failures();
  await inParallel(lifts, ({ id, attribute }) => lifted.guard(id, 'protection not lifted',
    () => client.send(new sdk.ModifyInstanceAttributeCommand({ InstanceId: id, ...attribute }))));
  if (how.quarantine) await isolate(sdk, client, instances, groups, failures);
  await stop(sdk, client, ids, failures);
  for (const [id, reason] of lifted.byId) failures.byId.set(id, failures.byId.has(id) ? `${failures.byId.get(id)}; ${reason}` : reason);
  return failures.byId;
}

/** Contains the instances; each failure is retried once, and what still fails is reported with AWS's reason. */
export async function containInstances(
  region: string, ids: readonly string[], tags: Readonly<Record<string, string>>, how: InstanceContainment,
): Promise<StepReport> {
  const { sdk, client } = await ec2In(region);
  const unique = [...new Set(ids)];
  const known = await describe(sdk, client, unique);
  const unknown: ItemResult[] = unique.filter((id) => !known.has(id))
    .map((id) => ({ id, reason: `EC2 does not know it in ${region}: never launched there, or terminated over an hour ago` }));
  const gone: ItemResult[] = [...known.values()].filter((i) => ['terminated', 'shutting-down'].includes(i.State?.Name ?? ''))
    .map((i) => ({ id: i.InstanceId!, reason: `already ${i.State!.Name}` }));
  const live = [...known.values()].filter((i) => !gone.some((g) => g.id === i.InstanceId));

  // One isolation group per VPC, looked up once for all its instances; a failed lookup is tried afresh by the retry.
  const isolation = new Map<string, Promise<IsolationGroup>>();
  const groups = (vpcId: string) => {
    if (!isolation.has(vpcId)) {
      isolation.set(vpcId, isolationGroup(sdk, client, vpcId, tags).catch((error: unknown) => {
        isolation.delete(vpcId);
        throw error;
      }));
    }
    return isolation.get(vpcId)!;
  };

  let failed = await pass(sdk, client, live, how, groups);
  if (failed.size > 0) {
    await new Promise((resolve) => setTimeout(resolve, how.retryDelayMs ?? 1000));
    failed = await pass(sdk, client, live.filter((i) => failed.has(i.InstanceId!)), how, groups);
  }

  const touched = live.map((i) => i.InstanceId!);
  const untagged = (await inParallel(batches(touched, IDS_PER_CALL), (batch) => tagOrNote(`${batch.length} instance(s) from ${batch[0]}`,
    () => client.send(new sdk.CreateTagsCommand({ Resources: batch, Tags: ec2Tags(tags) }))))).flat();
  const groupNotes = (await Promise.all([...isolation.values()].map((g) => g.then((x) => x.notes, () => [])))).flat();
  return {
    count: unique.length,
    failed: unique.filter((id) => failed.has(id)).map((id) => ({ id, reason: failed.get(id)! })),
    gone,
    unknown,
    notes: [...new Set(groupNotes)].concat(untagged),
  };
}
