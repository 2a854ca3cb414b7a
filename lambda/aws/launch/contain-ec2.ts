/**
 * EC2 fleets and Spot: cancel or delete without terminating where EC2 allows it, then stop the instances they
 * launched. Every per-item answer EC2 gives in a successful response is read: a refusal is a failure, not "done".
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { containInstances, ec2In, IDS_PER_CALL } from './contain-instances';
import { batches, inParallel } from './in-parallel';
import { joinReports, oneFailed, StepReport } from './step-report';
import { ec2Tags, tagOrNote } from './tagging';
import { errorText } from '../clients/error-text';

/** How the instances a fleet or request launched are stopped. */
export interface FleetContainment {
  readonly retryDelayMs?: number;
}

const NOTHING: StepReport = { count: 0, failed: [], gone: [], unknown: [], notes: [] };
const unknownOne = (id: string, reason: string): StepReport => ({ ...NOTHING, count: 1, unknown: [{ id, reason }] });

/** Runs a lookup of instance ids; a failure becomes a failed item of the step, not a thrown step. */
async function idsOrFailure(id: string, what: string, lookup: () => Promise<string[]>): Promise<string[] | StepReport> {
  try {
    return await lookup();
  } catch (error) {
    return oneFailed(id, `${what}: ${errorText(error)}`);
  }
}

async function stopLaunched(region: string, ids: Array<string[] | StepReport>, tags: Readonly<Record<string, string>>, how: FleetContainment) {
  const found = ids.filter((x): x is string[] => Array.isArray(x));
  const lookups = found.length > 0 ? NOTHING : (ids.find((x): x is StepReport => !Array.isArray(x)) ?? NOTHING);
  const instances = [...new Set(found.flat())];
  const stopped = instances.length > 0
    ? await containInstances(region, instances, tags, { quarantine: false, retryDelayMs: how.retryDelayMs })
    : NOTHING;
  return joinReports(lookups, stopped);
}

async function tagged(client: EC2Client, sdk: typeof import('@aws-sdk/client-ec2'), id: string, what: string, tags: Readonly<Record<string, string>>) {
  return tagOrNote(`${what} ${id}`, () => client.send(new sdk.CreateTagsCommand({ Resources: [id], Tags: ec2Tags(tags) })));
}

/** Cancels a Spot fleet request without terminating its instances, then stops them. */
export async function cancelSpotFleetRequest(
  region: string, requestId: string, tags: Readonly<Record<string, string>>, how: FleetContainment = {},
): Promise<StepReport> {
  const { sdk, client } = await ec2In(region);
  const instances = () => idsOrFailure(requestId, 'its instances not found', async () => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new sdk.DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: requestId, NextToken }));
      ids.push(...(page.ActiveInstances ?? []).flatMap((i) => i.InstanceId ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  });
  const notes = await tagged(client, sdk, requestId, 'Spot fleet request', tags);
  // Read before cancelling, as a cancelled request may no longer be described, and again after, for what it launched meanwhile.
  const before = await instances();
  const out = await client.send(new sdk.CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [requestId], TerminateInstances: false }));
  const refused = out.UnsuccessfulFleetRequests?.find((u) => u.SpotFleetRequestId === requestId)?.Error;
  if (refused?.Code === 'fleetRequestIdDoesNotExist') return unknownOne(requestId, `EC2 does not know this Spot fleet request in ${region}`);
  let own: StepReport = { ...NOTHING, notes };
  if (refused && refused.Code !== 'fleetRequestNotInCancellableState') own = { ...oneFailed(requestId, `not cancelled: ${refused.Code}: ${refused.Message}`), notes };
  else if (!refused && !out.SuccessfulFleetRequests?.some((s) => s.SpotFleetRequestId === requestId)) own = { ...oneFailed(requestId, 'not cancelled: missing from EC2\'s answer'), notes };
  return joinReports(own, await stopLaunched(region, [before, await instances()], tags, how));
}

/** Cancels Spot instance requests (which never terminates their instances), then stops the instances they launched. */
export async function cancelSpotInstanceRequests(
  region: string, requestIds: readonly string[], tags: Readonly<Record<string, string>>, how: FleetContainment = {},
): Promise<StepReport> {
  const { sdk, client } = await ec2In(region);
  const unique = [...new Set(requestIds)];
  // Filtering by id, unlike naming ids, does not fail on one unknown id.
  const describe = async () => (await inParallel(batches(unique, IDS_PER_CALL), async (batch) => {
    const out = await client.send(new sdk.DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'spot-instance-request-id', Values: batch }] }));
    return out.SpotInstanceRequests ?? [];
  })).flat();
  const known = await describe();
  const knownIds = known.flatMap((r) => r.SpotInstanceRequestId ?? []);
  const unknown = unique.filter((id) => !knownIds.includes(id)).map((id) => ({ id, reason: `EC2 does not know this Spot request in ${region}` }));
  const failed: Array<{ id: string; reason: string }> = [];
  await inParallel(batches(knownIds, IDS_PER_CALL), async (batch) => {
    try {
      const out = await client.send(new sdk.CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: batch }));
      const states = new Map((out.CancelledSpotInstanceRequests ?? []).map((c) => [c.SpotInstanceRequestId, c.State]));
      for (const id of batch) {
        const state = states.get(id);
        if (state !== 'cancelled' && state !== 'closed' && state !== 'completed') failed.push({ id, reason: `not cancelled: ${state ? `EC2 says it is ${state}` : 'missing from EC2\'s answer'}` });
      }
    } catch (error) {
      for (const id of batch) failed.push({ id, reason: `not cancelled: ${errorText(error)}` });
    }
  });
  const notes = (await inParallel(batches(knownIds, IDS_PER_CALL), (batch) => tagOrNote(`${batch.length} Spot request(s) from ${batch[0]}`,
    () => client.send(new sdk.CreateTagsCommand({ Resources: batch, Tags: ec2Tags(tags) }))))).flat();
  const after = await idsOrFailure(unique[0], 'instances not found', async () => (await describe()).flatMap((r) => r.InstanceId ?? []));
  const own: StepReport = { count: unique.length, failed, gone: [], unknown, notes, retryStep: failed.length > 0 };
  return joinReports(own, await stopLaunched(region, [known.flatMap((r) => r.InstanceId ?? []), after], tags, how));
}

/**
 * Stops an EC2 fleet: a maintain or request fleet is deleted without terminating its instances (so it stops
 * replacing them); an instant fleet is left as it is, since EC2 deletes one only with its instances. Then its
 * instances are stopped.
 */
export async function stopFleet(
  region: string, fleetId: string, tags: Readonly<Record<string, string>>, how: FleetContainment = {},
): Promise<StepReport> {
  const { sdk, client } = await ec2In(region);
  let fleet;
  try {
    fleet = (await client.send(new sdk.DescribeFleetsCommand({ FleetIds: [fleetId] }))).Fleets?.find((f) => f.FleetId === fleetId);
  } catch (error) {
    if (/NotFound|InvalidFleetId/i.test(errorText(error))) fleet = undefined;
    else throw error;
  }
  if (!fleet) return unknownOne(fleetId, `EC2 does not know this fleet in ${region}`);
  const notes = await tagged(client, sdk, fleetId, 'EC2 fleet', tags);
  if (fleet.Type === 'instant') {
    const ids = (fleet.Instances ?? []).flatMap((i) => i.InstanceIds ?? []);
    return joinReports({ ...NOTHING, notes }, await stopLaunched(region, [ids], tags, how));
  }
  const instances = () => idsOrFailure(fleetId, 'its instances not found', async () => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new sdk.DescribeFleetInstancesCommand({ FleetId: fleetId, NextToken }));
      ids.push(...(page.ActiveInstances ?? []).flatMap((i) => i.InstanceId ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  });
  const before = await instances();
  let own: StepReport = { ...NOTHING, notes };
  if (!fleet.FleetState?.startsWith('deleted')) {
    const out = await client.send(new sdk.DeleteFleetsCommand({ FleetIds: [fleetId], TerminateInstances: false }));
    const refused = out.UnsuccessfulFleetDeletions?.find((u) => u.FleetId === fleetId)?.Error;
    if (refused) own = { ...oneFailed(fleetId, `not deleted: ${refused.Code}: ${refused.Message}`), notes };
    else if (!out.SuccessfulFleetDeletions?.some((s) => s.FleetId === fleetId)) own = { ...oneFailed(fleetId, 'not deleted: missing from EC2\'s answer'), notes };
  }
  return joinReports(own, await stopLaunched(region, [before, await instances()], tags, how));
}
