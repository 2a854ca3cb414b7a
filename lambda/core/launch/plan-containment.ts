/** Plans what containment does about a flagged launch: never terminate, never delete; undo the attacker's protection first. */
import type { LaunchedResource, LaunchRequest } from './launch-request';
import type { DetectionId, Response } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';

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

/** The kinds of step. */
export type ContainmentKind = ContainmentAction['kind'];
/** The step of one kind. */
export type ContainmentStep<K extends ContainmentKind> = Extract<ContainmentAction, { readonly kind: K }>;

/**
 * The step for each kind of resource a call creates; templates and task definitions launch nothing by themselves, so
 * they are alerted, never deleted. A resource kind without an entry fails to compile.
 */
const STEP_FOR: Readonly<Record<LaunchedResource['kind'], (r: LaunchedResource, quarantine: boolean) => ContainmentAction | undefined>> = {
  'instance': (r, quarantine) => ({ kind: 'stop-instance', instanceId: r.id, quarantine }),
  'autoscaling-group': (r) => ({ kind: 'scale-autoscaling-group-to-zero', groupName: r.id }),
  'spot-fleet-request': (r) => ({ kind: 'cancel-spot-fleet-request', requestId: r.id }),
  'spot-instance-request': (r) => ({ kind: 'cancel-spot-instance-request', requestId: r.id }),
  'fleet': (r) => ({ kind: 'delete-fleet-keep-instances', fleetId: r.id }),
  'ecs-service': (r) => ({ kind: 'scale-ecs-service-to-zero', service: r.id, cluster: r.cluster }),
  'ecs-task': (r) => ({ kind: 'stop-ecs-task', task: r.id, cluster: r.cluster }),
  'batch-compute-environment': (r) => ({ kind: 'disable-batch-compute-environment', computeEnvironment: r.id }),
  'sagemaker-notebook': (r) => ({ kind: 'stop-sagemaker-notebook', name: r.id }),
  'sagemaker-training-job': (r) => ({ kind: 'stop-sagemaker-training-job', name: r.id }),
  'sagemaker-processing-job': (r) => ({ kind: 'stop-sagemaker-processing-job', name: r.id }),
  'launch-template': () => undefined,
  'task-definition': () => undefined,
};

/** The steps a response asks for on what the call created. NOTIFY plans nothing. */
export function planContainment(
  record: CloudTrailRecord, request: LaunchRequest, detectionId: DetectionId, response: Response, now: Date,
): ContainmentPlan {
  const actions = response === 'NOTIFY' ? [] : request.resources.flatMap((r) => STEP_FOR[r.kind](r, response === 'QUARANTINE') ?? []);
  return {
    region: record.region,
    actions,
    tags: { [CONTAINMENT_TAGS.detection]: detectionId, [CONTAINMENT_TAGS.time]: now.toISOString(), [CONTAINMENT_TAGS.event]: record.eventId },
  };
}

/** How a person reads each kind of step, in the alert and the replay output. */
const DESCRIPTIONS: { readonly [K in ContainmentKind]: (action: ContainmentStep<K>) => string } = {
  'stop-instance': (a) => `${a.quarantine ? 'quarantine and stop' : 'stop'} instance ${a.instanceId} (turning off stop/termination protection first)`,
  'scale-autoscaling-group-to-zero': (a) => `scale Auto Scaling group ${a.groupName} to 0 and suspend Launch`,
  'cancel-spot-fleet-request': (a) => `cancel Spot fleet request ${a.requestId} without terminating its instances`,
  'cancel-spot-instance-request': (a) => `cancel Spot instance request ${a.requestId}`,
  'delete-fleet-keep-instances': (a) => `delete EC2 fleet ${a.fleetId} without terminating its instances`,
  'scale-ecs-service-to-zero': (a) => `set ECS service ${a.service} to 0 tasks`,
  'stop-ecs-task': (a) => `stop ECS task ${a.task}`,
  'disable-batch-compute-environment': (a) => `disable Batch compute environment ${a.computeEnvironment}`,
  'stop-sagemaker-notebook': (a) => `stop SageMaker notebook ${a.name}`,
  'stop-sagemaker-training-job': (a) => `stop SageMaker training job ${a.name}`,
  'stop-sagemaker-processing-job': (a) => `stop SageMaker processing job ${a.name}`,
};

/** How a person reads a step, in the alert and the replay output. */
export function describeAction(action: ContainmentAction): string {
  return (DESCRIPTIONS[action.kind] as (a: ContainmentAction) => string)(action);
}
