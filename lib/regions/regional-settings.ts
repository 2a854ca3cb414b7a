/**
 * What the regional part needs to know of its home, as plain values (no token of the home stack), so it can be
 * built in the home stack's StackSet template or in a stack of another region alike.
 */
import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { EveryRegionOptions, RegionalDeployment } from './every-region';
import { defaultEnabledRegions } from './resource-availability';
import type { ComplianceRulesOptions } from '../compliance/compliance-rules';
import { RecorderMode } from '../compliance/config-recorder';
import { ManagedRuleDefinition, regionalManagedRules, ruleName } from '../compliance/rule-definitions';
import type { VcpuUsageAlarmsOptions } from '../spend/vcpu-usage-alarms';
import type { DetectorOptions } from '../threats/threat-detection';

/** The regional Config rules: the region's recorder, created or adopted, and the managed rules with their names. */
export interface RegionalCompliance {
  readonly recorder: RecorderMode.CREATE | RecorderMode.ADOPT;
  readonly recorderRetention?: Duration;
  readonly rules: ReadonlyArray<ManagedRuleDefinition & { readonly name: string }>;
}

/** Everything a regional part is built from. */
export interface RegionalSettings {
  /** The home region: its default bus receives what the regional part forwards. */
  readonly homeRegion: string;
  /**
   * The account of the home bus: an organization's member accounts forward to the security account's.
   * @default - the regional part's own account
   */
  readonly homeAccount?: string;
  /** The start of the names of the guard's alarms, which the home notifier alerts on. */
  readonly alarmNamePrefix: string;
  /** The lowest GuardDuty severity of the findings outside the catalog forwarded, as the home region routes them; none unless given. */
  readonly minimumSeverity?: number;
  /** How a created detector is set up, as in the home region. */
  readonly detector: DetectorOptions;
  /** The vCPU alarms, when on. */
  readonly vcpuAlarms?: VcpuUsageAlarmsOptions;
  /** The regional Config rules, when `compliance` is on with a recorder. */
  readonly compliance?: RegionalCompliance;
}

/** Where the regional part goes and who deploys it. */
export interface RegionalPlan {
  readonly deployment: RegionalDeployment;
  /** The regions that get the regional part. Without a known home region, it may hold the home region itself. */
  readonly regions: readonly string[];
  /** The regions of `regions` whose GuardDuty detector exists already. */
  readonly existingDetectorRegions: readonly string[];
  /**
   * The regions of `regions` whose configuration recorder exists already, as the lookups found them: the recorder is
   * adopted there and created in the others. Undefined when every region does what `compliance.recorder` says.
   */
  readonly existingRecorderRegions?: readonly string[];
  /** The regions the guard runs in: the home region (when known) and `regions`. */
  readonly guardedRegions: readonly string[];
}

/** A region name as AWS writes them: `us-east-1`, `ap-southeast-5`, `us-gov-west-1`. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The regions beyond the home one, checked, with the defaults filled in. */
export function regionalPlan(scope: Construct, options: EveryRegionOptions = {}): RegionalPlan {
  const home = Stack.of(scope).region;
  const homeKnown = !Token.isUnresolved(home);
  const deployment = options.deployment ?? RegionalDeployment.STACK_SET;
  const regions = options.regions ?? defaultRegions(scope, home);
  checkRegionList('everyRegion.regions', regions);
  if (homeKnown && regions.includes(home)) {
    throw new Error(`MiningGuard: everyRegion.regions lists ${home}, the home region, which the home stack already guards whole. Remove '${home}' from it.`);
  }
  const existingDetectorRegions = options.existingDetectorRegions ?? [];
  checkRegionList('everyRegion.existingDetectorRegions', existingDetectorRegions);
  const strays = existingDetectorRegions.filter((r) => !regions.includes(r));
  if (strays.length > 0) {
    throw new Error(`MiningGuard: everyRegion.existingDetectorRegions lists ${strays.join(', ')}, which everyRegion.regions does not: the regional part never goes there. Add ${strays.length === 1 ? 'it' : 'them'} to regions, or remove ${strays.length === 1 ? 'it' : 'them'}.`);
  }
  const optIn = regions.filter((r) => RegionInfo.get(r).isOptInRegion);
  if (optIn.length > 0) {
    Annotations.of(scope).addWarningV2('mining-guard:opt-in-regions',
      `everyRegion.regions lists opt-in regions (${optIn.join(', ')}): the deployment fails there until each is enabled in the account (Account settings, AWS Regions).`);
  }
  return {
    deployment,
    regions,
    existingDetectorRegions,
    guardedRegions: homeKnown ? [home, ...regions] : [...regions],
  };
}

/** The settings of the regional part, from the home guard's own. */
export function regionalSettings(props: {
  readonly homeRegion: string;
  readonly alarmNamePrefix: string;
  readonly minimumSeverity?: number;
  readonly detector: DetectorOptions;
  readonly vcpuAlarms?: VcpuUsageAlarmsOptions;
  /** The home guard's compliance options, with the recorder mode it chose (given, or looked up in the home region). */
  readonly compliance?: ComplianceRulesOptions & { readonly recorder: RecorderMode };
}): RegionalSettings {
  const compliance = props.compliance;
  const rules = compliance ? regionalManagedRules(compliance).map((r) => ({ ...r, name: ruleName(compliance, r.rule) })) : [];
  return {
    homeRegion: props.homeRegion,
    alarmNamePrefix: props.alarmNamePrefix,
    minimumSeverity: props.minimumSeverity,
    detector: props.detector,
    vcpuAlarms: props.vcpuAlarms,
    compliance: compliance && compliance.recorder !== RecorderMode.OFF && rules.length > 0
      ? { recorder: compliance.recorder, recorderRetention: compliance.recorderRetention, rules }
      : undefined,
  };
}

function defaultRegions(scope: Construct, home: string): string[] {
  if (Token.isUnresolved(home)) {
    Annotations.of(scope).addWarningV2('mining-guard:every-region-unknown-home',
      'The stack has no region (environment-agnostic), so MiningGuard takes the regions AWS enables by default in the aws partition for the regional part, and leaves out the home region when it deploys, by a mapping of the commercial regions it knows (another home region fails the deployment). Give the stack `env: { region }`, or set `everyRegion.regions`, to say exactly.');
    return defaultEnabledRegions('aws');
  }
  const partition = RegionInfo.get(home).partition ?? 'aws';
  return defaultEnabledRegions(partition).filter((r) => r !== home);
}

function checkRegionList(prop: string, regions: readonly string[]): void {
  const bad = regions.filter((r) => !REGION_NAME.test(r));
  if (bad.length > 0) {
    throw new Error(`MiningGuard: ${prop} has ${bad.map((r) => JSON.stringify(r)).join(', ')}, which ${bad.length === 1 ? 'is not a region name' : 'are not region names'}. Write names such as 'us-east-1' or 'ap-southeast-1'.`);
  }
  const seen = new Set<string>();
  const twice = regions.filter((r) => (seen.has(r) ? true : (seen.add(r), false)));
  if (twice.length > 0) {
    throw new Error(`MiningGuard: ${prop} lists ${[...new Set(twice)].join(', ')} more than once. List each region once.`);
  }
}
