/**
 * The doctor's reading of the guard's regional parts: the StackSet's stack instances, and in each instance's stack,
 * with clients of its region, the checks that make sense there (forwarding rules, detector, alarms, dead letters).
 */
import { paginateListStackInstances, StackInstanceSummary } from '@aws-sdk/client-cloudformation';
import { alarmChecks, detectorChecks, healthChecks, ruleChecks } from './doctor-checks';
import { DoctorClients } from './doctor-clients';
import { findGuard, FoundGuard } from './find-guard';
import { callFailed, Check } from '../../core/doctor/check';
import {
  guardedRegionsOf, inRegion, judgeStackInstances, RegionalStack, regionalStacksOf, stackSetNamesOf, unnamedRegionalStacks,
} from '../../core/doctor/regional-stacks';

/** Clients for a region. */
export type ClientsForRegion = (region: string) => DoctorClients;

/** Every stack instance of the StackSet, across pages. */
async function stackInstances(clients: DoctorClients, stackSet: string): Promise<StackInstanceSummary[]> {
  const instances: StackInstanceSummary[] = [];
  const pages = paginateListStackInstances({ client: clients.cloudFormation }, { StackSetName: stackSet });
  for await (const page of pages) instances.push(...(page.Summaries ?? []));
  return instances;
}

/** The checks of one regional stack, in its region, each named with the region. */
export async function regionalStackChecks(clientsFor: ClientsForRegion, regional: RegionalStack, now = new Date()): Promise<Check[]> {
  const name = `${regional.region} regional stack`;
  let clients: DoctorClients;
  let guard: FoundGuard;
  try {
    clients = clientsFor(regional.region);
    guard = await findGuard(clients.cloudFormation, regional.stack);
  } catch (error) {
    return [callFailed(name, 'cloudformation:DescribeStacks, ListStackResources and GetTemplate in the region', error)];
  }
  const ids = (parts: ReadonlyArray<{ physicalId: string }>) => parts.map((p) => p.physicalId);
  const { resources } = guard;
  return inRegion(regional.region, [
    ...await ruleChecks(clients, ids(resources.rules)),
    ...await detectorChecks(clients, resources),
    ...await alarmChecks(clients, ids(resources.alarms)),
    // The regional part has no function: only its dead-letter queue.
    ...await healthChecks(clients, [], ids(resources.queues), now),
  ]);
}

/**
 * The regional parts of the guard in the home stack: each StackSet's instances, then each instance's stack; without
 * a StackSet, a SKIP for each region the guard runs in that the home stack cannot name a stack for.
 */
export async function regionalChecks(clients: DoctorClients, clientsFor: ClientsForRegion, home: FoundGuard, now = new Date()): Promise<Check[]> {
  const stackSets = stackSetNamesOf(home.template, home.values);
  if (stackSets.size === 0) return unnamedRegionalStacks(guardedRegionsOf(home.template, home.values), home.values.region);
  const checks: Check[] = [];
  for (const [logicalId, templateName] of stackSets) {
    // Its physical id is the StackSet's id (`name:uuid`), which ListStackInstances takes as well as its name.
    const stackSet = home.resources.stackSets.find((p) => p.logicalId === logicalId)?.physicalId ?? templateName;
    if (!stackSet) continue;
    const shown = templateName ?? stackSet;
    let instances: StackInstanceSummary[];
    try {
      instances = await stackInstances(clients, stackSet);
    } catch (error) {
      checks.push(callFailed(`StackSet ${shown}`, 'cloudformation:ListStackInstances', error));
      continue;
    }
    checks.push(...judgeStackInstances(shown, instances));
    for (const regional of regionalStacksOf(instances)) checks.push(...await regionalStackChecks(clientsFor, regional, now));
  }
  return checks;
}
