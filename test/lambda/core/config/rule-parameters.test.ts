import { MalformedInvocationError } from '../../../../lambda/core/config/invocation';
import { readRuleSettings } from '../../../../lambda/core/config/rule-parameters';
import { DEFAULT_COMPUTE_POLICY } from '../../../../lib/catalog';

describe('readRuleSettings', () => {
  test('reads the check and the compute policy, filling what the rule was not given with the defaults', () => {
    const settings = readRuleSettings({ check: 'instance-region', computePolicy: '{"allowedRegions":["eu-west-1"]}' });
    expect(settings).toEqual({ check: 'instance-region', policy: { ...DEFAULT_COMPUTE_POLICY, allowedRegions: ['eu-west-1'] } });
  });

  test('without parameters, the default policy and every check', () => {
    expect(readRuleSettings({})).toEqual({ check: undefined, policy: DEFAULT_COMPUTE_POLICY });
  });

  test('parameters the evaluator does not know are ignored', () => {
    expect(readRuleSettings({ deniedFamilies: 'p,g' }).policy).toEqual(DEFAULT_COMPUTE_POLICY);
  });

  test.each([
    [{ check: 'gpu' }, /rule parameter check is 'gpu'; the evaluator runs instance-family, instance-region, running-compute, termination-protection/],
    [{ computePolicy: '{not json' }, /rule parameter computePolicy is not JSON/],
    [{ computePolicy: '{"maxRunningVcpus":-1}' }, /rule parameter computePolicy: computePolicy\.maxRunningVcpus must be a whole number above 0, got -1\. Write e\.g\. maxRunningVcpus: 128\./],
    [{ computePolicy: '{"maxVcpus":4}' }, /computePolicy\.maxVcpus: no such field/],
  ])('refuses %j with MalformedInvocationError: %s', (parameters, message) => {
    expect(() => readRuleSettings(parameters)).toThrow(MalformedInvocationError);
    expect(() => readRuleSettings(parameters)).toThrow(message);
  });
});
