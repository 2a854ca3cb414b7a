/**
 * Instance specs in Lambda: vCPUs and GPUs from the bundled table, then EC2 DescribeInstanceTypes for types it lacks;
 * prices from the Price List for the launch's region, then the table's us-east-1 price. Cached per container.
 */
import { regionPrices } from './price-list';
import type { SpecLookup } from '../../core/launch/evaluate-launch';
import { instanceSpec, InstanceSpec } from '../../core/launch/instance-types';
import { errorText } from '../clients/error-text';
import { regionalClient } from '../clients/regional-client';

const described = new Map<string, InstanceSpec>();

/** Asks EC2 about every type the table only estimates; a failed call leaves the estimate, which the alert says it is. */
export async function resolveSpecs(region: string, types: readonly string[], onFailure: (reason: string) => void): Promise<SpecLookup> {
  const unknown = [...new Set(types.map((t) => (t.startsWith('ml.') ? t.slice(3) : t)))]
    .filter((t) => instanceSpec(t).estimated && !described.has(t));
  if (unknown.length > 0) {
    try {
      const sdk = await import('@aws-sdk/client-ec2');
      const client = regionalClient('ec2', region, (c) => new sdk.EC2Client(c));
      const out = await client.send(new sdk.DescribeInstanceTypesCommand({ InstanceTypes: unknown as never[] }));
      for (const t of out.InstanceTypes ?? []) {
        if (!t.InstanceType) continue;
        described.set(t.InstanceType, {
          type: t.InstanceType,
          vcpus: t.VCpuInfo?.DefaultVCpus ?? 0,
          gpus: (t.GpuInfo?.Gpus ?? []).reduce((s, g) => s + (g.Count ?? 0), 0),
          memoryGiB: (t.MemoryInfo?.SizeInMiB ?? 0) / 1024,
        });
      }
    } catch (error) {
      // The size rule's estimate stands, and is reported as an estimate.
      onFailure(`DescribeInstanceTypes for ${unknown.join(', ')} in ${region} failed: ${errorText(error)}`);
    }
  }
  const priced = await regionPrices(region, types.filter((t) => !t.startsWith('ml.')), onFailure);
  return (type) => {
    const ec2Type = type.startsWith('ml.') ? type.slice(3) : type;
    const known = described.get(ec2Type);
    const spec = known ? { ...known, estimated: false } : instanceSpec(type);
    const usdPerHour = priced.get(type) ?? spec.usdPerHour;
    return usdPerHour === undefined ? spec : { ...spec, usdPerHour };
  };
}
