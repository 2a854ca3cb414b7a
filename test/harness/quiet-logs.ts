/** Keeps handlers' structured logs out of test output unless a run asks for them (POWERTOOLS_LOG_LEVEL=DEBUG). */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
