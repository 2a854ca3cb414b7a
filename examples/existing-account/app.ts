/**
 * `cdk deploy --app 'npx tsx examples/existing-account/app.ts' -c detectorId=... -c trailName=... -c topicName=... -c topicKeyId=...`
 * adopts what the account already has: its own multi-region trail delivering to a log group in this account, and
 * Control Tower's Config recorder. A Control Tower trail's log group lives in the management account, not here: for a
 * landing zone, see examples/control-tower. `-c topicKeyId=` (empty) adopts an unencrypted topic.
 */
import { App } from 'aws-cdk-lib';
import { ExistingAccountStack } from './stack';

const app = new App();
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

new ExistingAccountStack(app, 'MiningGuardExistingAccount', {
  detectorId: context('detectorId', '12abc34d567e8fa901bc2d34e56789f0'),
  trailName: context('trailName', 'management-events'),
  trailLogGroupName: context('trailLogGroupName', 'cloudtrail/management-events'),
  topicName: context('topicName', 'security-alerts'),
  topicKeyId: context('topicKeyId', '1234abcd-12ab-34cd-56ef-1234567890ab') || undefined,
});
