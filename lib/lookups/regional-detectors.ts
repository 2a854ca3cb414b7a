/** The regions of the regional part whose GuardDuty detector exists already, as the lookups found them. */
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { lookUpSingleton, looksUp, reportLookup } from './account-singletons';
import type { RegionalPlan } from '../regions/regional-settings';

/**
 * The plan with `existingDetectorRegions` answered by a lookup in each region, when nobody listed them: a region with
 * a detector adopts it (its StackSet instance gets `CreateDetector=false`), one without gets a detector created. With
 * detector options set, the props win: detectors are created everywhere, and the synth warns where one exists.
 */
export function withLookedUpDetectors(scope: Construct, plan: RegionalPlan, options: {
  /** Whether `everyRegion.existingDetectorRegions` was given: then it is the answer. */
  readonly listed: boolean;
  /** The detector options set, which ask for new detectors. */
  readonly detectorOptions: readonly string[];
}): RegionalPlan {
  if (options.listed || !looksUp(scope) || plan.regions.length === 0) return plan;
  const answers = plan.regions.map((region) => ({ region, answer: lookUpSingleton(scope, 'detector', { region }) }));
  if (answers.some((a) => a.answer.state === 'pending')) return plan;
  const found = answers.filter((a) => a.answer.state === 'found').map((a) => a.region);
  const created = plan.regions.filter((r) => !found.includes(r));
  if (found.length > 0 && options.detectorOptions.length > 0) {
    Annotations.of(scope).addWarningV2('mining-guard:regional-detectors-exist',
      `GuardDuty detectors exist in ${found.join(', ')}, but ${options.detectorOptions.map((p) => `\`${p}\``).join(', ')} configure new ones, and creating a second detector fails the deployment there. List those regions in everyRegion.existingDetectorRegions, or remove the detector options.`);
    return plan;
  }
  reportLookup(scope, [
    found.length > 0 ? `found GuardDuty detectors in ${found.join(', ')}: adopted there (never changed or deleted).` : '',
    created.length > 0 ? `No detector in ${created.join(', ')}: one is created in each, and kept when the stack is deleted.` : '',
  ].filter(Boolean).join(' '));
  return { ...plan, existingDetectorRegions: found };
}
