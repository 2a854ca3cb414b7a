import { App, Stack } from 'aws-cdk-lib';
import { MiningGuard, ResponseMode } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  alertEmails: ['secops@example.com'],
  launchWatch: {
    allowedRegions: ['eu-west-1', 'eu-central-1'],
    exemptPrincipals: ['arn:aws:sts::111122223333:assumed-role/ml-training-pipeline/*'],
    responses: {
      'ec2-instance-launch': ResponseMode.STOP,
      'ec2-instance-protection': ResponseMode.QUARANTINE,
      'autoscaling-capacity-change': ResponseMode.STOP,
    },
    dryRun: true, // say what would be done, change nothing: remove once the alerts look right
  },
});

export {};
