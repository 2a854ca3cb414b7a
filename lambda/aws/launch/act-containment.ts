/** Carries out a containment plan; every step's outcome is reported, each failure with its resource and AWS's reason. */
import {
  disableBatchComputeEnvironment, scaleEcsServiceToZero, stopAutoScalingGroup, stopEcsTask, stopSageMaker,
} from './contain-compute';
import { cancelSpotFleetRequest, cancelSpotInstanceRequests, stopFleet } from './contain-ec2';
import { containInstances } from './contain-instances';
import { inParallel } from './in-parallel';
import type { ItemResult, StepReport } from './step-report';
import type { ContainmentAction, ContainmentKind, ContainmentPlan, ContainmentStep } from '../../core/launch/plan-containment';
import { describeAction, IDS_LISTED } from '../../core/launch/plan-containment';
import { errorText } from '../clients/error-text';

/** What happened to one step. */
export interface ActionOutcome {
  readonly action: ContainmentAction;
  /** `not-found`: the resource is unknown to AWS, which is not the same as already contained. */
  readonly outcome: 'done' | 'already-done' | 'not-found' | 'failed';
  readonly detail?: string;
  /** How many resources the step acted on (instances, requests), when it reported them. */
  readonly count?: number;
  /** Each resource still not contained after the retry, with AWS's reason. */
  readonly failed?: readonly ItemResult[];
}

/** How a plan is acted on. */
export interface ActOptions {
  /** How long to wait before retrying what failed. @default 1000 */
  readonly retryDelayMs?: number;
}

/** How many steps run at once; each step bounds its own calls too. */
const STEPS_IN_FLIGHT = 4;

/** Errors of a single-resource call that mean the resource does not exist. */
const NOT_FOUND = /ResourceNotFound|ServiceNotFound|ClusterNotFound|(not found|does not exist)/i;
/** Errors of a single-resource call that mean it is already where containment wants it. */
const ALREADY = /already (stopped|cancell?ed|completed|disabled)|in status (Completed|Failed|Stopped|Stopping)|is not in (InService|Pending|Running)/i;

type Act<K extends ContainmentKind> = (action: ContainmentStep<K>, plan: ContainmentPlan, options: ActOptions) => Promise<StepReport>;

/** How each kind of step is carried out, in the plan's region: a kind without an entry fails to compile. */
const ACT: { readonly [K in ContainmentKind]: Act<K> } = {
  'stop-instances': (a, { region, tags }, o) => containInstances(region, a.instanceIds, tags, { quarantine: false, ...o }),
  'quarantine-instances': (a, { region, tags }, o) => containInstances(region, a.instanceIds, tags, { quarantine: true, ...o }),
  'stop-autoscaling-group': (a, { region, tags }, o) => stopAutoScalingGroup(region, a.groupName, tags, o.retryDelayMs),
  'cancel-spot-fleet-request': (a, { region, tags }, o) => cancelSpotFleetRequest(region, a.requestId, tags, o),
  'cancel-spot-instance-requests': (a, { region, tags }, o) => cancelSpotInstanceRequests(region, a.requestIds, tags, o),
  'stop-fleet': (a, { region, tags }, o) => stopFleet(region, a.fleetId, tags, o),
  'scale-ecs-service-to-zero': (a, { region, tags }) => scaleEcsServiceToZero(region, a.service, a.cluster, tags),
  'stop-ecs-task': (a, { region, tags }) => stopEcsTask(region, a.task, a.cluster, tags),
  'disable-batch-compute-environment': (a, { region, tags }) => disableBatchComputeEnvironment(region, a.computeEnvironment, tags),
  'stop-sagemaker-notebook': (a, { region }) => stopSageMaker(region, 'notebook', a.name),
  'stop-sagemaker-training-job': (a, { region }) => stopSageMaker(region, 'training-job', a.name),
  'stop-sagemaker-processing-job': (a, { region }) => stopSageMaker(region, 'processing-job', a.name),
};

async function attempt(plan: ContainmentPlan, action: ContainmentAction, options: ActOptions): Promise<StepReport | Error> {
  try {
    return await (ACT[action.kind] as Act<ContainmentKind>)(action as never, plan, options);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Runs a step; a step that failed as a whole is retried once, after the delay (its items retry their own failures). */
async function act(plan: ContainmentPlan, action: ContainmentAction, options: ActOptions): Promise<ActionOutcome> {
  let result = await attempt(plan, action, options);
  const settled = (r: StepReport | Error) => (r instanceof Error ? NOT_FOUND.test(errorText(r)) || ALREADY.test(errorText(r)) : !r.retryStep);
  if (!settled(result)) {
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 1000));
    result = await attempt(plan, action, options);
  }
  return result instanceof Error ? thrown(action, result) : reported(action, result);
}

function thrown(action: ContainmentAction, error: Error): ActionOutcome {
  const detail = errorText(error);
  if (ALREADY.test(detail)) return { action, outcome: 'already-done', detail };
  if (NOT_FOUND.test(detail)) return { action, outcome: 'not-found', detail };
  return { action, outcome: 'failed', detail };
}

/** `i-1 (reason), i-2 (reason)`, the first ten, then how many more. */
function listed(items: readonly ItemResult[]): string {
  const more = items.length > IDS_LISTED ? `, and ${items.length - IDS_LISTED} more` : '';
  return items.slice(0, IDS_LISTED).map((i) => `${i.id} (${i.reason.replace(/\.+$/, '')})`).join(', ') + more;
}

function reported(action: ContainmentAction, r: StepReport): ActionOutcome {
  const parts = [
    r.failed.length > 0 ? `${r.failed.length} of ${r.count} failed: ${listed(r.failed)}` : '',
    r.gone.length > 0 ? `${r.gone.length} already gone: ${listed(r.gone)}` : '',
    r.unknown.length > 0 ? `${r.unknown.length} not found: ${listed(r.unknown)}` : '',
    ...r.notes,
  ].filter((p) => p.length > 0);
  const detail = parts.length > 0 ? parts.join('; ') : undefined;
  const base = { action, count: r.count, ...(detail ? { detail } : {}), ...(r.failed.length > 0 ? { failed: r.failed } : {}) };
  if (r.failed.length > 0) return { ...base, outcome: 'failed' };
  const untouched = r.gone.length + r.unknown.length;
  if (r.count > 0 && untouched === r.count) return { ...base, outcome: r.gone.length > 0 ? 'already-done' : 'not-found' };
  return { ...base, outcome: 'done' };
}

/** Runs every step, a few at a time (the SDK retries throttling); a failed step does not keep the others from running. */
export async function actContainment(plan: ContainmentPlan, options: ActOptions = {}): Promise<ActionOutcome[]> {
  return inParallel(plan.actions, (action) => act(plan, action, options), STEPS_IN_FLIGHT);
}

/** The outcomes as the alert's "what MiningGuard did" lines. */
export function describeOutcomes(outcomes: readonly ActionOutcome[]): string[] {
  return outcomes.map((o) => {
    const what = describeAction(o.action);
    // AWS's messages often end with a full stop of their own.
    const detail = o.detail?.replace(/\.+$/, '');
    if (o.outcome === 'done') return `Done: ${what}${detail ? `; ${detail}` : ''}.`;
    if (o.outcome === 'already-done') return `Nothing to do: ${what} (${detail}).`;
    if (o.outcome === 'not-found') return `Not found: ${what} (${detail}).`;
    return `FAILED: ${what}: ${detail}. Do it by hand.`;
  });
}
