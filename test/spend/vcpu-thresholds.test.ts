import { vcpuThresholds } from '../../lib/spend/vcpu-thresholds';
import { VcpuUsageClass } from '../../lib/spend/vcpu-usage-alarms';

describe('vcpuThresholds', () => {
  test('by default, every class: 16 standard On-Demand vCPUs are normal and alarm above 32; any other class above 4', () => {
    const thresholds = vcpuThresholds();
    expect(thresholds.map((t) => t.usageClass)).toEqual(Object.values(VcpuUsageClass));
    expect(thresholds[0]).toEqual({ usageClass: 'Standard/OnDemand', baseline: 16, threshold: 32 });
    expect(thresholds.slice(1).every((t) => t.baseline === 0 && t.threshold === 4)).toBe(true);
  });

  test('fire above twice the baseline, and at least 4 vCPUs above it, for the classes asked for', () => {
    expect(vcpuThresholds({ usageClasses: [VcpuUsageClass.G_ON_DEMAND, VcpuUsageClass.P_ON_DEMAND], baselineVcpus: { 'G/OnDemand': 64, 'P/OnDemand': 2 } }))
      .toEqual([
        { usageClass: 'G/OnDemand', baseline: 64, threshold: 128 },
        { usageClass: 'P/OnDemand', baseline: 2, threshold: 6 },
      ]);
  });
});
