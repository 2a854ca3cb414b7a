import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { evidenceBucket } from '../../lib/common/evidence-bucket';

/** The template of a stack holding one evidence bucket. */
function bucketTemplate(retention: Duration, props: Parameters<typeof evidenceBucket>[3] = {}): Template {
  const s = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  evidenceBucket(s, 'Evidence', retention, props);
  return Template.fromStack(s);
}

describe('evidenceBucket', () => {
  describe('kept a year', () => {
    const template = bucketTemplate(Duration.days(365));

    test('private, owner-enforced, SSE-S3, versioned, kept when the stack is deleted', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          VersioningConfiguration: { Status: 'Enabled' },
        },
      });
    });

    test('moves objects to Glacier Instant Retrieval after 90 days, expires them at the retention, old versions after 30 days', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [{
            Status: 'Enabled',
            ExpirationInDays: 365,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
          }],
        },
      });
    });

    test('refuses plain HTTP', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: [Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
        },
      });
    });

    test('sends object events to EventBridge natively, without a custom resource', () => {
      template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
      template.resourceCountIs('Custom::S3BucketNotifications', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
    });
  });

  test.each([90, 30])('kept %d days, objects never move to Glacier (its minimum is 90 days)', (days) => {
    bucketTemplate(Duration.days(days)).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: days, Transitions: Match.absent() })] },
    });
  });

  test('kept 91 days, objects move to Glacier after 90', () => {
    bucketTemplate(Duration.days(91)).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: 91, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] })],
      },
    });
  });

  test('props given override the defaults', () => {
    const template = bucketTemplate(Duration.days(30), { bucketName: 'guard-evidence-111122223333', versioned: false });
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'guard-evidence-111122223333', VersioningConfiguration: Match.absent() });
  });
});
