/** Containment beyond EC2's own launches: Auto Scaling groups stopped, ECS services to zero and tasks stopped, Batch disabled, SageMaker stopped. */
import { containInstances } from './contain-instances';
import { joinReports, ONE_DONE, StepReport } from './step-report';
import { tagOrNote } from './tagging';
import { eventClient } from '../clients/regional-client';

/**
 * The processes that launch, terminate or replace a group's instances. With them suspended the group keeps its
 * capacity and its instances: stopping an instance no longer makes it replace or terminate one.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html
 */
export const SUSPENDED_PROCESSES = ['Launch', 'Terminate', 'HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions'];

/** Stops an Auto Scaling group without terminating anything: suspends its processes, keeps its capacity, stops its instances. */
export async function stopAutoScalingGroup(
  region: string, groupName: string, tags: Readonly<Record<string, string>>, retryDelayMs?: number,
): Promise<StepReport> {
  const sdk = await import('@aws-sdk/client-auto-scaling');
  const client = eventClient('autoscaling', region, (c) => new sdk.AutoScalingClient(c));
  const group = async () => (await client.send(new sdk.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] })))
    .AutoScalingGroups?.find((g) => g.AutoScalingGroupName === groupName);
  if (!(await group())) return { count: 1, failed: [], gone: [], unknown: [{ id: groupName, reason: `Auto Scaling does not know this group in ${region}` }], notes: [] };
  // Suspended first, so that the group neither replaces nor terminates the instances stopped next.
  await client.send(new sdk.SuspendProcessesCommand({ AutoScalingGroupName: groupName, ScalingProcesses: SUSPENDED_PROCESSES }));
  const notes = await tagOrNote(`Auto Scaling group ${groupName}`, () => client.send(new sdk.CreateOrUpdateTagsCommand({
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, ResourceId: groupName, ResourceType: 'auto-scaling-group', PropagateAtLaunch: false })),
  })));
  // Read after suspending: what it launched until then is all it has.
  const instances = ((await group())?.Instances ?? []).flatMap((i) => i.InstanceId ?? []);
  const stopped = instances.length > 0 ? await containInstances(region, instances, tags, { quarantine: false, retryDelayMs }) : undefined;
  const own: StepReport = { count: 0, failed: [], gone: [], unknown: [], notes };
  return stopped ? joinReports(own, stopped) : { ...own, notes: [...notes, 'the group has no instances'] };
}

async function ecs(region: string) {
  const sdk = await import('@aws-sdk/client-ecs');
  return { sdk, client: eventClient('ecs', region, (c) => new sdk.ECSClient(c)) };
}

/** Sets the service to zero tasks (its tasks then stop) and tags it. */
export async function scaleEcsServiceToZero(
  region: string, service: string, cluster: string | undefined, tags: Readonly<Record<string, string>>,
): Promise<StepReport> {
  const { sdk, client } = await ecs(region);
  const out = await client.send(new sdk.UpdateServiceCommand({ service, cluster, desiredCount: 0 }));
  const arn = out.service?.serviceArn;
  const ecsTags = Object.entries(tags).map(([key, value]) => ({ key, value }));
  const notes = arn ? await tagOrNote(`ECS service ${service}`, () => client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: ecsTags }))) : [];
  return { ...ONE_DONE, notes };
}

/** Stops one task. */
export async function stopEcsTask(
  region: string, task: string, cluster: string | undefined, tags: Readonly<Record<string, string>>,
): Promise<StepReport> {
  const { sdk, client } = await ecs(region);
  await client.send(new sdk.StopTaskCommand({ task, cluster, reason: `MiningGuard ${tags['mining-guard:detection'] ?? ''}`.trim() }));
  return ONE_DONE;
}

/** Disables a Batch compute environment: no new jobs start on it. */
export async function disableBatchComputeEnvironment(
  region: string, computeEnvironment: string, tags: Readonly<Record<string, string>>,
): Promise<StepReport> {
  const sdk = await import('@aws-sdk/client-batch');
  const client = eventClient('batch', region, (c) => new sdk.BatchClient(c));
  const out = await client.send(new sdk.UpdateComputeEnvironmentCommand({ computeEnvironment, state: 'DISABLED' }));
  const arn = out.computeEnvironmentArn;
  const notes = arn ? await tagOrNote(`Batch compute environment ${computeEnvironment}`, () => client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: { ...tags } }))) : [];
  return { ...ONE_DONE, notes };
}

/** Stops a SageMaker notebook instance, training job or processing job. */
export async function stopSageMaker(region: string, kind: 'notebook' | 'training-job' | 'processing-job', name: string): Promise<StepReport> {
  const sdk = await import('@aws-sdk/client-sagemaker');
  const client = eventClient('sagemaker', region, (c) => new sdk.SageMakerClient(c));
  if (kind === 'notebook') await client.send(new sdk.StopNotebookInstanceCommand({ NotebookInstanceName: name }));
  else if (kind === 'training-job') await client.send(new sdk.StopTrainingJobCommand({ TrainingJobName: name }));
  else await client.send(new sdk.StopProcessingJobCommand({ ProcessingJobName: name }));
  return ONE_DONE;
}
