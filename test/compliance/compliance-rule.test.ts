import { ComplianceRule, RecorderMode } from '../../lib';
import { CONFIG_CHECKS, DETECTIONS } from '../../lib/catalog';
import { customRules, managedRules } from '../../lib/compliance/rule-definitions';

describe('ComplianceRule', () => {
  test('every ComplianceRule is a Config detection of the catalog, and the other way round', () => {
    const catalogRules = DETECTIONS.flatMap((d) => (d.signal.kind === 'config' ? [d.signal.rule] : []));
    expect(Object.values(ComplianceRule).sort()).toEqual([...catalogRules].sort());
  });

  test('values are distinct name suffixes: lower-case words joined by dashes', () => {
    const values = Object.values(ComplianceRule);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('each rule is deployed by exactly one definition once its optional settings are given', () => {
    // GIVEN: the props that turn on the rules deployed only on request
    const deployed = [
      ...managedRules({ recorder: RecorderMode.ADOPT, allowedInstanceTypes: ['t3.micro'] }),
      ...customRules({ allowedRegions: ['eu-west-1'] }),
    ].map((d) => d.rule);
    // THEN
    expect([...deployed].sort()).toEqual(Object.values(ComplianceRule).sort());
  });

  test('the custom rules are exactly the config evaluator\'s checks, named by them', () => {
    expect(customRules({ allowedRegions: ['eu-west-1'] }).map((d) => [d.rule, d.parameters.check])).toEqual(CONFIG_CHECKS.map((c) => [c, c]));
  });
});
