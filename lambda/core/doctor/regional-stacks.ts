/**
 * Judges the guard's regional parts: the StackSet's stack instance in each region, and where the home stack cannot
 * name the stacks that hold them, says so instead of guessing.
 */
import { Check, fail, pass, skip } from './check';
import { resolveValue, StackValues, TemplateResources, valueText } from './template-values';

/** A stack instance as CloudFormation ListStackInstances returns it. */
export interface StackInstance {
  readonly Region?: string;
  readonly Account?: string;
  readonly StackId?: string;
  readonly Status?: string;
  readonly StatusReason?: string;
  readonly StackInstanceStatus?: { readonly DetailedStatus?: string };
}

/** A regional stack to check: its region and its stack's ARN (or name). */
export interface RegionalStack {
  readonly region: string;
  readonly stack: string;
}

/** What to do about an instance, by its detailed status (the last operation on it) and its status. */
function instanceFix(stackSet: string, instance: StackInstance): string {
  const region = String(instance.Region);
  const detailed = instance.StackInstanceStatus?.DetailedStatus;
  if (detailed === 'RUNNING' || detailed === 'PENDING') return `an operation on the StackSet is under way: run the doctor again when aws cloudformation list-stack-set-operations --stack-set-name ${stackSet} shows it done`;
  if (instance.Status === 'INOPERABLE' || detailed === 'INOPERABLE') {
    return `CloudFormation no longer manages the instance (a failed delete left it): aws cloudformation delete-stack-instances --stack-set-name ${stackSet} --accounts ${String(instance.Account)} --regions ${region} --no-retain-stacks, then deploy the guard again to recreate it`;
  }
  return `read why in the events of its stack in ${region} (aws cloudformation describe-stack-events --region ${region} --stack-name ${String(instance.StackId ?? '<its stack>')}); `
    + 'a GuardDuty detector that already exists there wants the region in everyRegion.existingDetectorRegions, an opt-in region must be enabled first; then deploy the guard again';
}

/** One check per stack instance: CURRENT with its last operation SUCCEEDED passes; anything else fails naming region, status, reason and fix. */
export function judgeStackInstances(stackSet: string, instances: readonly StackInstance[]): Check[] {
  if (instances.length === 0) {
    return [fail(`StackSet ${stackSet}`, 'no stack instance: no region beyond the home one has the regional part', 'deploy the guard again; if the StackSet stays empty, read its operations (aws cloudformation list-stack-set-operations)')];
  }
  return instances.map((instance) => {
    const name = `${String(instance.Region)} StackSet instance`;
    const detailed = instance.StackInstanceStatus?.DetailedStatus;
    if (instance.Status === 'CURRENT' && (detailed === undefined || detailed === 'SUCCEEDED')) return pass(name, `CURRENT, ${detailed ?? 'deployed'}`);
    const reason = typeof instance.StatusReason === 'string' && instance.StatusReason ? `: ${instance.StatusReason.slice(0, 300)}` : '';
    return fail(name, `${String(instance.Status)}, last operation ${String(detailed)}${reason}: the region may not have the guard's current regional part`,
      instanceFix(stackSet, instance));
  });
}

/** The regional stacks of the StackSet's instances: each instance that has a stack, in its region. */
export function regionalStacksOf(instances: readonly StackInstance[]): RegionalStack[] {
  return instances.flatMap((i) => (typeof i.Region === 'string' && typeof i.StackId === 'string' && i.StackId ? [{ region: i.Region, stack: i.StackId }] : []));
}

/**
 * The regions the guard runs in, as the home stack tells its notifier (`guardedRegions` of its `GUARD_CONTEXT`
 * environment), or undefined when the template does not say.
 */
export function guardedRegionsOf(resources: TemplateResources, known: StackValues): string[] | undefined {
  for (const resource of Object.values(resources)) {
    if (resource?.Type !== 'AWS::Lambda::Function') continue;
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const text = variables && valueText(variables.GUARD_CONTEXT, known);
    if (!text) continue;
    try {
      const regions = (JSON.parse(text) as { guardedRegions?: unknown }).guardedRegions;
      if (Array.isArray(regions)) return regions.filter((r): r is string => typeof r === 'string');
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The StackSets of a template (the guard's `EveryRegion`), with their names where the template gives them. */
export function stackSetNamesOf(resources: TemplateResources, known: StackValues): Map<string, string | undefined> {
  const names = new Map<string, string | undefined>();
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r?.Type === 'AWS::CloudFormation::StackSet') names.set(logicalId, resolveValue(r.Properties?.StackSetName, known));
  }
  return names;
}

/**
 * What the doctor says of a home stack without a StackSet: the regions its notifier guards beyond the home one are
 * `RegionalGuard` stacks of the app, whose names the home stack does not hold; each is a SKIP naming the command
 * that checks it.
 */
export function unnamedRegionalStacks(guardedRegions: readonly string[] | undefined, homeRegion: string | undefined): Check[] {
  // Not a home stack (a RegionalGuard's own stack, checked with --stack): it has no regional parts of its own.
  if (guardedRegions === undefined) return [];
  const others = guardedRegions.filter((r) => r !== homeRegion);
  if (others.length === 0) return [pass('regional parts', 'the guard runs in its home region alone (everyRegion.regions is empty)')];
  return others.map((region) => skip(`${region} regional part`,
    `a RegionalGuard stack of your app (everyRegion CDK_STACKS), which the home stack does not name: check it with mining-guard doctor --region ${region} --stack <its stack>`));
}

/** The region's checks, each named with the region first, so that a report of many regions says where. */
export function inRegion(region: string, checks: readonly Check[]): Check[] {
  return checks.map((c) => ({ ...c, name: `${region} ${c.name}` }));
}
