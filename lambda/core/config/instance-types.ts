/** What an instance type name says: its family and generation, and its vCPUs when EC2 cannot be asked. */

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

/** vCPUs of the sizes whose count does not follow the size rule. */
const KNOWN_VCPUS: Readonly<Record<string, number>> = {
  't2.nano': 1,
  't2.micro': 1,
  't2.small': 1,
  't2.medium': 2,
  't2.large': 2,
  'p4d.24xlarge': 96,
  'p4de.24xlarge': 96,
  'p5.48xlarge': 192,
  'p5e.48xlarge': 192,
  'p5en.48xlarge': 192,
  'g4dn.metal': 96,
  'g5g.metal': 64,
  'm5.metal': 96,
  'c5.metal': 96,
  'r5.metal': 96,
  'i3.metal': 72,
};

/** The series whose small sizes have two vCPUs (burstable), where other series have one. */
const BURSTABLE = /^t\d/;

/**
 * vCPUs of an instance type when DescribeInstanceTypes did not say: the built-in table, else the size rule
 * (`Nxlarge` = 4N, `xlarge` = 4, `large` = 2, `medium` = 1, burstable small sizes = 2). `metal` and unknown sizes
 * are counted as 96, the most common large size, so an unknown type is never taken for a small one.
 */
export function estimateVcpus(instanceType: string): number {
  const known = KNOWN_VCPUS[instanceType.toLowerCase()];
  if (known !== undefined) return known;
  const { generation, size } = parseInstanceType(instanceType);
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return 4 * Number(multiple[1]);
  if (size === 'xlarge') return 4;
  if (size === 'large') return 2;
  if (['nano', 'micro', 'small', 'medium'].includes(size)) return BURSTABLE.test(generation) ? 2 : 1;
  return 96;
}
