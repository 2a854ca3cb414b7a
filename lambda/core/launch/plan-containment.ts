/** Plans what containment does about a flagged launch: never terminate, never delete; undo the attacker's protection first. */
import type { LaunchedResource, LaunchRequest } from './launch-request';
import type { ContainmentKind, DetectionId, Response } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';

export type { ContainmentKind } from '../../../lib/catalog';

/** What a step of each kind names; the catalog's containment table has the same kinds, and a kind missing here fails to compile. */
interface StepFields {
  'stop-instances': { readonly instanceIds: readonly string[] };
  'quarantine-instances': { readonly instanceIds: readonly string[] };
  'stop-autoscaling-group': { readonly groupName: string };
  'cancel-spot-fleet-request': { readonly requestId: string };
  'cancel-spot-instance-requests': { readonly requestIds: readonly string[] };
  'stop-fleet': { readonly fleetId: string };
  'scale-ecs-service-to-zero': { readonly service: string; readonly cluster?: string };
  'stop-ecs-task': { readonly task: string; readonly cluster?: string };
  'disable-batch-compute-environment': { readonly computeEnvironment: string };
  'stop-sagemaker-notebook': { readonly name: string };
  'stop-sagemaker-training-job': { readonly name: string };
  'stop-sagemaker-processing-job': { readonly name: string };
}

/** One step of containment, acted on in the event's own region. */
export type ContainmentAction = { readonly [K in ContainmentKind]: { readonly kind: K } & StepFields[K] }[ContainmentKind];

/** A containment plan: the steps, the region they act in, and the tags every touched resource gets. */
export interface ContainmentPlan {
  readonly region: string;
  readonly actions: readonly ContainmentAction[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Tag keys MiningGuard writes on what it touched. */
export const CONTAINMENT_TAGS = { detection: 'mining-guard:detection', time: 'mining-guard:contained-at', event: 'mining-guard:event-id' } as const;

/** The step of one kind. */
export type ContainmentStep<K extends ContainmentKind> = Extract<ContainmentAction, { readonly kind: K }>;

type Planned = (resources: readonly LaunchedResource[], quarantine: boolean) => ContainmentAction[];
const idsOf = (resources: readonly LaunchedResource[]): string[] => [...new Set(resources.map((r) => r.id))];
const each = (step: (r: LaunchedResource) => ContainmentAction): Planned => (resources) => resources.map(step);

/**
 * The steps for each kind of resource a call creates. Instances and Spot requests are one step for all of a call's,
 * so that they are acted on in batches; templates and task definitions launch nothing by themselves, so they are
 * alerted, never deleted. A resource kind without an entry fails to compile.
 */
const STEPS_FOR: Readonly<Record<LaunchedResource['kind'], Planned>> = {
  'instance': (rs, quarantine) => (rs.length === 0 ? [] : [{ kind: quarantine ? 'quarantine-instances' : 'stop-instances', instanceIds: idsOf(rs) }]),
  'autoscaling-group': each((r) => ({ kind: 'stop-autoscaling-group', groupName: r.id })),
  'spot-fleet-request': each((r) => ({ kind: 'cancel-spot-fleet-request', requestId: r.id })),
  'spot-instance-request': (rs) => (rs.length === 0 ? [] : [{ kind: 'cancel-spot-instance-requests', requestIds: idsOf(rs) }]),
  'fleet': each((r) => ({ kind: 'stop-fleet', fleetId: r.id })),
  'ecs-service': each((r) => ({ kind: 'scale-ecs-service-to-zero', service: r.id, cluster: r.cluster })),
  'ecs-task': each((r) => ({ kind: 'stop-ecs-task', task: r.id, cluster: r.cluster })),
  'batch-compute-environment': each((r) => ({ kind: 'disable-batch-compute-environment', computeEnvironment: r.id })),
  'sagemaker-notebook': each((r) => ({ kind: 'stop-sagemaker-notebook', name: r.id })),
  'sagemaker-training-job': each((r) => ({ kind: 'stop-sagemaker-training-job', name: r.id })),
  'sagemaker-processing-job': each((r) => ({ kind: 'stop-sagemaker-processing-job', name: r.id })),
  'launch-template': () => [],
  'task-definition': () => [],
};

/** The steps a response asks for on what the call created. NOTIFY plans nothing. */
export function planContainment(
  record: CloudTrailRecord, request: LaunchRequest, detectionId: DetectionId, response: Response, now: Date,
): ContainmentPlan {
  const kinds = [...new Set(request.resources.map((r) => r.kind))];
  const actions = response === 'NOTIFY'
    ? []
    : kinds.flatMap((kind) => STEPS_FOR[kind](request.resources.filter((r) => r.kind === kind), response === 'QUARANTINE'));
  return {
    region: record.region,
    actions,
    tags: { [CONTAINMENT_TAGS.detection]: detectionId, [CONTAINMENT_TAGS.time]: now.toISOString(), [CONTAINMENT_TAGS.event]: record.eventId },
  };
}

/** How many ids a line lists before it counts the rest. */
export const IDS_LISTED = 10;

/** `instance i-1`, or `3 instances: i-1, i-2, i-3`, listing the first ten and counting the rest. */
export function listIds(noun: string, ids: readonly string[]): string {
  if (ids.length === 1) return `${noun} ${ids[0]}`;
  const more = ids.length > IDS_LISTED ? ` and ${ids.length - IDS_LISTED} more` : '';
  return `${ids.length} ${noun}s: ${ids.slice(0, IDS_LISTED).join(', ')}${more}`;
}

const LIFTED = 'turning off stop/termination protection first';

/** How a person reads each kind of step, in the alert and the replay output. */
const DESCRIPTIONS: { readonly [K in ContainmentKind]: (action: ContainmentStep<K>) => string } = {
  'stop-instances': (a) => `stop ${listIds('instance', a.instanceIds)} (${LIFTED})`,
  'quarantine-instances': (a) => `quarantine and stop ${listIds('instance', a.instanceIds)} (${LIFTED}; every network interface into the guard's isolation group, instance profile detached)`,
  'stop-autoscaling-group': (a) => `stop Auto Scaling group ${a.groupName}: suspend its launches, terminations and replacements, keep its capacity, stop its instances`,
  'cancel-spot-fleet-request': (a) => `cancel Spot fleet request ${a.requestId} without terminating its instances, then stop them`,
  'cancel-spot-instance-requests': (a) => `cancel ${listIds('Spot instance request', a.requestIds)}, then stop their instances`,
  'stop-fleet': (a) => `stop EC2 fleet ${a.fleetId}: delete it without terminating its instances (an instant fleet is left as it is), then stop them`,
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
