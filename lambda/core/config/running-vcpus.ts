/** The vCPUs of a running instance's type when EC2 cannot be asked, for the running-compute check. */
import { instanceSpec } from '../launch/instance-types';

/**
 * vCPUs of an instance type when DescribeInstanceTypes did not say: the bundled instance table (the one the launch
 * evaluator uses), else its size rule. A size the rule cannot read (`metal` of an unknown family) counts as 96, the
 * most common large size, so an unknown type is never taken for a small one.
 */
export function estimateVcpus(instanceType: string): number {
  const spec = instanceSpec(instanceType.toLowerCase());
  return spec.vcpus > 0 ? spec.vcpus : 96;
}
