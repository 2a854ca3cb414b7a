/**
 * Generates lib/regions/resource-types-by-region.ts: which CloudFormation resource types of the service namespaces the
 * guard can use each region offers, as the installed cfn-lint's provider schemas say. `npx projen regions:resource-types`
 * rewrites the file; an integration test fails when the committed table and the installed cfn-lint disagree.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * The service namespaces (`AWS::<namespace>::<resource>`) whose types the guard may use, and so the table covers.
 * `CDK` is the CDK's own metadata resource. EC2 is left out: the guard creates no EC2 resource, and its 100-odd types
 * would triple the table. A unit test fails when the guard synthesizes a type outside these namespaces.
 */
export const GUARD_NAMESPACES: readonly string[] = [
  'Budgets', 'CDK', 'CE', 'Chatbot', 'CloudFormation', 'CloudTrail', 'CloudWatch', 'Config', 'DynamoDB', 'Events',
  'GuardDuty', 'IAM', 'KMS', 'Lambda', 'Logs', 'S3', 'SNS', 'SQS', 'SSM',
];

/** The generated file. */
export const TABLE_FILE = path.join(__dirname, '..', 'lib', 'regions', 'resource-types-by-region.ts');

/** The command that rewrites {@link TABLE_FILE}, named in its header and in the test that compares it. */
export const REGENERATE_COMMAND = 'npx projen regions:resource-types';

/** What the installed cfn-lint knows: its version, and per region the resource types its rule E3006 accepts there. */
export interface ProviderTypes {
  readonly version: string;
  readonly regions: Readonly<Record<string, RegionProviderTypes>>;
}

/** One region's types in cfn-lint. */
export interface RegionProviderTypes {
  readonly types: readonly string[];
  /**
   * True when cfn-lint's schemas for the region are a copy of us-east-1's. cfn-lint cannot download the schemas of
   * the isolated (ISO) partitions and of the European Sovereign Cloud and fills them with us-east-1's, which says
   * nothing about what those regions offer.
   */
  readonly copyOfPrimary: boolean;
}

/**
 * Asks cfn-lint through the same Python interpreter the set-up installs it with. `get_resource_types` is what rule
 * E3006 (a type that does not exist in a region) consults, so the table agrees with `cfn-lint --regions`.
 */
const PROVIDER_TYPES_SCRIPT = `
import importlib, json
import cfnlint.version
from cfnlint.helpers import REGIONS, REGION_PRIMARY
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

def hashes(region):
    return importlib.import_module("cfnlint.data.schemas.providers." + region.replace("-", "_")).types

primary = hashes(REGION_PRIMARY)
print(json.dumps({
    "version": cfnlint.version.__version__,
    "regions": {
        region: {
            "types": sorted(PROVIDER_SCHEMA_MANAGER.get_resource_types(region)),
            "copyOfPrimary": region != REGION_PRIMARY and hashes(region) == primary,
        }
        for region in REGIONS
    },
}))
`;

/** Reads every region's resource types from the installed cfn-lint (about 3 seconds: cfn-lint's import). */
export function readProviderTypes(python = 'python3'): ProviderTypes {
  const result = spawnSync(python, ['-c', PROVIDER_TYPES_SCRIPT], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim().split('\n').pop();
    throw new Error(`${python} could not read cfn-lint's provider schemas (${why}): run \`python3 -m pip install -r requirements-dev.txt\``);
  }
  return JSON.parse(result.stdout) as ProviderTypes;
}

/** The table as the generated file holds it; see the interface the file declares for what each field means. */
export interface ResourceTypeTable {
  readonly source: string;
  readonly namespaces: readonly string[];
  readonly types: readonly string[];
  readonly regions: Readonly<Record<string, string>>;
  readonly lacks: Readonly<Record<string, readonly string[]>>;
  /** Regions cfn-lint lists without schemas of their own, left out of `regions`. */
  readonly withoutSchemas: readonly string[];
}

/** Whether a resource type belongs to one of the namespaces. */
function inNamespaces(type: string, namespaces: readonly string[]): boolean {
  const [vendor, service] = type.split('::');
  return vendor === 'AWS' && namespaces.includes(service);
}

/** The partition aws-cdk-lib's region-info gives the region; a region it does not know yet cannot be placed. */
export function partitionFromRegionInfo(region: string): string {
  const partition = RegionInfo.get(region).partition;
  if (!partition) {
    throw new Error(`aws-cdk-lib's region-info does not know ${region}, which cfn-lint lists: upgrade aws-cdk-lib, then run \`${REGENERATE_COMMAND}\``);
  }
  return partition;
}

/** Builds the table: per region, the types of the namespaces it lacks relative to every region's together. */
export function buildTable(
  provider: ProviderTypes,
  namespaces: readonly string[] = GUARD_NAMESPACES,
  partitionOf: (region: string) => string = partitionFromRegionInfo,
): ResourceTypeTable {
  const entries = Object.entries(provider.regions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const known = entries.filter(([, r]) => !r.copyOfPrimary);
  const offered = new Map(known.map(([region, r]) => [region, new Set(r.types.filter((t) => inNamespaces(t, namespaces)))]));
  const types = [...new Set([...offered.values()].flatMap((set) => [...set]))].sort();
  return {
    source: `cfn-lint ${provider.version}`,
    namespaces: [...namespaces].sort(),
    types,
    regions: Object.fromEntries([...offered.keys()].map((region) => [region, partitionOf(region)])),
    lacks: Object.fromEntries([...offered].map(([region, set]) => [region, types.filter((t) => !set.has(t))])),
    withoutSchemas: entries.filter(([, r]) => r.copyOfPrimary).map(([region]) => region),
  };
}

const quote = (s: string) => `'${s}'`;

/** A list of strings, one per line, at the indentation given; short lists stay on one line. */
function list(items: readonly string[], indent: string): string {
  if (items.length === 0) return '[]';
  const inline = `[${items.map(quote).join(', ')}]`;
  if (indent.length + inline.length < 100) return inline;
  return `[\n${items.map((s) => `${indent}  ${quote(s)},`).join('\n')}\n${indent}]`;
}

/** The TypeScript source of the generated file. */
export function renderTable(table: ResourceTypeTable): string {
  const regions = Object.entries(table.regions).map(([region, partition]) => `    '${region}': '${partition}',`);
  const lacks = Object.entries(table.lacks).map(([region, types]) => `    '${region}': ${list(types, '    ')},`);
  return `/**
 * Which CloudFormation resource types of the guard's service namespaces each region offers: generated from the provider
 * schemas of ${table.source} by \`${REGENERATE_COMMAND}\` (tools/regions-resource-types.ts). Do not edit; after
 * upgrading cfn-lint (requirements-dev.txt), run that command and commit the result. An integration test fails when
 * this file and the installed cfn-lint disagree.
 */

/** The table's shape. */
export interface ResourceTypesByRegion {
  /** Where the data came from: the cfn-lint version whose provider schemas were read. */
  readonly source: string;
  /** The service namespaces covered, as in \`AWS::<namespace>::<resource>\`; the table says nothing of other types. */
  readonly namespaces: readonly string[];
  /** Every type of those namespaces that at least one region offers. */
  readonly types: readonly string[];
  /** Every region whose types are known, with its partition (\`aws\`, \`aws-cn\`...) from aws-cdk-lib's region-info. */
  readonly regions: Readonly<Record<string, string>>;
  /** For every region of \`regions\`, the types of \`types\` that CloudFormation does not offer there. */
  readonly lacks: Readonly<Record<string, readonly string[]>>;
  /**
   * Regions cfn-lint lists without schemas of its own (the isolated partitions and the European Sovereign Cloud: it
   * fills them with us-east-1's), so they are left out of \`regions\`.
   */
  readonly withoutSchemas: readonly string[];
}

export const RESOURCE_TYPES_BY_REGION: ResourceTypesByRegion = {
  source: '${table.source}',
  namespaces: ${list(table.namespaces, '  ')},
  types: ${list(table.types, '  ')},
  regions: {
${regions.join('\n')}
  },
  lacks: {
${lacks.join('\n')}
  },
  withoutSchemas: ${list(table.withoutSchemas, '  ')},
};
`;
}

if (require.main === module) {
  fs.writeFileSync(TABLE_FILE, renderTable(buildTable(readProviderTypes())));
}
