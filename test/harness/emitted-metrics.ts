/** Captures the EMF documents Powertools Metrics writes to standard output, for tests of what handlers emit. */

/** One emitted metric: its name, value, namespace and dimensions, read from an EMF document. */
export interface EmittedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** The metrics of one EMF document, as CloudWatch reads them: each metric with each of the document's dimension sets. */
function metricsOf(document: Record<string, unknown>): EmittedMetric[] {
  const aws = document._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
  return aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.flatMap((metric) => directive.Dimensions.map((set) => ({
    namespace: directive.Namespace,
    name: metric.Name,
    value: document[metric.Name] as number,
    dimensions: Object.fromEntries(set.map((d) => [d, document[d] as string])),
  }))));
}

/**
 * Turns metrics on (the test harness turns them off, to keep test output quiet) and records every EMF document
 * written to standard output; `emitted()` reads them, `stop()` restores both.
 */
export function captureMetrics(): { emitted: () => EmittedMetric[]; stop: () => void } {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  return {
    emitted: () => lines.flatMap((text) => text.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .flatMap((line) => metricsOf(JSON.parse(line) as Record<string, unknown>)),
    stop: () => {
      write.mockRestore();
      if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
      else process.env.POWERTOOLS_METRICS_DISABLED = previous;
    },
  };
}
