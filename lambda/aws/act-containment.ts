/** Carries out a containment plan step by step; every step's outcome is reported, none is swallowed. */
import { disableBatchComputeEnvironment, scaleAutoScalingGroupToZero, scaleEcsServiceToZero, stopEcsTask, stopSageMaker } from './contain-compute';
import { cancelSpotFleetRequest, cancelSpotInstanceRequest, deleteFleetKeepInstances, stopInstance } from './contain-ec2';
import { errorText } from './error-text';
import { NotTagged } from './tagging';
import type { ContainmentAction, ContainmentPlan } from '../core/launch/plan-containment';
import { describeAction } from '../core/launch/plan-containment';

/** What happened to one step. */
export interface ActionOutcome {
  readonly action: ContainmentAction;
  readonly outcome: 'done' | 'already-done' | 'failed';
  readonly detail?: string;
}

/** Errors that mean the resource is already where containment wants it (stopped, gone). */
const ALREADY_DONE = /IncorrectInstanceState|InvalidInstanceID\.NotFound|NotFound|ValidationException.*(not found|does not exist)|ResourceNotFound|InvalidSpotFleetRequestId|already (stopped|cancelled)/i;

function step(plan: ContainmentPlan, action: ContainmentAction): Promise<void> {
  const { region, tags } = plan;
  switch (action.kind) {
    case 'stop-instance': return stopInstance(region, action.instanceId, action.quarantine, tags);
    case 'scale-autoscaling-group-to-zero': return scaleAutoScalingGroupToZero(region, action.groupName, tags);
    case 'cancel-spot-fleet-request': return cancelSpotFleetRequest(region, action.requestId, tags);
    case 'cancel-spot-instance-request': return cancelSpotInstanceRequest(region, action.requestId, tags);
    case 'delete-fleet-keep-instances': return deleteFleetKeepInstances(region, action.fleetId, tags);
    case 'scale-ecs-service-to-zero': return scaleEcsServiceToZero(region, action.service, action.cluster, tags);
    case 'stop-ecs-task': return stopEcsTask(region, action.task, action.cluster, tags);
    case 'disable-batch-compute-environment': return disableBatchComputeEnvironment(region, action.computeEnvironment, tags);
    case 'stop-sagemaker-notebook': return stopSageMaker(region, 'notebook', action.name);
    case 'stop-sagemaker-training-job': return stopSageMaker(region, 'training-job', action.name);
    case 'stop-sagemaker-processing-job': return stopSageMaker(region, 'processing-job', action.name);
  }
}

/** Runs every step (the SDK retries throttling); a failed step does not keep the others from running. */
export async function actContainment(plan: ContainmentPlan): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  for (const action of plan.actions) {
    try {
      await step(plan, action);
      outcomes.push({ action, outcome: 'done' });
    } catch (error) {
      if (error instanceof NotTagged) {
        outcomes.push({ action, outcome: 'done', detail: `not tagged: ${error.message}` });
        continue;
      }
      const detail = errorText(error);
      outcomes.push({ action, outcome: ALREADY_DONE.test(detail) ? 'already-done' : 'failed', detail });
    }
  }
  return outcomes;
}

/** The outcomes as the alert's "what MiningGuard did" lines. */
export function describeOutcomes(outcomes: readonly ActionOutcome[]): string[] {
  return outcomes.map((o) => {
    const what = describeAction(o.action);
    // AWS's messages often end with a full stop of their own.
    const detail = o.detail?.replace(/\.+$/, '');
    if (o.outcome === 'done') return `Done: ${what}${detail ? `; ${detail}` : ''}.`;
    if (o.outcome === 'already-done') return `Nothing to do: ${what} (${detail}).`;
    return `FAILED: ${what}: ${detail}. Do it by hand.`;
  });
}
