/** What an instance type name says: its family and generation, and its vCPUs when EC2 cannot be asked. */
import { instanceSpec } from '../launch/instance-types';

/** `p4d.24xlarge` → series `p`, generation `p4d`, size `24xlarge`. */
export interface InstanceTypeName {
  readonly series: string;
  readonly generation: string;
  readonly size: string;
}

export function parseInstanceType(instanceType: string): InstanceTypeName {
  const [generation, size = ''] = instanceType.toLowerCase().split('.', 2);
  return { series: /^[a-z]+/.exec(generation)?.[0] ?? generation, generation, size };
}

/** Whether an instance type belongs to a family written as a series (`g`, `gr`) or a generation (`g5`). */
export function inFamily(instanceType: string, family: string): boolean {
  const name = parseInstanceType(instanceType);
  const f = family.toLowerCase();
  return name.series === f || name.generation === f;
}

/**
 * vCPUs of an instance type when DescribeInstanceTypes did not say: the bundled instance table (the one the launch
 * evaluator uses), else its size rule. A size the rule cannot read (`metal` of an unknown family) counts as 96, the
 * most common large size, so an unknown type is never taken for a small one.
 */
export function estimateVcpus(instanceType: string): number {
  const spec = instanceSpec(instanceType.toLowerCase());
  return spec.vcpus > 0 ? spec.vcpus : 96;
}
