/**
 * The size of an ECS task: the vCPUs and GPUs its task definition asks for, read from a definition as
 * RegisterTaskDefinition's request and response and DescribeTaskDefinition's answer all write it, and how a call
 * that runs tasks names the definition it runs.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size
 */
import { fieldAt, isObject, stringAt } from '../events/event-fields';

/** What one task of a definition asks for. */
export interface TaskSize {
  readonly vcpus: number;
  readonly gpus: number;
}

/** A task size that was learned, or why it could not be. */
export type TaskSizeAnswer = { readonly size: TaskSize } | { readonly unknown: string };

/** ECS CPU units per vCPU. */
const UNITS_PER_VCPU = 1024;

/**
 * ECS CPU units of a task or container: a number or numeric string of units, or vCPUs written as ECS accepts them
 * for a task (`'16 vCPU'`, `'0.25 vcpu'`). Undefined when absent or unreadable, so a forged `"abc"` counts as unstated.
 */
export function cpuUnits(value: unknown): number | undefined {
  const vcpus = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value) : null;
  if (vcpus) return Number(vcpus[1]) * UNITS_PER_VCPU;
  const units = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof units === 'number' && Number.isFinite(units) && units >= 0 ? units : undefined;
}

/** A whole, finite, non-negative count, or undefined: `"2"` is 2, `"abc"`, -1 and 1e400 are unreadable. */
function gpuCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
}

function entries(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The GPUs a container's resource requirements ask for: `[{ type: 'GPU', value: '1' }]`. */
export function containerGpus(container: unknown): number {
  return entries(fieldAt(container, 'resourceRequirements'))
    .filter((r) => stringAt(r, 'type')?.toUpperCase() === 'GPU')
    .reduce<number>((sum, r) => sum + (gpuCount(fieldAt(r, 'value')) ?? 0), 0);
}

/**
 * The size of one task of a definition: the task-level `cpu` when it is readable, else the sum of its containers'
 * `cpu` (the EC2 launch type may leave the task's unset); GPUs are the sum of its containers' GPU requirements. A
 * definition that states no CPU anywhere reserves none: on the EC2 launch type its tasks share the container
 * instances, which are judged when they are launched. Undefined when `definition` is no object.
 */
export function taskSizeOf(definition: unknown): TaskSize | undefined {
  if (!isObject(definition)) return undefined;
  const containers = entries(fieldAt(definition, 'containerDefinitions'));
  const units = cpuUnits(fieldAt(definition, 'cpu'))
    ?? containers.reduce<number>((sum, c) => sum + (cpuUnits(fieldAt(c, 'cpu')) ?? 0), 0);
  const gpus = containers.reduce<number>((sum, c) => sum + containerGpus(c), 0);
  // Forged figures may add up past any number: kept finite, they still flag.
  return { vcpus: Math.min(units / UNITS_PER_VCPU, Number.MAX_SAFE_INTEGER), gpus: Math.min(gpus, Number.MAX_SAFE_INTEGER) };
}

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`, or without the revision. */
const TASK_DEFINITION_ARN = /^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/(.+)$/;
/** A family name as ECS allows it (letters, digits, hyphens, underscores), with an optional revision. */
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255})(?::(\d{1,10}))?$/;

/** A task definition as a call names it: its family and, when pinned, its revision. */
export interface TaskDefinitionName {
  readonly family: string;
  readonly revision?: string;
}

/**
 * The family and revision of a task definition named by ARN, `family:revision` or bare `family` (which ECS reads as
 * the latest ACTIVE revision). Undefined for anything ECS would not accept as a name.
 */
export function parseTaskDefinition(ref: string): TaskDefinitionName | undefined {
  const name = TASK_DEFINITION_ARN.exec(ref)?.[1] ?? ref;
  const parts = FAMILY_REVISION.exec(name);
  if (!parts) return undefined;
  return parts[2] === undefined ? { family: parts[1] } : { family: parts[1], revision: parts[2] };
}

/** The same key for the same definition however it is named: `family:revision`, or `family` for the latest. */
export function taskDefinitionKey(name: TaskDefinitionName): string {
  return name.revision === undefined ? name.family : `${name.family}:${name.revision}`;
}

/**
 * A task definition as an alert names it: `family:revision` or `family`, never the call's own text, which may be an
 * ARN of any length or no name at all.
 */
export function taskDefinitionLabel(ref: string): string {
  const name = parseTaskDefinition(ref);
  return name ? taskDefinitionKey(name) : '(a name ECS would refuse)';
}

/** `10 tasks x 16 vCPUs = 160 vCPUs`: how a run call's vCPUs or GPUs add up. */
export function tasksTimes(count: number, each: number, unit: string): string {
  const plural = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return `${count} task${count === 1 ? '' : 's'} x ${plural(each)} = ${plural(count * each)}`;
}
