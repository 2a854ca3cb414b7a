import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BasicStack } from '../../examples/basic/stack';
import { OneLineStack } from '../../examples/one-line/stack';
import { MiningGuard, ResponseMode } from '../../lib';
import { LAUNCH_DETECTIONS } from '../../lib/catalog';

/** Synthesizes a stack under cdk-nag AwsSolutions and the Control Tower cfn-guard rules; returns the report of what failed. */
function validate(build: (app: App) => void): { error?: string; report: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-nag-'));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  build(app);
  try {
    app.synth();
    return { report: '' };
  } catch (e) {
    const reportFile = path.join(outdir, 'policy-validation-report.json');
    const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : '';
    return { error: (e as Error).message, report };
  }
}

describe('examples/basic under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('has no unacknowledged finding', () => {
    const result = validate((app) => new BasicStack(app, 'MiningGuardBasic'));
    expect(result.error ? `${result.error}\n${result.report}` : 'clean').toBe('clean');
  });

  test('has none either with every launch response mode enabled', () => {
    const responses = Object.fromEntries(LAUNCH_DETECTIONS.map((d) => [d.id, d.responses[d.responses.length - 1] as ResponseMode]));
    const result = validate((app) => {
      const stack = new Stack(app, 'MiningGuardContaining');
      new MiningGuard(stack, 'MiningGuard', { alertEmails: ['secops@example.com'], launchWatch: { responses } });
    });
    expect(result.error ? `${result.error}\n${result.report}` : 'clean').toBe('clean');
  });
});

describe('examples/one-line under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('has no unacknowledged finding', () => {
    const result = validate((app) => new OneLineStack(app, 'MiningGuardOneLine'));
    expect(result.error ? `${result.error}\n${result.report}` : 'clean').toBe('clean');
  });
});
