/** The bucket settings of audit evidence (trail log files, configuration history): private, kept, aged, expired. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * A bucket that blocks public access, refuses plain HTTP, keeps versions, moves objects to Glacier Instant Retrieval
 * after 90 days (when kept longer), expires them after `retention`, outlives the stack, and sends its object events
 * to EventBridge natively (the L2's `eventBridgeEnabled` would add a custom-resource Lambda).
 */
export function evidenceBucket(scope: Construct, id: string, retention: Duration, props: Partial<s3.BucketProps> = {}): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{
      transitions: retention.toDays() > 90
        ? [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }]
        : [],
      expiration: retention,
      noncurrentVersionExpiration: Duration.days(30),
    }],
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  return bucket;
}
