import { App, Stack } from 'aws-cdk-lib';
import { MiningGuard } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  alertEmails: ['secops@example.com'],
  spendGuard: {
    monthlyLimitUsd: 2000,            // default: auto-adjusting to the last 6 months
    actualThresholdsPercent: [50, 80, 100],
    computeBudget: true,              // a second budget on EC2 compute alone
    ec2RunningHoursLimit: 5000,       // a usage budget on EC2 running hours
    existingAnomalyMonitorArn: 'arn:aws:ce::111122223333:anomalymonitor/abcdefgh-1234-4ea0-84cc-918a97d736ef',
    anomalyThresholdUsd: 50,          // alert on an anomaly of $50 ...
    anomalyThresholdPercent: 40,      // ... or of 40 % above the expected spend
    vcpuAlarmOptions: { baselineVcpus: { 'Standard/OnDemand': 64, 'G/OnDemand': 8 } },
    accelerationFactor: 4,
  },
});

export {};
