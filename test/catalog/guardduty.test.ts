import { classifyGuardDutyFinding, GUARDDUTY_DETECTIONS, matchesPattern, StringFilter, toEventFilter } from '../../lib/catalog';

/** Whether a filter is one EventBridge accepts for a string field. */
function validEventBridgeFilter(filter: StringFilter): boolean {
  if (typeof filter === 'string') return filter.length > 0 && !filter.includes('*');
  if ('prefix' in filter) return filter.prefix.length > 0 && !filter.prefix.includes('*');
  if ('suffix' in filter) return filter.suffix.length > 0 && !filter.suffix.includes('*');
  // EventBridge refuses consecutive wildcards, and a pattern of wildcards only says nothing.
  return !filter.wildcard.includes('**') && filter.wildcard.replace(/\*/g, '').length > 0;
}

const REFERENCED = GUARDDUTY_DETECTIONS.flatMap((d) => (d.references.guardDutyTypes ?? []).map((type): [string, string] => [type, d.id]));

describe('the GuardDuty detections', () => {
  test('each names at least one finding type it is written for, as AWS spells it', () => {
    for (const d of GUARDDUTY_DETECTIONS) {
      const types = d.references.guardDutyTypes ?? [];
      expect([d.id, types.length > 0]).toEqual([d.id, true]);
      for (const type of types) expect(type).toMatch(/^[A-Za-z]+:[A-Za-z0-9]+\/[A-Za-z0-9.!]+$/);
    }
  });

  test.each(REFERENCED)('%s matches the finding-type patterns of its own detection, %s, and of no other', (type, id) => {
    const matching = GUARDDUTY_DETECTIONS.filter((d) => d.signal.findingTypes.some((p) => matchesPattern(p, type))).map((d) => d.id);
    expect(matching).toEqual([id]);
    expect(classifyGuardDutyFinding(type).id).toBe(id);
  });

  test.each(GUARDDUTY_DETECTIONS.flatMap((d) => d.signal.findingTypes.map((p) => [p, d.id])))(
    'pattern %s of %s is a valid EventBridge filter', (pattern) => {
      expect(validEventBridgeFilter(toEventFilter(pattern))).toBe(true);
    });

  test('ids are guardduty- prefixed and unique', () => {
    const ids = GUARDDUTY_DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^guardduty-/);
  });

  test('an attack sequence is critical; the findings GuardDuty rates low for a blinded trail are raised', () => {
    const severity = (id: string) => GUARDDUTY_DETECTIONS.find((d) => d.id === id)!.severity;
    expect(severity('guardduty-attack-sequence')).toBe('CRITICAL');
    expect(severity('guardduty-cloudtrail-logging-disabled')).toBe('HIGH');
  });

  test('findings only notify: nothing acts on a GuardDuty finding, so no detection offers a response that would', () => {
    for (const d of GUARDDUTY_DETECTIONS) expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
  });
});
