import { classifyCloudTrailEvent, eventBridgeDetailType, TAMPER_DETECTIONS } from '../../lib/catalog';

describe('the tamper detections', () => {
  test('event names are unique per source', () => {
    const bySource = new Map<string, string[]>();
    for (const d of TAMPER_DETECTIONS) bySource.set(d.signal.eventSource, [...bySource.get(d.signal.eventSource) ?? [], ...d.signal.eventNames]);
    for (const [source, names] of bySource) expect([source, new Set(names).size]).toEqual([source, names.length]);
  });

  test('each call is classified as the tamper detection that selects it, not as another detection of the catalog', () => {
    for (const d of TAMPER_DETECTIONS) {
      for (const name of d.signal.eventNames) expect([name, classifyCloudTrailEvent(d.signal.eventSource, name)?.id]).toEqual([name, d.id]);
    }
  });

  test('ids are unique, and each names one AWS service\'s API calls', () => {
    const ids = TAMPER_DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of TAMPER_DETECTIONS) {
      expect(d.signal.eventSource).toMatch(/^[a-z0-9]+\.amazonaws\.com$/);
      expect(eventBridgeDetailType(d.signal.eventSource)).toBe('AWS API Call via CloudTrail');
      for (const name of d.signal.eventNames) expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
  });

  test('blinding the guard itself, GuardDuty, the trail or the organization is critical', () => {
    const critical = TAMPER_DETECTIONS.filter((d) => d.severity === 'CRITICAL').map((d) => d.id);
    expect(critical).toEqual([
      'cloudtrail-tampering', 'guardduty-tampering', 'organization-leave',
      'guard-rule-tampering', 'guard-function-tampering', 'guard-topic-tampering', 'guard-key-tampering',
    ]);
  });

  test('each only notifies, and says to undo the change and follow the principal', () => {
    for (const d of TAMPER_DETECTIONS) {
      expect([d.id, d.responses, d.containmentPermissions]).toEqual([d.id, ['NOTIFY'], undefined]);
      expect(d.nextSteps).toEqual(['Undo the change, then find who made it and what else that principal did in the last hours.']);
      expect(d.references.mitreAttack?.every((t) => /^T\d{4}(\.\d{3})?$/.test(t))).toBe(true);
    }
  });
});
