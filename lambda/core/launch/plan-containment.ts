/** Plans what containment does about a flagged launch: never terminate, never delete; undo the attacker's protection first. */
import type { CloudTrailRecord } from '../cloudtrail-record';
import type { LaunchRequest } from './launch-request';
import type { Response } from '../../../lib/catalog';

/** One step of containment, acted on in the event's own region. */
export type ContainmentAction =
  | { readonly kind: 'stop-instance'; readonly instanceId: string; readonly quarantine: boolean }
  | { readonly kind: 'scale-autoscaling-group-to-zero'; readonly groupName: string }
  | { readonly kind: 'cancel-spot-fleet-request'; readonly requestId: string }
  | { readonly kind: 'cancel-spot-instance-request'; readonly requestId: string }
  | { readonly kind: 'delete-fleet-keep-instances'; readonly fleetId: string }
  | { readonly kind: 'scale-ecs-service-to-zero'; readonly service: string; readonly cluster?: string }
  | { readonly kind: 'stop-ecs-task'; readonly task: string; readonly cluster?: string }
  | { readonly kind: 'disable-batch-compute-environment'; readonly computeEnvironment: string }
  | { readonly kind: 'stop-sagemaker-notebook'; readonly name: string }
  | { readonly kind: 'stop-sagemaker-training-job'; readonly name: string }
  | { readonly kind: 'stop-sagemaker-processing-job'; readonly name: string };

/** A containment plan: the steps, the region they act in, and the tags every touched resource gets. */
export interface ContainmentPlan {
  readonly region: string;
  readonly actions: readonly ContainmentAction[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Tag keys MiningGuard writes on what it touched. */
export const CONTAINMENT_TAGS = { detection: 'mining-guard:detection', time: 'mining-guard:contained-at', event: 'mining-guard:event-id' } as const;

/** The steps a response asks for on what the call created. NOTIFY plans nothing. */
export function planContainment(
  record: CloudTrailRecord, request: LaunchRequest, detectionId: string, response: Response, now: Date,
): ContainmentPlan {
  const actions: ContainmentAction[] = [];
  if (response !== 'NOTIFY') {
    for (const r of request.resources) {
      switch (r.kind) {
        case 'instance':
          actions.push({ kind: 'stop-instance', instanceId: r.id, quarantine: response === 'QUARANTINE' });
          break;
        case 'autoscaling-group':
          actions.push({ kind: 'scale-autoscaling-group-to-zero', groupName: r.id });
          break;
        case 'spot-fleet-request':
          actions.push({ kind: 'cancel-spot-fleet-request', requestId: r.id });
          break;
        case 'spot-instance-request':
          actions.push({ kind: 'cancel-spot-instance-request', requestId: r.id });
          break;
        case 'fleet':
          actions.push({ kind: 'delete-fleet-keep-instances', fleetId: r.id });
          break;
        case 'ecs-service':
          actions.push({ kind: 'scale-ecs-service-to-zero', service: r.id, cluster: r.cluster });
          break;
        case 'ecs-task':
          actions.push({ kind: 'stop-ecs-task', task: r.id, cluster: r.cluster });
          break;
        case 'batch-compute-environment':
          actions.push({ kind: 'disable-batch-compute-environment', computeEnvironment: r.id });
          break;
        case 'sagemaker-notebook':
          actions.push({ kind: 'stop-sagemaker-notebook', name: r.id });
          break;
        case 'sagemaker-training-job':
          actions.push({ kind: 'stop-sagemaker-training-job', name: r.id });
          break;
        case 'sagemaker-processing-job':
          actions.push({ kind: 'stop-sagemaker-processing-job', name: r.id });
          break;
        // Templates and task definitions launch nothing by themselves: alert, never delete.
        case 'launch-template':
        case 'task-definition':
          break;
      }
    }
  }
  return {
    region: record.region,
    actions,
    tags: { [CONTAINMENT_TAGS.detection]: detectionId, [CONTAINMENT_TAGS.time]: now.toISOString(), [CONTAINMENT_TAGS.event]: record.eventId },
  };
}

/** How a person reads a step, in the alert and the replay output. */
export function describeAction(action: ContainmentAction): string {
  switch (action.kind) {
    case 'stop-instance': return `${action.quarantine ? 'quarantine and stop' : 'stop'} instance ${action.instanceId} (turning off stop/termination protection first)`;
    case 'scale-autoscaling-group-to-zero': return `scale Auto Scaling group ${action.groupName} to 0 and suspend Launch`;
    case 'cancel-spot-fleet-request': return `cancel Spot fleet request ${action.requestId} without terminating its instances`;
    case 'cancel-spot-instance-request': return `cancel Spot instance request ${action.requestId}`;
    case 'delete-fleet-keep-instances': return `delete EC2 fleet ${action.fleetId} without terminating its instances`;
    case 'scale-ecs-service-to-zero': return `set ECS service ${action.service} to 0 tasks`;
    case 'stop-ecs-task': return `stop ECS task ${action.task}`;
    case 'disable-batch-compute-environment': return `disable Batch compute environment ${action.computeEnvironment}`;
    case 'stop-sagemaker-notebook': return `stop SageMaker notebook ${action.name}`;
    case 'stop-sagemaker-training-job': return `stop SageMaker training job ${action.name}`;
    case 'stop-sagemaker-processing-job': return `stop SageMaker processing job ${action.name}`;
  }
}
