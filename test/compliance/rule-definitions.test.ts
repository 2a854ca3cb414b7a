import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as config from 'aws-cdk-lib/aws-config';
import { ComplianceRule, RecorderMode } from '../../lib';
import { customRules, managedRules, MAX_INPUT_PARAMETERS_LENGTH } from '../../lib/compliance/rule-definitions';
import { configRules, rules } from '../harness/compliance-rules';

describe('the managed rules', () => {
  test('by default: every weak-door rule, with CIS\'s ages, daily, named with the prefix and the catalog\'s rule', () => {
    // WHEN
    const { template } = rules({ recorder: RecorderMode.ADOPT });
    // THEN
    const byName = configRules(template);
    const managed = Object.fromEntries(Object.entries(byName)
      .filter(([, r]) => r.Properties.Source.Owner === 'AWS')
      .map(([n, r]) => [n, r.Properties]));
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
    expect(managed['MiningGuard-access-keys-rotated']).toMatchObject({
      InputParameters: { maxAccessKeyAge: 90 },
      MaximumExecutionFrequency: 'TwentyFour_Hours',
    });
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
    expect(byName['MiningGuard-instance-region'].Properties.InputParameters).toEqual({
      check: 'instance-region',
      computePolicy: '{"allowedRegions":["eu-west-1","eu-central-1"]}',
    });
    expect(byName['MiningGuard-running-compute'].Properties).toEqual(expect.objectContaining({
      InputParameters: { check: 'running-compute', computePolicy: '{"maxRunningInstances":20,"maxRunningVcpus":64}' },
      Source: expect.objectContaining({
        SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Three_Hours' }],
      }),
    }));
    expect(byName['MiningGuard-termination-protection'].Properties.InputParameters).toEqual({
      check: 'termination-protection',
      computePolicy: '{"exemptPrincipals":["arn:aws:iam::*:role/Deployer"]}',
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'config.amazonaws.com',
      SourceAccount: '111122223333',
      Action: 'lambda:InvokeFunction',
    });
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
          Action: [
            'config:PutEvaluations',
            'config:GetResourceConfigHistory',
            'ec2:DescribeInstances',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeInstanceAttribute',
            'cloudtrail:LookupEvents',
          ],
          Resource: '*',
        }]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 300 });
  });
});

describe('managedRules', () => {
  test('periodic rules record nothing; change-triggered rules name the resource type a recorder must record', () => {
    // WHEN
    const defined = managedRules({ recorder: RecorderMode.CREATE });
    // THEN
    expect(defined.map((d) => [d.rule, d.recorded ?? null, d.props.maximumExecutionFrequency ?? null])).toEqual([
      [ComplianceRule.CLOUDTRAIL_ENABLED, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.CLOUDTRAIL_MULTI_REGION, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.CLOUDTRAIL_LOG_FILE_VALIDATION, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.CLOUDTRAIL_CLOUDWATCH_LOGS, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.GUARDDUTY_ENABLED, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.ROOT_MFA, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.ROOT_ACCESS_KEY, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.CONSOLE_MFA, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.UNUSED_CREDENTIALS, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.ACCESS_KEYS_ROTATED, null, config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS],
      [ComplianceRule.IMDSV2_REQUIRED, 'AWS::EC2::Instance', null],
      [ComplianceRule.RESTRICTED_SSH, 'AWS::EC2::SecurityGroup', null],
      [ComplianceRule.DEFAULT_SECURITY_GROUP_CLOSED, 'AWS::EC2::SecurityGroup', null],
    ]);
  });

  test('the desired-instance-type rule comes last, only with allowed instance types, and records instances', () => {
    // WHEN
    const defined = managedRules({ recorder: RecorderMode.ADOPT, allowedInstanceTypes: ['t3.micro'] });
    // THEN
    const last = defined[defined.length - 1];
    expect(defined).toHaveLength(14);
    expect([last.rule, last.recorded, last.props.identifier, last.props.inputParameters]).toEqual([
      ComplianceRule.DESIRED_INSTANCE_TYPE, 'AWS::EC2::Instance', 'DESIRED_INSTANCE_TYPE', { instanceType: 't3.micro' },
    ]);
  });

  test('ages are passed to Config in whole days', () => {
    const defined = managedRules({ recorder: RecorderMode.ADOPT, maxAccessKeyAge: Duration.hours(48), maxCredentialUnusedAge: Duration.days(7) });
    const parameters = (rule: ComplianceRule) => defined.find((d) => d.rule === rule)?.props.inputParameters;
    expect(parameters(ComplianceRule.ACCESS_KEYS_ROTATED)).toEqual({ maxAccessKeyAge: 2 });
    expect(parameters(ComplianceRule.UNUSED_CREDENTIALS)).toEqual({ maxCredentialUsageAge: 7 });
  });
});

describe('customRules', () => {
  test('without allowed regions: the family, running-compute and termination-protection checks, with empty policies', () => {
    expect(customRules({})).toEqual([
      { rule: ComplianceRule.INSTANCE_FAMILY, parameters: { check: 'instance-family', computePolicy: '{}' }, onChange: true },
      { rule: ComplianceRule.RUNNING_COMPUTE, parameters: { check: 'running-compute', computePolicy: '{}' }, onChange: false },
      { rule: ComplianceRule.TERMINATION_PROTECTION, parameters: { check: 'termination-protection', computePolicy: '{}' }, onChange: true },
    ]);
  });

  test('with allowed regions the region check runs on each change, second', () => {
    const defined = customRules({ allowedRegions: ['eu-west-1'], deniedInstanceFamilies: ['p'] });
    expect(defined.map((d) => [d.rule, d.onChange])).toEqual([
      [ComplianceRule.INSTANCE_FAMILY, true],
      [ComplianceRule.INSTANCE_REGION, true],
      [ComplianceRule.RUNNING_COMPUTE, false],
      [ComplianceRule.TERMINATION_PROTECTION, true],
    ]);
    expect(defined[0].parameters.computePolicy).toBe('{"deniedInstanceFamilies":["p"]}');
    expect(defined[1].parameters.computePolicy).toBe('{"allowedRegions":["eu-west-1"]}');
  });

  test('parameters of exactly Config\'s limit are accepted, one character more is refused with what to shorten', () => {
    // GIVEN: one exempt principal whose name is padded until the parameters' JSON has the wanted length
    const principal = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
    const lengthOf = (name: string) => JSON.stringify({
      check: 'termination-protection',
      computePolicy: JSON.stringify({ exemptPrincipals: [principal(name)] }),
    }).length;
    const atLimit = 'r'.repeat(MAX_INPUT_PARAMETERS_LENGTH - lengthOf(''));
    expect(lengthOf(atLimit)).toBe(1024);
    // WHEN / THEN
    expect(customRules({ exemptPrincipals: [principal(atLimit)] })[2].parameters.computePolicy).toContain(atLimit);
    expect(() => customRules({ exemptPrincipals: [principal(`${atLimit}r`)] })).toThrow(
      'ComplianceRules: the termination-protection rule\'s parameters would be 1025 characters, more than Config allows (1024). '
      + 'Shorten computePolicy.exemptPrincipals: one pattern such as \'arn:aws:iam::111122223333:role/ci-*\' covers many roles.',
    );
  });

  test('a family list too long for one parameter names both family fields', () => {
    const families = Array.from({ length: 200 }, (_, i) => `x${i}`);
    const length = JSON.stringify({ check: 'instance-family', computePolicy: JSON.stringify({ allowedInstanceFamilies: families }) }).length;
    expect(() => customRules({ allowedInstanceFamilies: families })).toThrow(
      `ComplianceRules: the instance-family rule's parameters would be ${length} characters, more than Config allows (1024). `
      + 'Shorten computePolicy.allowedInstanceFamilies and computePolicy.deniedInstanceFamilies.',
    );
  });
});
