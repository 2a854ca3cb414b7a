/**
 * `cdk deploy --app 'npx tsx examples/adopted-monitor/app.ts' -c monitorArn=... -c ciRoleName=...` subscribes to the
 * account's existing Cost Anomaly Detection monitor and arms the budget action against the CI role.
 */
import { App } from 'aws-cdk-lib';
import { AdoptedMonitorStack } from './stack';

const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

new AdoptedMonitorStack(app, 'MiningGuardAdoptedMonitor', {
  env: { account: context('account', '123456789012'), region: context('region', 'us-east-1') },
  monitorArn: context('monitorArn', 'arn:aws:ce::123456789012:anomalymonitor/abcdefgh-1234-4ea0-84cc-918a97d736ef'),
  ciRoleName: context('ciRoleName', 'ci-deploy'),
  monthlyLimitUsd: Number(context('monthlyLimitUsd', '2000')),
});
