/** Runs cdk-nag AwsSolutions and the Control Tower cfn-guard rules over an app, the way a user's pipeline would. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

interface PluginReport {
  readonly pluginName: string;
  readonly violations: Array<{ readonly ruleName: string; readonly violatingConstructs?: Array<{ readonly constructPath?: string }> }>;
}

/**
 * Synthesizes a stack under cdk-nag AwsSolutions and the Control Tower cfn-guard rules; returns every finding nobody
 * acknowledged, one line each. cfn-guard's findings do not fail the synth, so the report is read whatever happened.
 */
export function findings(build: (app: App) => void): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-nag-'));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  build(app);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const reportFile = ['policy-validation-report.json', 'validation-report.json'].map((f) => path.join(outdir, f)).find((f) => fs.existsSync(f));
  if (!reportFile) return error ? [error] : [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { pluginReports: PluginReport[] };
  const lines = report.pluginReports.flatMap((p) => p.violations.flatMap((v) =>
    (v.violatingConstructs ?? [{}]).map((c) => `${p.pluginName}: ${v.ruleName} at ${c.constructPath ?? '?'}`)));
  return lines.length > 0 || !error ? lines : [error];
}

