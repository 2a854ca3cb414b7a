import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { cloudTrailSelections, CREDENTIAL_DETECTIONS, Detection, LAUNCH_DETECTIONS, TAMPER_DETECTIONS } from '../../lib/catalog';
import { cloudTrailPatterns, cloudTrailRules, MAX_EVENT_PATTERN_LENGTH, patternLength } from '../../lib/common/cloudtrail-rules';

const SETS: Array<[string, readonly Detection[]]> = [
  ['launch', LAUNCH_DETECTIONS],
  ['tamper and credential', [...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS]],
];

/** The branches of a pattern: its `$or`, or the pattern itself. */
function branchesOf(pattern: Record<string, any>): Array<Record<string, any>> {
  return pattern.$or ?? [pattern];
}

describe.each(SETS)('the %s patterns', (_, detections) => {
  const patterns = cloudTrailPatterns(detections);

  test('each fits EventBridge\'s pattern length', () => {
    for (const p of patterns) expect(patternLength(p)).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
  });

  test('hold one branch per event source, in catalog order, with every call the catalog selects there', () => {
    const branches = patterns.flatMap(branchesOf);
    expect(branches.map((b) => [b.detail.eventSource[0], b.detail.eventName])).toEqual([...cloudTrailSelections(detections)]);
  });

  test('pack several sources into one rule', () => {
    expect(patterns.length).toBeLessThan(cloudTrailSelections(detections).size);
  });
});

describe('patternLength', () => {
  test('counts the roomiest serialization, a space after each comma and colon', () => {
    expect(patternLength({ a: ['b', 'c'] })).toBe('{"a": ["b", "c"]}'.length);
  });
});

describe('cloudTrailPatterns', () => {
  test('starts a new pattern when the next branch would not fit', () => {
    // GIVEN sources whose calls alone take most of a pattern
    const longNames = (prefix: string) => Array.from({ length: 40 }, (_, i) => `${prefix}${'X'.repeat(20)}${i}`);
    const detection = (eventSource: string): Detection => ({
      id: eventSource,
      title: eventSource,
      severity: 'LOW',
      signal: { kind: 'cloudtrail', eventSource, eventNames: longNames(eventSource) },
      rationale: '',
      nextSteps: [],
      references: {},
      responses: ['NOTIFY'],
      latency: '',
    });
    // WHEN
    const patterns = cloudTrailPatterns([detection('a.amazonaws.com'), detection('b.amazonaws.com'), detection('c.amazonaws.com')]);
    // THEN every pattern fits, and none was left out
    expect(patterns.length).toBeGreaterThan(1);
    for (const p of patterns) expect(patternLength(p)).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
    expect(patterns.flatMap(branchesOf)).toHaveLength(3);
  });
});

describe('cloudTrailRules', () => {
  test('one rule per pattern, each to the target, numbered when there are several', () => {
    const s = new Stack(new App(), 'Test');
    const bus = new events.EventBus(s, 'Bus');
    const rules = cloudTrailRules(s, [...TAMPER_DETECTIONS, ...CREDENTIAL_DETECTIONS], new (class implements events.IRuleTarget {
      public bind(): events.RuleTargetConfig {
        return { arn: bus.eventBusArn };
      }
    })(), 'tamper calls');
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Events::Rule', rules.length);
    expect(rules.map((r) => r.node.id)).toEqual(rules.length === 1 ? ['Rule'] : rules.map((_, i) => `Rule${i + 1}`));
    for (const r of Object.values(t.findResources('AWS::Events::Rule'))) {
      expect(r.Properties.Description).toMatch(/^MiningGuard: tamper calls/);
      expect(r.Properties.Targets).toHaveLength(1);
    }
  });
});
