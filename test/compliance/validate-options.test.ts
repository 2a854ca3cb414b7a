import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ComplianceRule, ComplianceRulesOptions, ComputePolicy, MiningGuard, RecorderMode } from '../../lib';
import { validateComplianceProps, wholeDays } from '../../lib/compliance/validate-options';
import { testAlerts } from '../harness/alert-channel';
import { build, stack } from '../harness/compliance-rules';

describe('contradictory props fail at synth and say what to write instead', () => {
  test.each<[string, ComplianceRulesOptions, RegExp]>([
    ['tuning a disabled rule',
      { recorder: RecorderMode.ADOPT, disabledRules: [ComplianceRule.ACCESS_KEYS_ROTATED], maxAccessKeyAge: Duration.days(30) },
      /`maxAccessKeyAge` tunes access-keys-rotated, which `disabledRules` turns off\. Remove the tuning, or the rule from `disabledRules`\./],
    ['rules without a recorder', { recorder: RecorderMode.OFF, allowedInstanceTypes: ['t3.micro'], cisMetricFilters: true },
      /`allowedInstanceTypes` configure Config rules, but `recorder: RecorderMode.OFF` deploys none .* choose RecorderMode.CREATE or ADOPT/],
    ['nothing at all', { recorder: RecorderMode.OFF }, /nothing would be deployed\. Set `cisMetricFilters: true`/],
    ['a bucket retention for an adopted recorder', { recorder: RecorderMode.ADOPT, recorderRetention: Duration.days(30) },
      /`recorderRetention` configures a created recorder's bucket, but `recorder` is not RecorderMode.CREATE/],
    ['an age in hours', { recorder: RecorderMode.ADOPT, maxAccessKeyAge: Duration.hours(36) },
      /maxAccessKeyAge must be a whole number of days, at least 1, got 1 day 12 hours\. Write e\.g\. Duration\.days\(90\)/],
    ['every rule turned off', { recorder: RecorderMode.ADOPT, disabledRules: Object.values(ComplianceRule) }, /`disabledRules` turns off every rule/],
  ])('%s', (_name, options, message) => {
    expect(build(options)).toThrow(message);
  });

  test.each<[string, ComputePolicy, RegExp]>([
    ['a family both allowed and denied', { allowedInstanceFamilies: ['t', 'g'], deniedInstanceFamilies: ['g', 'p'] },
      /ComplianceRules: computePolicy\.g is in both allowedInstanceFamilies and deniedInstanceFamilies\. Remove it from one list/],
    ['an empty region list', { allowedRegions: [] },
      /computePolicy\.allowedRegions is empty, which would flag every region\. Give at least one, e\.g\. \['eu-west-1'\]/],
    ['a fractional ceiling', { maxRunningVcpus: 12.5 },
      /computePolicy\.maxRunningVcpus must be a whole number above 0, got 12\.5\. Write e\.g\. maxRunningVcpus: 128\./],
    ['exempt principals too long for one rule parameter',
      { exemptPrincipals: Array.from({ length: 20 }, (_, i) => `arn:aws:iam::111122223333:role/deployment-pipeline-${i}-execution-role`) },
      new RegExp(/the termination-protection rule's parameters would be \d+ characters, /.source
        + /more than Config allows \(1024\)\. Shorten computePolicy\.exemptPrincipals/.source)],
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

describe('validateComplianceProps', () => {
  const s = stack();
  const alerts = testAlerts(s);
  const trailLogGroup = new logs.LogGroup(s, 'TrailLogs');

  test('accepts props that agree, with or without a trail log group where no filters are asked for', () => {
    expect(() => validateComplianceProps({ alerts, recorder: RecorderMode.CREATE, recorderRetention: Duration.days(30) })).not.toThrow();
    expect(() => validateComplianceProps({ alerts, recorder: RecorderMode.OFF, cisMetricFilters: true, trailLogGroup })).not.toThrow();
  });

  test('names every tuning of a disabled rule at once', () => {
    expect(() => validateComplianceProps({
      alerts,
      recorder: RecorderMode.ADOPT,
      disabledRules: [ComplianceRule.ACCESS_KEYS_ROTATED, ComplianceRule.GUARDDUTY_ENABLED],
      maxAccessKeyAge: Duration.days(30),
      guardDutyAdminAccount: '999988887777',
    })).toThrow(
      'ComplianceRules: `maxAccessKeyAge` tunes access-keys-rotated, `guardDutyAdminAccount` tunes guardduty-enabled-centralized, '
      + 'which `disabledRules` turns off. Remove the tuning, or the rule from `disabledRules`.',
    );
  });

  test('names every rule setting given with RecorderMode.OFF', () => {
    expect(() => validateComplianceProps({
      alerts,
      recorder: RecorderMode.OFF,
      cisMetricFilters: true,
      trailLogGroup,
      runningComputeFrequency: undefined,
      disabledRules: [],
      ruleNamePrefix: 'prod-',
    })).toThrow(
      'ComplianceRules: `disabledRules`, `ruleNamePrefix` configure Config rules, but `recorder: RecorderMode.OFF` deploys none '
      + '(Config refuses rules without a recorder). Remove them, or choose RecorderMode.CREATE or ADOPT.',
    );
  });

  test('refuses an empty list of allowed instance types', () => {
    expect(() => validateComplianceProps({ alerts, recorder: RecorderMode.ADOPT, allowedInstanceTypes: [] })).toThrow(
      'ComplianceRules: allowedInstanceTypes is empty, which would deny everything. Give at least one, e.g. [\'t3.micro\'], or leave it out.',
    );
  });

  test('refuses a bucket retention for an adopted recorder', () => {
    const message = 'ComplianceRules: `recorderRetention` configures a created recorder\'s bucket, but `recorder` is not RecorderMode.CREATE. '
      + 'Remove it, or create the recorder.';
    expect(() => validateComplianceProps({ alerts, recorder: RecorderMode.ADOPT, recorderRetention: Duration.days(30) })).toThrow(message);
  });

  test('prefixes the compute policy\'s own message', () => {
    expect(() => validateComplianceProps({ alerts, recorder: RecorderMode.ADOPT, computePolicy: { maxRunningInstances: 0 } })).toThrow(
      'ComplianceRules: computePolicy.maxRunningInstances must be a whole number above 0, got 0. Write e.g. maxRunningInstances: 50.',
    );
  });

  test('asks for the trail\'s log group with the CIS filters', () => {
    expect(() => validateComplianceProps({ alerts, recorder: RecorderMode.ADOPT, cisMetricFilters: true })).toThrow(
      'ComplianceRules: `cisMetricFilters` needs the trail\'s log group (`trailLogGroup`). With an adopted trail, pass its `existingLogGroup`.',
    );
  });
});

describe('wholeDays', () => {
  test('is the fallback when no age is given, and the days of a whole-day duration', () => {
    expect(wholeDays('maxAccessKeyAge', undefined, 90)).toBe(90);
    expect(wholeDays('maxAccessKeyAge', Duration.days(30), 90)).toBe(30);
    expect(wholeDays('maxAccessKeyAge', Duration.hours(48), 90)).toBe(2);
  });

  test.each([
    [Duration.hours(12), '12 hours'],
    [Duration.days(0), '0 days'],
    [Duration.hours(25), '1 day 1 hour'],
  ])('refuses %s, which Config cannot take', (value, human) => {
    expect(() => wholeDays('maxCredentialUnusedAge', value, 45)).toThrow(
      `ComplianceRules: maxCredentialUnusedAge must be a whole number of days, at least 1, got ${human}. Write e.g. Duration.days(45).`,
    );
  });
});
