/**
 * Counts a handler's detections and containment outcomes during an invocation and emits them, at its end, as
 * CloudWatch metrics in the Embedded Metric Format (Powertools Metrics): one document per set of dimension values,
 * since a document gives each dimension one value.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CONTAINMENT_METRIC, ContainmentOutcome, DETECTIONS_METRIC, METRICS_NAMESPACE } from '../../../lib/catalog';

/** The longest dimension value emitted: CloudWatch takes up to 1,024 characters; the guard's own ids are far shorter. */
const DIMENSION_LENGTH = 250;

/** A dimension value as CloudWatch takes it: a string of 1 to 250 characters here, whatever the caller passed. */
function dimensionValue(value: unknown): string {
  const text = typeof value === 'string' && value.length > 0 ? value : 'unknown';
  return text.slice(0, DIMENSION_LENGTH);
}

/** A handler's metrics for one invocation, emitted by `flush`. */
export class GuardMetrics {
  private readonly metrics: Metrics;
  private readonly counts = new Map<string, { readonly name: string; readonly dimensions: Record<string, string>; count: number }>();

  constructor(serviceName: string) {
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  }

  /** Counts one alert published for a detection at a severity. */
  public detection(detection: unknown, severity: unknown): void {
    const [detectionName, severityName] = DETECTIONS_METRIC.dimensions;
    this.add(DETECTIONS_METRIC.name, { [detectionName]: dimensionValue(detection), [severityName]: dimensionValue(severity) }, 1);
  }

  /** Counts containment steps with one outcome. */
  public containment(outcome: ContainmentOutcome, steps = 1): void {
    if (steps <= 0) return;
    this.add(CONTAINMENT_METRIC.name, { [CONTAINMENT_METRIC.dimensions[0]]: outcome }, steps);
  }

  /**
   * Emits what was counted since the last flush, one EMF document per metric and set of dimension values, and starts
   * over. Emits nothing when nothing was counted. Never throws: a metric that cannot be written must not fail the
   * invocation, which would retry work already done.
   */
  public flush(): void {
    const counted = [...this.counts.values()];
    this.counts.clear();
    for (const { name, dimensions, count } of counted) {
      try {
        // A single metric is written at once, with the service dimension of the handler and these dimensions only.
        this.metrics.singleMetric().addDimensions(dimensions).addMetric(name, MetricUnit.Count, count);
      } catch {
        // Powertools refused the metric (an invalid name or value): the alert it counts was published all the same.
      }
    }
  }

  private add(name: string, dimensions: Record<string, string>, count: number): void {
    const key = JSON.stringify([name, dimensions]);
    const entry = this.counts.get(key);
    if (entry) entry.count += count;
    else this.counts.set(key, { name, dimensions, count });
  }
}
