/** Runs cfn-lint, the CloudFormation linter, on a synthesized template and sorts its findings by severity. */
import { spawnSync } from 'child_process';
import { missingToolMessage, requirePythonTool } from './python-tools';

export interface Finding {
  /** The rule id, e.g. `E3012`. */
  readonly rule: string;
  readonly message: string;
  /** Where in the template, e.g. `Resources/Queue4A7E3555/Properties/VisibilityTimeout`; empty for file-level findings. */
  readonly path: string;
}

export interface CfnLintReport {
  readonly errors: Finding[];
  readonly warnings: Finding[];
  readonly informational: Finding[];
}

interface RawFinding {
  readonly Level: string;
  readonly Message: string;
  readonly Location?: { readonly Path?: readonly (string | number)[] | null };
  readonly Rule: { readonly Id: string };
}

export function cfnLint(templatePath: string): CfnLintReport {
  const command = requirePythonTool('cfn-lint');
  const result = spawnSync(command, ['--format', 'json', templatePath], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  // A pyenv shim stays on PATH after the package is gone and then exits 127.
  if (result.status === 127) throw new Error(missingToolMessage('cfn-lint'));

  // cfn-lint's exit code is a bit mask of the levels it found, so a non-zero code is normal: only unparsable output is a failure.
  let raw: RawFinding[];
  try {
    raw = JSON.parse(result.stdout) as RawFinding[];
  } catch {
    throw new Error(`cfn-lint gave no JSON for ${templatePath} (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }

  const report: CfnLintReport = { errors: [], warnings: [], informational: [] };
  for (const finding of raw) {
    const bucket = finding.Level === 'Error' ? report.errors : finding.Level === 'Warning' ? report.warnings : report.informational;
    bucket.push({
      rule: finding.Rule.Id,
      message: finding.Message,
      path: (finding.Location?.Path ?? []).join('/'),
    });
  }
  return report;
}
