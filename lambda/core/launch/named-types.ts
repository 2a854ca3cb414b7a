/** Completes a launch request with the instance types it names only indirectly: by launch template or by instance id. */
import type { LaunchRequest, LaunchTemplateRef } from './launch-request';

/** An instance type that was learned, or why it could not be. */
export type TypeAnswer = { readonly type: string } | { readonly unknown: string };

/** What the shell learned from EC2 about the templates and instances a call names. */
export interface NamedTypes {
  /** The instance type a launch template version sets. */
  readonly ofTemplate: (ref: LaunchTemplateRef) => TypeAnswer;
  /** The type of an existing instance that StartInstances starts. */
  readonly ofInstance: (instanceId: string) => TypeAnswer;
}

/** What the evaluator knows without an AWS call: nothing about templates or existing instances. */
export const OFFLINE_NAMED_TYPES: NamedTypes = {
  ofTemplate: () => ({ unknown: 'not looked up without an AWS call' }),
  ofInstance: () => ({ unknown: 'not looked up without an AWS call' }),
};

/** The same key for the same template version, however many times the request is read. */
export function templateKey(ref: LaunchTemplateRef): string {
  return `${ref.id ?? ''}|${ref.name ?? ''}|${ref.version ?? '$Default'}`;
}

/** `launch template lt-0abc (version 3)`, `launch template web (default version)`. */
export function describeTemplate(ref: LaunchTemplateRef): string {
  return `launch template ${ref.id ?? ref.name} (${ref.version ? `version ${ref.version}` : 'default version'})`;
}

/** The request with the types behind its templates and started instances added; what stays unknown is listed with why. */
export function withNamedTypes(eventName: string, request: LaunchRequest, named: NamedTypes): LaunchRequest {
  const counts = new Map<string, number>();
  const unknowns: string[] = [];
  const tally = (answer: TypeAnswer, what: string, n: number) => {
    if ('type' in answer) counts.set(answer.type, (counts.get(answer.type) ?? 0) + n);
    else unknowns.push(`instance type of ${what}: ${answer.unknown}`);
  };
  const { templates, instanceIds } = namesToLookUp(eventName, request);
  for (const ref of templates) tally(named.ofTemplate(ref), describeTemplate(ref), ref.count);
  for (const id of instanceIds) tally(named.ofInstance(id), id, 1);
  if (counts.size === 0 && unknowns.length === 0) return request;
  return {
    ...request,
    instanceTypes: [...request.instanceTypes, ...[...counts].map(([type, count]) => ({ type, count }))],
    unknowns: [...request.unknowns, ...unknowns],
  };
}

/** The launch templates and instances whose types the shell should look up for this request. */
export function namesToLookUp(
  eventName: string, request: LaunchRequest,
): { readonly templates: readonly LaunchTemplateRef[]; readonly instanceIds: readonly string[] } {
  const startsUntyped = eventName === 'StartInstances' && request.instanceTypes.length === 0;
  return {
    templates: request.launchTemplates,
    instanceIds: startsUntyped ? request.resources.filter((r) => r.kind === 'instance').map((r) => r.id) : [],
  };
}
