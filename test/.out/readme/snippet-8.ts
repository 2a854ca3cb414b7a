import { App, Stack } from 'aws-cdk-lib';
import { ComplianceRule, MiningGuard, RecorderMode } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  alertEmails: ['secops@example.com'],
  compliance: {
    recorder: RecorderMode.ADOPT,
    disabledRules: [ComplianceRule.ROOT_MFA, ComplianceRule.CLOUDTRAIL_ENABLED],
    guardDutyAdminAccount: '999988887777',
  },
});

export {};
