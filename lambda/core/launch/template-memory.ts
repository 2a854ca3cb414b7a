/**
 * The launch templates created in the records replayed so far, so that a later launch from one of them is judged by
 * the instance type it sets, without an AWS call. CloudTrail delivers a file's records in time order; a template
 * created after the launch that uses it, or before the replayed period, stays unknown, and the output says so.
 */
import type { CloudTrailRecord } from '../cloudtrail-record';
import { deepValues } from '../event-fields';
import type { LaunchTemplateRef } from './launch-request';
import { NamedTypes, OFFLINE_NAMED_TYPES, TypeAnswer } from './named-types';

function first(values: unknown[]): string | undefined {
  const found = values.find((v) => (typeof v === 'string' && v.length > 0) || typeof v === 'number');
  return found === undefined ? undefined : String(found);
}

export class TemplateMemory implements NamedTypes {
  private readonly types = new Map<string, string>();

  /** Learns the type of a template version a successful CreateLaunchTemplate or CreateLaunchTemplateVersion made. */
  public remember(record: CloudTrailRecord): void {
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

  public ofTemplate(ref: LaunchTemplateRef): TypeAnswer {
    const version = ref.version ?? '$Default';
    const type = (ref.id && this.types.get(`${ref.id}|${version}`)) || (ref.name && this.types.get(`${ref.name}|${version}`));
    return type ? { type } : { unknown: 'not created in the replayed logs, and not looked up without an AWS call' };
  }

  public ofInstance(instanceId: string): TypeAnswer {
    return OFFLINE_NAMED_TYPES.ofInstance(instanceId);
  }
}
