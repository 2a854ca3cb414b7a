import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ComplianceRule, ConfigRecorder, RecorderMode } from '../../lib';
import { CIS_DETECTIONS } from '../../lib/catalog';
import { configRules, rules, stack } from '../harness/compliance-rules';

describe('the recorder', () => {
  test('CREATE records only what the change-triggered rules judge, continuously, to a locked-down bucket of its own', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.CREATE });
    // THEN
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: {
        AllSupported: false,
        IncludeGlobalResourceTypes: false,
        ResourceTypes: ['AWS::EC2::Instance', 'AWS::EC2::SecurityGroup'],
        RecordingStrategy: { UseOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'config.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole']] }],
    });
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: Match.stringLikeRegexp('ComplianceRecorderBucket') },
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: 365, Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] })],
        },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'AllowConfigRecorderDelivery',
            Action: 's3:PutObject',
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ComplianceRecorderBucket'), 'Arn'] }, '/AWSLogs/111122223333/Config/*']],
            },
          }),
        ]),
      },
    });
  });

  test('CREATE: the channel waits for the recorder, and every rule for the channel', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.CREATE });
    // THEN
    const [channelId] = Object.keys(template.findResources('AWS::Config::DeliveryChannel'));
    const [recorderId] = Object.keys(template.findResources('AWS::Config::ConfigurationRecorder'));
    expect(template.findResources('AWS::Config::DeliveryChannel')[channelId].DependsOn).toContain(recorderId);
    for (const [name, rule] of Object.entries(configRules(template))) {
      expect([name, rule.DependsOn]).toEqual([name, expect.arrayContaining([channelId])]);
    }
  });

  test('CREATE without the change-triggered managed rules records instances only, for the custom rules', () => {
    const { template } = rules({
      recorder: RecorderMode.CREATE,
      disabledRules: [ComplianceRule.RESTRICTED_SSH, ComplianceRule.DEFAULT_SECURITY_GROUP_CLOSED, ComplianceRule.IMDSV2_REQUIRED],
    });
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: Match.objectLike({ ResourceTypes: ['AWS::EC2::Instance'] }),
    });
  });

  test('ADOPT creates no recorder, channel or bucket, and the rules wait for nothing', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.ADOPT });
    // THEN
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::Config::DeliveryChannel', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(Object.keys(configRules(template)).length).toBeGreaterThan(10);
    for (const rule of Object.values(configRules(template))) expect(rule.DependsOn ?? []).not.toContainEqual(expect.stringMatching(/Recorder/));
  });

  test('OFF deploys only the CIS metric filters', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.OFF, cisMetricFilters: true });
    // THEN
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1); // the notifier, no evaluator
    template.resourceCountIs('AWS::Logs::MetricFilter', CIS_DETECTIONS.length);
  });
});

describe('ConfigRecorder', () => {
  test('records exactly the types it is given, and keeps history as long as its retention, without Glacier when that is short', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new ConfigRecorder(s, 'Recorder', { resourceTypes: ['AWS::EC2::Instance'], retention: Duration.days(30) });
    // THEN
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: Match.objectLike({ ResourceTypes: ['AWS::EC2::Instance'] }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Status: 'Enabled', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Transitions: Match.absent() }],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowConfigRecorderBucketCheck',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RecorderRole'), 'Arn'] } },
          Action: ['s3:GetBucketAcl', 's3:ListBucket'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RecorderBucket'), 'Arn'] },
        })]),
      },
    });
  });

  test('the delivery channel waits for the recorder, its role and the bucket policy that lets the role write', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new ConfigRecorder(s, 'Recorder', { resourceTypes: ['AWS::EC2::Instance'] });
    // THEN
    const template = Template.fromStack(s);
    const id = (type: string) => Object.keys(template.findResources(type))[0];
    const [channel] = Object.values(template.findResources('AWS::Config::DeliveryChannel'));
    expect([...channel.DependsOn].sort()).toEqual(
      [id('AWS::Config::ConfigurationRecorder'), id('AWS::IAM::Role'), id('AWS::S3::BucketPolicy')].sort(),
    );
  });

  test('RecorderMode values are the names people write', () => {
    expect(Object.values(RecorderMode)).toEqual(['CREATE', 'ADOPT', 'OFF']);
  });
});
