/** How MiningGuard reaches the regions beyond its home: which ones, and who deploys the regional part there. */
import type { VcpuUsageAlarmsOptions } from '../spend/vcpu-usage-alarms';

/** Who deploys the regional part into the other regions. */
export enum RegionalDeployment {
  /**
   * The home stack does, as a CloudFormation StackSet into every region of `regions`, in the same `cdk deploy`. The
   * stack creates the StackSet's administration and execution roles itself: nothing to bootstrap per region.
   */
  STACK_SET = 'STACK_SET',
  /**
   * You do: a `RegionalGuard` in a stack of your CDK app for each region of `regions`, deployed with
   * `cdk deploy --all`. The home stack deploys nothing into other regions.
   */
  CDK_STACKS = 'CDK_STACKS',
}

/**
 * The regions beyond the home one. The home region runs the account-wide parts (trail, budgets, Cost Anomaly
 * Detection, alert channel, notifier, evaluators); every region listed here gets the asset-free regional part:
 * rules that forward the catalog's CloudTrail calls, GuardDuty findings, alarm state changes and Config results to
 * the home region within seconds, a GuardDuty detector, the region's vCPU alarms and, with `compliance`, the
 * regional Config rules. Regions not listed are still judged, within minutes, through the trail's log group.
 */
export interface EveryRegionOptions {
  /**
   * The regions that get the regional part; not the home region, which has the whole guard. An empty list keeps
   * the guard in its home region alone. A region that must be enabled first (an opt-in region such as `af-south-1`)
   * fails the deployment until it is enabled.
   * @default - every region of the home region's partition that AWS enables by default, except the home region
   */
  readonly regions?: string[];

  /**
   * Who deploys the regional part.
   * @default RegionalDeployment.STACK_SET
   */
  readonly deployment?: RegionalDeployment;

  /**
   * The regions, among `regions`, where a GuardDuty detector already exists (yours, Control Tower's, or a delegated
   * administrator's): none is created there, and the findings of the existing one are forwarded all the same. A
   * region takes one detector, and creating a second fails the deployment.
   * Find them with `aws guardduty list-detectors --region <region>`.
   * @default - a detector is created in every region of `regions`
   */
  readonly existingDetectorRegions?: string[];

  /**
   * The vCPU alarms of the other regions. Set `vcpuAlarms: false` on `spendGuard` to have none anywhere.
   * @default - the home region's classes and baselines, without the anomaly-band alarms (a quiet region has no
   * pattern to learn; the static alarm fires on its first few vCPUs)
   */
  readonly vcpuAlarmOptions?: VcpuUsageAlarmsOptions;
}
