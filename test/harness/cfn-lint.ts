/**
 * Runs cfn-lint, the CloudFormation linter, on a synthesized template and sorts its findings by severity; lists the
 * regions a template can be deployed to, to lint it for each of them.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { CfnTemplate } from './cloud-assembly';
import { missingToolMessage, requirePythonTool } from './python-tools';
import { regionsOffering } from '../../lib/regions/resource-availability';

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
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Location?: { readonly Path?: readonly (string | number)[] | null };
  readonly Rule: { readonly Id: string };
}

export interface CfnLintOptions {
  /**
   * The regions to lint the template for (`--regions`): rule E3006 reports each resource type a region lacks, and each
   * resource is checked against every distinct schema of its type among them. {@link regionsFor} lists the regions a
   * template can be deployed to.
   * @default - cfn-lint's default region, us-east-1
   */
  readonly regions?: readonly string[];
}

export function cfnLint(templatePath: string, options: CfnLintOptions = {}): CfnLintReport {
  return cfnLintAll([templatePath], options).get(templatePath)!;
}

/**
 * Lints several templates for the same regions in one run of cfn-lint: most of a run is cfn-lint loading its
 * schemas, once for however many templates. Every path gets a report, empty when cfn-lint found nothing in it.
 */
export function cfnLintAll(templatePaths: readonly string[], options: CfnLintOptions = {}): Map<string, CfnLintReport> {
  const reports = new Map<string, CfnLintReport>(templatePaths.map((p) => [p, { errors: [], warnings: [], informational: [] }]));
  if (templatePaths.length === 0) return reports;
  const command = requirePythonTool('cfn-lint');
  // `--regions` takes every following word, so it comes after the template paths.
  const regions = options.regions?.length ? ['--regions', ...options.regions] : [];
  const result = spawnSync(command, ['--format', 'json', ...templatePaths, ...regions], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  // A pyenv shim stays on PATH after the package is gone and then exits 127.
  if (result.status === 127) throw new Error(missingToolMessage('cfn-lint'));

  // cfn-lint's exit code is a bit mask of the levels it found, so a non-zero code is normal: only unparsable output is a failure.
  let raw: RawFinding[];
  try {
    raw = JSON.parse(result.stdout) as RawFinding[];
  } catch {
    throw new Error(`cfn-lint gave no JSON for ${templatePaths.join(', ')} (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }

  for (const finding of raw) {
    const report = reports.get(finding.Filename) ?? reports.get(templatePaths.find((p) => path.resolve(p) === path.resolve(finding.Filename)) ?? '');
    if (!report) throw new Error(`cfn-lint reported on ${finding.Filename}, which it was not given (${templatePaths.join(', ')})`);
    const bucket = finding.Level === 'Error' ? report.errors : finding.Level === 'Warning' ? report.warnings : report.informational;
    bucket.push({
      rule: finding.Rule.Id,
      message: finding.Message,
      path: (finding.Location?.Path ?? []).join('/'),
    });
  }
  return reports;
}

/**
 * Every region, among those the table of resource types by region knows, that offers all the resource types of
 * `template`: the regions it can be deployed to, to pass to {@link cfnLint} as `regions`. Only those of `partition` when
 * it is given. Fails when the template uses a type outside the table's namespaces, naming how to add it.
 */
export function regionsFor(template: CfnTemplate, partition?: string): string[] {
  return regionsOffering(Object.values(template.Resources ?? {}).map((r) => r.Type), partition);
}
