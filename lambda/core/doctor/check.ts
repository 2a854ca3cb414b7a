/** What `mining-guard doctor` reports: one check per line, passed, failed with its fix, or skipped with the reason. */

/** How a check came out. */
export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

/** One check of the deployed guard. */
export interface Check {
  /** What was checked, e.g. `subscription secops@example.com`. */
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do when the check failed; empty otherwise. */
  readonly fix: string;
}

/** A check that passed. */
export function pass(name: string, detail: string): Check {
  return { name, status: 'PASS', detail, fix: '' };
}

/** A check that failed, with what to do. */
export function fail(name: string, detail: string, fix: string): Check {
  return { name, status: 'FAIL', detail, fix };
}

/** A check that could not be made here, with why. */
export function skip(name: string, detail: string): Check {
  return { name, status: 'SKIP', detail, fix: '' };
}

/** The error's name and message as AWS SDK v3 errors carry them, whatever was thrown. */
function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * The check an AWS call that failed (access denied, throttled after the SDK's retries, unreachable) stands for: failed,
 * naming the permission the doctor needs for it.
 */
export function callFailed(name: string, permission: string, error: unknown): Check {
  const text = errorText(error);
  const denied = /AccessDenied|UnauthorizedOperation|not authorized/i.test(text);
  return fail(name, `${permission} failed: ${text.slice(0, 300)}`, denied
    ? `grant the doctor's credentials ${permission} (docs/doctor.md lists every permission it needs)`
    : `run the doctor again; if ${permission} keeps failing, check the credentials and the region`);
}

/** One line of the report: `PASS name — detail`, and the fix on the next line when the check failed. */
export function formatCheck(check: Check): string {
  const line = `${check.status} ${check.name} — ${check.detail}`;
  return check.status === 'FAIL' && check.fix ? `${line}\n     fix: ${check.fix}` : line;
}

/** The doctor's exit statuses: 0 every check passed or was skipped, 1 a check failed, 2 wrong usage, 3 AWS or the stack could not be reached. */
export const DOCTOR_EXIT = { passed: 0, failed: 1, usage: 2, unreachable: 3 } as const;

/** The exit status of a report: 1 when a check failed, 0 otherwise. */
export function exitStatusOf(checks: readonly Check[]): number {
  return checks.some((c) => c.status === 'FAIL') ? DOCTOR_EXIT.failed : DOCTOR_EXIT.passed;
}
