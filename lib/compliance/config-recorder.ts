/** ConfigRecorder: an AWS Config recorder of only the resource types MiningGuard's rules judge, delivering to a locked-down bucket. */
import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { evidenceBucket } from '../common/evidence-bucket';

/**
 * Whether ComplianceRules creates the region's configuration recorder, adopts the one that exists, or runs without
 * one. A region has at most one recorder and one delivery channel: creating a second fails the deployment.
 */
export enum RecorderMode {
  /**
   * Create a recorder and delivery channel that record only what the rules need. Fails in a region that already
   * has a recorder (Control Tower, Security Hub set-ups, an earlier `aws configservice subscribe`).
   */
  CREATE = 'CREATE',
  /**
   * Use the region's existing recorder; nothing of it is changed or deleted. It must record
   * `AWS::EC2::Instance` and `AWS::EC2::SecurityGroup` (Control Tower's records every type), or the
   * change-triggered rules never run. Find it with `aws configservice describe-configuration-recorder-status`.
   */
  ADOPT = 'ADOPT',
  /**
   * No recorder and no Config rules (Config refuses rules without a recorder): only the CIS metric filters,
   * which read the trail, are deployed.
   */
  OFF = 'OFF',
}

/** Properties of a `ConfigRecorder`. */
export interface ConfigRecorderProps {
  /** The resource types to record: each recorded change is a billed configuration item. */
  readonly resourceTypes: string[];

  /**
   * How long configuration snapshots and history files are kept in S3. They move to Glacier Instant Retrieval
   * after 90 days.
   * @default Duration.days(365)
   */
  readonly retention?: Duration;
}

/**
 * A configuration recorder that records only the given resource types, continuously, and a delivery channel to
 * its own S3 bucket (private, TLS-only, versioned, expiring), written through a role with `AWS_ConfigRole`.
 * CloudFormation starts the recorder once the delivery channel exists.
 * @see https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
 */
export class ConfigRecorder extends Construct {
  public readonly recorder: config.CfnConfigurationRecorder;
  public readonly deliveryChannel: config.CfnDeliveryChannel;
  /** The bucket Config delivers snapshots and history to; kept when the stack is deleted. */
  public readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(365);

    // Configuration history is audit evidence: it outlives the stack, like the trail's log files.
    const bucket = evidenceBucket(this, 'Bucket', retention);
    Validations.of(bucket).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-S1', reason: 'Only the Config recorder role writes here and the policy refuses plain HTTP; access logs would need a bucket of their own and would mostly log Config\'s deliveries.' },
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: 'Only the Config recorder role writes here and the policy refuses plain HTTP; access logs would need a bucket of their own and would mostly log Config\'s deliveries.' },
      { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: 'Configuration items describe resources, not their data; SSE-S3 avoids a key that every delivery and every reader would need a grant on.' },
      { id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: 'Object Lock cannot be turned off again and would keep the lifecycle from expiring old configuration history.' },
      { id: 'cdk-validator-cfnguard::s3_bucket_replication_enabled_check', reason: 'Configuration history can be rebuilt from the recorder; a replica bucket would double the cost for no new evidence.' },
    );

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
      description: 'MiningGuard Config recorder: reads resource configurations, writes them to its bucket',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
      reason: 'AWS_ConfigRole is the policy AWS maintains for recorders: it follows every new resource type, which a hand-written copy would not.',
    });
    // Granted by the bucket, not the role: the object prefix is the only narrowing S3 allows for Config's file names.
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowConfigRecorderDelivery',
      principals: [role],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${Stack.of(this).account}/Config/*`)],
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowConfigRecorderBucketCheck',
      principals: [role],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [bucket.bucketArn],
    }));

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: role.roleArn,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: props.resourceTypes,
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });

    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: bucket.bucketName,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // The region's one recorder keeps recording when the stack is deleted, like the other evidence, and the next
    // deployment finds it and adopts it; its role and delivery channel stay with it, or it could not record.
    for (const part of [this.recorder, this.deliveryChannel, role.node.defaultChild as CfnResource]) part.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // Config refuses a delivery channel before a recorder exists, and checks that it may write to the bucket.
    this.deliveryChannel.node.addDependency(this.recorder);
    this.deliveryChannel.node.addDependency(role, bucket.policy!);
    this.bucket = bucket;
  }
}
