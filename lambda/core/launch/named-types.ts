/**
 * Completes a launch request with the instance types it names only indirectly: by launch template, by instance id, or
 * by the Auto Scaling group whose capacity it changes; and with the size of the ECS tasks it runs, by task definition.
 */
import type { LaunchRequest, LaunchTemplateRef } from './launch-request';
import { taskDefinitionLabel, TaskSizeAnswer } from './task-size';

/** An instance type that was learned, or why it could not be. */
export type TypeAnswer = { readonly type: string } | { readonly unknown: string };

/** The instance types an Auto Scaling group launches (several when its mixed instances policy overrides them), or why they could not be learned. */
export type GroupAnswer = { readonly types: readonly string[] } | { readonly unknown: string };

/** What the shell learned from AWS about the templates, instances and Auto Scaling groups a call names. */
export interface NamedTypes {
  /** The instance type a launch template version sets. */
  readonly ofTemplate: (ref: LaunchTemplateRef) => TypeAnswer;
  /** The type of an existing instance that StartInstances starts. */
  readonly ofInstance: (instanceId: string) => TypeAnswer;
  /** The types of an existing Auto Scaling group whose capacity a call changes without naming what it launches. */
  readonly ofGroup: (groupName: string) => GroupAnswer;
  /** The vCPUs and GPUs of one task of the definition an ECS call runs, named as the call names it. */
  readonly ofTaskDefinition: (taskDefinition: string) => TaskSizeAnswer;
}

/** The names a request leaves for the shell to look up. */
export interface NamesToLookUp {
  readonly templates: readonly LaunchTemplateRef[];
  readonly instanceIds: readonly string[];
  readonly groups: readonly string[];
}

/** What the evaluator knows without an AWS call: nothing about templates, existing instances or existing groups. */
export const OFFLINE_NAMED_TYPES: NamedTypes = {
  ofTemplate: () => ({ unknown: 'not looked up without an AWS call' }),
  ofInstance: () => ({ unknown: 'not looked up without an AWS call' }),
  ofGroup: () => ({ unknown: 'not looked up without an AWS call' }),
  ofTaskDefinition: () => ({ unknown: 'not looked up without an AWS call' }),
};

/** Calls that change an existing group's capacity; what the group launches is the group's, not the call's. */
const CAPACITY_CHANGES = new Set(['UpdateAutoScalingGroup', 'SetDesiredCapacity']);

/** The same key for the same template version, however many times the request is read. */
export function templateKey(ref: LaunchTemplateRef): string {
  return `${ref.id ?? ''}|${ref.name ?? ''}|${ref.version ?? '$Default'}`;
}

/** `launch template lt-0abc (version 3)`, `launch template web (default version)`. */
export function describeTemplate(ref: LaunchTemplateRef): string {
  return `launch template ${ref.id ?? ref.name} (${ref.version ? `version ${ref.version}` : 'default version'})`;
}

/**
 * The request with the size of the ECS tasks it runs: a CPU the call overrides itself stands, GPUs are the more of the
 * call's and the definition's. A size that cannot be learned is kept with why, for the judge to flag.
 */
export function withTaskSize(request: LaunchRequest, named: NamedTypes): LaunchRequest {
  if (request.taskDefinition === undefined) return request;
  const answer = named.ofTaskDefinition(request.taskDefinition);
  if ('unknown' in answer) {
    if (request.taskVcpus !== undefined) return request;
    return { ...request, taskSizeUnknown: answer.unknown, unknowns: [...request.unknowns, `vCPUs of task definition ${taskDefinitionLabel(request.taskDefinition)}: ${answer.unknown}`] };
  }
  const gpus = Math.max(request.taskGpus ?? 0, answer.size.gpus);
  return { ...request, taskVcpus: request.taskVcpus ?? answer.size.vcpus, ...(gpus > 0 ? { taskGpus: gpus } : {}) };
}

/**
 * The request with the types behind its templates, started instances and resized groups added, and the size of the
 * ECS tasks it runs; what stays unknown is listed with why.
 */
export function withNamedTypes(eventName: string, request: LaunchRequest, named: NamedTypes): LaunchRequest {
  return withIndirectTypes(eventName, withTaskSize(request, named), named);
}

function withIndirectTypes(eventName: string, request: LaunchRequest, named: NamedTypes): LaunchRequest {
  const counts = new Map<string, number>();
  const unknowns: string[] = [];
  const tally = (answer: TypeAnswer, what: string, n: number) => {
    if ('type' in answer) counts.set(answer.type, (counts.get(answer.type) ?? 0) + n);
    else unknowns.push(`instance type of ${what}: ${answer.unknown}`);
  };
  const { templates, instanceIds, groups } = namesToLookUp(eventName, request);
  for (const ref of templates) tally(named.ofTemplate(ref), describeTemplate(ref), ref.count);
  for (const id of instanceIds) tally(named.ofInstance(id), id, 1);
  for (const name of groups) {
    const answer = named.ofGroup(name);
    // Like the overrides a call states itself: the whole new capacity could land on each type, the worst case.
    if ('types' in answer) for (const type of answer.types) tally({ type }, name, request.units);
    else unknowns.push(`instance type of Auto Scaling group ${name}: ${answer.unknown}`);
  }
  if (counts.size === 0 && unknowns.length === 0) return request;
  return {
    ...request,
    instanceTypes: [...request.instanceTypes, ...[...counts].map(([type, count]) => ({ type, count }))],
    unknowns: [...request.unknowns, ...unknowns],
  };
}

/** The launch templates, instances and Auto Scaling groups whose types the shell should look up for this request. */
export function namesToLookUp(eventName: string, request: LaunchRequest): NamesToLookUp {
  const untyped = request.instanceTypes.length === 0;
  const startsUntyped = eventName === 'StartInstances' && untyped;
  const resizesUntyped = CAPACITY_CHANGES.has(eventName) && untyped && request.launchTemplates.length === 0 && request.units > 0;
  const idsOf = (kind: string) => request.resources.filter((r) => r.kind === kind).map((r) => r.id);
  return {
    templates: request.launchTemplates,
    instanceIds: startsUntyped ? idsOf('instance') : [],
    groups: resizesUntyped ? idsOf('autoscaling-group') : [],
  };
}
