import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AuditTrail } from '../../lib';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

describe('AuditTrail', () => {
  test('by default: multi-region, global events, validated, KMS-encrypted, to S3 and CloudWatch Logs', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const trail = new AuditTrail(s, 'AuditTrail');
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsOrganizationTrail: false,
      IsLogging: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditTrailKey'), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditTrailLogs'), 'Arn'] },
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
    });
    // The key outlives the stack with the log files it decrypts.
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111122223333:trail/*']] } },
          },
        })]),
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    expect(trail.logGroup).toBeDefined();
  });

  test('the log bucket is private, TLS-only, versioned, access-logged, ages to Glacier and expires after a year, and outlives the stack', () => {
    const s = stack();
    new AuditTrail(s, 'AuditTrail');
    const t = Template.fromStack(s);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('AccessLogs') }, LogFilePrefix: 'trail-bucket/' },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({
            ExpirationInDays: 365,
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          })],
        },
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('AuditTrailBucket') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('retention, name and organization scope are props', () => {
    const s = stack();
    new AuditTrail(s, 'AuditTrail', {
      trailName: 'guard',
      organizationTrail: true,
      logFileRetention: Duration.days(60),
      cloudWatchLogsRetention: logs.RetentionDays.ONE_MONTH,
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'guard', IsOrganizationTrail: true });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    // Shorter than the Glacier transition: no transition at all.
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 60, Transitions: Match.absent() })] },
      LoggingConfiguration: Match.anyValue(),
    });
  });

  test('adopting an existing trail creates nothing and uses its log group', () => {
    // GIVEN
    const s = stack();
    const logGroup = logs.LogGroup.fromLogGroupName(s, 'Logs', 'aws-controltower/CloudTrailLogs');
    // WHEN
    const trail = new AuditTrail(s, 'AuditTrail', { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org', existingLogGroup: logGroup });
    // THEN
    expect(s.node.findAll().filter((c) => c instanceof CfnResource)).toEqual([]);
    expect(trail.trailArn).toBe('arn:aws:cloudtrail:eu-west-1:111122223333:trail/org');
    expect(trail.logGroup).toBe(logGroup);
    expect(trail.bucket).toBeUndefined();
  });

  test('adopting a trail without its log group warns that only deployed regions are judged in real time', () => {
    const s = stack();
    new AuditTrail(s, 'AuditTrail', { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org' });
    Annotations.fromStack(s).hasWarning('/Test/AuditTrail', Match.stringLikeRegexp('only regions where MiningGuard is deployed'));
  });

  describe('refuses', () => {
    test('adopt and create given together', () => {
      const s = stack();
      expect(() => new AuditTrail(s, 'AuditTrail', { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org', trailName: 'x', organizationTrail: true }))
        .toThrow(/`trailName`, `organizationTrail` configure a new trail, but `existingTrailArn` adopts one/);
    });

    test('a log group without the trail it belongs to', () => {
      const s = stack();
      expect(() => new AuditTrail(s, 'AuditTrail', { existingLogGroup: logs.LogGroup.fromLogGroupName(s, 'L', 'x') }))
        .toThrow(/`existingLogGroup` belongs to an adopted trail. Add `existingTrailArn`/);
    });
  });
});
