import { App, Duration, Stack } from 'aws-cdk-lib';
import { MiningGuard, RecorderMode } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  alertEmails: ['secops@example.com'],
  compliance: {
    recorder: RecorderMode.CREATE,
    allowedInstanceTypes: ['t4g.small', 'm7g.large'],
    allowedRegions: ['us-east-1', 'eu-west-1'],
    maxRunningVcpus: 64,
    exemptPrincipals: ['arn:aws:iam::*:role/cdk-*-cfn-exec-role-*'],
    maxAccessKeyAge: Duration.days(60),
    cisMetricFilters: true,
  },
});

export {};
