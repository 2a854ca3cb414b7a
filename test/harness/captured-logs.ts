/** Captures what handlers log, so a test can say what a log line holds and what it must never hold. */
import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Replaces every Powertools logger's levels with a recorder until `jest.restoreAllMocks()`; returns the lines as they
 * come, each `[level, message, ...attributes]`.
 */
export function captureLogs(): unknown[][] {
  const lines: unknown[][] = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation(((...args: unknown[]) => {
      lines.push([level, ...args]);
    }) as never);
  }
  return lines;
}
