/**
 * A busy account that already has GuardDuty, a trail delivering to CloudWatch Logs, an alert topic and a Config
 * recorder: MiningGuard adopts all four, changes none of them, and deletes none of them with its stack.
 */
import { ArnFormat, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MiningGuard, RecorderMode } from '../../lib';

/** What the account already has. */
export interface ExistingAccountStackProps extends StackProps {
  /** The GuardDuty detector of this region: `aws guardduty list-detectors`. */
  readonly detectorId: string;
  /** The account's trail that records every region, delivering to a log group of this account. */
  readonly trailName: string;
  /** The CloudWatch Logs group that trail delivers to in this account. */
  readonly trailLogGroupName: string;
  /** The topic the security team already reads. */
  readonly topicName: string;
  /**
   * The id of the customer-managed key that topic is encrypted with, so the guard's functions may publish to it;
   * leave it out for an unencrypted topic (the synth then warns that it takes the topic to be unencrypted).
   */
  readonly topicKeyId?: string;
}

export class ExistingAccountStack extends Stack {
  constructor(scope: Construct, id: string, props: ExistingAccountStackProps) {
    super(scope, id, { description: 'MiningGuard adopting an existing GuardDuty detector, trail, alert topic and Config recorder', ...props });

    new MiningGuard(this, 'MiningGuard', {
      alertTopic: sns.Topic.fromTopicArn(this, 'SecurityAlerts', this.formatArn({
        service: 'sns',
        resource: props.topicName,
        arnFormat: ArnFormat.NO_RESOURCE_NAME,
      })),
      alertTopicKey: props.topicKeyId ? kms.Key.fromKeyArn(this, 'SecurityAlertsKey', this.formatArn({
        service: 'kms',
        resource: 'key',
        resourceName: props.topicKeyId,
      })) : undefined,
      auditTrail: {
        existingTrailArn: this.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: props.trailName }),
        existingLogGroup: logs.LogGroup.fromLogGroupName(this, 'TrailLogs', props.trailLogGroupName),
      },
      threatDetection: {
        existingDetectorId: props.detectorId,
        // Crypto-mining and credential findings always alert; any other finding of Medium or above does too.
        minimumSeverity: 4,
      },
      // Control Tower's recorder already records every resource type in this region: use it, change nothing.
      compliance: {
        recorder: RecorderMode.ADOPT,
        cisMetricFilters: true,
      },
    });
  }
}
