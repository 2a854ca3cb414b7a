import * as fs from 'fs';
import * as os from 'os';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MiningGuard, MiningGuardProps, RecorderMode } from '../../lib';
import { MAX_TEMPLATE_BODY_BYTES, regionalTemplate } from '../../lib/regions/regional-stack-set';
import { commercialRegions } from '../../lib/regions/resource-availability';

const ACCOUNT = '111122223333';

/** A home stack in `region`, or environment-agnostic with `region: null`. */
function homeTemplate(props: MiningGuardProps = {}, region: string | null = 'eu-west-1'): Template {
  const stack = new Stack(new App(), 'Home', region === null ? {} : { env: { account: ACCOUNT, region } });
  new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'], ...props });
  return Template.fromStack(stack);
}

function stackSetOf(t: Template): Record<string, any> {
  const sets = Object.values(t.findResources('AWS::CloudFormation::StackSet'));
  expect(sets).toHaveLength(1);
  return sets[0].Properties;
}

/** Each instance group's regions as CloudFormation resolves them in a stack deployed to `home`. */
function instanceRegionsWithHome(t: Template, home: string): string[][] {
  const { Conditions: conditions = {}, Mappings: mappings = {} } = t.toJSON() as Record<string, Record<string, any>>;
  const resolve = (value: any): any => {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
    if (value?.Ref === 'AWS::Region') return home;
    if (value && typeof value === 'object' && 'Fn::FindInMap' in value) {
      const [map, key, name] = resolve(value['Fn::FindInMap']);
      return mappings[map][key][name];
    }
    if (value && typeof value === 'object' && 'Fn::Split' in value) {
      const [separator, text] = resolve(value['Fn::Split']);
      return text.split(separator);
    }
    if (value && typeof value === 'object' && 'Fn::If' in value) {
      const [condition, whenTrue, whenFalse] = value['Fn::If'];
      return resolve(conditions[condition]['Fn::Equals'][1] === home ? whenTrue : whenFalse);
    }
    if (value?.Ref === 'AWS::NoValue') return NO_VALUE;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return resolve(stackSetOf(t).StackInstancesGroup).map((g: { Regions: string[] }) => g.Regions);
}
const NO_VALUE = Symbol('AWS::NoValue');

describe('RegionalStackSet', () => {
  test('by default: one self-managed StackSet of the regional template into every default region but the home one, in parallel, failing on any failure', () => {
    const set = stackSetOf(homeTemplate());
    expect(set).toEqual(expect.objectContaining({
      PermissionModel: 'SELF_MANAGED',
      StackSetName: expect.stringMatching(/^Home-eu-west-1-[0-9a-f]{6}-regions$/),
      Capabilities: ['CAPABILITY_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: { RegionConcurrencyType: 'PARALLEL', MaxConcurrentPercentage: 100, FailureToleranceCount: 0 },
      Parameters: [{ ParameterKey: 'HomeRegion', ParameterValue: { Ref: 'AWS::Region' } }],
    }));
    expect(set.StackInstancesGroup).toEqual([{
      DeploymentTargets: { Accounts: [ACCOUNT] },
      Regions: expect.arrayContaining(['us-east-1', 'sa-east-1', 'ap-southeast-1', 'eu-central-1']),
      ParameterOverrides: [{ ParameterKey: 'CreateDetector', ParameterValue: 'true' }],
    }]);
    expect(set.StackInstancesGroup[0].Regions).not.toContain('eu-west-1');
  });

  test('the regional template: parameters for the home region and the detector, no Lambda function, no asset, no budget, no anomaly resource, no trail', () => {
    const body = stackSetOf(homeTemplate({ compliance: { recorder: RecorderMode.CREATE } })).TemplateBody as string;
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_TEMPLATE_BODY_BYTES);
    const template = JSON.parse(body);
    expect(Object.keys(template.Parameters)).toEqual(['HomeRegion', 'CreateDetector', 'CreateRecorder']);
    // The recorder's default follows compliance.recorder; a region's lookup answer overrides it.
    expect(template.Parameters.CreateRecorder).toMatchObject({ AllowedValues: ['true', 'false'], Default: 'true' });
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    for (const banned of ['AWS::Lambda::Function', 'AWS::Budgets::Budget', 'AWS::CE::AnomalyMonitor', 'AWS::CE::AnomalySubscription', 'AWS::CloudTrail::Trail', 'AWS::Chatbot::SlackChannelConfiguration']) {
      expect(types).not.toContain(banned);
    }
    expect(types).toEqual(expect.arrayContaining(['AWS::Events::Rule', 'AWS::GuardDuty::Detector', 'AWS::CloudWatch::Alarm', 'AWS::Config::ConfigRule']));
    expect(body).not.toMatch(/BootstrapVersion|cdk-hnb659fds|CDKMetadata/);
    // CreateDetector=false leaves the region's own detector alone.
    const detector = Object.values(template.Resources as Record<string, { Type: string; Condition?: string; DeletionPolicy?: string }>)
      .find((r) => r.Type === 'AWS::GuardDuty::Detector')!;
    expect(template.Conditions[detector.Condition!]).toEqual({ 'Fn::Equals': [{ Ref: 'CreateDetector' }, 'true'] });
    // A region switched to CreateDetector=false, or a stack instance deleted, keeps the detector it created: GuardDuty stays on.
    expect(detector.DeletionPolicy).toBe('Retain');
  });

  test('with the lookups answered per region, each region\'s recorder answer reaches its stack instance, and the rules wait for a recorder made there', () => {
    const set = stackSetOf(homeTemplate({ everyRegion: { regions: ['sa-east-1', 'us-east-1', 'ap-south-1'] }, compliance: {} }));
    // (no answers yet here: every region follows the template's default)
    expect(set.StackInstancesGroup.map((g: { ParameterOverrides: unknown[] }) => g.ParameterOverrides)).toEqual([[{ ParameterKey: 'CreateDetector', ParameterValue: 'true' }]]);
    const template = JSON.parse(set.TemplateBody as string);
    const resources = Object.values(template.Resources as Record<string, { Type: string; Condition?: string; Metadata?: Record<string, unknown> }>);
    // Every part of the recorder is made only where CreateRecorder is true: bucket, policy, role, recorder, delivery channel.
    const recorderParts = resources.filter((r) => r.Condition === 'RecorderCreated').map((r) => r.Type).sort();
    expect(recorderParts).toEqual(['AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel', 'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(template.Conditions.RecorderCreated).toEqual({ 'Fn::Equals': [{ Ref: 'CreateRecorder' }, 'true'] });
    const rules = resources.filter((r) => r.Type === 'AWS::Config::ConfigRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.Metadata?.MiningGuardAfterRecorder).toEqual({ 'Fn::If': ['RecorderCreated', { Ref: expect.stringMatching(/DeliveryChannel/) }, ''] });
    }
  });

  test('regions with a detector of their own are a second group that creates none', () => {
    const set = stackSetOf(homeTemplate({ everyRegion: { regions: ['sa-east-1', 'us-east-1'], existingDetectorRegions: ['us-east-1'] } }));
    expect(set.StackInstancesGroup).toEqual([
      expect.objectContaining({ Regions: ['sa-east-1'], ParameterOverrides: [{ ParameterKey: 'CreateDetector', ParameterValue: 'true' }] }),
      expect.objectContaining({ Regions: ['us-east-1'], ParameterOverrides: [{ ParameterKey: 'CreateDetector', ParameterValue: 'false' }] }),
    ]);
  });

  test('an environment-agnostic home leaves its own region out when it deploys, whichever region that is', () => {
    const t = homeTemplate({ everyRegion: { regions: ['sa-east-1', 'us-east-1', 'eu-west-1'] } }, null);
    // One mapping, keyed by the home region: no condition per region.
    expect(t.toJSON().Conditions).toBeUndefined();
    expect(instanceRegionsWithHome(t, 'us-east-1')).toEqual([['sa-east-1', 'eu-west-1']]);
    expect(instanceRegionsWithHome(t, 'eu-west-1')).toEqual([['sa-east-1', 'us-east-1']]);
    expect(instanceRegionsWithHome(t, 'eu-central-1')).toEqual([['sa-east-1', 'us-east-1', 'eu-west-1']]);
    // Every default region, when deployed to one of them or to another.
    expect(instanceRegionsWithHome(homeTemplate({}, null), 'us-east-1')[0]).toHaveLength(16);
    expect(instanceRegionsWithHome(homeTemplate({}, null), 'ap-east-1')[0]).toHaveLength(17);
    // Every commercial region the table knows can be the home.
    expect(Object.keys(t.toJSON().Mappings[Object.keys(t.toJSON().Mappings)[0]])).toEqual(commercialRegions());
  });

  test('an environment-agnostic home drops a group whose one region it is, never deploying an empty group', () => {
    const t = homeTemplate({ everyRegion: { regions: ['sa-east-1', 'us-east-1'], existingDetectorRegions: ['us-east-1'] } }, null);
    expect(instanceRegionsWithHome(t, 'us-east-1')).toEqual([['sa-east-1']]);
    expect(instanceRegionsWithHome(t, 'sa-east-1')).toEqual([['us-east-1']]);
    expect(instanceRegionsWithHome(t, 'eu-west-1')).toEqual([['sa-east-1'], ['us-east-1']]);
  });

  test('no StackSet for the home region alone, or when the app deploys the regional stacks', () => {
    homeTemplate({ everyRegion: { regions: [] } }).resourceCountIs('AWS::CloudFormation::StackSet', 0);
  });

  test('the administration role is for CloudFormation and this StackSet only; it may assume the execution role, nothing else', () => {
    const t = homeTemplate({ everyRegion: { regions: ['sa-east-1'] } });
    const set = stackSetOf(t);
    const roles = t.findResources('AWS::IAM::Role');
    const adminId = set.AdministrationRoleARN['Fn::GetAtt'][0];
    const execId = set.ExecutionRoleName.Ref;
    expect(roles[adminId].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'cloudformation.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudformation:*:${ACCOUNT}:stackset/${set.StackSetName}:*`]] } },
      },
    }]);
    expect(roles[execId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: { 'Fn::GetAtt': [adminId, 'Arn'] } } }),
    ]);
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    const adminPolicy = policies.find((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === adminId))!;
    expect(adminPolicy.Properties.PolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [execId, 'Arn'] } }]);
    expect(Object.values(t.findResources('AWS::CloudFormation::StackSet'))[0].DependsOn).toEqual(expect.arrayContaining([adminId, execId]));
  });

  test('a listed region where CloudFormation lacks a type of the regional template fails the synth, saying which', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../lib/regions/resource-availability', () => ({
        ...jest.requireActual('../../lib/regions/resource-availability'),
        missingResourceTypes: (region: string) => (region === 'sa-east-1' ? ['AWS::GuardDuty::Detector'] : []),
      }));
      const lib = await import('../../lib');
      const stack = new Stack(new App(), 'Home', { env: { account: ACCOUNT, region: 'eu-west-1' } });
      expect(() => new lib.MiningGuard(stack, 'MiningGuard', { everyRegion: { regions: ['us-east-1', 'sa-east-1'] } }))
        .toThrow('MiningGuard: CloudFormation in sa-east-1 has no AWS::GuardDuty::Detector, which the regional part needs. Remove \'sa-east-1\' from everyRegion.regions; the trail\'s log group still judges its CloudTrail calls within minutes.');
    });
    jest.dontMock('../../lib/regions/resource-availability');
  });
});

describe('regionalTemplate', () => {
  test('synthesizes in a directory of its own and leaves nothing behind, whatever the CDK CLI\'s output directory', () => {
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('mining-guard-regional-'));
    const outdir = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = '/nonexistent/cdk.out';
    try {
      const template = regionalTemplate({ alarmNamePrefix: 'P-', minimumSeverity: 1, detector: {} });
      expect(Object.keys(template.Resources).length).toBeGreaterThan(5);
    } finally {
      if (outdir === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = outdir;
    }
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('mining-guard-regional-'))).toEqual(before);
  });
});
