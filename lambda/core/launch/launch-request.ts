/** Reads what a launch call asks for, API by API: instance types and counts, vCPUs, capacity, and what it created. */
import { containerGpus, cpuUnits, taskSizeOf } from './task-size';
import type { LaunchEventName } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { deepValues, fieldAt, isObject, numberAt, stringAt } from '../events/event-fields';

/** A resource a call created or changed, which containment may act on. */
export interface LaunchedResource {
  readonly kind: 'instance' | 'autoscaling-group' | 'spot-fleet-request' | 'spot-instance-request' | 'fleet'
  | 'ecs-service' | 'ecs-task' | 'batch-compute-environment' | 'sagemaker-notebook' | 'sagemaker-training-job'
  | 'sagemaker-processing-job' | 'launch-template' | 'task-definition';
  readonly id: string;
  /** The ECS cluster of a service or task. */
  readonly cluster?: string;
}

/** A launch template a call launches from without naming an instance type itself. */
export interface LaunchTemplateRef {
  readonly id?: string;
  readonly name?: string;
  /** A version number, `$Latest` or `$Default`; undefined means the default version. */
  readonly version?: string;
  /** Instances the call may start from it. */
  readonly count: number;
}

/** What one call asks for, independent of the API's own shape. */
export interface LaunchRequest {
  /** Instance types with how many of each (EC2 and SageMaker `ml.` types). */
  readonly instanceTypes: ReadonlyArray<{ readonly type: string; readonly count: number }>;
  /** Units started when no instance type says it: ECS tasks, Auto Scaling capacity. */
  readonly units: number;
  /** vCPUs stated by the call itself (ECS CPU units, Batch maxvCpus), when it states them. */
  readonly statedVcpus?: number;
  /** vCPUs of one ECS task: of the definition the call registers, or, once learned, of the one it runs. */
  readonly taskVcpus?: number;
  /** GPUs of one ECS task, when it asks for any: of the definition the call registers or runs. */
  readonly taskGpus?: number;
  /**
   * The task definition a call runs (CreateService, UpdateService, RunTask) as the call names it: ARN,
   * `family:revision` or a bare family. The size of its tasks is learned from it.
   */
  readonly taskDefinition?: string;
  /** Why the size of the tasks a call runs could not be learned: the judge flags a call whose vCPUs it cannot count. */
  readonly taskSizeUnknown?: string;
  /** Protection the call turns on: termination or stop protection; new user data. */
  readonly protection: ReadonlyArray<'termination' | 'stop' | 'user-data'>;
  /** Protection the call turns off. */
  readonly unprotection: ReadonlyArray<'termination' | 'stop'>;
  readonly resources: readonly LaunchedResource[];
  /** Launch templates that hold the instance type the call does not state; the shell looks them up. */
  readonly launchTemplates: readonly LaunchTemplateRef[];
  /** Figures the evaluator could not learn, each saying why: they are missing from vCPUs and cost. */
  readonly unknowns: readonly string[];
  /** For quota requests: service and desired value. */
  readonly quota?: { readonly serviceCode: string; readonly quotaCode?: string; readonly desiredValue?: number };
}

const EMPTY: LaunchRequest = { instanceTypes: [], units: 0, protection: [], unprotection: [], resources: [], launchTemplates: [], unknowns: [] };

/**
 * CloudTrail writes lists as `{ items: [...] }` or `{ item: [...] }` in EC2 events, and plain arrays elsewhere. A lone
 * string where a list belongs is read as a list of one, so a forged or odd record is judged by what it names.
 */
function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [value];
  const items = fieldAt(value, 'items') ?? fieldAt(value, 'item');
  if (Array.isArray(items)) return items;
  return isObject(items) ? [items] : [];
}

/** Instance types as a list names them, one entry per instance: each type with how many times it is named. */
function countedTypes(types: ReadonlyArray<string | undefined>): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  for (const type of types) if (type) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, count]) => ({ type, count }));
}

function typesWithCount(types: unknown[], count: number): Array<{ type: string; count: number }> {
  const names = [...new Set(types.filter((t): t is string => typeof t === 'string' && t.length > 0))];
  // When a call offers several types (fleet overrides), assume the whole capacity could land on each: the worst case.
  return names.map((type) => ({ type, count }));
}

/** The launch templates a request launches from: the EC2, Spot Fleet and Auto Scaling spellings of the reference. */
function launchTemplateRefs(request: unknown, count: number): LaunchTemplateRef[] {
  const specs = [...deepValues(request, 'launchTemplate'), ...deepValues(request, 'launchTemplateSpecification')]
    // Auto Scaling's mixed instances policy wraps the reference: `launchTemplate.launchTemplateSpecification`.
    .flatMap((v) => (isObject(v) && fieldAt(v, 'launchTemplateSpecification') !== undefined ? deepValues(v, 'launchTemplateSpecification') : [v]));
  const refs = new Map<string, LaunchTemplateRef>();
  for (const spec of specs) {
    const pick = (key: string) => stringAt(spec, key) ?? stringAt(spec, key.charAt(0).toUpperCase() + key.slice(1));
    const ref = { id: pick('launchTemplateId'), name: pick('launchTemplateName'), version: pick('version'), count };
    if (ref.id ?? ref.name) refs.set(`${ref.id ?? ref.name}@${ref.version ?? ''}`, ref);
  }
  return [...refs.values()];
}

/** A call that starts `units` instances of `instanceTypes`, or, when it states none, of the launch templates it names. */
function launchOf(
  request: unknown, instanceTypes: LaunchRequest['instanceTypes'], units: number, resources: LaunchedResource[],
): LaunchRequest {
  return { ...EMPTY, instanceTypes, units, launchTemplates: instanceTypes.length > 0 ? [] : launchTemplateRefs(request, units), resources };
}

/** The first of the values that is a number or a numeric string, or 0. */
function firstNumber(values: unknown[]): number {
  for (const v of values) {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return 0;
}

function ids(value: unknown, key: string): string[] {
  return list(value).map((i) => stringAt(i, key)).filter((x): x is string => x !== undefined);
}

/** A reader per launch call the catalog selects: a call without one fails to compile. */
export const LAUNCH_REQUEST_READERS: Readonly<Record<LaunchEventName, (r: CloudTrailRecord) => LaunchRequest>> = {
  RunInstances: (r) => {
    const created = ids(fieldAt(r.response, 'instancesSet'), 'instanceId');
    const asked = numberAt(list(fieldAt(r.request, 'instancesSet'))[0], 'maxCount') ?? 1;
    const count = created.length > 0 ? created.length : asked;
    const type = stringAt(r.request, 'instanceType');
    // Launched from a template, the request names no type; each instance in the response does.
    const instanceTypes = type ? [{ type, count }] : countedTypes(list(fieldAt(r.response, 'instancesSet')).map((i) => stringAt(i, 'instanceType')));
    return {
      ...launchOf(r.request, instanceTypes, count, created.map((id) => ({ kind: 'instance', id }))),
      protection: [
        ...(fieldAt(r.request, 'disableApiTermination') === true ? ['termination' as const] : []),
        ...(fieldAt(r.request, 'disableApiStop') === true ? ['stop' as const] : []),
      ],
    };
  },
  StartInstances: (r) => {
    const started = ids(fieldAt(r.request, 'instancesSet'), 'instanceId');
    return { ...EMPTY, units: started.length, resources: started.map((id) => ({ kind: 'instance', id })) };
  },
  ModifyInstanceAttribute: (r) => {
    const id = stringAt(r.request, 'instanceId');
    const flag = (name: string) => {
      const v = fieldAt(r.request, `${name}.value`) ?? (stringAt(r.request, 'attribute') === name ? fieldAt(r.request, 'value') : undefined);
      return v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
    };
    const termination = flag('disableApiTermination');
    const stop = flag('disableApiStop');
    return {
      ...EMPTY,
      protection: [
        ...(termination === true ? ['termination' as const] : []),
        ...(stop === true ? ['stop' as const] : []),
        ...(fieldAt(r.request, 'userData') !== undefined || stringAt(r.request, 'attribute') === 'userData' ? ['user-data' as const] : []),
      ],
      unprotection: [...(termination === false ? ['termination' as const] : []), ...(stop === false ? ['stop' as const] : [])],
      resources: id ? [{ kind: 'instance', id }] : [],
    };
  },
  CreateFleet: (r) => {
    const capacity = firstNumber(deepValues(r.request, 'TotalTargetCapacity'));
    const fleetId = stringAt(r.response, 'CreateFleetResponse.fleetId') ?? stringAt(r.response, 'fleetId');
    return launchOf(r.request, typesWithCount(deepValues(r.request, 'InstanceType'), capacity), capacity, fleetId ? [{ kind: 'fleet', id: fleetId }] : []);
  },
  RequestSpotFleet: (r) => {
    const capacity = firstNumber(deepValues(r.request, 'targetCapacity'));
    const id = stringAt(r.response, 'spotFleetRequestId');
    return launchOf(r.request, typesWithCount(deepValues(r.request, 'instanceType'), capacity), capacity, id ? [{ kind: 'spot-fleet-request', id }] : []);
  },
  RequestSpotInstances: (r) => {
    const count = numberAt(r.request, 'instanceCount') ?? 1;
    return {
      ...EMPTY,
      instanceTypes: typesWithCount(deepValues(r.request, 'instanceType'), count),
      units: count,
      resources: ids(fieldAt(r.response, 'spotInstanceRequestSet'), 'spotInstanceRequestId').map((id) => ({ kind: 'spot-instance-request', id })),
    };
  },
  CreateLaunchTemplate: (r) => ({ ...EMPTY, instanceTypes: typesWithCount(deepValues(r.request, 'InstanceType'), 1) }),
  CreateLaunchTemplateVersion: (r) => ({ ...EMPTY, instanceTypes: typesWithCount(deepValues(r.request, 'InstanceType'), 1) }),
  CreateAutoScalingGroup: (r) => autoScaling(r),
  UpdateAutoScalingGroup: (r) => autoScaling(r),
  SetDesiredCapacity: (r) => autoScaling(r),
  CreateCluster: () => EMPTY,
  RegisterTaskDefinition: (r) => {
    // The response holds the definition as ECS registered it, a failed call only the request: the larger is judged.
    const sizes = [taskSizeOf(fieldAt(r.response, 'taskDefinition')), taskSizeOf(r.request)];
    const size = { vcpus: Math.max(0, ...sizes.map((t) => t?.vcpus ?? 0)), gpus: Math.max(0, ...sizes.map((t) => t?.gpus ?? 0)) };
    const arn = stringAt(r.response, 'taskDefinition.taskDefinitionArn');
    return {
      ...EMPTY, taskVcpus: size.vcpus, ...(size.gpus > 0 ? { taskGpus: size.gpus } : {}), resources: arn ? [{ kind: 'task-definition', id: arn }] : [],
    };
  },
  CreateService: (r) => ecsService(r),
  UpdateService: (r) => ecsService(r),
  RunTask: (r) => {
    const count = taskCount(numberAt(r.request, 'count') ?? 1);
    const started = list(fieldAt(r.response, 'tasks'));
    const tasks = started.map((t) => ({ id: stringAt(t, 'taskArn'), cluster: stringAt(t, 'clusterArn') }));
    // RunTask may size its tasks itself: a task-level CPU override, and GPUs asked for by container overrides.
    const overriddenCpu = cpuUnits(fieldAt(r.request, 'overrides.cpu'));
    const overriddenGpus = list(fieldAt(r.request, 'overrides.containerOverrides')).reduce<number>((sum, c) => sum + containerGpus(c), 0);
    return {
      ...EMPTY,
      units: count,
      ...(overriddenCpu !== undefined ? { taskVcpus: overriddenCpu / 1024 } : {}),
      ...(overriddenGpus > 0 ? { taskGpus: overriddenGpus } : {}),
      ...definitionRun(started.map((t) => stringAt(t, 'taskDefinitionArn')).find((arn) => arn !== undefined) ?? stringAt(r.request, 'taskDefinition')),
      resources: tasks.filter((t) => t.id).map((t) => ({ kind: 'ecs-task', id: t.id!, cluster: t.cluster ?? stringAt(r.request, 'cluster') })),
    };
  },
  CreateComputeEnvironment: (r) => batch(r),
  UpdateComputeEnvironment: (r) => batch(r),
  CreateNotebookInstance: (r) => sageMaker(r, 'instanceType', undefined, 'notebookInstanceName', 'sagemaker-notebook'),
  CreateTrainingJob: (r) => sageMaker(r, 'resourceConfig.instanceType', 'resourceConfig.instanceCount', 'trainingJobName', 'sagemaker-training-job'),
  CreateProcessingJob: (r) => sageMaker(r, 'processingResources.clusterConfig.instanceType', 'processingResources.clusterConfig.instanceCount', 'processingJobName', 'sagemaker-processing-job'),
  CreateEndpointConfig: (r) => {
    const variants = list(fieldAt(r.request, 'productionVariants'));
    const instanceTypes = variants
      .map((v) => ({ type: stringAt(v, 'instanceType'), count: numberAt(v, 'initialInstanceCount') ?? 1 }))
      .filter((v): v is { type: string; count: number } => v.type !== undefined);
    return { ...EMPTY, instanceTypes, units: instanceTypes.reduce((s, t) => s + t.count, 0) };
  },
  RequestServiceQuotaIncrease: (r) => ({
    ...EMPTY,
    quota: { serviceCode: stringAt(r.request, 'serviceCode') ?? 'unknown', quotaCode: stringAt(r.request, 'quotaCode'), desiredValue: numberAt(r.request, 'desiredValue') },
  }),
};

function autoScaling(r: CloudTrailRecord): LaunchRequest {
  const name = stringAt(r.request, 'autoScalingGroupName');
  const capacity = Math.max(numberAt(r.request, 'minSize') ?? 0, numberAt(r.request, 'desiredCapacity') ?? 0, numberAt(r.request, 'maxSize') ?? 0);
  return launchOf(r.request, typesWithCount(deepValues(r.request, 'instanceType'), capacity), capacity, name ? [{ kind: 'autoscaling-group', id: name }] : []);
}

/** A task count as a call states it: a negative count starts nothing, a forged huge one stays a finite product. */
function taskCount(count: number): number {
  return Math.min(Math.max(0, Math.ceil(count)), 1e9);
}

/** The definition a call runs, when it names one. */
function definitionRun(ref: string | undefined): Pick<LaunchRequest, 'taskDefinition'> {
  return ref ? { taskDefinition: ref } : {};
}

function ecsService(r: CloudTrailRecord): LaunchRequest {
  const service = stringAt(r.response, 'service.serviceArn') ?? stringAt(r.request, 'service') ?? stringAt(r.request, 'serviceName');
  const cluster = stringAt(r.response, 'service.clusterArn') ?? stringAt(r.request, 'cluster');
  return {
    ...EMPTY,
    units: taskCount(numberAt(r.request, 'desiredCount') ?? 0),
    // The response names the revision the service runs; UpdateService's request names one only when it changes it.
    ...definitionRun(stringAt(r.response, 'service.taskDefinition') ?? stringAt(r.request, 'taskDefinition')),
    resources: service ? [{ kind: 'ecs-service', id: service, cluster }] : [],
  };
}

function batch(r: CloudTrailRecord): LaunchRequest {
  const name = stringAt(r.response, 'computeEnvironmentArn') ?? stringAt(r.request, 'computeEnvironment') ?? stringAt(r.request, 'computeEnvironmentName');
  return {
    ...EMPTY,
    instanceTypes: typesWithCount(list(fieldAt(r.request, 'computeResources.instanceTypes')), 1).filter((t) => t.type !== 'optimal'),
    statedVcpus: numberAt(r.request, 'computeResources.maxvCpus'),
    resources: name ? [{ kind: 'batch-compute-environment', id: name }] : [],
  };
}

function sageMaker(r: CloudTrailRecord, typePath: string, countPath: string | undefined, namePath: string, kind: LaunchedResource['kind']): LaunchRequest {
  const type = stringAt(r.request, typePath);
  const count = countPath ? numberAt(r.request, countPath) ?? 1 : 1;
  const name = stringAt(r.request, namePath);
  return { ...EMPTY, instanceTypes: type ? [{ type, count }] : [], units: count, resources: name ? [{ kind, id: name }] : [] };
}

/** Whether a call is one the launch detections select. */
export function isLaunchEventName(eventName: string): eventName is LaunchEventName {
  return Object.hasOwn(LAUNCH_REQUEST_READERS, eventName);
}

/** What a launch call asks for. Only launch calls are read: the catalog selected them, and each has its reader. */
export function describeLaunch(record: CloudTrailRecord): LaunchRequest {
  if (!isLaunchEventName(record.eventName)) throw new Error(`${record.eventName} is not a launch call: the catalog selects none by that name`);
  return LAUNCH_REQUEST_READERS[record.eventName](record);
}
