import { ComplianceRule } from '../../lib';
import { classifyConfigRule, CONFIG_CHECKS, CONFIG_DETECTIONS } from '../../lib/catalog';

const RULES = CONFIG_DETECTIONS.map((d) => d.signal.rule);

describe('the Config detections', () => {
  test('every rule is a value of ComplianceRule, and every value has one detection', () => {
    const values: string[] = Object.values(ComplianceRule);
    for (const rule of RULES) expect(values).toContain(rule);
    for (const value of values) expect([value, RULES.filter((r) => r === value).length]).toEqual([value, 1]);
  });

  test('each is recognised by its deployed name, whatever the prefix, the longest suffix winning', () => {
    for (const d of CONFIG_DETECTIONS) {
      expect(classifyConfigRule(`MiningGuard-${d.signal.rule}`).id).toBe(d.id);
      expect(classifyConfigRule(`prod-${d.signal.rule}`).id).toBe(d.id);
      expect(classifyConfigRule(d.signal.rule).id).toBe(d.id);
    }
    // `cloudtrail-enabled` is a suffix of `multi-region-cloudtrail-enabled`.
    expect(classifyConfigRule('MiningGuard-multi-region-cloudtrail-enabled').id).toBe('config-cloudtrail-multi-region');
    expect(classifyConfigRule('MiningGuardcloudtrail-enabled').id).toBe('config-rule');
  });

  test('each managed rule links to its own page in the Config guide; the custom rules are the evaluator\'s checks', () => {
    const custom: readonly string[] = CONFIG_CHECKS;
    for (const d of CONFIG_DETECTIONS.filter((c) => !custom.includes(c.signal.rule))) {
      expect(d.references.urls).toEqual([`https://docs.aws.amazon.com/config/latest/developerguide/${d.signal.rule}.html`]);
    }
    expect(RULES.filter((r) => custom.includes(r))).toEqual([...CONFIG_CHECKS]);
  });

  test('ids are config- prefixed and unique', () => {
    const ids = CONFIG_DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^config-/);
  });

  test('rules only notify: nothing acts on a Config result, so no detection offers a response that would', () => {
    for (const d of CONFIG_DETECTIONS) expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
  });
});
