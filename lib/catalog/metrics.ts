/**
 * The custom metrics the handlers emit and the dashboard shows: their namespace, names and dimensions, defined once.
 * Each distinct set of dimension values is a custom metric CloudWatch charges for, so the sets stay small: a
 * detection and its severity, a containment outcome.
 */

/** The CloudWatch namespace of every metric the guard's handlers emit. */
export const METRICS_NAMESPACE = 'MiningGuard';

/**
 * The dimension Powertools Metrics adds to every metric it emits: the handler's service name (`SERVICE_NAMES`).
 * A metric is one series per handler that emits it.
 */
export const SERVICE_DIMENSION = 'service';

/** One count per alert published: a detection and its severity. */
export const DETECTIONS_METRIC = { name: 'Detections', dimensions: ['detection', 'severity'] } as const;

/** One count per containment step the launch evaluator planned, by what became of it. */
export const CONTAINMENT_METRIC = { name: 'ContainmentActions', dimensions: ['outcome'] } as const;

/**
 * What became of a containment step: done; failed (AWS refused it); skipped (nothing to do, not found, or not
 * permitted for an unconfirmed record); planned and reported only, because the guard runs as a dry run.
 */
export const CONTAINMENT_OUTCOMES = ['done', 'failed', 'skipped', 'dry-run'] as const;
export type ContainmentOutcome = typeof CONTAINMENT_OUTCOMES[number];
