/**
 * Whether CloudFormation offers, in a region, the resource types a part of the guard uses: the check each part runs at
 * the end of its constructor, and the regions that offer a set of types. The answers come from the table generated from
 * cfn-lint's provider schemas (resource-types-by-region.ts).
 */
import { Annotations, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { RESOURCE_TYPES_BY_REGION as TABLE } from './resource-types-by-region';

export { commercialRegions, defaultEnabledRegions, regionsOfPartition } from './partition-regions';

const OFFERED = new Set(TABLE.types);
const LACKS = new Map(Object.entries(TABLE.lacks).map(([region, types]) => [region, new Set(types)]));

/**
 * Whether the table can say where a resource type exists: true for the types of its namespaces (`AWS::SNS::Topic`),
 * and for custom resources (`Custom::*`), which CloudFormation runs in every region.
 */
export function isCoveredResourceType(type: string): boolean {
  const [vendor, service] = type.split('::');
  return vendor === 'Custom' || (vendor === 'AWS' && TABLE.namespaces.includes(service));
}

function assertCovered(types: readonly string[]): void {
  const uncovered = types.filter((t) => !isCoveredResourceType(t));
  if (uncovered.length > 0) {
    throw new Error(`The table of resource types by region covers the namespaces ${TABLE.namespaces.join(', ')}, not ${uncovered.join(', ')}. `
      + 'Add the namespace to GUARD_NAMESPACES in tools/regions-resource-types.ts and run `npx projen regions:resource-types`.');
  }
}

/**
 * The types among `types` that CloudFormation does not offer in `region`, sorted, or `undefined` when the table does not
 * know the region. A type of the table's namespaces that no region offers (a typo) is missing everywhere.
 *
 * @throws when a type is outside the table's namespaces: the table cannot say where it exists
 */
export function missingResourceTypes(region: string, types: Iterable<string>): string[] | undefined {
  const wanted = [...new Set(types)].sort();
  assertCovered(wanted);
  const lacks = LACKS.get(region);
  if (!lacks) return undefined;
  return wanted.filter((t) => !t.startsWith('Custom::') && (!OFFERED.has(t) || lacks.has(t)));
}

/**
 * Every region of the table that offers all of `types`, sorted; only those of `partition` when it is given.
 *
 * @throws when a type is outside the table's namespaces: the table cannot say where it exists
 */
export function regionsOffering(types: Iterable<string>, partition?: string): string[] {
  const wanted = [...types];
  assertCovered(wanted);
  return Object.entries(TABLE.regions)
    .filter(([region, p]) => (partition === undefined || p === partition) && missingResourceTypes(region, wanted)!.length === 0)
    .map(([region]) => region)
    .sort();
}

/** Options of {@link checkRegionSupport}. */
export interface RegionSupportOptions {
  /**
   * What else to do, appended to the error after the region suggested instead, e.g.
   * `and list eu-north-1 among the regions of the regional part`. Left out when no region of the partition offers
   * every type.
   * @default - only a region that offers every type is suggested
   */
  readonly advice?: string;
}

/**
 * Checks that CloudFormation offers, in the region of `scope`'s stack, every resource type in `scope`'s subtree. Call it
 * at the end of a part's constructor, once its resources exist.
 *
 * - In a region that lacks some of them, it throws an error naming `part`, the region, the missing types, and a
 *   region of the same partition that offers them all: without it, the deployment would fail on the first of them.
 * - In an environment-agnostic stack (the region is a token), it adds a warning listing the regions where the part
 *   cannot deploy.
 * - In a region the table does not know (newer than the cfn-lint release it came from), it adds a warning that the
 *   region could not be checked.
 *
 * Types outside the table's namespaces are not checked; a test keeps the guard's own types inside them. Resources
 * created later (CDK's metadata resource, added at synth) are not seen.
 *
 * @param scope the part; every `CfnResource` under it is checked
 * @param part the part's name in messages, e.g. `MiningGuard (the home part)`
 */
export function checkRegionSupport(scope: IConstruct, part: string, options: RegionSupportOptions = {}): void {
  const types = [...new Set(scope.node.findAll().filter(CfnResource.isCfnResource).map((r) => r.cfnResourceType))]
    .filter(isCoveredResourceType)
    .sort();
  const region = Stack.of(scope).region;

  if (Token.isUnresolved(region)) {
    const unable = regionsLacking(types);
    if (unable.length > 0) {
      Annotations.of(scope).addWarningV2('mining-guard:region-support', `${part} is in an environment-agnostic stack, so its region is only `
        + `known at deployment, and CloudFormation lacks some of its resource types in ${unable.join('; ')}: it cannot deploy there. `
        + 'Set `env: { region }` on the stack to have the synth check its region.');
    }
    return;
  }

  const missing = missingResourceTypes(region, types);
  if (missing === undefined) {
    Annotations.of(scope).addWarningV2('mining-guard:region-support', `${part}: the table of resource types by region (${TABLE.source}) `
      + `does not know ${region}, so the synth cannot check that CloudFormation offers the ${types.length} resource types it uses there; `
      + 'a missing one fails the deployment. A newer mining-guard may know the region.');
    return;
  }
  if (missing.length === 0) return;

  const partition = TABLE.regions[region];
  const instead = nearestOffering(region, types);
  const suggestion = instead
    ? `Deploy it in a region that offers them, e.g. ${instead}${options.advice ? `, ${options.advice}` : ''}.`
    : `No region of partition ${partition} offers them all, so it cannot deploy in this partition.`;
  throw new Error(`${part} cannot deploy in ${region}: CloudFormation offers no ${missing.join(', ')} there (${TABLE.source}). ${suggestion}`);
}

/** The regions that lack some of `types`, grouped by what they lack: `af-south-1, ap-east-1 (no AWS::Budgets::Budget)`. */
function regionsLacking(types: readonly string[]): string[] {
  const byMissing = new Map<string, string[]>();
  for (const region of Object.keys(TABLE.regions).sort()) {
    const missing = missingResourceTypes(region, types)!;
    if (missing.length === 0) continue;
    const key = missing.join(', ');
    byMissing.set(key, [...(byMissing.get(key) ?? []), region]);
  }
  return [...byMissing].map(([missing, regions]) => `${regions.join(', ')} (no ${missing})`);
}

/**
 * A region of the same partition that offers every type: one of the same area (`eu-`, `ap-`) if any, preferring the
 * same direction (`ap-south-`), then regions AWS enables by default, then the alphabet. Region names carry no distance,
 * so this is near only as far as the names tell.
 */
function nearestOffering(region: string, types: readonly string[]): string | undefined {
  const [area, direction] = region.split('-');
  const closeness = (candidate: string) => {
    const [a, d] = candidate.split('-');
    return (a === area ? 2 : 0) + (a === area && d === direction ? 1 : 0);
  };
  const optIn = (candidate: string) => (RegionInfo.regions.some((r) => r.name === candidate) && !RegionInfo.get(candidate).isOptInRegion ? 0 : 1);
  return regionsOffering(types, TABLE.regions[region])
    .sort((a, b) => closeness(b) - closeness(a) || optIn(a) - optIn(b) || (a < b ? -1 : 1))[0];
}
