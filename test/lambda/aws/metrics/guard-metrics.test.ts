import { GuardMetrics } from '../../../../lambda/aws/metrics/guard-metrics';
import { CONTAINMENT_OUTCOMES } from '../../../../lib/catalog';
import { captureMetrics } from '../../../harness/emitted-metrics';

let capture: ReturnType<typeof captureMetrics>;
beforeEach(() => {
  capture = captureMetrics();
});
afterEach(() => capture.stop());

describe('GuardMetrics', () => {
  test('sums an invocation\'s detections by detection and severity, each set of values in a document of its own', () => {
    // GIVEN
    const metrics = new GuardMetrics('mining-guard-notifier');
    // WHEN
    metrics.detection('guardduty-cryptocurrency', 'HIGH');
    metrics.detection('guardduty-cryptocurrency', 'HIGH');
    metrics.detection('tamper-cloudtrail', 'CRITICAL');
    metrics.flush();
    // THEN
    expect(capture.emitted()).toEqual([
      { namespace: 'MiningGuard', name: 'Detections', value: 2, dimensions: { service: 'mining-guard-notifier', detection: 'guardduty-cryptocurrency', severity: 'HIGH' } },
      { namespace: 'MiningGuard', name: 'Detections', value: 1, dimensions: { service: 'mining-guard-notifier', detection: 'tamper-cloudtrail', severity: 'CRITICAL' } },
    ]);
  });

  test('counts containment steps by outcome, and no step at all as nothing', () => {
    const metrics = new GuardMetrics('mining-guard-launch-evaluator');
    for (const outcome of CONTAINMENT_OUTCOMES) metrics.containment(outcome, 2);
    metrics.containment('done', 0);
    metrics.flush();
    expect(capture.emitted()).toEqual(CONTAINMENT_OUTCOMES.map((outcome) => ({
      namespace: 'MiningGuard', name: 'ContainmentActions', value: 2, dimensions: { service: 'mining-guard-launch-evaluator', outcome },
    })));
  });

  test('a flush emits only what was counted since the last one, and nothing when nothing was', () => {
    const metrics = new GuardMetrics('mining-guard-notifier');
    metrics.detection('guardduty-cryptocurrency', 'HIGH');
    metrics.flush();
    metrics.flush();
    expect(capture.emitted()).toHaveLength(1);
  });

  test('a value of the wrong type or length still counts, under a bounded dimension value', () => {
    const metrics = new GuardMetrics('mining-guard-notifier');
    metrics.detection({ forged: true }, 'x'.repeat(5000));
    metrics.flush();
    expect(capture.emitted()).toEqual([
      expect.objectContaining({ value: 1, dimensions: { service: 'mining-guard-notifier', detection: 'unknown', severity: 'x'.repeat(250) } }),
    ]);
  });
});
