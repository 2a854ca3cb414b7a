import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ComplianceRule, RecorderMode, RegionalDeployment } from '../../lib';
import { regionalPlan, regionalSettings } from '../../lib/regions/regional-settings';
import { defaultEnabledRegions } from '../../lib/regions/resource-availability';

function scopeIn(region?: string): Construct {
  const stack = new Stack(new App(), 'Home', { env: { account: '111122223333', region } });
  return new Construct(stack, 'Guard');
}

const SETTINGS = { homeRegion: 'eu-west-1', alarmNamePrefix: 'Guard-', minimumSeverity: 1, detector: {} };

describe('regionalPlan', () => {
  test('by default: every region the partition enables by default, but the home region, through a StackSet', () => {
    const plan = regionalPlan(scopeIn('eu-west-1'));
    expect(plan.deployment).toBe(RegionalDeployment.STACK_SET);
    expect(plan.regions).toEqual(defaultEnabledRegions('aws').filter((r) => r !== 'eu-west-1'));
    expect(plan.regions).toEqual(expect.arrayContaining(['us-east-1', 'sa-east-1', 'ap-southeast-1', 'eu-central-1']));
    expect(plan.regions).not.toContain('af-south-1');
    expect(plan.guardedRegions).toEqual(['eu-west-1', ...plan.regions]);
    expect(plan.existingDetectorRegions).toEqual([]);
  });

  test('a GovCloud home takes its own partition\'s regions', () => {
    expect(regionalPlan(scopeIn('us-gov-west-1')).regions).toEqual(defaultEnabledRegions('aws-us-gov').filter((r) => r !== 'us-gov-west-1'));
  });

  test('an environment-agnostic home warns, and keeps every default region (the StackSet leaves the home out at deployment)', () => {
    const scope = scopeIn(undefined);
    const plan = regionalPlan(scope);
    expect(plan.regions).toEqual(defaultEnabledRegions('aws'));
    expect(plan.guardedRegions).toEqual(plan.regions);
    Annotations.fromStack(Stack.of(scope)).hasWarning('*', Match.stringLikeRegexp('has no region \\(environment-agnostic\\).*Give the stack `env: \\{ region \\}`'));
  });

  test('the regions given, and an empty list for the home region alone', () => {
    expect(regionalPlan(scopeIn('eu-west-1'), { regions: ['sa-east-1'] }).regions).toEqual(['sa-east-1']);
    expect(regionalPlan(scopeIn('eu-west-1'), { regions: [] }).guardedRegions).toEqual(['eu-west-1']);
  });

  test.each([
    [{ regions: ['eu-west-1'] }, /lists eu-west-1, the home region, .* Remove 'eu-west-1' from it/],
    [{ regions: ['Europe'] }, /everyRegion.regions has "Europe", which is not a region name. Write names such as 'us-east-1'/],
    [{ regions: ['sa-east-1', 'sa-east-1'] }, /lists sa-east-1 more than once/],
    [{ regions: ['sa-east-1'], existingDetectorRegions: ['us-east-1'] }, /existingDetectorRegions lists us-east-1, which everyRegion.regions does not/],
    [{ regions: ['sa-east-1'], existingDetectorRegions: ['sa-east-1 '] }, /existingDetectorRegions has "sa-east-1 ", which is not a region name/],
  ])('refuses %j with a message saying what to write', (options, message) => {
    expect(() => regionalPlan(scopeIn('eu-west-1'), options)).toThrow(message);
  });

  test('warns that an opt-in region must be enabled first', () => {
    const scope = scopeIn('eu-west-1');
    regionalPlan(scope, { regions: ['af-south-1', 'sa-east-1'] });
    const warnings = Annotations.fromStack(Stack.of(scope)).findWarning('*', Match.stringLikeRegexp('opt-in regions \\(af-south-1\\): the deployment fails there until'));
    expect(warnings).toHaveLength(1);
  });
});

describe('regionalSettings', () => {
  test('without compliance: no Config rules in the regions', () => {
    expect(regionalSettings(SETTINGS).compliance).toBeUndefined();
  });

  test('the regional managed rules only: the account-wide IAM and trail rules stay in the home region', () => {
    const settings = regionalSettings({ ...SETTINGS, compliance: { recorder: RecorderMode.CREATE, allowedInstanceTypes: ['t3.micro'] } });
    expect(settings.compliance?.recorder).toBe(RecorderMode.CREATE);
    expect(settings.compliance?.rules.map((r) => r.name)).toEqual([
      'MiningGuard-cloudtrail-enabled', 'MiningGuard-guardduty-enabled-centralized', 'MiningGuard-ec2-imdsv2-check',
      'MiningGuard-restricted-ssh', 'MiningGuard-vpc-default-security-group-closed', 'MiningGuard-desired-instance-type',
    ]);
  });

  test('honours disabledRules and the name prefix; no rules with the recorder off or every regional rule disabled', () => {
    const some = regionalSettings({ ...SETTINGS, compliance: { recorder: RecorderMode.ADOPT, ruleNamePrefix: 'Sec-', disabledRules: [ComplianceRule.RESTRICTED_SSH] } });
    expect(some.compliance?.rules.map((r) => r.name)).not.toContain('Sec-restricted-ssh');
    expect(some.compliance?.rules.every((r) => r.name.startsWith('Sec-'))).toBe(true);
    expect(regionalSettings({ ...SETTINGS, compliance: { recorder: RecorderMode.OFF, cisMetricFilters: true } }).compliance).toBeUndefined();
    const onlyIam = regionalSettings({
      ...SETTINGS,
      compliance: {
        recorder: RecorderMode.CREATE,
        disabledRules: [ComplianceRule.CLOUDTRAIL_ENABLED, ComplianceRule.GUARDDUTY_ENABLED, ComplianceRule.IMDSV2_REQUIRED,
          ComplianceRule.RESTRICTED_SSH, ComplianceRule.DEFAULT_SECURITY_GROUP_CLOSED],
      },
    });
    expect(onlyIam.compliance).toBeUndefined();
  });
});
