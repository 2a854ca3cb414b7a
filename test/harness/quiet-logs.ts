/** Keeps handlers' structured logs out of test output unless a run asks for them (POWERTOOLS_LOG_LEVEL=DEBUG). */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
/** Keeps the handlers' EMF metrics out of test output too; tests of the metrics turn them on (see `captureMetrics`). */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
