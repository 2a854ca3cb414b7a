/** ThreatDetection: a GuardDuty detector (created or adopted) and the rule that routes the catalog's findings to people. */
import { Annotations, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { DETECTOR_OPTIONS, findingEventPattern, guardDutyDetector, validMinimumSeverity } from './detector';
import type { IAlertChannel } from '../alerts/alert-channel';
import { lookUpSingleton, looksUp, reportLookup } from '../lookups/account-singletons';

/** How often GuardDuty sends updates of findings it already reported. New findings are always sent within ~5 minutes. */
export enum FindingPublishingFrequency {
  /** Every 15 minutes: the fastest, what a guard against mining wants. */
  FIFTEEN_MINUTES = 'FIFTEEN_MINUTES',
  /** Every hour. */
  ONE_HOUR = 'ONE_HOUR',
  /** Every six hours: GuardDuty's own default. */
  SIX_HOURS = 'SIX_HOURS',
}

/** How a created GuardDuty detector is set up: the protection plans that see miners, and how often updates are sent. */
export interface DetectorOptions {
  /**
   * How often updates of existing findings are published. Only for a created detector.
   * @default FindingPublishingFrequency.FIFTEEN_MINUTES
   */
  readonly findingPublishingFrequency?: FindingPublishingFrequency;

  /**
   * Runtime Monitoring for EC2, ECS (Fargate included) and EKS, with GuardDuty managing its agent: it sees the
   * miner process itself (`Impact:Runtime/CryptoMinerExecuted`). Only for a created detector. Billed per vCPU.
   * @default true
   */
  readonly runtimeMonitoring?: boolean;

  /**
   * Malware Protection for EC2: scans the EBS volumes of instances GuardDuty suspects. Only for a created detector.
   * @default true
   */
  readonly malwareProtection?: boolean;

  /**
   * S3 Protection: analyses S3 data events for exfiltration and tampering. Only for a created detector.
   * @default true
   */
  readonly s3Protection?: boolean;

  /**
   * Lambda Protection: watches functions' network activity, which is how `CryptoCurrency:Lambda/*` is found.
   * Only for a created detector.
   * @default true
   */
  readonly lambdaProtection?: boolean;

  /**
   * AI Protection: watches Bedrock and SageMaker AI model invocations, which is how GuardDuty finds stolen keys buying
   * model tokens (`Impact:IAMUser/CostHarvesting`, `Impact:IAMUser/AnomalousModelInvocation`). Only for a created
   * detector. Billed by the model events analyzed: nothing in an account that invokes no models. Set it to name the
   * feature explicitly; a region that does not offer AI Protection then fails the deployment.
   * @default - GuardDuty's own default: on for a new detector in every region that offers it
   * @see https://docs.aws.amazon.com/guardduty/latest/ug/findings-ai-protection.html
   */
  readonly aiProtection?: boolean;
}

/** What a `ThreatDetection` can be told apart from where its alerts go. */
export interface ThreatDetectionOptions extends DetectorOptions {
  /**
   * The id of the GuardDuty detector that already exists in this account and region. An account has at most one
   * detector per region, and creating a second fails the deployment: adopt it here when GuardDuty is already on
   * (by you, by Control Tower, or by a delegated administrator). The adopted detector is neither changed nor
   * deleted; its findings are routed all the same.
   * Find it with `aws guardduty list-detectors`.
   * @default - looked up when the stack has a concrete account and region (and `mining-guard:lookup` is not false):
   * the region's detector is adopted if it has one, unless a detector option is set; otherwise a detector is created
   */
  readonly existingDetectorId?: string;

  /**
   * The lowest GuardDuty severity, from 1 to 8.9, at which findings outside the catalog are routed to people too.
   * Findings of the catalog's types (crypto-mining, stolen credentials, cost abuse, a blinded defender) are always
   * routed, whatever GuardDuty rated them, and alert at the catalog's severity or GuardDuty's, whichever is higher:
   * this never silences them. Give e.g. 7 to hear about every other High finding as well.
   * @default - only the catalog's finding types are routed
   * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
   */
  readonly minimumSeverity?: number;
}

/** Properties of a `ThreatDetection`. */
export interface ThreatDetectionProps extends ThreatDetectionOptions {
  /** Where findings alert: the channel's notifier turns them into alerts. */
  readonly alerts: IAlertChannel;
}

/**
 * GuardDuty, the signal that names mining for what it is: a detector with the protection plans that see miners
 * (Runtime Monitoring, Malware Protection, S3 and Lambda Protection) configured through `features`, and an
 * EventBridge rule that routes the catalog's finding types at or above a minimum severity to the notifier.
 */
export class ThreatDetection extends Construct {
  /** The detector id, created or adopted. */
  public readonly detectorId: string;
  /** The detector, when it was created here. */
  public readonly detector?: guardduty.CfnDetector;
  /** The rule that routes findings to the notifier. */
  public readonly findingRule: events.Rule;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps) {
    super(scope, id);

    const minimumSeverity = validMinimumSeverity(props.minimumSeverity);
    const given = DETECTOR_OPTIONS.filter((p) => props[p] !== undefined);
    const existingDetectorId = props.existingDetectorId ?? this.lookUpDetector(given);
    if (existingDetectorId !== undefined) {
      if (given.length > 0) {
        throw new Error(`ThreatDetection: ${given.map((p) => `\`${p}\``).join(', ')} configure a new detector, but \`existingDetectorId\` adopts one. Change the adopted detector's settings in GuardDuty, or remove \`existingDetectorId\` to create a detector.`);
      }
      this.detectorId = existingDetectorId;
    } else {
      this.detector = guardDutyDetector(this, 'Detector', props);
      this.detectorId = this.detector.ref;
    }

    this.findingRule = new events.Rule(this, 'FindingRule', {
      description: minimumSeverity === undefined
        ? 'MiningGuard: GuardDuty findings of crypto-mining, stolen credentials, cost abuse and a blinded defender, to the notifier'
        : `MiningGuard: GuardDuty findings of crypto-mining, stolen credentials, cost abuse and a blinded defender, and any other at or above ${minimumSeverity}, to the notifier`,
      eventPattern: findingEventPattern(minimumSeverity),
      targets: [props.alerts.notifier.ruleTarget()],
    });
  }

  /**
   * The region's detector, when the lookup found one and no detector option asks for a new one: adopted. With
   * detector options, the props win and a detector is created, which fails where one exists: the synth warns.
   */
  private lookUpDetector(given: readonly string[]): string | undefined {
    if (!looksUp(this)) return undefined;
    const answer = lookUpSingleton(this, 'detector');
    const region = Stack.of(this).region;
    if (answer.state === 'absent') reportLookup(this, `${region} has no GuardDuty detector: one is created, and kept when the stack is deleted.`);
    if (answer.state !== 'found') return undefined;
    if (given.length > 0) {
      Annotations.of(this).addWarningV2('mining-guard:detector-exists',
        `${region} already has GuardDuty detector ${answer.id}, but ${given.map((p) => `\`${p}\``).join(', ')} configure a new one, and creating a second detector fails the deployment. Adopt it with \`existingDetectorId: '${answer.id}'\` and set its features in GuardDuty, or remove those options.`);
      return undefined;
    }
    reportLookup(this, `found GuardDuty detector ${answer.id} in ${region}: it is adopted (its findings routed, the detector never changed or deleted).`);
    return answer.id;
  }
}
