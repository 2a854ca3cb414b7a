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
      organizationId: 'o-a1b2c3d4e5',
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

  describe('an organization trail', () => {
    const ORG = 'o-a1b2c3d4e5';
    /** The statements of `policy` whose principal is CloudTrail. */
    function cloudTrailStatements(policy: { Statement: Array<Record<string, unknown>> }): Array<Record<string, unknown>> {
      return policy.Statement.filter((st) => JSON.stringify(st.Principal) === '{"Service":"cloudtrail.amazonaws.com"}');
    }
    function policyOf(t: Template, type: string, field: string): { Statement: Array<Record<string, unknown>> } {
      const [resource] = Object.values(t.findResources(type));
      return (resource.Properties as Record<string, { Statement: Array<Record<string, unknown>> }>)[field];
    }
    function trailArn(name: string): unknown {
      return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:eu-west-1:111122223333:trail/${name}`]] };
    }
    /** The policy of the bucket the log files go to, not of the one its access logs go to. */
    function bucketPolicyOf(t: Template): { Statement: Array<Record<string, unknown>> } {
      const policies = Object.values(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: Match.stringLikeRegexp('^AuditTrailBucket') } } }));
      expect(policies).toHaveLength(1);
      return (policies[0].Properties as { PolicyDocument: { Statement: Array<Record<string, unknown>> } }).PolicyDocument;
    }
    const bucketArn = { 'Fn::GetAtt': [expect.stringMatching(/^AuditTrailBucket[0-9A-F]{8}$/), 'Arn'] };
    function objects(prefix: string): unknown {
      return { 'Fn::Join': ['', [bucketArn, `/${prefix}`]] };
    }

    test('lets CloudTrail write the accounts\' log files under AWSLogs/<organization id>/ and this account\'s, only for this trail', () => {
      // GIVEN
      const s = stack();
      // WHEN
      new AuditTrail(s, 'AuditTrail', { organizationTrail: true, organizationId: ORG, trailName: 'org-guard' });
      // THEN
      const t = Template.fromStack(s);
      t.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'org-guard', IsOrganizationTrail: true });
      const statements = cloudTrailStatements(bucketPolicyOf(t));
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: bucketArn,
          Condition: { StringEquals: { 'aws:SourceArn': trailArn('org-guard') } },
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: [objects('AWSLogs/111122223333/*'), objects(`AWSLogs/${ORG}/*`)],
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn('org-guard') } },
        },
      ]);
    });

    test('lets CloudTrail encrypt with the key only for this trail', () => {
      const s = stack();
      new AuditTrail(s, 'AuditTrail', { organizationTrail: true, organizationId: ORG, trailName: 'org-guard' });
      const statements = cloudTrailStatements(policyOf(Template.fromStack(s), 'AWS::KMS::Key', 'KeyPolicy'));
      expect(statements).toEqual([
        {
          Sid: 'AllowCloudTrailToEncryptLogs',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceArn': trailArn('org-guard') },
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111122223333:trail/*']] } },
          },
        },
        {
          Sid: 'AllowCloudTrailToDescribeKey',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:DescribeKey',
          Resource: '*',
          // For an organization trail, aws:SourceAccount is the management account's, this one.
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        },
      ]);
    });

    test('without a trail name, is named after its construct path, and its policies name the trail by it', () => {
      const s = stack();
      new AuditTrail(s, 'AuditTrail', { organizationTrail: true, organizationId: ORG });
      const t = Template.fromStack(s);
      const name = (Object.values(t.findResources('AWS::CloudTrail::Trail'))[0].Properties as { TrailName: string }).TrailName;
      expect(name).toMatch(/^TestAuditTrail[0-9A-F]{8}$/);
      expect(JSON.stringify(policyOf(t, 'AWS::KMS::Key', 'KeyPolicy'))).toContain(`:trail/${name}`);
      // Nothing is left for aws-cdk-lib to warn about (its warning of an organization trail without an id included).
      expect(Annotations.fromStack(s).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test('a trail of this account keeps the delivery statements it always had', () => {
      const s = stack();
      new AuditTrail(s, 'AuditTrail');
      const t = Template.fromStack(s);
      expect(cloudTrailStatements(bucketPolicyOf(t))).toEqual([
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: bucketArn },
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: objects('AWSLogs/111122223333/*'),
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
      ]);
      t.hasResource('AWS::CloudTrail::Trail', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^AuditTrailBucketPolicy')]) });
    });
  });

  describe('refuses', () => {
    test('an organization trail without the organization id, saying where to find it', () => {
      const s = stack();
      expect(() => new AuditTrail(s, 'AuditTrail', { organizationTrail: true })).toThrow(
        'AuditTrail: an organization trail writes every account\'s log files under AWSLogs/<organization id>/, which its bucket policy must allow. '
        + 'Set `organizationId`, e.g. organizationId: \'o-a1b2c3d4e5\': the AWS Organizations console shows it, and so does '
        + '`aws organizations describe-organization --query Organization.Id` run in the management account.');
    });

    test.each(['O-A1B2C3D4E5', 'o-short', 'a1b2c3d4e5', 'o-a1b2c3d4e5 ', 'r-a1b2', '111122223333'])('an organization id that is not one: %j', (id) => {
      const s = stack();
      expect(() => new AuditTrail(s, 'AuditTrail', { organizationTrail: true, organizationId: id })).toThrow(
        `AuditTrail: \`organizationId\` must be an organization id, "o-" then 10 to 32 lowercase letters or digits, e.g. organizationId: 'o-a1b2c3d4e5'; got ${JSON.stringify(id)}. `
        + '`aws organizations describe-organization --query Organization.Id` prints it.');
    });

    test('an organization id without an organization trail', () => {
      const s = stack();
      expect(() => new AuditTrail(s, 'AuditTrail', { organizationId: 'o-a1b2c3d4e5' }))
        .toThrow('AuditTrail: `organizationId` names the organization of an organization trail. Add `organizationTrail: true`, or remove `organizationId`.');
    });

    test('an organization id next to an adopted trail', () => {
      const s = stack();
      expect(() => new AuditTrail(s, 'AuditTrail', { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org', organizationId: 'o-a1b2c3d4e5' }))
        .toThrow(/`organizationId` configure a new trail, but `existingTrailArn` adopts one/);
    });

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
