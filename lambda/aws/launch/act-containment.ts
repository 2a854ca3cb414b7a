/** Carries out a containment plan step by step; every step's outcome is reported, none is swallowed. */
import { disableBatchComputeEnvironment, scaleAutoScalingGroupToZero, scaleEcsServiceToZero, stopEcsTask, stopSageMaker } from './contain-compute';
import { cancelSpotFleetRequest, cancelSpotInstanceRequest, deleteFleetKeepInstances, stopInstance } from './contain-ec2';
import { NotTagged } from './tagging';
import type { ContainmentAction, ContainmentKind, ContainmentPlan, ContainmentStep } from '../../core/launch/plan-containment';
import { describeAction } from '../../core/launch/plan-containment';
import { errorText } from '../clients/error-text';

/** What happened to one step. */
export interface ActionOutcome {
  readonly action: ContainmentAction;
  readonly outcome: 'done' | 'already-done' | 'failed';
  readonly detail?: string;
}

/** Errors that mean the resource is already where containment wants it (stopped, gone). */
const ALREADY_DONE = /IncorrectInstanceState|InvalidInstanceID\.NotFound|NotFound|ValidationException.*(not found|does not exist)|ResourceNotFound|InvalidSpotFleetRequestId|already (stopped|cancelled)/i;

/** How each kind of step is carried out, in the plan's region: a kind without an entry fails to compile. */
const ACT: { readonly [K in ContainmentKind]: (action: ContainmentStep<K>, plan: ContainmentPlan) => Promise<void> } = {
  'stop-instance': (a, { region, tags }) => stopInstance(region, a.instanceId, a.quarantine, tags),
  'scale-autoscaling-group-to-zero': (a, { region, tags }) => scaleAutoScalingGroupToZero(region, a.groupName, tags),
  'cancel-spot-fleet-request': (a, { region, tags }) => cancelSpotFleetRequest(region, a.requestId, tags),
  'cancel-spot-instance-request': (a, { region, tags }) => cancelSpotInstanceRequest(region, a.requestId, tags),
  'delete-fleet-keep-instances': (a, { region, tags }) => deleteFleetKeepInstances(region, a.fleetId, tags),
  'scale-ecs-service-to-zero': (a, { region, tags }) => scaleEcsServiceToZero(region, a.service, a.cluster, tags),
  'stop-ecs-task': (a, { region, tags }) => stopEcsTask(region, a.task, a.cluster, tags),
  'disable-batch-compute-environment': (a, { region, tags }) => disableBatchComputeEnvironment(region, a.computeEnvironment, tags),
  'stop-sagemaker-notebook': (a, { region }) => stopSageMaker(region, 'notebook', a.name),
  'stop-sagemaker-training-job': (a, { region }) => stopSageMaker(region, 'training-job', a.name),
  'stop-sagemaker-processing-job': (a, { region }) => stopSageMaker(region, 'processing-job', a.name),
};

function step(plan: ContainmentPlan, action: ContainmentAction): Promise<void> {
  return (ACT[action.kind] as (a: ContainmentAction, p: ContainmentPlan) => Promise<void>)(action, plan);
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
