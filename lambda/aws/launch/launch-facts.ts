/**
 * What the launch evaluator learns from AWS before it judges a call: the types the call names indirectly, their specs
 * and prices, and the size of the ECS tasks it runs.
 */
import { resolveSpecs } from './instance-specs';
import { lookUpNamedTypes } from './named-types-lookup';
import { lookUpTaskSize } from './task-definition-lookup';
import { classifyCloudTrailEvent } from '../../../lib/catalog';
import type { CloudTrailRecord } from '../../core/events/cloudtrail-record';
import { bundledSpec } from '../../core/launch/bundled-specs';
import type { SpecLookup } from '../../core/launch/evaluate-launch';
import { isLaunchDetection } from '../../core/launch/judge-launch';
import { describeLaunch } from '../../core/launch/launch-request';
import { NamedTypes, namesToLookUp, OFFLINE_NAMED_TYPES } from '../../core/launch/named-types';
import { taskDefinitionLabel } from '../../core/launch/task-size';

export interface LaunchFacts {
  readonly specs: SpecLookup;
  readonly named: NamedTypes;
}

/** Asks only about calls the evaluator judges, in the call's own region; a failed call falls back, and `onFailure` hears why. */
export async function learnLaunchFacts(record: CloudTrailRecord, onFailure: (reason: string) => void): Promise<LaunchFacts> {
  const detection = classifyCloudTrailEvent(record.eventSource, record.eventName);
  if (!detection || !isLaunchDetection(detection)) return { specs: bundledSpec, named: OFFLINE_NAMED_TYPES };
  const request = describeLaunch(record);
  const names = namesToLookUp(record.eventName, request);
  const { named, types } = names.templates.length + names.instanceIds.length + names.groups.length > 0
    ? await lookUpNamedTypes(record.region, names)
    : { named: OFFLINE_NAMED_TYPES, types: [] };
  const allTypes = [...request.instanceTypes.map((t) => t.type), ...types];
  const specs = allTypes.length > 0 ? await resolveSpecs(record.region, allTypes, onFailure) : bundledSpec;
  const ran = request.taskDefinition;
  if (ran === undefined) return { specs, named };
  const taskSize = await lookUpTaskSize(record.region, ran);
  if ('unknown' in taskSize) onFailure(`task definition ${taskDefinitionLabel(ran)} in ${record.region}: ${taskSize.unknown}`);
  return { specs, named: { ...named, ofTaskDefinition: (ref) => (ref === ran ? taskSize : OFFLINE_NAMED_TYPES.ofTaskDefinition(ref)) } };
}
