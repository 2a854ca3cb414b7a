import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OrganizationManagement, OrganizationManagementProps } from '../../lib';

const MANAGEMENT_ACCOUNT = '999988887777';
const SECURITY_ACCOUNT = '111122223333';
const ENV = { account: MANAGEMENT_ACCOUNT, region: 'us-east-1' };

function build(props: Partial<OrganizationManagementProps> = {}, stackProps: StackProps = { env: ENV }, adopt = false): Template {
  const stack = new Stack(new App(), 'Management', stackProps);
  new OrganizationManagement(stack, 'Management', {
    organizationId: 'o-a1b2c3d4e5',
    securityAccount: SECURITY_ACCOUNT,
    guardDutyRegions: ['us-east-1', 'eu-west-1'],
    ...(adopt ? {
      auditTrail: {
        existingTrailArn: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT}:trail/aws-controltower-BaselineCloudTrail`,
        existingLogGroup: logs.LogGroup.fromLogGroupName(stack, 'ControlTowerLogs', 'aws-controltower/CloudTrailLogs'),
      },
    } : {}),
    ...props,
  });
  return Template.fromStack(stack);
}

describe('OrganizationManagement', () => {
  test('names the security account GuardDuty\'s delegated administrator in each listed region, and keeps it on delete', () => {
    const template = build();
    const calls = Object.values(template.findResources('Custom::GuardDutyDelegatedAdministrator'));
    expect(calls.map((c) => JSON.parse(c.Properties.Create))).toEqual([
      expect.objectContaining({ service: 'GuardDuty', action: 'enableOrganizationAdminAccount', region: 'us-east-1', parameters: { AdminAccountId: SECURITY_ACCOUNT } }),
      expect.objectContaining({ region: 'eu-west-1', parameters: { AdminAccountId: SECURITY_ACCOUNT } }),
    ]);
    for (const call of calls) expect(call.Properties.Delete).toBeUndefined();
  });

  test('creates an organization trail, its bucket writable under AWSLogs/<organization id>/ by that trail alone', () => {
    const template = build();
    template.hasResourceProperties('AWS::CloudTrail::Trail', { IsOrganizationTrail: true, IsMultiRegionTrail: true });
    const writes = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => st.Principal?.Service === 'cloudtrail.amazonaws.com' && st.Action === 's3:PutObject');
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0].Resource)).toContain('/AWSLogs/o-a1b2c3d4e5/*');
    expect(writes[0].Condition.StringEquals['aws:SourceArn']).toBeDefined();
  });

  test('streams the catalog\'s records of the trail\'s log group to a stream only the security account reads', () => {
    const template = build();
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'mining-guard-organization-trail',
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Kinesis::ResourcePolicy', {
      ResourcePolicy: {
        Statement: [Match.objectLike({
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SECURITY_ACCOUNT}:root`]] } },
          Action: Match.arrayWith(['kinesis:GetRecords']),
        })],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'SecurityAccountDecryptsTheStream',
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ManagementTrailStream'), 'Arn'] },
      FilterPattern: Match.stringLikeRegexp('RunInstances'),
    });
  });

  test('a trail created with props of its own is still the organization\'s', () => {
    const template = build({ auditTrail: { trailName: 'organization-audit' } });
    template.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'organization-audit', IsOrganizationTrail: true });
  });

  test('adopts Control Tower\'s trail without touching it, and subscribes its log group where it lives', () => {
    const template = build({}, { env: ENV }, true);
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', { LogGroupName: 'aws-controltower/CloudTrailLogs' });
  });

  test('a budget and an anomaly monitor of the whole organization, publishing to a topic only the cost services publish to and only the security account subscribes to', () => {
    const template = build({ spend: { monthlyLimitUsd: 50_000, anomalyThresholdUsd: 250 } });
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({ BudgetLimit: { Amount: 50_000, Unit: 'USD' }, BudgetType: 'COST' }),
    });
    template.hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' });
    template.hasResourceProperties('AWS::CE::AnomalySubscription', { ThresholdExpression: Match.stringLikeRegexp('"250"') });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'mining-guard-organization-spend', KmsMasterKeyId: Match.anyValue() });
    const statements = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': MANAGEMENT_ACCOUNT } } }),
      expect.objectContaining({ Principal: { Service: 'costalerts.amazonaws.com' }, Action: 'sns:Publish' }),
      expect.objectContaining({ Action: 'sns:Subscribe', Condition: { StringEquals: { 'sns:Protocol': 'lambda' } } }),
    ]));
  });

  test('no anomaly monitor when off, and an existing one adopted', () => {
    build({ spend: { anomalyDetection: false } }).resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    const adopted = build({ spend: { existingAnomalyMonitorArn: 'arn:aws:ce::999988887777:anomalymonitor/abc' } });
    adopted.resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    adopted.hasResourceProperties('AWS::CE::AnomalySubscription', { MonitorArnList: ['arn:aws:ce::999988887777:anomalymonitor/abc'] });
  });

  describe('synth errors say what to write', () => {
    test.each([
      [{ organizationId: 'a1b2' }, /organizationId "a1b2" is not an organization id/],
      [{ securityAccount: '1234' }, /securityAccount "1234" is not an account id\. Write the security account's 12 digits/],
      [{ securityAccount: MANAGEMENT_ACCOUNT }, /GuardDuty cannot delegate administration to the management account: name a member account/],
      [{ guardDutyRegions: ['Virginia'] }, /guardDutyRegions has "Virginia", not region names/],
      [{ spend: { monthlyLimitUsd: -1 } }, /^OrganizationManagement: spend\.monthlyLimitUsd must be a positive amount of US dollars/],
      [{ spend: { anomalyDetection: false, anomalyThresholdUsd: 10 } }, /anomaly detection is off/],
    ])('%j', (props, message) => {
      expect(() => build(props as Partial<OrganizationManagementProps>)).toThrow(message);
    });

    test('an environment-agnostic stack', () => {
      expect(() => build({}, {})).toThrow(/the stack Management is environment-agnostic.*Give it env: \{ account: '999988887777', region: 'us-east-1' \}/);
    });
  });
});
