/** The GuardDuty pieces every region shares: the detector as the guard creates it, and the pattern of the findings it routes. */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import type { DetectorOptions } from './threat-detection';
import { GUARDDUTY_SEVERITY_RANGE, guardDutyFindingTypePatterns, toEventFilter } from '../catalog';

/** The options that configure a created detector, which an adopted one cannot take. */
export const DETECTOR_OPTIONS: readonly (keyof DetectorOptions)[] = [
  'findingPublishingFrequency', 'runtimeMonitoring', 'malwareProtection', 's3Protection', 'lambdaProtection', 'aiProtection',
];

/** The minimum severity, checked against GuardDuty's scale; undefined when not given: no finding outside the catalog is routed. */
export function validMinimumSeverity(given: number | undefined): number | undefined {
  if (given === undefined) return undefined;
  if (!(given >= GUARDDUTY_SEVERITY_RANGE.min && given <= GUARDDUTY_SEVERITY_RANGE.max)) {
    throw new Error(`ThreatDetection: minimumSeverity must be between ${GUARDDUTY_SEVERITY_RANGE.min} and ${GUARDDUTY_SEVERITY_RANGE.max} (GuardDuty's scale), got ${given}. Write e.g. 4 for Medium and above, 7 for High and above.`);
  }
  return given;
}

/** A GuardDuty protection plan as the guard sets it: on or off, with its additional configuration. */
export interface DetectorFeature {
  readonly name: string;
  readonly enabled: boolean;
  readonly additional?: readonly string[];
}

/**
 * The protection plans that see miners, each on unless the options turn it off. AI Protection is left out unless
 * set: CreateDetector turns on every feature it is not told about where the region offers it, while naming a
 * feature a region lacks fails the deployment there.
 */
export function detectorFeatures(options: DetectorOptions): DetectorFeature[] {
  const feature = (name: string, enabled: boolean | undefined, additional?: string[]): DetectorFeature =>
    ({ name, enabled: enabled ?? true, additional });
  return [
    feature('RUNTIME_MONITORING', options.runtimeMonitoring, ['EC2_AGENT_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EKS_ADDON_MANAGEMENT']),
    feature('EBS_MALWARE_PROTECTION', options.malwareProtection),
    feature('S3_DATA_EVENTS', options.s3Protection),
    feature('LAMBDA_NETWORK_LOGS', options.lambdaProtection),
    ...(options.aiProtection === undefined ? [] : [feature('AI_PROTECTION', options.aiProtection)]),
  ];
}

/**
 * A detector with the protection plans that see miners, configured through `features` only: CloudFormation rejects
 * a detector that sets both `dataSources` and `features`.
 *
 * The detector is kept when the stack is deleted or stops creating it (`existingDetectorId`,
 * `existingDetectorRegions`), like the guard's keys and buckets: deleting it would turn GuardDuty off in the region
 * and discard its findings. Delete it in GuardDuty when it is no longer wanted.
 */
export function guardDutyDetector(scope: Construct, id: string, options: DetectorOptions): guardduty.CfnDetector {
  const status = (enabled: boolean) => (enabled ? 'ENABLED' : 'DISABLED');
  const detector = new guardduty.CfnDetector(scope, id, {
    enable: true,
    findingPublishingFrequency: options.findingPublishingFrequency ?? 'FIFTEEN_MINUTES',
    features: detectorFeatures(options).map((f) => ({
      name: f.name,
      status: status(f.enabled),
      additionalConfiguration: f.additional?.map((name) => ({ name, status: status(f.enabled) })),
    })),
  });
  // Kept on delete, and on a replacement, so that no change to the guard turns GuardDuty off in the region.
  detector.applyRemovalPolicy(RemovalPolicy.RETAIN);
  if (options.aiProtection !== undefined) {
    // CloudFormation passes feature names on to CreateDetector; cfn-lint's list of them predates AI_PROTECTION.
    detector.addMetadata('cfn-lint', { config: { ignore_checks: ['E3030'] } });
  }
  if (options.s3Protection ?? true) {
    Validations.of(detector).acknowledge({
      id: 'cdk-validator-cfnguard::guardduty_s3_protection_enabled_check',
      reason: 'S3 Protection is on, through the S3_DATA_EVENTS feature; the rule reads only the legacy DataSources, which cannot be set beside Features.',
    });
  }
  return detector;
}

/**
 * The findings routed to people, from any region: every finding of a catalog type, whatever GuardDuty rated it (the
 * notifier alerts at the catalog's severity or GuardDuty's, whichever is higher), and, when `minimumSeverity` is
 * given, any other finding at or above it.
 */
export function findingEventPattern(minimumSeverity?: number): events.EventPattern {
  const catalog = { type: guardDutyFindingTypePatterns().map(toEventFilter) };
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: minimumSeverity === undefined ? catalog : { $or: [catalog, { severity: [{ numeric: ['>=', minimumSeverity] }] }] },
  };
}
