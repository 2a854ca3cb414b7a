import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BudgetActionApproval, MiningGuard } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  alertEmails: ['secops@example.com'],
  spendGuard: {
    monthlyLimitUsd: 2000,
    budgetAction: {
      approval: BudgetActionApproval.MANUAL,
      thresholdPercent: 120,
      roles: [iam.Role.fromRoleName(stack, 'Ci', 'ci-deploy')],
    },
  },
});

export {};
