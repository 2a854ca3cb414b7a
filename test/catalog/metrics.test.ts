import { CONTAINMENT_METRIC, CONTAINMENT_OUTCOMES, DETECTIONS_METRIC, METRICS_NAMESPACE, SERVICE_DIMENSION } from '../../lib/catalog';

describe('the guard\'s metrics', () => {
  test('are named as CloudWatch takes them: a namespace and names of up to 255 printable characters', () => {
    for (const name of [METRICS_NAMESPACE, DETECTIONS_METRIC.name, CONTAINMENT_METRIC.name]) expect(name).toMatch(/^[A-Za-z0-9._/#:-]{1,255}$/);
  });

  test('never name the service dimension Powertools adds, so no dimension is written twice', () => {
    expect([...DETECTIONS_METRIC.dimensions, ...CONTAINMENT_METRIC.dimensions]).not.toContain(SERVICE_DIMENSION);
  });

  test('keep each metric to at most two dimensions of its own, plus the service: every set of values is a paid metric', () => {
    expect(DETECTIONS_METRIC.dimensions.length).toBeLessThanOrEqual(2);
    expect(CONTAINMENT_METRIC.dimensions.length).toBeLessThanOrEqual(2);
  });

  test('name each containment outcome once', () => {
    expect(new Set(CONTAINMENT_OUTCOMES).size).toBe(CONTAINMENT_OUTCOMES.length);
  });
});
