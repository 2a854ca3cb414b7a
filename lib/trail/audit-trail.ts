/** AuditTrail: a multi-region, validated, encrypted CloudTrail trail delivered to S3 and CloudWatch Logs, or an existing one. */
import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { evidenceBucket } from '../common/evidence-bucket';
import { GuardKey } from '../common/guard-key';

/** Properties of an `AuditTrail`. */
export interface AuditTrailProps {
  /**
   * The ARN of an existing trail that already records management events in every region: an organization trail,
   * a Control Tower trail, or your own. No trail, bucket or key is created then; only what is missing is added.
   * @default - a new trail is created
   */
  readonly existingTrailArn?: string;

  /**
   * The CloudWatch Logs group the existing trail delivers to. MiningGuard reads every region's events from it;
   * without it, only the regions where MiningGuard is deployed are watched in real time. Only with `existingTrailArn`.
   * @default - the existing trail is assumed not to deliver to CloudWatch Logs in this account
   */
  readonly existingLogGroup?: logs.ILogGroup;

  /**
   * The name of the trail to create.
   * @default - a name CloudFormation generates
   */
  readonly trailName?: string;

  /**
   * Create an organization trail that records every account of the organization. Deploy it in the management
   * account (or a delegated administrator); member accounts then pass its ARN as `existingTrailArn`.
   * Requires `organizationId`. Without `trailName`, the trail is named after its construct path, because the bucket
   * and key policies must name the trail before it exists.
   * @default false
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
   */
  readonly organizationTrail?: boolean;

  /**
   * The id of the organization an organization trail records, e.g. `o-a1b2c3d4e5`: CloudTrail writes the member
   * accounts' log files under `AWSLogs/<organization id>/` in the bucket, which the bucket policy must allow. The AWS
   * Organizations console shows it, and so does `aws organizations describe-organization --query Organization.Id`.
   * Only with `organizationTrail`.
   * @default - no organization: the trail records this account only
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html#org-trail-bucket-policy
   */
  readonly organizationId?: string;

  /**
   * How long log files are kept in S3. They move to Glacier Instant Retrieval after 90 days.
   * @default Duration.days(365)
   */
  readonly logFileRetention?: Duration;

  /**
   * How long events are kept in CloudWatch Logs, where they are searchable and feed MiningGuard's evaluators.
   * A year is what the CIS benchmark and Control Tower ask for.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly cloudWatchLogsRetention?: logs.RetentionDays;
}

/** The props that only make sense when the trail is created here. */
const CREATE_ONLY_PROPS: readonly (keyof AuditTrailProps)[] = ['trailName', 'organizationTrail', 'organizationId', 'logFileRetention', 'cloudWatchLogsRetention'];

/** An organization id as AWS Organizations writes it. */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** The organization id of an organization trail, checked; undefined for a trail of this account. */
function organizationIdOf(props: AuditTrailProps): string | undefined {
  const id = props.organizationId;
  if (!props.organizationTrail) {
    if (id !== undefined) throw new Error('AuditTrail: `organizationId` names the organization of an organization trail. Add `organizationTrail: true`, or remove `organizationId`.');
    return undefined;
  }
  if (id === undefined) {
    throw new Error('AuditTrail: an organization trail writes every account\'s log files under AWSLogs/<organization id>/, which its bucket policy must allow. '
      + 'Set `organizationId`, e.g. organizationId: \'o-a1b2c3d4e5\': the AWS Organizations console shows it, and so does '
      + '`aws organizations describe-organization --query Organization.Id` run in the management account.');
  }
  if (!Token.isUnresolved(id) && !ORGANIZATION_ID.test(id)) {
    throw new Error(`AuditTrail: \`organizationId\` must be an organization id, "o-" then 10 to 32 lowercase letters or digits, e.g. organizationId: 'o-a1b2c3d4e5'; got ${JSON.stringify(id)}. `
      + '`aws organizations describe-organization --query Organization.Id` prints it.');
  }
  return id;
}

/**
 * The audit trail every other signal relies on: CloudTrail in every region, global service events included,
 * log-file integrity validation, encrypted with a customer-managed key, delivered to a locked-down S3 bucket and
 * to CloudWatch Logs.
 *
 * In an account that already has a trail (Control Tower, an organization trail), adopt it with
 * `existingTrailArn`; nothing of it is changed or deleted.
 */
export class AuditTrail extends Construct {
  /** The ARN of the trail, created or adopted. */
  public readonly trailArn: string;
  /** The trail, when it was created here. */
  public readonly trail?: cloudtrail.Trail;
  /** The log group the trail delivers to, when known. */
  public readonly logGroup?: logs.ILogGroup;
  /** The bucket that holds the log files, when created here. */
  public readonly bucket?: s3.IBucket;
  /** The key the log files and log group are encrypted with, when created here. */
  public readonly key?: kms.IKey;

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);

    if (props.existingTrailArn !== undefined) {
      const given = CREATE_ONLY_PROPS.filter((p) => props[p] !== undefined);
      if (given.length > 0) {
        throw new Error(`AuditTrail: ${given.map((p) => `\`${p}\``).join(', ')} configure a new trail, but \`existingTrailArn\` adopts one. Remove them, or remove \`existingTrailArn\` to create a trail.`);
      }
      this.trailArn = props.existingTrailArn;
      this.logGroup = props.existingLogGroup;
      if (!props.existingLogGroup) {
        Annotations.of(this).addWarningV2('mining-guard:trail-without-log-group',
          'The adopted trail has no CloudWatch Logs group here: only regions where MiningGuard is deployed are judged in real time. Pass `existingLogGroup` if the trail delivers to one in this account.');
      }
      return;
    }
    if (props.existingLogGroup) {
      throw new Error('AuditTrail: `existingLogGroup` belongs to an adopted trail. Add `existingTrailArn`, or remove `existingLogGroup` to create a trail with its own log group.');
    }

    const organizationId = organizationIdOf(props);

    // Server access logs are delivered under a bucket policy, never an ACL, whatever the app's feature flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const stack = Stack.of(this);
    const retention = props.logFileRetention ?? Duration.days(365);
    // An organization trail writes for every account of the organization, so its bucket and key policies admit this
    // trail alone, by its ARN: the trail is named before it exists.
    const trailName = props.trailName ?? (organizationId ? Names.uniqueResourceName(this, { maxLength: 128 }) : undefined);
    const organizationTrailArn = organizationId
      ? stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })
      : undefined;

    const key = new GuardKey(this, 'Key', { description: 'MiningGuard audit trail: log files and log group' });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailToEncryptLogs',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: organizationTrailArn ? { 'aws:SourceArn': organizationTrailArn } : { 'aws:SourceAccount': stack.account },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }));
    key.allowServices('AllowCloudTrailToDescribeKey', ['cloudtrail.amazonaws.com'], ['kms:DescribeKey']);
    key.allowLogs();

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge(
      { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: 'This bucket receives the trail bucket\'s access logs; logging it too would only log the logging.' },
      { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS.' },
      { id: 'AwsSolutions::AwsSolutions-S1', reason: 'This bucket receives the trail bucket\'s access logs; logging it too would only log the logging.' },
    );

    // Audit evidence outlives the guard: the bucket stays when the stack is deleted.
    const bucket = evidenceBucket(this, 'Bucket', retention, { serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'trail-bucket/' });
    Validations.of(bucket).acknowledge({
      id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
      reason: 'CloudTrail encrypts every log file with the trail\'s KMS key itself; the bucket default stays SSE-S3 for the digest files, which CloudTrail always writes with SSE-S3.',
    });
    // The access-log bucket's events go to EventBridge natively too, like the evidence bucket's.
    (accessLogs.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    for (const b of [bucket, accessLogs]) {
      Validations.of(b).acknowledge({
        id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        reason: 'Log-file integrity is proven by CloudTrail digest files (log-file validation is on); Object Lock cannot be turned off again and would keep the lifecycle from expiring logs.',
      });
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: key,
      retention: props.cloudWatchLogsRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    allowTrailDelivery(bucket, organizationId, organizationTrailArn);

    const trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      // A reference, not the bucket: the L2 would add its own delivery statements to the bucket's policy, which name
      // neither the organization nor the trail. allowTrailDelivery wrote them.
      bucket: s3.Bucket.fromBucketAttributes(this, 'BucketReference', { bucketArn: bucket.bucketArn, bucketName: bucket.bucketName }),
      encryptionKey: key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      isOrganizationTrail: props.organizationTrail ?? false,
      orgId: organizationId,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
    });
    // CloudTrail checks that it may use the key and write to the bucket when the trail is created.
    trail.node.addDependency(key);
    if (bucket.policy) trail.node.defaultChild!.node.addDependency(bucket.policy);

    this.trail = trail;
    this.trailArn = trail.trailArn;
    this.logGroup = logGroup;
    this.bucket = bucket;
    this.key = key;
  }
}

/**
 * Lets CloudTrail read the bucket's ACL and write log files under `AWSLogs/<account>/`, and, for an organization
 * trail, under `AWSLogs/<organization id>/` too, where it writes the member accounts' files; an organization trail's
 * statements hold only for the trail itself (`aws:SourceArn`).
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
function allowTrailDelivery(bucket: s3.Bucket, organizationId?: string, trailArn?: string): void {
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  const ofTrail = trailArn ? { 'aws:SourceArn': trailArn } : {};
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [cloudTrail],
    actions: ['s3:GetBucketAcl'],
    resources: [bucket.bucketArn],
    conditions: trailArn ? { StringEquals: ofTrail } : undefined,
  }));
  const prefixes = [Stack.of(bucket).account, ...(organizationId ? [organizationId] : [])];
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [cloudTrail],
    actions: ['s3:PutObject'],
    resources: prefixes.map((p) => bucket.arnForObjects(`AWSLogs/${p}/*`)),
    conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...ofTrail } },
  }));
}
