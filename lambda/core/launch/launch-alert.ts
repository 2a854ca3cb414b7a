/** Writes the alert for a flagged launch: who launched how much of what, where, what it costs, and what was done. */
import type { LaunchVerdict } from './evaluate-launch';
import type { LaunchRequest } from './launch-request';
import type { Alert, AlertLink } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { callSections } from '../alerts/call-sections';
import { ec2InstanceUrl } from '../alerts/console-links';
import { drillHeadline, drillLine, isDrillRecord } from '../doctor/drill-labels';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { principalName } from '../events/cloudtrail-record';

/** `~$1,310/h`, or `cost unknown`. */
export function formatCost(usdPerHour: number | undefined, estimated: boolean): string {
  if (usdPerHour === undefined) return 'cost unknown';
  const rounded = usdPerHour >= 10 ? Math.round(usdPerHour).toLocaleString('en-US') : usdPerHour.toFixed(2);
  return `~$${rounded}/h${estimated ? ' (estimated)' : ''}`;
}

/** What the call asks for, in a few words: `40 x p4d.24xlarge`, `service of 20 tasks`, `quota increase`. */
export function summarizeRequest(record: CloudTrailRecord, request: LaunchRequest): string {
  if (request.instanceTypes.length > 0) return request.instanceTypes.map((t) => `${t.count} x ${t.type}`).join(' + ');
  if (request.quota) return `quota increase for ${request.quota.serviceCode}`;
  if (request.taskDefinition !== undefined) {
    // A service updated without a count keeps the count it had, which the record does not state.
    const count = request.units > 0 ? `${request.units} x ` : '';
    const tasks = `${count}${request.taskVcpus === undefined ? 'ECS task' : `${request.taskVcpus}-vCPU ECS task`}${request.units === 1 ? '' : 's'}`;
    return `${tasks}${request.taskVcpus === undefined ? ' of unknown size' : ''}${request.taskGpus ? ` with ${request.taskGpus} GPU${request.taskGpus === 1 ? '' : 's'} each` : ''}`;
  }
  if (request.taskVcpus !== undefined) return `task definition of ${request.taskVcpus} vCPUs`;
  if (request.protection.length > 0) {
    const what = request.protection.map((p) => (p === 'user-data' ? 'new user data' : `${p} protection`)).join(' and ');
    return `${what} on ${request.resources[0]?.id ?? 'an instance'}`;
  }
  if (request.units > 0) return `${request.units} x ${record.eventName}`;
  return record.eventName;
}

/** What the call did, as the headline says it. */
function verbOf(record: CloudTrailRecord, request: LaunchRequest): string {
  // Protection set on an existing instance; protection asked for in a launch is still a launch.
  if (record.eventName === 'ModifyInstanceAttribute') return 'set';
  if (request.quota) return 'requested';
  if (request.taskVcpus !== undefined && request.taskDefinition === undefined) return 'registered';
  return 'launched';
}

/** The alert for one flagged launch; `done` lists what containment did or would do. */
export function launchAlert(record: CloudTrailRecord, request: LaunchRequest, verdict: LaunchVerdict, done: readonly string[]): Alert {
  const who = principalName(record.principalArn);
  const verb = verdict.failed ? `${record.eventName} failed (${record.errorCode})` : record.eventName;
  const call = callSections(record);
  const links: AlertLink[] = [
    ...call.links,
    ...request.resources.filter((r) => r.kind === 'instance').slice(0, 5).map((r) => ({ label: `Instance ${r.id}`, url: ec2InstanceUrl(call.partition, record.region, r.id) })),
  ];
  return {
    severity: verdict.severity,
    detectionId: verdict.detection.id,
    title: verdict.detection.title,
    headline: drillHeadline(`${summarizeRequest(record, request)} ${verdict.failed ? 'attempted' : verbOf(record, request)} in ${record.region} by ${who}${request.instanceTypes.length > 0 ? ` (${formatCost(verdict.usdPerHour, verdict.estimated)})` : ''}`,
      isDrillRecord(record.eventId)),
    what: textLines([
      drillLine('launch', isDrillRecord(record.eventId)),
      `${verb}: ${summarizeRequest(record, request)}, ${verdict.vcpus} vCPUs${verdict.gpus > 0 ? `, ${verdict.gpus} GPUs` : ''}, ${formatCost(verdict.usdPerHour, verdict.estimated)} on demand.`,
      `Flagged because: ${verdict.reasons.join('; ')}.`,
      verdict.estimated ? 'Figures marked estimated come from the instance size, not from AWS\'s specifications.' : '',
      ...request.unknowns.map((u) => `Not counted, unknown: ${u}.`),
    ]),
    who: call.who,
    where: call.where,
    why: verdict.detection.rationale,
    done: done.length > 0 ? done : ['Notified this channel. No containment is configured for this detection.'],
    next: verdict.detection.nextSteps,
    links,
    refs: call.refs,
  };
}

/** One containment step as the alert lists it: its line, and whether it failed. */
export interface StepLine {
  readonly line: string;
  readonly failed: boolean;
}

/** The first alert's "what MiningGuard did" when containment is planned: what is about to be done, and that more follows. */
export function plannedLines(planned: readonly string[]): string[] {
  return [
    `Containing now: ${planned.length} step${planned.length === 1 ? '' : 's'}. A second alert follows with what was done and what failed.`,
    ...planned.map((p) => `Planned: ${p}.`),
  ];
}

/** What containment did, the failures first (each needs a hand), then the steps that were done. */
export function outcomeLines(steps: readonly StepLine[]): string[] {
  const failed = steps.filter((s) => s.failed);
  return [
    failed.length > 0
      ? `${failed.length} of ${steps.length} containment steps FAILED; each is listed first and needs a hand.`
      : `All ${steps.length} containment step${steps.length === 1 ? ' was' : 's were'} done.`,
    ...failed.map((s) => s.line),
    ...steps.filter((s) => !s.failed).map((s) => s.line),
  ];
}

/** The alert that follows containment: the first alert's facts, with what was done and what failed. */
export function outcomeAlert(first: Alert, steps: readonly StepLine[], notes: readonly string[] = []): Alert {
  const failed = steps.filter((s) => s.failed).length;
  return {
    ...first,
    // Short, so the subject keeps it whole: the subject is cut in its middle, never at its start.
    headline: `${failed > 0 ? `${failed} of ${steps.length} steps FAILED` : 'Contained'}: ${first.headline}`,
    done: [...outcomeLines(steps), ...notes],
  };
}

/** Said in an alert whose event could not be remembered: the same event may alert again. */
export function duplicatesNote(reason: string): string {
  return `Duplicates were not suppressed: the idempotency table could not be reached (${reason}). Containment ran anyway, as every step is idempotent; `
    + 'this event may be alerted again.';
}

/** Said in an alert that could not be folded into its principal's storm window. */
export function stormUnavailableNote(reason: string): string {
  return `Storm control is unavailable (${reason}): this detection is alerted on its own, not folded with the principal's others.`;
}
