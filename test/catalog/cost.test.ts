import { classifyAlarmMetric, COST_DETECTIONS, detectionsOf } from '../../lib/catalog';

describe('the cost detections', () => {
  test('one per cost source, and the vCPU alarm on EC2\'s usage metric', () => {
    expect(COST_DETECTIONS.map((d) => [d.id, d.signal])).toEqual([
      ['vcpu-usage-surge', { kind: 'alarm', namespace: 'AWS/Usage', metricName: 'ResourceCount' }],
      ['spend-acceleration', { kind: 'cost', source: 'spend-evaluator' }],
      ['budget-threshold', { kind: 'cost', source: 'budgets' }],
      ['cost-anomaly', { kind: 'cost', source: 'anomaly-detection' }],
    ]);
    expect(detectionsOf('cost').map((d) => d.signal.source).sort()).toEqual(['anomaly-detection', 'budgets', 'spend-evaluator']);
  });

  test('an alarm on AWS/Usage ResourceCount is the vCPU surge, and the same metric elsewhere is not', () => {
    expect(classifyAlarmMetric('AWS/Usage', 'ResourceCount').id).toBe('vcpu-usage-surge');
    expect(classifyAlarmMetric('Custom/Usage', 'ResourceCount').id).toBe('alarm-other');
  });

  test('each is resource hijacking (T1496) and only notifies', () => {
    for (const d of COST_DETECTIONS) {
      expect([d.id, d.references.mitreAttack, d.responses, d.containmentPermissions]).toEqual([d.id, ['T1496'], ['NOTIFY'], undefined]);
    }
  });

  test('the budget threshold is the least urgent: budgets lag the spend by hours', () => {
    expect(COST_DETECTIONS.map((d) => d.severity)).toEqual(['HIGH', 'HIGH', 'MEDIUM', 'HIGH']);
  });
});
