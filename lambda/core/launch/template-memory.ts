/**
 * The launch templates, Auto Scaling groups and ECS task definitions created in the records replayed so far, so that
 * a later launch from one of those templates, a later resize of one of those groups, or a later service or task run
 * from one of those definitions is judged by what it launches, without an AWS call. CloudTrail delivers a file's
 * records in time order; what is created after the call that uses it, or before the replayed period, stays unknown,
 * and the output says so.
 */
import type { LaunchRequest, LaunchTemplateRef } from './launch-request';
import { GroupAnswer, NamedTypes, OFFLINE_NAMED_TYPES, TypeAnswer } from './named-types';
import { parseTaskDefinition, taskDefinitionKey, TaskSize, TaskSizeAnswer } from './task-size';
import type { CloudTrailRecord } from '../events/cloudtrail-record';
import { deepValues, stringAt } from '../events/event-fields';

function first(values: unknown[]): string | undefined {
  const found = values.find((v) => (typeof v === 'string' && v.length > 0) || typeof v === 'number');
  return found === undefined ? undefined : String(found);
}

/** Calls that set what an Auto Scaling group launches. */
const GROUP_DEFINITIONS = new Set(['CreateAutoScalingGroup', 'UpdateAutoScalingGroup']);

export class TemplateMemory implements NamedTypes {
  private readonly types = new Map<string, string>();
  private readonly groupTypes = new Map<string, readonly string[]>();
  /** Task sizes by `family:revision`, and by `family` for the latest revision registered. */
  private readonly taskSizes = new Map<string, TaskSize>();

  /**
   * Learns from a successful call: the type of a template version CreateLaunchTemplate or CreateLaunchTemplateVersion
   * made, or the types a group launches, from the request as judged (its template's type already filled in).
   */
  public remember(record: CloudTrailRecord, request: LaunchRequest): void {
    if (record.eventName === 'RegisterTaskDefinition' && !record.errorCode) this.rememberTaskDefinition(record, request);
    if (GROUP_DEFINITIONS.has(record.eventName) && !record.errorCode && request.instanceTypes.length > 0) {
      for (const group of request.resources.filter((r) => r.kind === 'autoscaling-group')) {
        this.groupTypes.set(group.id, request.instanceTypes.map((t) => t.type));
      }
    }
    const created = record.eventName === 'CreateLaunchTemplate';
    if ((!created && record.eventName !== 'CreateLaunchTemplateVersion') || record.errorCode) return;
    const type = first(deepValues(record.response, 'instanceType')) ?? first(deepValues(record.request, 'instanceType'));
    const version = created ? '1' : first(deepValues(record.response, 'versionNumber'));
    if (!type || !version) return;
    const handles = [
      first([...deepValues(record.response, 'launchTemplateId'), ...deepValues(record.request, 'launchTemplateId')]),
      first([...deepValues(record.response, 'launchTemplateName'), ...deepValues(record.request, 'launchTemplateName')]),
    ].filter((h): h is string => h !== undefined);
    // A new template's first version is also its default; a new version becomes the latest, not the default.
    const versions = created ? [version, '$Latest', '$Default'] : [version, '$Latest'];
    for (const handle of handles) for (const v of versions) this.types.set(`${handle}|${v}`, type);
  }

  /** The size RegisterTaskDefinition gave a revision, which also becomes its family's latest. */
  private rememberTaskDefinition(record: CloudTrailRecord, request: LaunchRequest): void {
    const arn = stringAt(record.response, 'taskDefinition.taskDefinitionArn');
    const named = arn ? parseTaskDefinition(arn) : undefined;
    const family = parseTaskDefinition(stringAt(record.response, 'taskDefinition.family') ?? stringAt(record.request, 'family') ?? '');
    const revision = named?.revision ?? stringAt(record.response, 'taskDefinition.revision');
    const name = named ?? (family && revision !== undefined ? parseTaskDefinition(`${family.family}:${revision}`) : family);
    if (!name || request.taskVcpus === undefined) return;
    const size = { vcpus: request.taskVcpus, gpus: request.taskGpus ?? 0 };
    this.taskSizes.set(name.family, size);
    if (name.revision !== undefined) this.taskSizes.set(taskDefinitionKey(name), size);
  }

  public ofTaskDefinition(taskDefinition: string): TaskSizeAnswer {
    const name = parseTaskDefinition(taskDefinition);
    if (!name) return { unknown: 'not a task definition name ECS accepts' };
    const size = this.taskSizes.get(taskDefinitionKey(name));
    return size ? { size } : { unknown: 'not registered in the replayed logs, and not looked up without an AWS call' };
  }

  public ofTemplate(ref: LaunchTemplateRef): TypeAnswer {
    const version = ref.version ?? '$Default';
    const type = (ref.id && this.types.get(`${ref.id}|${version}`)) || (ref.name && this.types.get(`${ref.name}|${version}`));
    return type ? { type } : { unknown: 'not created in the replayed logs, and not looked up without an AWS call' };
  }

  public ofInstance(instanceId: string): TypeAnswer {
    return OFFLINE_NAMED_TYPES.ofInstance(instanceId);
  }

  public ofGroup(groupName: string): GroupAnswer {
    const types = this.groupTypes.get(groupName);
    return types ? { types } : { unknown: 'not created with a known type in the replayed logs, and not looked up without an AWS call' };
  }
}
