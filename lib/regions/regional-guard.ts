/** RegionalGuard: the regional part in a stack of your own app, for people who keep a stack per region. */
import { Stack, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { RegionalDeployment } from './every-region';
import { RegionalParts } from './regional-parts';
import { checkRegionSupport } from './resource-availability';
import type { MiningGuard } from '../mining-guard';
import type { VcpuUsageAlarms } from '../spend/vcpu-usage-alarms';

/** Properties of a `RegionalGuard`. */
export interface RegionalGuardProps {
  /**
   * The guard of the home region. Its stack needs a region (`env: { region }`), its `everyRegion.deployment` must
   * be `RegionalDeployment.CDK_STACKS`, and its `everyRegion.regions` must list this stack's region.
   */
  readonly home: MiningGuard;
}

/**
 * The regional part of a `MiningGuard`, for a region beyond its home: rules that forward the catalog's CloudTrail
 * calls, GuardDuty findings, alarm state changes and Config results to the home region's default bus within
 * seconds, the region's GuardDuty detector (unless `everyRegion.existingDetectorRegions` lists the region), its
 * vCPU alarms and, with `compliance`, its regional Config rules. It creates nothing account-wide (no trail, budget,
 * anomaly monitor, alert channel or function), so any number of regions can have one.
 *
 * ```ts
 * const guard = new MiningGuard(home, 'MiningGuard', {
 *   alertEmails: ['secops@example.com'],
 *   everyRegion: { regions: ['sa-east-1'], deployment: RegionalDeployment.CDK_STACKS },
 * });
 * new RegionalGuard(new Stack(app, 'GuardSaEast1', { env: { region: 'sa-east-1' } }), 'MiningGuard', { home: guard });
 * ```
 *
 * The stack depends on the home stack, so `cdk deploy --all` deploys the home region first.
 */
export class RegionalGuard extends Construct {
  /** The rules that forward to the home region. */
  public readonly forwardingRules: events.Rule[];
  /** The region's detector, when created here. */
  public readonly detector?: guardduty.CfnDetector;
  /** The region's vCPU alarms, when on. */
  public readonly vcpuAlarms?: VcpuUsageAlarms;
  /** The region's Config rules, by name, when `compliance` is on. */
  public readonly configRules: { [name: string]: config.IRule };

  constructor(scope: Construct, id: string, props: RegionalGuardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const homeStack = Stack.of(props.home);
    const region = stack.region;
    const plan = props.home._regionalPlan;
    if (plan.deployment !== RegionalDeployment.CDK_STACKS) {
      throw new Error(`RegionalGuard: ${props.home.node.path} deploys its regional part itself, as a StackSet. Remove this RegionalGuard, or set everyRegion: { deployment: RegionalDeployment.CDK_STACKS } on the MiningGuard.`);
    }
    if (Token.isUnresolved(region) || Token.isUnresolved(homeStack.region)) {
      throw new Error(`RegionalGuard: ${Token.isUnresolved(region) ? `the stack ${stack.stackName}` : `the home stack ${homeStack.stackName}`} has no region, and a regional part must know both its own region and its home's. Give the stack env: { region: '${Token.isUnresolved(region) ? 'sa-east-1' : 'eu-west-1'}' }.`);
    }
    if (region === homeStack.region) {
      throw new Error(`RegionalGuard: ${region} is the home region, which the MiningGuard guards whole. Put this RegionalGuard in a stack of another region.`);
    }
    if (!plan.regions.includes(region)) {
      throw new Error(`RegionalGuard: ${region} is not in the MiningGuard's everyRegion.regions (${plan.regions.join(', ') || 'none'}). Add '${region}' to them, so its alerts say the region is guarded.`);
    }
    if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(homeStack.account) && stack.account !== homeStack.account) {
      throw new Error(`RegionalGuard: the stack is in account ${stack.account}, the MiningGuard in ${homeStack.account}. A regional part forwards to its own account's home region: deploy it in ${homeStack.account}.`);
    }
    props.home._regionDeployed(region, this);

    const parts = new RegionalParts(this, 'Default', {
      settings: props.home._regionalSettings,
      createDetector: !plan.existingDetectorRegions.includes(region),
      createRecorder: plan.existingRecorderRegions ? !plan.existingRecorderRegions.includes(region) : undefined,
    });
    this.forwardingRules = parts.forwardingRules;
    this.detector = parts.detector;
    this.vcpuAlarms = parts.vcpuAlarms;
    this.configRules = parts.configRules;
    if (stack !== homeStack) stack.addStackDependency(homeStack, 'MiningGuard\'s home region receives what the regional part forwards');
    checkRegionSupport(this, 'MiningGuard\'s regional part');
  }
}
