/** EC2 reads of the config evaluator: the region's instances, their types' vCPUs, and their termination protection. */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../core/config/evaluate';

type Ec2Module = typeof import('./sdk/ec2-client');

let client: EC2Client | undefined;

async function ec2(): Promise<{ client: EC2Client; sdk: Ec2Module }> {
  const sdk = await import('./sdk/ec2-client');
  client ??= new sdk.EC2Client({ retryMode: 'adaptive', maxAttempts: 5 });
  return { client, sdk };
}

/** Every instance of the region that is not terminated, with its type and state. */
export async function regionInstances(region: string): Promise<InstanceFacts[]> {
  const { client: ec2Client, sdk } = await ec2();
  const instances: InstanceFacts[] = [];
  for await (const page of sdk.paginateDescribeInstances({ client: ec2Client }, {
    Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }],
  })) {
    for (const reservation of page.Reservations ?? []) {
      for (const i of reservation.Instances ?? []) {
        if (i.InstanceId) instances.push({ instanceId: i.InstanceId, instanceType: i.InstanceType, state: i.State?.Name, region });
      }
    }
  }
  return instances;
}

/** vCPUs of each instance type, as EC2 reports them; types it does not know are left out. */
export async function vcpusOf(instanceTypes: readonly string[]): Promise<Record<string, number>> {
  const unique = [...new Set(instanceTypes)];
  if (unique.length === 0) return {};
  const { client: ec2Client, sdk } = await ec2();
  const vcpus: Record<string, number> = {};
  // DescribeInstanceTypes takes at most 100 types a call.
  for (let i = 0; i < unique.length; i += 100) {
    const out = await ec2Client.send(new sdk.DescribeInstanceTypesCommand({ InstanceTypes: unique.slice(i, i + 100) as never[] }));
    for (const t of out.InstanceTypes ?? []) {
      if (t.InstanceType && t.VCpuInfo?.DefaultVCpus !== undefined) vcpus[t.InstanceType] = t.VCpuInfo.DefaultVCpus;
    }
  }
  return vcpus;
}

/** Whether the instance has termination protection (`disableApiTermination`); undefined when it no longer exists. */
export async function terminationProtected(instanceId: string): Promise<boolean | undefined> {
  const { client: ec2Client, sdk } = await ec2();
  try {
    const out = await ec2Client.send(new sdk.DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }));
    return out.DisableApiTermination?.Value === true;
  } catch (error) {
    if (/^InvalidInstanceID\./.test((error as Error).name)) return undefined;
    throw error;
  }
}
