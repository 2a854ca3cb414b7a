/** Containment beyond EC2: Auto Scaling to zero, ECS services to zero and tasks stopped, Batch disabled, SageMaker stopped. */
import { reportUntagged, tagOrNote } from './tagging';
import { regionalClient } from '../clients/regional-client';

/** Scales the group to zero and suspends Launch, so it neither keeps nor replaces instances; tags it. */
export async function scaleAutoScalingGroupToZero(region: string, groupName: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const sdk = await import('@aws-sdk/client-auto-scaling');
  const client = regionalClient('autoscaling', region, (c) => new sdk.AutoScalingClient(c));
  await client.send(new sdk.SuspendProcessesCommand({ AutoScalingGroupName: groupName, ScalingProcesses: ['Launch'] }));
  await client.send(new sdk.UpdateAutoScalingGroupCommand({ AutoScalingGroupName: groupName, MinSize: 0, DesiredCapacity: 0 }));
  reportUntagged(await tagOrNote(() => client.send(new sdk.CreateOrUpdateTagsCommand({
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, ResourceId: groupName, ResourceType: 'auto-scaling-group', PropagateAtLaunch: false })),
  }))));
}

async function ecs(region: string) {
  const sdk = await import('@aws-sdk/client-ecs');
  return { sdk, client: regionalClient('ecs', region, (c) => new sdk.ECSClient(c)) };
}

/** Sets the service to zero tasks (its tasks then stop) and tags it. */
export async function scaleEcsServiceToZero(
  region: string, service: string, cluster: string | undefined, tags: Readonly<Record<string, string>>,
): Promise<void> {
  const { sdk, client } = await ecs(region);
  const out = await client.send(new sdk.UpdateServiceCommand({ service, cluster, desiredCount: 0 }));
  const arn = out.service?.serviceArn;
  const ecsTags = Object.entries(tags).map(([key, value]) => ({ key, value }));
  if (arn) reportUntagged(await tagOrNote(() => client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: ecsTags }))));
}

/** Stops one task. */
export async function stopEcsTask(region: string, task: string, cluster: string | undefined, tags: Readonly<Record<string, string>>): Promise<void> {
  const { sdk, client } = await ecs(region);
  await client.send(new sdk.StopTaskCommand({ task, cluster, reason: `MiningGuard ${tags['mining-guard:detection'] ?? ''}`.trim() }));
}

/** Disables a Batch compute environment: no new jobs start on it. */
export async function disableBatchComputeEnvironment(
  region: string, computeEnvironment: string, tags: Readonly<Record<string, string>>,
): Promise<void> {
  const sdk = await import('@aws-sdk/client-batch');
  const client = regionalClient('batch', region, (c) => new sdk.BatchClient(c));
  const out = await client.send(new sdk.UpdateComputeEnvironmentCommand({ computeEnvironment, state: 'DISABLED' }));
  const arn = out.computeEnvironmentArn;
  if (arn) reportUntagged(await tagOrNote(() => client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags: { ...tags } }))));
}

/** Stops a SageMaker notebook instance, training job or processing job. */
export async function stopSageMaker(region: string, kind: 'notebook' | 'training-job' | 'processing-job', name: string): Promise<void> {
  const sdk = await import('@aws-sdk/client-sagemaker');
  const client = regionalClient('sagemaker', region, (c) => new sdk.SageMakerClient(c));
  if (kind === 'notebook') await client.send(new sdk.StopNotebookInstanceCommand({ NotebookInstanceName: name }));
  else if (kind === 'training-job') await client.send(new sdk.StopTrainingJobCommand({ TrainingJobName: name }));
  else await client.send(new sdk.StopProcessingJobCommand({ ProcessingJobName: name }));
}
