import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MiningGuard, RecorderMode } from '../../lib';

/** Synthesizes under cdk-nag AwsSolutions and the Control Tower cfn-guard rules; returns what failed, or 'clean'. */
function validate(build: (stack: Stack) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mining-guard-compliance-nag-'));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  build(new Stack(app, 'Guard'));
  try {
    app.synth();
    return 'clean';
  } catch (e) {
    const reportFile = path.join(outdir, 'policy-validation-report.json');
    return `${(e as Error).message}\n${fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : ''}`;
  }
}

describe('ComplianceRules under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('a created recorder, every rule and the CIS filters have no unacknowledged finding', () => {
    // GIVEN / WHEN
    const result = validate((stack) => new MiningGuard(stack, 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      computePolicy: { allowedRegions: ['eu-west-1'], exemptPrincipals: ['arn:aws:iam::*:role/Deployer'] },
      compliance: {
        recorder: RecorderMode.CREATE,
        allowedInstanceTypes: ['t3.micro', 'm7g.large'],
        cisMetricFilters: true,
      },
    }));
    // THEN
    expect(result).toBe('clean');
  });
});
