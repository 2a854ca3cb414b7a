import { Stack } from 'aws-cdk-lib';
import { MiningGuard, RecorderMode } from '../../lib';
import { findings } from '../harness/validators';

describe('ComplianceRules under cdk-nag AwsSolutions and the Control Tower cfn-guard rules', () => {
  test('a created recorder, every rule and the CIS filters have no unacknowledged finding', () => {
    // GIVEN / WHEN
    const result = findings((app) => new MiningGuard(new Stack(app, 'Guard'), 'MiningGuard', {
      alertEmails: ['secops@example.com'],
      computePolicy: { allowedRegions: ['eu-west-1'], exemptPrincipals: ['arn:aws:iam::*:role/Deployer'] },
      compliance: {
        recorder: RecorderMode.CREATE,
        allowedInstanceTypes: ['t3.micro', 'm7g.large'],
        cisMetricFilters: true,
      },
    }));
    // THEN
    expect(result).toEqual([]);
  });
});
