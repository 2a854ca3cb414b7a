/** Judges the GuardDuty detector: enabled, with the features and the publishing frequency the guard deployed it with. */
import { Check, fail, pass } from './check';

/** A detector feature as GuardDuty GetDetector returns it (and as the stack's template names it). */
export interface DetectorFeature {
  readonly Name?: string;
  readonly Status?: string;
}

/** What GuardDuty GetDetector returns that the doctor reads. */
export interface DetectorState {
  readonly Status?: string;
  readonly FindingPublishingFrequency?: string;
  readonly Features?: readonly DetectorFeature[];
}

/** What the guard deployed the detector with. */
export interface ExpectedDetector {
  readonly findingPublishingFrequency: string;
  /** The features the template turns on. */
  readonly enabledFeatures: readonly string[];
}

/** The guard's detector defaults: what `guardDutyDetector` turns on when nothing is set. */
export const DEFAULT_DETECTOR: ExpectedDetector = {
  findingPublishingFrequency: 'FIFTEEN_MINUTES',
  enabledFeatures: ['RUNTIME_MONITORING', 'EBS_MALWARE_PROTECTION', 'S3_DATA_EVENTS', 'LAMBDA_NETWORK_LOGS'],
};

/** The detector's checks: enabled, its publishing frequency, and each feature the guard turns on. */
export function judgeDetector(detectorId: string, state: DetectorState, expected: ExpectedDetector = DEFAULT_DETECTOR): Check[] {
  const name = `GuardDuty detector ${detectorId}`;
  const checks: Check[] = [];
  checks.push(state.Status === 'ENABLED'
    ? pass(name, 'enabled')
    : fail(name, `status ${String(state.Status)}: GuardDuty finds nothing`, `aws guardduty update-detector --detector-id ${detectorId} --enable`));
  checks.push(state.FindingPublishingFrequency === expected.findingPublishingFrequency
    ? pass(`${name} publishing frequency`, state.FindingPublishingFrequency)
    : fail(`${name} publishing frequency`, `${String(state.FindingPublishingFrequency)}, deployed as ${expected.findingPublishingFrequency}: findings arrive later`,
      `aws guardduty update-detector --detector-id ${detectorId} --finding-publishing-frequency ${expected.findingPublishingFrequency}`));
  const features = Array.isArray(state.Features) ? state.Features : [];
  for (const feature of expected.enabledFeatures) {
    const found = features.find((f) => f?.Name === feature);
    checks.push(found?.Status === 'ENABLED'
      ? pass(`${name} feature ${feature}`, 'enabled')
      : fail(`${name} feature ${feature}`, found ? `status ${String(found.Status)}` : 'not on the detector',
        `aws guardduty update-detector --detector-id ${detectorId} --features Name=${feature},Status=ENABLED (or deploy the guard again)`));
  }
  return checks;
}
