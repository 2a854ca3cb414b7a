/**
 * The running vCPUs above which each class's static alarm fires, from its baseline: what the alarms watch and the
 * dashboard draws, computed once.
 */
import { VcpuUsageClass, type VcpuUsageAlarmsOptions } from './vcpu-usage-alarms';

/**
 * The baseline of a class nobody sets: a few standard instances are normal anywhere; accelerators are not. Keyed by
 * the class's value, as `vcpu-usage-alarms` imports this file and its enum is not defined yet when this one loads.
 */
const DEFAULT_BASELINES: Readonly<Record<string, number>> = { 'Standard/OnDemand': 16 };

/** The width of the anomaly-detection band the band alarms fire above, in standard deviations, when none is set. */
export const DEFAULT_ANOMALY_BAND_WIDTH = 3;

/** One class's static alarm: the vCPUs that normally run, and the running vCPUs above which it fires. */
export interface VcpuThreshold {
  readonly usageClass: VcpuUsageClass;
  readonly baseline: number;
  readonly threshold: number;
}

/**
 * The static alarms' thresholds of the classes the options alarm on: more than twice the baseline, and at least 4 more
 * than it (a baseline of 0 fires above 4 vCPUs: one `g4dn.2xlarge`).
 */
export function vcpuThresholds(options: VcpuUsageAlarmsOptions = {}): VcpuThreshold[] {
  return (options.usageClasses ?? Object.values(VcpuUsageClass)).map((usageClass) => {
    const baseline = options.baselineVcpus?.[usageClass] ?? DEFAULT_BASELINES[usageClass] ?? 0;
    return { usageClass, baseline, threshold: Math.max(2 * baseline, baseline + 4) };
  });
}
