/**
 * A busy account that already has GuardDuty, a trail delivering to CloudWatch Logs, and an alert topic:
 * MiningGuard adopts all three, changes none of them, and deletes none of them with its stack.
 *
 * Pass your own values as context, e.g. `cdk synth -c detectorId=... -c trailName=... -c topicName=...`.
 */
import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MiningGuard } from '../../lib';

const app = new App();
const stack = new Stack(app, 'MiningGuardExistingAccount', {
  description: 'MiningGuard adopting an existing GuardDuty detector, trail and alert topic',
});
const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;

const alertTopic = sns.Topic.fromTopicArn(stack, 'SecurityAlerts', stack.formatArn({
  service: 'sns',
  resource: context('topicName', 'security-alerts'),
  arnFormat: ArnFormat.NO_RESOURCE_NAME,
}));

new MiningGuard(stack, 'MiningGuard', {
  alertTopic,
  auditTrail: {
    existingTrailArn: stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: context('trailName', 'aws-controltower-BaselineCloudTrail') }),
    existingLogGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogs', context('trailLogGroupName', 'aws-controltower/CloudTrailLogs')),
  },
  threatDetection: {
    existingDetectorId: context('detectorId', '12abc34d567e8fa901bc2d34e56789f0'),
    minimumSeverity: 4,
  },
});
