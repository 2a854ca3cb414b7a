import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as config from 'aws-cdk-lib/aws-config';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ComplianceRule, ComplianceRules, ComplianceRulesOptions, ComputePolicy, MiningGuard, RecorderMode } from '../../lib';
import { CIS_DETECTIONS, DETECTIONS } from '../../lib/catalog';
import { testAlerts } from '../harness/alert-channel';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

/** ComplianceRules with its own alert channel and trail log group, as MiningGuard composes it. */
function rules(options: ComplianceRulesOptions, computePolicy?: ComputePolicy): { template: Template; rules: ComplianceRules } {
  const s = stack();
  const built = new ComplianceRules(s, 'Compliance', {
    ...options,
    alerts: testAlerts(s),
    computePolicy,
    trailLogGroup: new logs.LogGroup(s, 'TrailLogs'),
  });
  return { template: Template.fromStack(s), rules: built };
}

function build(options: ComplianceRulesOptions, computePolicy?: ComputePolicy): () => void {
  return () => rules(options, computePolicy);
}

/** The ConfigRule resources by name. */
function configRules(template: Template): Record<string, { Properties: Record<string, any>; DependsOn?: string[] }> {
  return Object.fromEntries(Object.values(template.findResources('AWS::Config::ConfigRule')).map((r) => [r.Properties.ConfigRuleName, r]));
}

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
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ComplianceRecorderBucket'), 'Arn'] }, '/AWSLogs/111122223333/Config/*']] },
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
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', { RecordingGroup: Match.objectLike({ ResourceTypes: ['AWS::EC2::Instance'] }) });
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

describe('the managed rules', () => {
  test('by default: every weak-door rule, with CIS\'s ages, daily, named with the prefix and the catalog\'s rule', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.ADOPT });
    // THEN
    const byName = configRules(template);
    const managed = Object.fromEntries(Object.entries(byName).filter(([, r]) => r.Properties.Source.Owner === 'AWS').map(([n, r]) => [n, r.Properties]));
    expect(Object.fromEntries(Object.entries(managed).map(([n, p]) => [n, p.Source.SourceIdentifier]))).toEqual({
      'MiningGuard-cloudtrail-enabled': 'CLOUD_TRAIL_ENABLED',
      'MiningGuard-multi-region-cloudtrail-enabled': 'MULTI_REGION_CLOUD_TRAIL_ENABLED',
      'MiningGuard-cloud-trail-log-file-validation-enabled': 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
      'MiningGuard-cloud-trail-cloud-watch-logs-enabled': 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED',
      'MiningGuard-guardduty-enabled-centralized': 'GUARDDUTY_ENABLED_CENTRALIZED',
      'MiningGuard-root-account-mfa-enabled': 'ROOT_ACCOUNT_MFA_ENABLED',
      'MiningGuard-iam-root-access-key-check': 'IAM_ROOT_ACCESS_KEY_CHECK',
      'MiningGuard-mfa-enabled-for-iam-console-access': 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
      'MiningGuard-iam-user-unused-credentials-check': 'IAM_USER_UNUSED_CREDENTIALS_CHECK',
      'MiningGuard-access-keys-rotated': 'ACCESS_KEYS_ROTATED',
      'MiningGuard-ec2-imdsv2-check': 'EC2_IMDSV2_CHECK',
      'MiningGuard-restricted-ssh': 'INCOMING_SSH_DISABLED',
      'MiningGuard-vpc-default-security-group-closed': 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
    });
    expect(managed['MiningGuard-access-keys-rotated']).toMatchObject({ InputParameters: { maxAccessKeyAge: 90 }, MaximumExecutionFrequency: 'TwentyFour_Hours' });
    expect(managed['MiningGuard-iam-user-unused-credentials-check'].InputParameters).toEqual({ maxCredentialUsageAge: 45 });
    expect(managed['MiningGuard-guardduty-enabled-centralized'].InputParameters).toBeUndefined();
    expect(managed['MiningGuard-ec2-imdsv2-check'].Scope).toEqual({ ComplianceResourceTypes: ['AWS::EC2::Instance'] });
    expect(managed['MiningGuard-restricted-ssh'].Scope).toEqual({ ComplianceResourceTypes: ['AWS::EC2::SecurityGroup'] });
  });

  test('each rule is retuned through its prop', () => {
    // WHEN
    const { template } = rules({
      recorder: RecorderMode.ADOPT,
      maxAccessKeyAge: Duration.days(30),
      maxCredentialUnusedAge: Duration.days(60),
      allowedInstanceTypes: ['t3.micro', 'm7g.large'],
      guardDutyAdminAccount: '999988887777',
      ruleNamePrefix: 'prod-',
    });
    // THEN
    const byName = configRules(template);
    expect(byName['prod-access-keys-rotated'].Properties.InputParameters).toEqual({ maxAccessKeyAge: 30 });
    expect(byName['prod-iam-user-unused-credentials-check'].Properties.InputParameters).toEqual({ maxCredentialUsageAge: 60 });
    expect(byName['prod-desired-instance-type'].Properties).toMatchObject({
      Source: { Owner: 'AWS', SourceIdentifier: 'DESIRED_INSTANCE_TYPE' },
      InputParameters: { instanceType: 't3.micro,m7g.large' },
      Scope: { ComplianceResourceTypes: ['AWS::EC2::Instance'] },
    });
    expect(byName['prod-guardduty-enabled-centralized'].Properties.InputParameters).toEqual({ CentralMonitoringAccount: '999988887777' });
  });

  test('each rule can be turned off', () => {
    const { template, rules: built } = rules({
      recorder: RecorderMode.ADOPT,
      disabledRules: [ComplianceRule.ROOT_MFA, ComplianceRule.TERMINATION_PROTECTION],
    });
    expect(configRules(template)['MiningGuard-root-account-mfa-enabled']).toBeUndefined();
    expect(configRules(template)['MiningGuard-termination-protection']).toBeUndefined();
    expect(built.rules[ComplianceRule.ROOT_MFA]).toBeUndefined();
    expect(built.rules[ComplianceRule.ROOT_ACCESS_KEY]).toBeDefined();
  });

  test('every ComplianceRule is a Config detection of the catalog, and the other way round', () => {
    const catalogRules = DETECTIONS.flatMap((d) => (d.signal.kind === 'config' ? [d.signal.rule] : []));
    expect(Object.values(ComplianceRule).sort()).toEqual([...catalogRules].sort());
  });
});

describe('the custom rules', () => {
  test('run on the evaluator with the check and the compute policy fields it reads as parameters', () => {
    // WHEN
    const { template } = rules({
      recorder: RecorderMode.ADOPT,
      runningComputeFrequency: config.MaximumExecutionFrequency.THREE_HOURS,
    }, {
      allowedRegions: ['eu-west-1', 'eu-central-1'],
      allowedInstanceFamilies: ['t', 'm7g'],
      maxRunningInstances: 20,
      maxRunningVcpus: 64,
      maxVcpusPerCall: 32,
      exemptPrincipals: ['arn:aws:iam::*:role/Deployer'],
    });
    // THEN
    const byName = configRules(template);
    const evaluatorArn = { 'Fn::GetAtt': [expect.stringMatching(/ComplianceEvaluatorFunction/), 'Arn'] };
    const onChange = [
      { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
      { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
      { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' },
    ];
    expect(byName['MiningGuard-instance-family'].Properties).toEqual(expect.objectContaining({
      InputParameters: { check: 'instance-family', computePolicy: '{"allowedInstanceFamilies":["t","m7g"]}' },
      Scope: { ComplianceResourceTypes: ['AWS::EC2::Instance'] },
      Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: expect.anything(), SourceDetails: onChange },
    }));
    expect(byName['MiningGuard-instance-family'].Properties.Source.SourceIdentifier).toEqual(evaluatorArn);
    expect(byName['MiningGuard-instance-region'].Properties.InputParameters).toEqual({ check: 'instance-region', computePolicy: '{"allowedRegions":["eu-west-1","eu-central-1"]}' });
    expect(byName['MiningGuard-running-compute'].Properties).toEqual(expect.objectContaining({
      InputParameters: { check: 'running-compute', computePolicy: '{"maxRunningInstances":20,"maxRunningVcpus":64}' },
      Source: expect.objectContaining({ SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Three_Hours' }] }),
    }));
    expect(byName['MiningGuard-termination-protection'].Properties.InputParameters).toEqual({ check: 'termination-protection', computePolicy: '{"exemptPrincipals":["arn:aws:iam::*:role/Deployer"]}' });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'config.amazonaws.com', SourceAccount: '111122223333', Action: 'lambda:InvokeFunction' });
  });

  test('without allowed regions there is no region rule, and the evaluator may only read and report', () => {
    const { template } = rules({ recorder: RecorderMode.ADOPT });
    expect(configRules(template)['MiningGuard-instance-region']).toBeUndefined();
    expect(configRules(template)['MiningGuard-desired-instance-type']).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'JudgeAndReport',
          Effect: 'Allow',
          Action: ['config:PutEvaluations', 'config:GetResourceConfigHistory', 'ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'ec2:DescribeInstanceAttribute', 'cloudtrail:LookupEvents'],
          Resource: '*',
        }]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 300 });
  });
});

describe('compliance changes to people', () => {
  test('one EventBridge rule sends NON_COMPLIANT results of these rules only to the notifier', () => {
    // WHEN
    const { template, rules: built } = rules({ recorder: RecorderMode.ADOPT, disabledRules: [ComplianceRule.CLOUDTRAIL_ENABLED] });
    // THEN
    const names = Object.keys(built.rules).map((r) => `MiningGuard-${r}`);
    expect(names).not.toContain('MiningGuard-cloudtrail-enabled');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        'detail': {
          messageType: ['ComplianceChangeNotification'],
          configRuleName: names,
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NotifierFunction'), 'Arn'] } })],
    });
  });
});

describe('the CIS metric filters', () => {
  test('one filter per CIS monitoring control with the benchmark\'s exact pattern, each alarming through the notifier on the first match', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.ADOPT, cisMetricFilters: true });
    // THEN
    template.resourceCountIs('AWS::Logs::MetricFilter', 15);
    expect(CIS_DETECTIONS.map((d) => d.signal.control)).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    for (const { id, signal: control } of CIS_DETECTIONS) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: control.pattern,
        LogGroupName: { Ref: Match.stringLikeRegexp('TrailLogs') },
        MetricTransformations: [{ MetricNamespace: 'MiningGuard/CIS', MetricName: control.metricName, MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: Match.stringLikeRegexp(`-${id}$`),
        AlarmDescription: Match.stringLikeRegexp(`^MiningGuard CIS ${control.control.replace('.', '\\.')}: `),
        MetricName: control.metricName,
        Namespace: 'MiningGuard/CIS',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: Match.absent(),
      });
    }
    expect(CIS_DETECTIONS[0].signal.pattern).toBe('{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }');
  });

  test('are off by default', () => {
    rules({ recorder: RecorderMode.ADOPT }).template.resourceCountIs('AWS::Logs::MetricFilter', 0);
  });
});

describe('contradictory props fail at synth and say what to write instead', () => {
  test.each<[string, ComplianceRulesOptions, RegExp]>([
    ['tuning a disabled rule', { recorder: RecorderMode.ADOPT, disabledRules: [ComplianceRule.ACCESS_KEYS_ROTATED], maxAccessKeyAge: Duration.days(30) },
      /`maxAccessKeyAge` tunes access-keys-rotated, which `disabledRules` turns off\. Remove the tuning, or the rule from `disabledRules`\./],
    ['rules without a recorder', { recorder: RecorderMode.OFF, allowedInstanceTypes: ['t3.micro'], cisMetricFilters: true },
      /`allowedInstanceTypes` configure Config rules, but `recorder: RecorderMode.OFF` deploys none .* choose RecorderMode.CREATE or ADOPT/],
    ['nothing at all', { recorder: RecorderMode.OFF }, /nothing would be deployed\. Set `cisMetricFilters: true`/],
    ['a bucket retention for an adopted recorder', { recorder: RecorderMode.ADOPT, recorderRetention: Duration.days(30) },
      /`recorderRetention` configures a created recorder's bucket, but `recorder` is not RecorderMode.CREATE/],
    ['an age in hours', { recorder: RecorderMode.ADOPT, maxAccessKeyAge: Duration.hours(36) }, /maxAccessKeyAge must be a whole number of days, at least 1, got 1 day 12 hours\. Write e\.g\. Duration\.days\(90\)/],
    ['every rule turned off', { recorder: RecorderMode.ADOPT, disabledRules: Object.values(ComplianceRule) }, /`disabledRules` turns off every rule/],
  ])('%s', (_name, options, message) => {
    expect(build(options)).toThrow(message);
  });

  test.each<[string, ComputePolicy, RegExp]>([
    ['a family both allowed and denied', { allowedInstanceFamilies: ['t', 'g'], deniedInstanceFamilies: ['g', 'p'] },
      /ComplianceRules: computePolicy\.g is in both allowedInstanceFamilies and deniedInstanceFamilies\. Remove it from one list/],
    ['an empty region list', { allowedRegions: [] }, /computePolicy\.allowedRegions is empty, which would flag every region\. Give at least one, e\.g\. \['eu-west-1'\]/],
    ['a fractional ceiling', { maxRunningVcpus: 12.5 }, /computePolicy\.maxRunningVcpus must be a whole number above 0, got 12\.5\. Write e\.g\. maxRunningVcpus: 128\./],
    ['exempt principals too long for one rule parameter', { exemptPrincipals: Array.from({ length: 20 }, (_, i) => `arn:aws:iam::111122223333:role/deployment-pipeline-${i}-execution-role`) },
      /the termination-protection rule's parameters would be \d+ characters, more than Config allows \(1024\)\. Shorten computePolicy\.exemptPrincipals/],
  ])('a compute policy with %s', (_name, computePolicy, message) => {
    expect(build({ recorder: RecorderMode.ADOPT }, computePolicy)).toThrow(message);
  });

  test('CIS filters without the trail\'s log group', () => {
    const s = stack();
    expect(() => new MiningGuard(s, 'Guard', {
      alertEmails: ['secops@example.com'],
      auditTrail: { existingTrailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org' },
      compliance: { recorder: RecorderMode.ADOPT, cisMetricFilters: true },
    })).toThrow(/`cisMetricFilters` needs the trail's log group .* With an adopted trail, pass its `existingLogGroup`\./);
  });
});

describe('in MiningGuard', () => {
  test('no Config rule is deployed unless asked: only the user knows whether the region has a recorder', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'Guard', { alertEmails: ['secops@example.com'] });
    expect(guard.compliance).toBeUndefined();
    Template.fromStack(s).resourceCountIs('AWS::Config::ConfigRule', 0);
  });

  test('compliance routes to the guard\'s notifier, names its alarms for the notifier, and filters its trail\'s log group', () => {
    const s = stack();
    const guard = new MiningGuard(s, 'Guard', { alertEmails: ['secops@example.com'], compliance: { recorder: RecorderMode.CREATE, cisMetricFilters: true } });
    expect(guard.compliance?.recorder).toBeDefined();
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: { Ref: Match.stringLikeRegexp('GuardAuditTrailLogs') } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RootUsage', AlarmName: `${guard.alertChannel.notifier.alarmNamePrefix}cis-root-usage`, AlarmActions: Match.absent() });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('GuardAlertsKey'), 'Arn'] } });
  });
});
