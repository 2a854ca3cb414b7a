import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MemberTargets, MiningGuard, MiningGuardProps, OrganizationMembers, OrganizationMembersProps, RecorderMode, RegionalDeployment, ResponseMode, StackSetCaller } from '../../lib';
import { actionsOf, CONTAINMENT_ROLE_NAME, HANDLER_ENVIRONMENT, LAUNCH_CONTAINMENT, MEMBER_LOOKUP_ACTIONS } from '../../lib/catalog';

const SECURITY_ACCOUNT = '111122223333';
const ORGANIZATION_ID = 'o-a1b2c3d4e5';
const ENV = { account: SECURITY_ACCOUNT, region: 'eu-west-1' };

interface Built {
  readonly stack: Stack;
  readonly guard: MiningGuard;
  readonly members: OrganizationMembers;
  readonly template: Template;
}

function build(
  members: Partial<OrganizationMembersProps> = {},
  guardProps: MiningGuardProps = {},
  stackProps: StackProps = { env: ENV },
): Built {
  const stack = new Stack(new App(), 'Security', stackProps);
  const guard = new MiningGuard(stack, 'MiningGuard', {
    alertEmails: ['secops@example.com'],
    lookup: false,
    everyRegion: { regions: ['us-east-1', 'sa-east-1'] },
    ...guardProps,
  });
  const construct = new OrganizationMembers(stack, 'Members', {
    guard,
    organizationId: ORGANIZATION_ID,
    targets: MemberTargets.organizationalUnits(['ou-ab12-cdef3456']),
    ...members,
  });
  return { stack, guard, members: construct, template: Template.fromStack(stack) };
}

function stackSetOf(t: Template): Record<string, any> {
  const sets = Object.entries(t.findResources('AWS::CloudFormation::StackSet'))
    .filter(([id]) => id.startsWith('Members'));
  expect(sets).toHaveLength(1);
  return sets[0][1].Properties;
}

function parametersOf(set: Record<string, any>): Record<string, unknown> {
  const parameters: Array<{ ParameterKey: string; ParameterValue: unknown }> = set.Parameters;
  return Object.fromEntries(parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
}

/** The containment role of the member template, with its statements. */
function containmentRoleOf(built: Built): Record<string, any> {
  const roles = Object.values(built.members.template.Resources as Record<string, any>)
    .filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === CONTAINMENT_ROLE_NAME);
  expect(roles).toHaveLength(1);
  return roles[0];
}

const STOP_ALL = { 'ec2-instance-launch': ResponseMode.STOP };
/** Every launch detection with containment at its strongest response. */
const STRONGEST = Object.fromEntries(Object.entries(LAUNCH_CONTAINMENT).map(([id, steps]) => [
  id, (ResponseMode.QUARANTINE in steps! ? ResponseMode.QUARANTINE : ResponseMode.STOP),
]));

describe('OrganizationMembers', () => {
  test('a service-managed StackSet, deployed automatically to the targets but the security account, in the guard\'s regions, called as a delegated administrator', () => {
    // GIVEN / WHEN
    const set = stackSetOf(build().template);

    // THEN
    expect(set).toEqual(expect.objectContaining({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
    }));
    expect(set.StackInstancesGroup).toEqual([{
      DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'], AccountFilterType: 'DIFFERENCE', Accounts: [SECURITY_ACCOUNT] },
      Regions: ['eu-west-1', 'us-east-1', 'sa-east-1'],
    }]);
    expect(parametersOf(set)).toEqual(expect.objectContaining({
      HomeRegion: 'eu-west-1',
      HomeAccount: SECURITY_ACCOUNT,
      OrganizationId: ORGANIZATION_ID,
      CreateDetector: 'false',
      ContainmentRoleRegion: 'eu-west-1',
      LaunchEvaluatorRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^MiningGuardLaunchWatchEvaluator.*Role/), 'Arn'] },
    }));
  });

  test('the whole organization through its root, the listed regions, the management account calling, detectors created on request', () => {
    const { template, members } = build({
      targets: MemberTargets.organization('r-ab12'),
      regions: ['us-east-1', 'ap-southeast-1'],
      callAs: StackSetCaller.SELF,
      createDetectors: true,
    });
    const set = stackSetOf(template);
    expect(set.CallAs).toBe('SELF');
    expect(set.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds).toEqual(['r-ab12']);
    expect(set.StackInstancesGroup[0].Regions).toEqual(['us-east-1', 'ap-southeast-1']);
    // The home region is not listed: the first listed region's instance makes the role.
    expect(members.containmentRoleRegion).toBe('us-east-1');
    expect(parametersOf(set)).toEqual(expect.objectContaining({ ContainmentRoleRegion: 'us-east-1', CreateDetector: 'true' }));
  });

  test('the home default bus accepts PutEvents from the organization\'s principals only', () => {
    const { template } = build();
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:${SECURITY_ACCOUNT}:event-bus/default`]] },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID } },
      },
    });
  });

  test('the member template forwards to the security account\'s bus, with the forwarding role in the member account', () => {
    const { members } = build();
    const resources = Object.values(members.template.Resources as Record<string, any>);
    const busArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'HomeRegion' }, ':', { Ref: 'HomeAccount' }, ':event-bus/default']] };
    const rules = resources.filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.Properties.Targets.map((t: { Arn: unknown }) => t.Arn)).toEqual([busArn]);
    const forwarding = resources.find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === undefined);
    expect(forwarding.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    expect(Object.keys(members.template.Parameters)).toEqual(expect.arrayContaining(['HomeRegion', 'HomeAccount', 'CreateDetector', 'OrganizationId', 'LaunchEvaluatorRoleArn', 'ContainmentRoleRegion']));
    expect(JSON.stringify(members.template)).not.toMatch(/AWS::Lambda::Function|BootstrapVersion|cdk-hnb659fds/);
  });

  test('members forward no GuardDuty finding where the security account administers GuardDuty: it receives them itself', () => {
    const findingRules = (b: Built) => Object.values(b.members.template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.EventPattern?.source ?? []).includes('aws.guardduty'));
    // GIVEN / THEN: administered, in the guard's own regions
    expect(findingRules(build())).toEqual([]);
    // a member region the security account has no regional part in: forwarded, or nobody would see them
    expect(findingRules(build({ regions: ['eu-west-1', 'ap-south-1'] }))).toHaveLength(1);
    // GuardDuty not administered by the guard: forwarded
    expect(findingRules(build({ guardDutyAutoEnable: false }))).toHaveLength(1);
  });

  test('the containment role: made in one region per account, trusted only by the launch evaluator\'s role within the organization', () => {
    const built = build({}, { launchWatch: { responses: STOP_ALL } });
    const role = containmentRoleOf(built);
    expect(role.Condition).toBe('ContainmentRoleHere');
    expect(built.members.template.Conditions.ContainmentRoleHere).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'ContainmentRoleRegion' }] });
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { AWS: { Ref: 'LaunchEvaluatorRoleArn' } },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
    }]);
  });

  test.each([
    ['notify only', {}],
    ['STOP on instance launches', { launchWatch: { responses: STOP_ALL } }],
    ['the strongest response of every detection that contains', { launchWatch: { responses: STRONGEST } }],
    ['a dry run', { launchWatch: { responses: STOP_ALL, dryRun: true } }],
  ] as Array<[string, MiningGuardProps]>)('the containment role may take exactly the reads and the enabled containment actions, in its account, never terminate: %s',
    (_, guardProps) => {
      const built = build({}, guardProps);
      const role = containmentRoleOf(built);
      const statements: Array<{ Action: string | string[]; Condition?: any }> = role.Properties.Policies[0].PolicyDocument.Statement;
      const actions = new Set(statements.flatMap((s) => [s.Action].flat()));
      const enabled = actionsOf(built.guard.launchWatch._containmentKinds);
      expect([...actions].sort()).toEqual([...new Set([...MEMBER_LOOKUP_ACTIONS, ...enabled])].sort());
      expect([...actions].filter((a) => /Terminate|Delete(?!Fleets)/.test(a))).toEqual([]);
      for (const s of statements.filter((x) => [x.Action].flat().some((a) => !/:Describe|:LookupEvents/.test(a)))) {
        expect(s.Condition.StringEquals['aws:ResourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      }
      if (guardProps.launchWatch?.dryRun || !guardProps.launchWatch) expect(enabled).toEqual([]);
      else expect(enabled.length).toBeGreaterThan(0);
    });

  test('the launch evaluator may assume the containment role in the organization\'s accounts only, and knows its name', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^MiningGuardLaunchWatchEvaluator.*Role') }],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${CONTAINMENT_ROLE_NAME}`]] },
          Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION_ID } },
        }]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ [HANDLER_ENVIRONMENT.launchEvaluator.containmentRoleName]: CONTAINMENT_ROLE_NAME }),
      },
    });
  });

  test('a single-account guard is unchanged: no bus policy, no member StackSet, no containment role name', () => {
    const stack = new Stack(new App(), 'Alone', { env: ENV });
    new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'], lookup: false, everyRegion: { regions: ['us-east-1'] } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    expect(Object.values(template.findResources('AWS::CloudFormation::StackSet')).map((s) => s.Properties.PermissionModel)).toEqual(['SELF_MANAGED']);
    expect(JSON.stringify(template.toJSON())).not.toContain(HANDLER_ENVIRONMENT.launchEvaluator.containmentRoleName);
  });

  describe('with the management account\'s stack', () => {
    const MANAGEMENT = { account: '999988887777', region: 'eu-west-1' };

    test('the launch evaluator reads the organization trail\'s stream, decrypting only through Kinesis, dropping records an hour late', () => {
      const { template } = build({ managementAccount: MANAGEMENT });
      const streamArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesis:eu-west-1:999988887777:stream/mining-guard-organization-trail']] };
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: streamArn,
        FunctionName: { Ref: Match.stringLikeRegexp('^MiningGuardLaunchWatchEvaluator') },
        StartingPosition: 'LATEST',
        BisectBatchOnFunctionError: true,
        MaximumRecordAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MiningGuardLaunchWatchEvaluatorDeadLetters'), 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^MiningGuardLaunchWatchEvaluatorRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['kinesis:GetRecords', 'kinesis:GetShardIterator']), Resource: streamArn }),
            Match.objectLike({
              Action: 'kms:Decrypt',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:999988887777:key/*']] },
              Condition: { StringEquals: { 'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com' } },
            }),
          ]),
        },
      });
    });

    test('the notifier subscribes to the organization\'s spend topic in the management account', () => {
      const { template } = build({ managementAccount: MANAGEMENT });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MiningGuardAlertsNotifierFunction'), 'Arn'] },
        TopicArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:eu-west-1:999988887777:mining-guard-organization-spend']] },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Principal: 'sns.amazonaws.com',
        SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:eu-west-1:999988887777:mining-guard-organization-spend']] },
      });
    });

    test('no stream read when the management stack has no trail log group to stream; the spend topic still read', () => {
      const { template } = build({ managementAccount: { ...MANAGEMENT, trailRecords: false } });
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('mining-guard-organization-trail');
      expect(JSON.stringify(template.toJSON())).toContain('mining-guard-organization-spend');
    });

    test('without it, nothing is read from another account', () => {
      const { template } = build();
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
      expect(JSON.stringify(template.toJSON())).not.toMatch(/mining-guard-organization-(trail|spend)/);
    });
  });

  describe('the members\' Config recorder, with the guard\'s compliance', () => {
    test('follows the guard\'s recorder by default, each member region making it under a condition', () => {
      const built = build({}, { compliance: { recorder: RecorderMode.CREATE } });
      expect(parametersOf(stackSetOf(built.template))).toMatchObject({ CreateRecorder: 'true' });
      const recorders = Object.values(built.members.template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Config::ConfigurationRecorder');
      expect(recorders.map((r) => r.Condition)).toEqual(['RecorderCreated']);
    });

    test('adopts the members\' own recorders when told, as in a Control Tower landing zone', () => {
      const built = build({ memberRecorder: RecorderMode.ADOPT }, { compliance: { recorder: RecorderMode.CREATE } });
      expect(parametersOf(stackSetOf(built.template))).toMatchObject({ CreateRecorder: 'false' });
    });

    test('without compliance there is no recorder parameter, and memberRecorder is refused', () => {
      expect(parametersOf(stackSetOf(build().template))).not.toHaveProperty('CreateRecorder');
      expect(() => build({ memberRecorder: RecorderMode.ADOPT })).toThrow(/the guard has no `compliance`\. Remove memberRecorder, or give the guard compliance/);
    });
  });

  describe('GuardDuty for every member', () => {
    function autoEnableCalls(template: Template): Record<string, any>[] {
      return Object.values(template.findResources('Custom::GuardDutyOrganizationConfiguration')).map((r) => r);
    }

    test('in every guarded region, once its detector exists, with the guard\'s protection plans', () => {
      // GIVEN a guard with malware protection off
      const { template, guard } = build({}, { threatDetection: { malwareProtection: false } });
      // THEN one call per guarded region, auto-enabling every member with the guard's plans
      const calls = autoEnableCalls(template);
      expect(calls).toHaveLength(guard.guardedRegions.length);
      const resolved = JSON.stringify(calls);
      for (const region of guard.guardedRegions) expect(resolved).toContain(`\\"region\\":\\"${region}\\"`);
      expect(resolved).toContain('\\"AutoEnableOrganizationMembers\\":\\"ALL\\"');
      expect(resolved).toContain('{\\"Name\\":\\"EBS_MALWARE_PROTECTION\\",\\"AutoEnable\\":\\"NONE\\"}');
      expect(resolved).toContain('{\\"Name\\":\\"S3_DATA_EVENTS\\",\\"AutoEnable\\":\\"ALL\\"}');
      // the home region names its own detector; the others list theirs after the regional StackSet made them
      const home = calls.find((c) => JSON.stringify(c).includes('\\"region\\":\\"eu-west-1\\"'))!;
      expect(JSON.stringify(home.Properties.Create)).toContain('MiningGuardThreatDetectionDetector');
      const listings = Object.values(template.findResources('Custom::GuardDutyDetectorId'));
      expect(listings).toHaveLength(guard.guardedRegions.length - 1);
      for (const listing of listings) expect(listing.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MiningGuardEveryRegion/)]));
      for (const call of calls) expect(call.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MiningGuardThreatDetectionDetector/)]));
    });

    test('the calls may update the organization configuration and list detectors, and nothing else of GuardDuty', () => {
      const { template } = build();
      const actions = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes('AWS679f53fac002430cb0da5b7982bd2287'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
      // Each call adds its own policy to aws-cdk-lib's one custom-resource role.
      expect([...new Set(actions.filter((a: string) => a.startsWith('guardduty:')))].sort())
        .toEqual(['guardduty:DescribeOrganizationConfiguration', 'guardduty:ListDetectors', 'guardduty:UpdateOrganizationConfiguration']);
    });

    test('off on request', () => {
      const { template } = build({ guardDutyAutoEnable: false });
      expect(autoEnableCalls(template)).toHaveLength(0);
    });

    test('with RegionalGuard stacks it cannot wait for, the synth says what to do', () => {
      expect(() => build({}, { everyRegion: { regions: ['us-east-1'], deployment: RegionalDeployment.CDK_STACKS } }))
        .toThrow(/guardDutyAutoEnable turns GuardDuty on for the members once each region's detector exists.*set guardDutyAutoEnable: false/);
    });
  });

  describe('synth errors say what to write', () => {
    test('a management account that is not one, or is the security account', () => {
      expect(() => build({ managementAccount: { account: '9999', region: 'eu-west-1' } })).toThrow(/managementAccount .* does not name the management account's OrganizationManagement stack/);
      expect(() => build({ managementAccount: { account: SECURITY_ACCOUNT, region: 'eu-west-1' } })).toThrow(/which is not the security account/);
      expect(() => build({ managementAccount: { account: '999988887777', region: 'Ireland' } })).toThrow(/such as managementAccount: \{ account: '999988887777', region: 'us-east-1' \}/);
    });

    test('a malformed organization id', () => {
      expect(() => build({ organizationId: 'a1b2c3d4e5' })).toThrow(
        'OrganizationMembers: organizationId "a1b2c3d4e5" is not an organization id. Write the id \'aws organizations describe-organization --query Organization.Id\' prints, such as \'o-a1b2c3d4e5\'.');
    });

    test('no targets', () => {
      expect(() => build({ targets: MemberTargets.organizationalUnits([]) })).toThrow(
        'OrganizationMembers: targets names no organizational unit, so no member account would be guarded. Write targets: MemberTargets.organizationalUnits([\'ou-ab12-cdef3456\']), or MemberTargets.organization(\'r-ab12\') for every account.');
    });

    test('a target that is no unit or root id', () => {
      expect(() => build({ targets: MemberTargets.organizationalUnits(['Workloads']) })).toThrow(/targets has "Workloads", which is neither an organizational unit id nor a root id\. Write ids such as 'ou-ab12-cdef3456' or 'r-ab12'/);
    });

    test('a guard whose stack is environment-agnostic', () => {
      expect(() => build({}, {}, {})).toThrow(
        'OrganizationMembers: the guard\'s stack Security is environment-agnostic, but every member account forwards to its account\'s bus in its region, and the StackSet leaves that account out. Give the stack env: { account: \'111122223333\', region: \'eu-west-1\' }, with the security account and its home region.');
    });

    test('a region that is not one, and no region', () => {
      expect(() => build({ regions: ['Ireland'] })).toThrow(/regions has "Ireland", which is not a region name\. Write names such as 'us-east-1'/);
      expect(() => build({ regions: [] })).toThrow(/regions is empty, so no member account would be guarded/);
    });
  });
});
