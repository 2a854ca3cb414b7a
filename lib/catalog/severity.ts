/** Severity arithmetic shared by the rules and the notifier: GuardDuty's numeric scale and MiningGuard's labels. */
import { SEVERITIES, Severity } from './types';

/** The lowest and highest minimum severity a GuardDuty rule accepts (GuardDuty's scale for single findings). */
export const GUARDDUTY_SEVERITY_RANGE = { min: 1, max: 8.9 } as const;

/**
 * GuardDuty's label for a numeric severity.
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
 */
export function guardDutySeverityLabel(severity: number): Severity {
  if (severity >= 9) return 'CRITICAL';
  if (severity >= 7) return 'HIGH';
  if (severity >= 4) return 'MEDIUM';
  return 'LOW';
}

/** The more urgent of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}
