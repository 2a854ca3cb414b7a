/**
 * `cdk deploy --app 'npx tsx examples/existing-account/app.ts' -c detectorId=... -c trailName=... -c topicName=...`
 * adopts what the account already has. The defaults below are Control Tower's names.
 */
import { App } from 'aws-cdk-lib';
import { ExistingAccountStack } from './stack';

const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

new ExistingAccountStack(app, 'MiningGuardExistingAccount', {
  detectorId: context('detectorId', '12abc34d567e8fa901bc2d34e56789f0'),
  trailName: context('trailName', 'aws-controltower-BaselineCloudTrail'),
  trailLogGroupName: context('trailLogGroupName', 'aws-controltower/CloudTrailLogs'),
  topicName: context('topicName', 'security-alerts'),
});
